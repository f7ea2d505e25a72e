import jsonpatch from 'fast-json-patch';
import type {
  DesiredTopic,
  HeldBack,
  JsonValue,
  LiveConfig,
  LiveTopic,
  PatchOperation,
  PlanAction,
  PlanChange,
  PlanError,
  PlanResource,
  TargetCapabilities,
} from '../model.js';
import { PHASES } from '../model.js';
import { canonicalConfigValue } from '../kafka/configs.js';
import { compareStrings } from './order.js';
import { createPatch, deletePatch, diffViews } from './patch.js';

/** What stands in for a sensitive value in plans; never the secret itself. */
export const REDACTED = '(sensitive)';

/** Inputs of the topic half of the planner. */
export interface TopicPlanInput {
  desired: readonly DesiredTopic[];
  live: readonly LiveTopic[];
  topicPrefixes: readonly string[];
  allowDelete: boolean;
  /** Config key prefixes ignored unless the manifest names the key. */
  ignoredConfigPrefixes: readonly string[];
  capabilities: TargetCapabilities;
  /** The cluster's name, for errors about what it does not know. */
  clusterName: string;
  /** `live` already sorted by name, when the caller has it (saves a check or a sort). */
  liveSorted?: readonly LiveTopic[];
}

/** The topic half of a plan: actions unordered, the other lists in topic order. */
export interface TopicPlan {
  actions: PlanAction[];
  errors: PlanError[];
  heldBack: HeldBack[];
  unmanaged: PlanResource[];
  /** Each about one topic, so a targeted plan keeps only its targets'. */
  warnings: { resource: PlanResource; message: string }[];
}

/** `topics` sorted by name: the list itself when it already is, else a sorted copy. */
export function byName<T extends { name: string }>(topics: readonly T[]): readonly T[] {
  for (let i = 1; i < topics.length; i++) {
    if ((topics[i - 1] as T).name > (topics[i] as T).name) return [...topics].sort((a, b) => compareStrings(a.name, b.name));
  }
  return topics;
}

function startsWithAny(name: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (name.startsWith(p)) return true;
  return false;
}

/** Kafka-internal or `_`-prefixed: never created, changed, deleted or listed. */
export function isInternalTopic(name: string, live?: LiveTopic): boolean {
  return name.startsWith('_') || live?.internal === true;
}

function topicResource(name: string): PlanResource {
  return { kind: 'topic', name };
}

function redact(value: string | null, sensitive: boolean): string | null {
  return value !== null && sensitive ? REDACTED : value;
}

function sameConfigValue(key: string, a: string, b: string): boolean {
  return a === b || canonicalConfigValue(key, a) === canonicalConfigValue(key, b);
}

function configPointer(key: string): string {
  return `/config/${jsonpatch.escapePathComponent(key)}`;
}

// Config maps come from servers and manifests: a key such as `constructor` must never resolve to
// an Object.prototype member.
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function createAction(topic: DesiredTopic): PlanAction {
  const config: Record<string, string> = {};
  for (const key of Object.keys(topic.config).sort(compareStrings)) config[key] = topic.config[key] as string;
  const changes: PlanChange[] = [
    { field: 'partitions', from: null, to: topic.partitions },
    { field: 'replicationFactor', from: null, to: topic.replicationFactor },
  ];
  for (const [key, value] of Object.entries(config)) changes.push({ field: `config.${key}`, from: null, to: value });
  const view: JsonValue = { config, name: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor };
  return { phase: PHASES.createTopics, action: 'create', resource: topicResource(topic.name), changes, patch: createPatch(view) };
}

