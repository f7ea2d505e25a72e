/**
 * Maps Kafka's own answers (Metadata, DescribeConfigs, DescribeAcls) to the live model: pure, so
 * the mapping is tested on captured responses without a broker.
 */
import type {
  Acl,
  AclOperationValue,
  AclPermissionTypeValue,
  ResourcePatternTypeValue,
  ResourceTypeValue,
  describeAclsV3,
  describeConfigsV4,
  metadataV10,
} from '@platformatic/kafka';
import { canonicalConfigValue, memoisedCanonicalConfigValue, TOPIC_CONFIGS } from '../../kafka/configs.js';
import { synonymValue } from '../../kafka/synonyms.js';
import type { AclBinding, AclOperation, AclPermission, ConfigSource, LiveConfig, LiveTopic, PatternType, ResourceType } from '../../model.js';
import { compareAcls } from '../../plan/index.js';
import { compareStrings } from '../../plan/order.js';
import { ConfigInterner } from '../config-interner.js';

/** DescribeConfigs `config_source` codes. */
export const CONFIG_SOURCES = {
  topic: 1,
  dynamicBroker: 2,
  dynamicClusterDefault: 3,
  staticBroker: 4,
  default: 5,
  dynamicBrokerLogger: 6,
} as const;

const SOURCE_NAMES: Readonly<Record<number, ConfigSource>> = {
  [CONFIG_SOURCES.topic]: 'DYNAMIC_TOPIC_CONFIG',
  [CONFIG_SOURCES.dynamicBroker]: 'DYNAMIC_BROKER_CONFIG',
  [CONFIG_SOURCES.dynamicClusterDefault]: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  [CONFIG_SOURCES.staticBroker]: 'STATIC_BROKER_CONFIG',
  [CONFIG_SOURCES.default]: 'DEFAULT_CONFIG',
  [CONFIG_SOURCES.dynamicBrokerLogger]: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};

/** How a config value is made canonical (`canonicalConfigValue`, memoised for a whole read). */
type Canonical = (key: string, value: string) => string;

function canonicalOrNull(canonical: Canonical, key: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : canonical(key, value);
}

/**
 * The source of an entry as the model names it. Kafka reports a topic key inherited from a static
 * broker setting in another unit (`log.retention.hours=72` for `retention.ms`) as DEFAULT_CONFIG
 * with no synonym; a "default" that is not Kafka's default can only come from the broker's static
 * configuration, so it is reported as such.
 */
function sourceOf(entry: describeConfigsV4.DescribeConfigsResponseConfig, value: string | null): ConfigSource {
  const source = SOURCE_NAMES[entry.configSource] ?? 'UNKNOWN';
  if (source !== 'DEFAULT_CONFIG' || entry.synonyms.length > 0 || value === null) return source;
  const kafkaDefault = TOPIC_CONFIGS.get(entry.name)?.default;
  return kafkaDefault !== undefined && canonicalConfigValue(entry.name, kafkaDefault) !== value ? 'STATIC_BROKER_CONFIG' : source;
}

/**
 * The value each key has on topics that do not set it, when every such topic agrees: what a topic
 * that sets the key returns to on reset when Kafka lists no synonym below the topic level (the
 * static `log.retention.hours` case). Per-broker values (source 2) may differ between brokers and
 * are left out.
 */
export function clusterInheritedValues(
  results: readonly describeConfigsV4.DescribeConfigsResponseResult[],
  canonical: Canonical = canonicalConfigValue,
): Map<string, string | null> {
  const values = new Map<string, string | null>();
  const conflicting = new Set<string>();
  for (const r of results) {
    if (r.errorCode !== 0) continue;
    for (const e of r.configs) {
      if (e.configSource === CONFIG_SOURCES.topic || e.configSource === CONFIG_SOURCES.dynamicBroker || e.isSensitive) continue;
      if (conflicting.has(e.name)) continue;
      const value = canonicalOrNull(canonical, e.name, e.value);
      if (!values.has(e.name)) {
        values.set(e.name, value);
      } else if (values.get(e.name) !== value) {
        values.delete(e.name);
        conflicting.add(e.name);
      }
    }
  }
  return values;
}

/**
 * One config entry of a topic. `inherited` is `clusterInheritedValues` of the same read, for keys
 * set on the topic with no synonym below the topic level.
 */
export function toLiveConfig(
  entry: describeConfigsV4.DescribeConfigsResponseConfig,
  inherited: ReadonlyMap<string, string | null>,
  canonical: Canonical = canonicalConfigValue,
): LiveConfig {
  const sensitive = entry.isSensitive;
  const setOnTopic = entry.configSource === CONFIG_SOURCES.topic;
  const value = sensitive ? null : canonicalOrNull(canonical, entry.name, entry.value);
  const config: LiveConfig = { value, setOnTopic, source: sourceOf(entry, value), readOnly: entry.readOnly, sensitive };
  if (!setOnTopic) {
    config.inheritedValue = value;
    return config;
  }
  // Synonyms come from the highest precedence down: the first below the topic level is what a
  // reset (DELETE) falls back to.
  const below = entry.synonyms.find((s) => s.source !== CONFIG_SOURCES.topic);
  if (sensitive) {
    if (below !== undefined) config.inheritedValue = null;
  } else if (below !== undefined) {
    config.inheritedValue = canonicalOrNull(canonical, entry.name, synonymValue(entry.name, below.name, below.value ?? null));
  } else if (inherited.has(entry.name)) {
    config.inheritedValue = inherited.get(entry.name) as string | null;
  }
  return config;
}

