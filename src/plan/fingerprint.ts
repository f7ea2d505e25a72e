import { createHash } from 'node:crypto';
import type { AclBinding, LiveConfig, LiveState, LiveTopic } from '../model.js';
import { compareAcls, compareStrings } from './order.js';

// Each builder below lists its keys in sorted order, so JSON.stringify of the result is the
// canonical JSON (keys sorted, no whitespace) without a generic, allocation-heavy key sort.

function canonicalConfig(c: LiveConfig): object {
  return {
    ...(c.inheritedValue !== undefined ? { inheritedValue: c.inheritedValue } : {}),
    readOnly: c.readOnly,
    sensitive: c.sensitive,
    setOnTopic: c.setOnTopic,
    source: c.source,
    value: c.value,
  };
}

function canonicalTopic(t: LiveTopic): object {
  const configs: Record<string, object> = {};
  for (const key of Object.keys(t.configs).sort(compareStrings)) configs[key] = canonicalConfig(t.configs[key] as LiveConfig);
  return { configs, internal: t.internal, name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor };
}

function canonicalBinding(b: AclBinding): object {
  return {
    host: b.host,
    operation: b.operation,
    patternType: b.patternType,
    permission: b.permission,
    principal: b.principal,
    resourceName: b.resourceName,
    resourceType: b.resourceType,
  };
}

/**
 * Identifies a live state: `sha256:` + hex digest of its canonical JSON (keys sorted). Only the
 * `LiveState` fields count (a snapshot's `formatVersion`/`source` or a target's extra properties do
 * not), and lists are sorted first, so a target listing topics or ACLs in another order yields the
 * same fingerprint — a saved plan is refused only when the cluster really changed.
 */
export function fingerprint(live: LiveState): string {
  const canonical = {
    acls: [...live.acls].sort(compareAcls).map(canonicalBinding),
    clusterId: live.clusterId,
    ...(live.principals ? { principals: [...live.principals].sort(compareStrings) } : {}),
    topics: [...live.topics].sort((a, b) => compareStrings(a.name, b.name)).map(canonicalTopic),
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex')}`;
}