function planSize(want: DesiredTopic, have: LiveTopic, capabilities: TargetCapabilities, out: TopicPlan): void {
  const growPartitions = want.partitions > have.partitions;
  const changeRf = want.replicationFactor !== have.replicationFactor;
  if (want.partitions < have.partitions) {
    out.errors.push({
      resource: topicResource(want.name),
      reason: `partitions cannot decrease from ${have.partitions} to ${want.partitions}: Kafka only adds partitions (recreate the topic to shrink it)`,
    });
  }
  if (changeRf && !capabilities.replicationFactorChange) {
    out.errors.push({
      resource: topicResource(want.name),
      reason: `replicationFactor cannot change from ${have.replicationFactor} to ${want.replicationFactor}: this cluster cannot change the replication factor of an existing topic`,
    });
  }
  const rf = changeRf && capabilities.replicationFactorChange;
  if (!growPartitions && !rf) return;
  const changes: PlanChange[] = [];
  const from: { [key: string]: JsonValue } = {};
  const to: { [key: string]: JsonValue } = {};
  if (growPartitions) {
    changes.push({ field: 'partitions', from: have.partitions, to: want.partitions });
    from.partitions = have.partitions;
    to.partitions = want.partitions;
  }
  if (rf) {
    changes.push({ field: 'replicationFactor', from: have.replicationFactor, to: want.replicationFactor });
    from.replicationFactor = have.replicationFactor;
    to.replicationFactor = want.replicationFactor;
  }
  out.actions.push({ phase: PHASES.increasePartitions, action: 'update', resource: topicResource(want.name), changes, patch: diffViews(from, to) });
}

/** One key's change with its patch operation, kept together until they are sorted by key. */
interface KeyedChange {
  key: string;
  change: PlanChange;
  op: PatchOperation;
}

/**
 * The desired config keys a cluster that reports every topic config does not know: an error each,
 * instead of a change that would be proposed (and refused) on every run. `known` is the topic's
 * own live configs, or for a new topic every key any live topic reports (nothing when there is
 * no live topic to learn from).
 */
function unknownKeyErrors(want: DesiredTopic, known: (key: string) => boolean | undefined, cluster: string, out: TopicPlan): Set<string> | undefined {
  let unknown: Set<string> | undefined;
  for (const key of Object.keys(want.config).sort(compareStrings)) {
    if (known(key) !== false) continue;
    (unknown ??= new Set()).add(key);
    out.errors.push({
      resource: topicResource(want.name),
      reason: `config.${key} is not a topic config of cluster ${cluster}: its Kafka does not report it for topics, so it cannot be set there`,
    });
  }
  return unknown;
}

function planConfigs(
  want: DesiredTopic,
  have: LiveTopic,
  ignoredPrefixes: readonly string[],
  unknown: ReadonlySet<string> | undefined,
  out: TopicPlan,
): void {
  // Collected lazily: most topics of a big cluster have no change, and allocate nothing here.
  let keyed: KeyedChange[] | undefined;
  let problems: { key: string; error?: PlanError; warning?: string }[] | undefined;
  for (const key in want.config) {
    if (unknown?.has(key)) continue;
    const desired = want.config[key] as string;
    const live: LiveConfig | undefined = own(have.configs, key);
    if (live !== undefined && live.value !== null && sameConfigValue(key, desired, live.value)) continue;
    const field = `config.${key}`;
    const sensitive = live?.sensitive === true;
    if (live !== undefined && live.value === null && sensitive) {
      (problems ??= []).push({
        key,
        warning: `topic ${want.name}: ${field} is sensitive and the cluster hides its value, so kafkaform cannot tell whether it differs; left unchanged`,
      });
      continue;
    }
    const current = live?.value ?? null;
    if (live?.readOnly) {
      (problems ??= []).push({
        key,
        error: {
          resource: topicResource(want.name),
          reason: sensitive
            ? `${field} is read-only on this cluster and cannot be changed`
            : `${field} is read-only on this cluster and cannot be changed from ${JSON.stringify(current)} to ${JSON.stringify(desired)}`,
        },
      });
      continue;
    }
    // The patch works on the topic-level overrides: a key inherited from the broker is absent
    // from the live view, so setting it is an `add`. Written per key, not diffed, because two
    // redacted sensitive values look equal but are a change.
    (keyed ??= []).push({
      key,
      change: { field, from: redact(current, sensitive), to: redact(desired, sensitive), ...(sensitive ? { sensitive: true } : {}) },
      op: { op: live?.setOnTopic ? 'replace' : 'add', path: configPointer(key), value: redact(desired, sensitive) },
    });
  }
  // `for in` over a plain record yields its own keys; most are inherited from the broker, so the
  // cheap `setOnTopic` test comes first.
  for (const key in have.configs) {
    const live = have.configs[key] as LiveConfig;
    if (!live.setOnTopic || live.readOnly || Object.hasOwn(want.config, key) || startsWithAny(key, ignoredPrefixes)) continue;
    const inherited = live.inheritedValue;
    (keyed ??= []).push({
      key,
      change: {
        field: `config.${key}`,
        from: redact(live.value, live.sensitive),
        to: null,
        ...(live.sensitive ? { sensitive: true } : typeof inherited === 'string' ? { inherited } : {}),
      },
      op: { op: 'remove', path: configPointer(key) },
    });
  }
  if (problems !== undefined) {
    for (const p of problems.sort((a, b) => compareStrings(a.key, b.key))) {
      if (p.error) out.errors.push(p.error);
      if (p.warning) out.warnings.push({ resource: topicResource(want.name), message: p.warning });
    }
  }
  if (keyed === undefined) return;
  keyed.sort((a, b) => compareStrings(a.key, b.key));
  out.actions.push({
    phase: PHASES.alterConfigs,
    action: 'update',
    resource: topicResource(want.name),
    changes: keyed.map((k) => k.change),
    patch: keyed.map((k) => k.op),
  });
}

