/**
 * Maps REST v3 listings to the live model: pure, so the mapping is tested without a server.
 */
import { canonicalConfigValue, memoisedCanonicalConfigValue } from '../../kafka/configs.js';
import { synonymValue } from '../../kafka/synonyms.js';
import {
  ACL_OPERATIONS,
  ACL_PERMISSIONS,
  PATTERN_TYPES,
  RESOURCE_TYPES,
  type AclBinding,
  type ConfigSource,
  type LiveConfig,
  type LiveState,
  type LiveTopic,
} from '../../model.js';
import { aclKey, compareAcls } from '../../plan/index.js';
import type { V3Acl, V3Topic, V3TopicConfig } from './wire.js';
import { ConfigInterner } from '../config-interner.js';

const SOURCES: ReadonlySet<string> = new Set<ConfigSource>([
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'UNKNOWN',
]);

const TOPIC_LEVEL = 'DYNAMIC_TOPIC_CONFIG';

function toSource(source: string, isDefault: boolean): ConfigSource {
  if (SOURCES.has(source)) return source as ConfigSource;
  // Newer sources (e.g. DYNAMIC_CLUSTER_LINK_CONFIG on mirror topics) are not set on the topic by
  // the user; keep them distinguishable from a plain default.
  return isDefault ? 'DEFAULT_CONFIG' : 'UNKNOWN';
}

/** How a config value is made canonical; `canonicalConfigValue` unless memoised. */
type Canonical = (key: string, value: string | null) => string | null;

function defaultCanonical(key: string, value: string | null): string | null {
  return value === null ? null : canonicalConfigValue(key, value);
}

/** `canonical` remembered by key and value for one listing (`memoisedCanonicalConfigValue`). */
function memoisedCanonical(): Canonical {
  const canonical = memoisedCanonicalConfigValue();
  return (key, value) => (value === null ? null : canonical(key, value));
}

/** One config entry of a topic, from `TopicConfigData`. */
export function toLiveConfig(entry: V3TopicConfig, canonical: Canonical = defaultCanonical): LiveConfig {
  const sensitive = entry.is_sensitive;
  const setOnTopic = entry.source === TOPIC_LEVEL;
  const value = sensitive ? null : canonical(entry.name, entry.value);
  const config: LiveConfig = {
    value,
    setOnTopic,
    source: toSource(entry.source, entry.is_default),
    readOnly: entry.is_read_only,
    sensitive,
  };
  if (!setOnTopic) {
    config.inheritedValue = value;
  } else {
    // Synonyms are listed from the highest precedence down: the first one below the topic level
    // is what a reset (DELETE) falls back to.
    const below = entry.synonyms.find((s) => s.source !== TOPIC_LEVEL);
    if (below !== undefined) config.inheritedValue = sensitive ? null : canonical(entry.name, synonymValue(entry.name, below.name, below.value));
  }
  return config;
}

/** A config entry reduced to what the live model keeps: topic, key, entry. */
export type TopicConfigEntry = readonly [topic: string, key: string, config: LiveConfig];

/** Reduces one `TopicConfigData` as soon as it is read, so its synonyms are not kept around. */
export function configEntryReducer(): (entry: V3TopicConfig) => TopicConfigEntry {
  const interner = new ConfigInterner();
  const canonical = memoisedCanonical();
  return (entry) => [entry.topic_name, entry.name, interner.intern(entry.name, toLiveConfig(entry, canonical))];
}

/** The binding in `acl`, or undefined when it uses a value the model cannot hold (e.g. UNKNOWN). */
export function toBinding(acl: V3Acl): AclBinding | undefined {
  const ok =
    (RESOURCE_TYPES as readonly string[]).includes(acl.resource_type) &&
    (PATTERN_TYPES as readonly string[]).includes(acl.pattern_type) &&
    (ACL_OPERATIONS as readonly string[]).includes(acl.operation) &&
    (ACL_PERMISSIONS as readonly string[]).includes(acl.permission);
  if (!ok) return undefined;
  return {
    principal: acl.principal,
    host: acl.host,
    resourceType: acl.resource_type as AclBinding['resourceType'],
    resourceName: acl.resource_name,
    patternType: acl.pattern_type as AclBinding['patternType'],
    operation: acl.operation as AclBinding['operation'],
    permission: acl.permission as AclBinding['permission'],
  };
}

/** The request/filter form of a binding. */
export function toV3Acl(b: AclBinding): V3Acl {
  return {
    resource_type: b.resourceType,
    resource_name: b.resourceName,
    pattern_type: b.patternType,
    principal: b.principal,
    host: b.host,
    operation: b.operation,
    permission: b.permission,
  };
}

/** Groups reduced config entries by topic. */
export function groupConfigs(entries: Iterable<TopicConfigEntry>): Map<string, Record<string, LiveConfig>> {
  const byTopic = new Map<string, Record<string, LiveConfig>>();
  for (const [topic, key, config] of entries) {
    let configs = byTopic.get(topic);
    if (configs === undefined) {
      configs = {};
      byTopic.set(topic, configs);
    }
    configs[key] = config;
  }
  return byTopic;
}

/**
 * Builds the live state from the three listings. Configs of topics missing from the topic list
 * (created or deleted between the calls) are dropped; ACLs the model cannot represent are
 * reported through `skipped` and left out, so they are never planned for deletion.
 */
export function toLiveState(
  clusterId: string,
  topics: readonly V3Topic[],
  configs: Map<string, Record<string, LiveConfig>>,
  acls: readonly V3Acl[],
  skipped: (acl: V3Acl) => void,
): LiveState {
  const liveTopics: LiveTopic[] = topics.map((t) => ({
    name: t.topic_name,
    partitions: t.partitions_count,
    replicationFactor: t.replication_factor,
    internal: t.is_internal,
    configs: sortKeys(configs.get(t.topic_name) ?? {}),
  }));
  liveTopics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bindings: AclBinding[] = [];
  const seen = new Set<string>();
  for (const acl of acls) {
    const b = toBinding(acl);
    if (b === undefined) {
      skipped(acl);
      continue;
    }
    const id = aclKey(b);
    if (seen.has(id)) continue;
    seen.add(id);
    bindings.push(b);
  }
  bindings.sort(compareAcls);
  return { clusterId, topics: liveTopics, acls: bindings };
}

// Built with `Object.fromEntries`, not key by key: an object given ~30 properties one keyed store
// at a time turns into a hash table (V8's dictionary mode), and the planner walks every topic's
// record; this way topics with the same keys share one hidden class and are walked without
// lookups, and take less memory.
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key] as T]));
}
