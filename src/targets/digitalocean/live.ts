/**
 * DigitalOcean responses → kafkaform's live model (Kafka names, canonical strings).
 *
 * DigitalOcean returns every topic's complete effective config without saying which keys were set
 * on the topic. A value equal to DigitalOcean's documented default counts as inherited (so a
 * manifest that does not mention it plans no change); any other value counts as set on the topic,
 * and resetting it writes the default back.
 */
import type { AclBinding, LiveConfig, LiveTopic } from '../../model.js';
import { canonicalConfigValue } from '../../kafka/configs.js';
import type { DoTopicDetail, DoTopicSummary, DoUser } from './api.js';
import { compareBindings, principalOfUser, userAclsToBindings } from './acl.js';
import { doValueToKafka, entryForDoKey } from './configs.js';
import { isLosslessNumber } from 'lossless-json';

function rawText(value: unknown): string {
  if (isLosslessNumber(value)) return value.value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * One topic's live model. The partition count is the larger of the list's `partition_count` and
 * the length of the detail's `partitions` array: partitions only grow, and DigitalOcean applies an
 * increase asynchronously, so one of the two may still show the old count for a while. Keys
 * outside the mapping table are reported through `skipped`.
 */
export function toLiveTopic(summary: DoTopicSummary | undefined, detail: DoTopicDetail): { topic: LiveTopic; skipped: string[] } {
  const configs: Record<string, LiveConfig> = {};
  const skipped: string[] = [];
  for (const doKey of Object.keys(detail.config).sort()) {
    const entry = entryForDoKey(doKey);
    if (!entry) {
      skipped.push(doKey);
      continue;
    }
    const raw = detail.config[doKey];
    const value = doValueToKafka(entry, raw) ?? canonicalConfigValue(entry.kafkaKey, rawText(raw));
    const isDefault = value === entry.defaultValue;
    configs[entry.kafkaKey] = {
      value,
      // Keys DigitalOcean does not let us write are never "set on the topic" as far as planning
      // goes: nothing could reset them.
      setOnTopic: entry.writable && !isDefault,
      source: isDefault ? 'DEFAULT_CONFIG' : entry.writable ? 'DYNAMIC_TOPIC_CONFIG' : 'UNKNOWN',
      inheritedValue: entry.defaultValue,
      readOnly: !entry.writable,
      sensitive: false,
    };
  }
  const sortedConfigs = Object.fromEntries(Object.keys(configs).sort().map((k) => [k, configs[k] as LiveConfig]));
  return {
    topic: {
      name: detail.name,
      partitions: Math.max(summary?.partitionCount ?? 0, detail.partitions),
      replicationFactor: detail.replicationFactor,
      internal: detail.name.startsWith('__'),
      configs: sortedConfigs,
    },
    skipped,
  };
}

/** Users → live ACL bindings and the principals that exist, both sorted. */
export function usersToLive(users: readonly DoUser[]): { acls: AclBinding[]; principals: string[]; unknown: string[] } {
  const acls: AclBinding[] = [];
  const unknown: string[] = [];
  for (const user of users) {
    const r = userAclsToBindings(user.name, user.acl ?? []);
    acls.push(...r.bindings);
    unknown.push(...r.unknown.map((u) => `user ${user.name}: ${u}`));
  }
  return {
    acls: acls.sort(compareBindings),
    principals: users.map((u) => principalOfUser(u.name)).sort(),
    unknown: unknown.sort(),
  };
}