/** Every config key any live topic reports. */
function reportedKeys(live: readonly LiveTopic[]): Set<string> {
  const keys = new Set<string>();
  for (const t of live) for (const key in t.configs) keys.add(key);
  return keys;
}

/**
 * Diffs desired topics against live ones: creates (phase 1), partition and replication-factor
 * changes (phase 2), config changes (phase 3) and deletions (phase 6, only in scope and only with
 * `allowDelete`). Impossible changes become errors, never actions; so do desired config keys a
 * cluster that reports every topic config does not know (its describe output is the catalog of
 * record), and a topic with such a key is not created.
 */
export function planTopics(input: TopicPlanInput): TopicPlan {
  const out: TopicPlan = { actions: [], errors: [], heldBack: [], unmanaged: [], warnings: [] };
  // Both lists by name (targets and the manifest loader hand them sorted, so usually no copy),
  // then walked side by side: no name map or set over a big cluster's topics.
  const desired = byName(input.desired);
  const live = input.liveSorted ?? byName(input.live);

  // Every key some live topic reports, built only when a new topic needs checking.
  let clusterKeys: Set<string> | undefined;
  let l = 0;
  for (const want of desired) {
    while (l < live.length && (live[l] as LiveTopic).name < want.name) l++;
    const candidate = live[l];
    // With repeated live names the last one counts, as a lookup by name would find it.
    let have: LiveTopic | undefined;
    if (candidate !== undefined && candidate.name === want.name) {
      let last = l;
      while (last + 1 < live.length && (live[last + 1] as LiveTopic).name === want.name) last++;
      have = live[last];
    }
    if (isInternalTopic(want.name, have)) {
      out.errors.push({
        resource: topicResource(want.name),
        reason: 'is an internal topic (internal or named with a leading "_"); kafkaform never creates or changes internal topics',
      });
      continue;
    }
    if (have === undefined) {
      const unknown = input.capabilities.reportsAllTopicConfigs
        ? unknownKeyErrors(want, (key) => (clusterKeys ??= reportedKeys(live)).size === 0 ? undefined : clusterKeys.has(key), input.clusterName, out)
        : undefined;
      if (unknown === undefined) out.actions.push(createAction(want));
      continue;
    }
    const found = have;
    const unknown = input.capabilities.reportsAllTopicConfigs
      ? unknownKeyErrors(want, (key) => Object.hasOwn(found.configs, key), input.clusterName, out)
      : undefined;
    planSize(want, have, input.capabilities, out);
    planConfigs(want, have, input.ignoredConfigPrefixes, unknown, out);
  }

  let d = 0;
  for (const have of live) {
    while (d < desired.length && (desired[d] as DesiredTopic).name < have.name) d++;
    if ((d < desired.length && (desired[d] as DesiredTopic).name === have.name) || isInternalTopic(have.name, have)) continue;
    const resource = topicResource(have.name);
    if (!startsWithAny(have.name, input.topicPrefixes)) {
      out.unmanaged.push(resource);
    } else if (input.allowDelete) {
      out.actions.push({ phase: PHASES.deleteTopics, action: 'delete', resource, changes: [], patch: deletePatch() });
    } else {
      out.heldBack.push({ resource, reason: 'deleting a topic needs --allow-delete' });
    }
  }
  return out;
}