/** The configs of each topic that answered, by topic name; keys sorted. */
export function toTopicConfigs(results: readonly describeConfigsV4.DescribeConfigsResponseResult[]): Map<string, Record<string, LiveConfig>> {
  const canonical = memoisedCanonicalConfigValue();
  const inherited = clusterInheritedValues(results, canonical);
  const interner = new ConfigInterner();
  const byTopic = new Map<string, Record<string, LiveConfig>>();
  const byName = (a: describeConfigsV4.DescribeConfigsResponseConfig, b: describeConfigsV4.DescribeConfigsResponseConfig): number => compareStrings(a.name, b.name);
  for (const r of results) {
    if (r.errorCode !== 0) continue;
    // Brokers answer with the keys sorted: copied and sorted only when they are not.
    const entries = r.configs.every((e, i) => i === 0 || compareStrings((r.configs[i - 1] as typeof e).name, e.name) <= 0) ? r.configs : [...r.configs].sort(byName);
    // Built in one go so topics with the same keys share one object shape (see the confluent target).
    byTopic.set(r.resourceName, Object.fromEntries(entries.map((e) => [e.name, interner.intern(e.name, toLiveConfig(e, inherited, canonical))])));
  }
  return byTopic;
}

/**
 * A topic from Metadata: the replication factor is the replica count of its first partition
 * (partitions being moved report more replicas until the move completes).
 */
export function toLiveTopic(t: metadataV10.MetadataResponseTopic, configs: Record<string, LiveConfig>): LiveTopic {
  const first = [...t.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex)[0];
  return {
    name: t.name ?? '',
    partitions: t.partitions.length,
    replicationFactor: first?.replicaNodes.length ?? 0,
    internal: t.isInternal,
    configs,
  };
}

const RESOURCE_TYPES: Readonly<Record<number, ResourceType>> = { 2: 'TOPIC', 3: 'GROUP', 4: 'CLUSTER', 5: 'TRANSACTIONAL_ID', 6: 'DELEGATION_TOKEN' };
const PATTERN_TYPES: Readonly<Record<number, PatternType>> = { 3: 'LITERAL', 4: 'PREFIXED' };
const OPERATIONS: Readonly<Record<number, AclOperation>> = {
  2: 'ALL',
  3: 'READ',
  4: 'WRITE',
  5: 'CREATE',
  6: 'DELETE',
  7: 'ALTER',
  8: 'DESCRIBE',
  9: 'CLUSTER_ACTION',
  10: 'DESCRIBE_CONFIGS',
  11: 'ALTER_CONFIGS',
  12: 'IDEMPOTENT_WRITE',
  13: 'CREATE_TOKENS',
  14: 'DESCRIBE_TOKENS',
};
const PERMISSIONS: Readonly<Record<number, AclPermission>> = { 2: 'DENY', 3: 'ALLOW' };

function codes<T extends string, V extends number>(names: Readonly<Record<number, T>>): Record<T, V> {
  return Object.fromEntries(Object.entries(names).map(([code, name]) => [name, Number(code)])) as Record<T, V>;
}
const RESOURCE_CODES = codes<ResourceType, ResourceTypeValue>(RESOURCE_TYPES);
const PATTERN_CODES = codes<PatternType, ResourcePatternTypeValue>(PATTERN_TYPES);
const OPERATION_CODES = codes<AclOperation, AclOperationValue>(OPERATIONS);
const PERMISSION_CODES = codes<AclPermission, AclPermissionTypeValue>(PERMISSIONS);

/** A binding the model cannot hold (e.g. a USER resource), as text for a warning. */
export interface SkippedAcl {
  text: string;
}

/**
 * The bindings of a DescribeAcls answer, sorted and without repeats. Bindings using values the
 * model cannot hold are passed to `skipped` and left out, so they are never planned for deletion.
 */
export function toBindings(resources: readonly describeAclsV3.DescribeAclsResponseResource[], skipped: (acl: SkippedAcl) => void): AclBinding[] {
  const out: AclBinding[] = [];
  for (const r of resources) {
    for (const a of r.acls) {
      const resourceType = RESOURCE_TYPES[r.resourceType];
      const patternType = PATTERN_TYPES[r.resourcePatternType];
      const operation = OPERATIONS[a.operation];
      const permission = PERMISSIONS[a.permissionType];
      if (resourceType === undefined || patternType === undefined || operation === undefined || permission === undefined) {
        skipped({ text: `${a.principal} ${a.permissionType} ${a.operation} on resource type ${r.resourceType} ${r.resourceName} (pattern ${r.resourcePatternType})` });
        continue;
      }
      out.push({ principal: a.principal, host: a.host, resourceType, resourceName: r.resourceName, patternType, operation, permission });
    }
  }
  out.sort(compareAcls);
  return out.filter((b, i) => i === 0 || compareAcls(b, out[i - 1] as AclBinding) !== 0);
}

/** The wire form of a binding, for CreateAcls and as the exact DeleteAcls filter matching only it. */
export function toWireAcl(b: AclBinding): Acl {
  return {
    resourceType: RESOURCE_CODES[b.resourceType],
    resourceName: b.resourceName,
    resourcePatternType: PATTERN_CODES[b.patternType],
    principal: b.principal,
    host: b.host,
    operation: OPERATION_CODES[b.operation],
    permissionType: PERMISSION_CODES[b.permission],
  };
}
