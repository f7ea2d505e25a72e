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
import jsonpatch from 'fast-json-patch';
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
}

/** The topic half of a plan, each list already in plan order. */
export interface TopicPlan {
  actions: PlanAction[];
  errors: PlanError[];
  heldBack: HeldBack[];
  unmanaged: PlanResource[];
  warnings: string[];
}

/** Kafka-internal or `_`-prefixed: never created, changed, deleted or listed. */
export function isInternalTopic(name: string, live?: LiveTopic): boolean {
  return name.startsWith('_') || live?.internal === true;
}

function topicResource(name: string): PlanResource {
  return { kind: 'topic', name };
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareStrings)) out[key] = record[key] as T;
  return out;
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

function createAction(topic: DesiredTopic): PlanAction {
  const config = sortedRecord(topic.config);
  const changes: PlanChange[] = [
    { field: 'partitions', from: null, to: topic.partitions },
    { field: 'replicationFactor', from: null, to: topic.replicationFactor },
    ...Object.entries(config).map(([key, value]): PlanChange => ({ field: `config.${key}`, from: null, to: value })),
  ];
  const view: JsonValue = {
    config,
    name: topic.name,
    partitions: topic.partitions,
    replicationFactor: topic.replicationFactor,
  };
  return { phase: PHASES.createTopics, action: 'create', resource: topicResource(topic.name), changes, patch: createPatch(view) };
}

function sizeActionAndErrors(
  want: DesiredTopic,
  have: LiveTopic,
  capabilities: TargetCapabilities,
): { action?: PlanAction; errors: PlanError[] } {
  const resource = topicResource(want.name);
  const errors: PlanError[] = [];
  const changes: PlanChange[] = [];
  const from: { [key: string]: JsonValue } = {};
  const to: { [key: string]: JsonValue } = {};
  if (want.partitions < have.partitions) {
    errors.push({
      resource,
      reason: `partitions cannot decrease from ${have.partitions} to ${want.partitions}: Kafka only adds partitions (recreate the topic to shrink it)`,
    });
  } else if (want.partitions > have.partitions) {
    changes.push({ field: 'partitions', from: have.partitions, to: want.partitions });
    from.partitions = have.partitions;
    to.partitions = want.partitions;
  }
  if (want.replicationFactor !== have.replicationFactor) {
    if (capabilities.replicationFactorChange) {
      changes.push({ field: 'replicationFactor', from: have.replicationFactor, to: want.replicationFactor });
      from.replicationFactor = have.replicationFactor;
      to.replicationFactor = want.replicationFactor;
    } else {
      errors.push({
        resource,
        reason: `replicationFactor cannot change from ${have.replicationFactor} to ${want.replicationFactor}: this cluster cannot change the replication factor of an existing topic`,
      });
    }
  }
  if (changes.length === 0) return { errors };
  return {
    action: { phase: PHASES.increasePartitions, action: 'update', resource, changes, patch: diffViews(from, to) },
    errors,
  };
}

function configActionAndProblems(
  want: DesiredTopic,
  have: LiveTopic,
  ignoredPrefixes: readonly string[],
): { action?: PlanAction; errors: PlanError[]; warnings: string[] } {
  const resource = topicResource(want.name);
  const errors: PlanError[] = [];
  const warnings: string[] = [];
  const changes: PlanChange[] = [];
  // The patch works on the topic-level overrides only: a key inherited from the broker is absent
  // from the live view, so setting it is an `add`, and a reset is a `remove`. Written per key, not
  // diffed, because two redacted sensitive values look equal but are a change.
  const patch: PatchOperation[] = [];
  const keys = [...new Set([...Object.keys(want.config), ...Object.keys(have.configs)])].sort(compareStrings);
  for (const key of keys) {
    const field = `config.${key}`;
    const desired = want.config[key];
    const live: LiveConfig | undefined = have.configs[key];
    const sensitive = live?.sensitive === true;
    if (desired !== undefined) {
      if (live !== undefined && live.value === null && sensitive) {
        warnings.push(
          `topic ${want.name}: ${field} is sensitive and the cluster hides its value, so kafkaform cannot tell whether it differs; left unchanged`,
        );
        continue;
      }
      if (live !== undefined && live.value !== null && sameConfigValue(key, desired, live.value)) continue;
      const current = live?.value ?? null;
      if (live?.readOnly) {
        errors.push({
          resource,
          reason: sensitive
            ? `${field} is read-only on this cluster and cannot be changed`
            : `${field} is read-only on this cluster and cannot be changed from ${JSON.stringify(current)} to ${JSON.stringify(desired)}`,
        });
        continue;
      }
      changes.push({ field, from: redact(current, sensitive), to: redact(desired, sensitive), ...(sensitive ? { sensitive: true } : {}) });
      patch.push({ op: live?.setOnTopic ? 'replace' : 'add', path: configPointer(key), value: redact(desired, sensitive) });
    } else if (live?.setOnTopic && !live.readOnly && !ignoredPrefixes.some((p) => key.startsWith(p))) {
      changes.push({ field, from: redact(live.value, sensitive), to: null, ...(sensitive ? { sensitive: true } : {}) });
      patch.push({ op: 'remove', path: configPointer(key) });
    }
  }
  if (changes.length === 0) return { errors, warnings };
  return {
    action: {
      phase: PHASES.alterConfigs,
      action: 'update',
      resource,
      changes,
      patch,
    },
    errors,
    warnings,
  };
}

/**
 * Diffs desired topics against live ones: creates (phase 1), partition and replication-factor
 * changes (phase 2), config changes (phase 3) and deletions (phase 6, only in scope and only with
 * `allowDelete`). Impossible changes become errors, never actions.
 */
export function planTopics(input: TopicPlanInput): TopicPlan {
  const out: TopicPlan = { actions: [], errors: [], heldBack: [], unmanaged: [], warnings: [] };
  const liveByName = new Map(input.live.map((t) => [t.name, t]));
  const desiredByName = new Map(input.desired.map((t) => [t.name, t]));
  const desiredNames = [...desiredByName.keys()].sort(compareStrings);
  const liveNames = [...liveByName.keys()].sort(compareStrings);

  const sizeActions: PlanAction[] = [];
  const configActions: PlanAction[] = [];
  for (const name of desiredNames) {
    const want = desiredByName.get(name) as DesiredTopic;
    const have = liveByName.get(name);
    if (isInternalTopic(name, have)) {
      out.errors.push({
        resource: topicResource(name),
        reason: 'is an internal topic (internal or named with a leading "_"); kafkaform never creates or changes internal topics',
      });
      continue;
    }
    if (have === undefined) {
      out.actions.push(createAction(want));
      continue;
    }
    const size = sizeActionAndErrors(want, have, input.capabilities);
    if (size.action) sizeActions.push(size.action);
    out.errors.push(...size.errors);
    const config = configActionAndProblems(want, have, input.ignoredConfigPrefixes);
    if (config.action) configActions.push(config.action);
    out.errors.push(...config.errors);
    out.warnings.push(...config.warnings);
  }
  out.actions.push(...sizeActions, ...configActions);

  for (const name of liveNames) {
    if (desiredByName.has(name) || isInternalTopic(name, liveByName.get(name))) continue;
    const resource = topicResource(name);
    if (!input.topicPrefixes.some((p) => name.startsWith(p))) {
      out.unmanaged.push(resource);
    } else if (input.allowDelete) {
      out.actions.push({ phase: PHASES.deleteTopics, action: 'delete', resource, changes: [], patch: deletePatch() });
    } else {
      out.heldBack.push({ resource, reason: 'deleting a topic needs --allow-delete' });
    }
  }
  return out;
}
