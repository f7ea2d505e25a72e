import { createHash } from 'node:crypto';
import type { LiveConfig, LiveState, LiveTopic } from '../model.js';
import { canonicalJson } from './canonical.js';
import { bindingOf, compareAcls, compareStrings } from './order.js';

function configOf(c: LiveConfig): LiveConfig {
  return {
    value: c.value,
    setOnTopic: c.setOnTopic,
    source: c.source,
    ...(c.inheritedValue !== undefined ? { inheritedValue: c.inheritedValue } : {}),
    readOnly: c.readOnly,
    sensitive: c.sensitive,
  };
}

function topicOf(t: LiveTopic): LiveTopic {
  return {
    name: t.name,
    partitions: t.partitions,
    replicationFactor: t.replicationFactor,
    internal: t.internal,
    configs: Object.fromEntries(Object.entries(t.configs).map(([k, c]) => [k, configOf(c)])),
  };
}

/**
 * Identifies a live state: `sha256:` + hex digest of its canonical JSON. Only the `LiveState`
 * fields count (a snapshot's `formatVersion`/`source` or a target's extra properties do not), and
 * lists are sorted first, so a target listing topics or ACLs in another order yields the same
 * fingerprint — a saved plan is refused only when the cluster really changed.
 */
export function fingerprint(live: LiveState): string {
  const canonical: LiveState = {
    clusterId: live.clusterId,
    topics: live.topics.map(topicOf).sort((a, b) => compareStrings(a.name, b.name)),
    acls: live.acls.map(bindingOf).sort(compareAcls),
    ...(live.principals ? { principals: [...live.principals].sort(compareStrings) } : {}),
  };
  return `sha256:${createHash('sha256').update(canonicalJson(canonical)).digest('hex')}`;
}
