/**
 * The oracle of the convergence properties: a small model of a Kafka cluster and an executor that
 * carries out a plan's actions on it the way a strict cluster would.
 *
 * Deliberately written apart from the snapshot target's `applyAction` (src/targets/snapshot/mutate.ts):
 * the properties compare the planner against this model, so it must not share the code under test.
 * It is stricter than any target: every action is checked against the current state (a create of
 * something that exists, an update whose `from` is not the current value, a reset of a key not set
 * on the topic, any touch of an internal topic all throw `ModelRefusal`), because a correct plan
 * computed from the current state never asks for those.
 *
 * The cluster holds broker-level defaults and per-topic overrides; `observe` turns it into the
 * `LiveState` a target would report, either every key (Confluent-like) or only the keys set on the
 * topic (snapshot-like), with or without the inherited value of each key.
 */
import type { AclBinding, LiveConfig, LiveState, LiveTopic, Plan, PlanAction, PlanChange, TargetCapabilities } from '../../src/model.js';
import { canonicalConfigValue } from '../../src/kafka/configs.js';

/** What a model topic is. Overrides hold values as they were written (raw server spellings). */
export interface ModelTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  internal: boolean;
  /** Topic-level overrides (DYNAMIC_TOPIC_CONFIG), key → raw value. */
  overrides: Record<string, string>;
  /** Keys the cluster refuses to change on this topic. */
  readOnly: string[];
  /** Keys whose values the cluster hides. */
  sensitive: string[];
}

/** A model cluster: broker defaults, topics, ACL bindings, and (for some kinds) existing principals. */
export interface ModelCluster {
  clusterId: string;
  /** Broker-level default of each key the cluster knows, raw value. */
  defaults: Record<string, string>;
  topics: ModelTopic[];
  acls: AclBinding[];
  /** Present when ACLs may only name existing principals. */
  principals?: string[];
}

/** How a target reports the model's configs. */
export interface Observation {
  /**
   * `all`: every key the broker knows plus overrides (Confluent); `overrides`: only keys set on the
   * topic, and keys carrying a read-only or sensitive flag.
   */
  keys: 'all' | 'overrides';
  /** Whether each entry carries `inheritedValue` (what a reset falls back to). */
  inheritedValues: boolean;
}

/** An action a strict cluster (or a correct planner) would never ask for. */
export class ModelRefusal extends Error {
  override readonly name = 'ModelRefusal';
}

const REDACTED_MARK = '(sensitive)';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bindingKey(b: AclBinding): string {
  return JSON.stringify([b.principal, b.host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission]);
}

/** A deep copy, so executing a plan never changes the cluster it started from. */
export function cloneCluster(c: ModelCluster): ModelCluster {
  return {
    clusterId: c.clusterId,
    defaults: { ...c.defaults },
    topics: c.topics.map((t) => ({ ...t, overrides: { ...t.overrides }, readOnly: [...t.readOnly], sensitive: [...t.sensitive] })),
    acls: c.acls.map((a) => ({ ...a })),
    ...(c.principals ? { principals: [...c.principals] } : {}),
  };
}

/** True for topics kafkaform must never touch. */
export function isProtected(t: Pick<ModelTopic, 'name' | 'internal'>): boolean {
  return t.internal || t.name.startsWith('_');
}

function observedConfig(topic: ModelTopic, cluster: ModelCluster, key: string, obs: Observation): LiveConfig {
  const sensitive = topic.sensitive.includes(key);
  const override = topic.overrides[key];
  const fallback = cluster.defaults[key];
  const show = (raw: string | undefined): string | null => (raw === undefined || sensitive ? null : canonicalConfigValue(key, raw));
  const entry: LiveConfig = {
    value: show(override ?? fallback),
    setOnTopic: override !== undefined,
    source: override !== undefined ? 'DYNAMIC_TOPIC_CONFIG' : 'DEFAULT_CONFIG',
    readOnly: topic.readOnly.includes(key),
    sensitive,
  };
  if (obs.inheritedValues) entry.inheritedValue = show(fallback);
  return entry;
}

/** The live state a target would read from the model, sorted as targets must sort it. */
export function observe(cluster: ModelCluster, obs: Observation): LiveState {
  const topics: LiveTopic[] = [...cluster.topics]
    .sort((a, b) => cmp(a.name, b.name))
    .map((t) => {
      // Flags only reach the planner on reported keys, so even an overrides-only target reports
      // the read-only and sensitive ones (as a snapshot file records them).
      const keys = new Set([...Object.keys(t.overrides), ...t.readOnly, ...t.sensitive]);
      if (obs.keys === 'all') for (const k of Object.keys(cluster.defaults)) keys.add(k);
      const configs: Record<string, LiveConfig> = {};
      for (const key of [...keys].sort(cmp)) configs[key] = observedConfig(t, cluster, key, obs);
      return { name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, internal: t.internal, configs };
    });
  const acls = [...cluster.acls].sort((a, b) => cmp(bindingKey(a), bindingKey(b))).map((a) => ({ ...a }));
  return {
    clusterId: cluster.clusterId,
    topics,
    acls,
    ...(cluster.principals ? { principals: [...cluster.principals].sort(cmp) } : {}),
  };
}

function configKeyOf(change: PlanChange): string {
  if (!change.field.startsWith('config.')) throw new ModelRefusal(`unexpected field ${change.field}`);
  return change.field.slice('config.'.length);
}

function scalar(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ModelRefusal(`${what}: expected a string value, got ${JSON.stringify(value)}`);
  return value;
}

function positiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ModelRefusal(`${what}: not a positive integer`);
  return value;
}

function currentValue(cluster: ModelCluster, topic: ModelTopic, key: string): string | null {
  const raw = topic.overrides[key] ?? cluster.defaults[key];
  return raw === undefined ? null : canonicalConfigValue(key, raw);
}

function applyTopicUpdate(cluster: ModelCluster, topic: ModelTopic, change: PlanChange, caps: TargetCapabilities): void {
  const where = `update ${topic.name} ${change.field}`;
  if (change.field === 'partitions') {
    if (change.from !== topic.partitions) throw new ModelRefusal(`${where}: from ${String(change.from)} but the topic has ${topic.partitions}`);
    const to = positiveInt(change.to, where);
    if (to <= topic.partitions) throw new ModelRefusal(`${where}: partitions only grow`);
    topic.partitions = to;
    return;
  }
  if (change.field === 'replicationFactor') {
    if (!caps.replicationFactorChange) throw new ModelRefusal(`${where}: this cluster cannot change replication factors`);
    if (change.from !== topic.replicationFactor) throw new ModelRefusal(`${where}: stale from`);
    topic.replicationFactor = positiveInt(change.to, where);
    return;
  }
  const key = configKeyOf(change);
  if (topic.readOnly.includes(key)) throw new ModelRefusal(`${where}: read-only`);
  const sensitive = topic.sensitive.includes(key);
  if (sensitive !== (change.sensitive === true)) throw new ModelRefusal(`${where}: sensitivity mismatch`);
  const current = currentValue(cluster, topic, key);
  const expectedFrom = sensitive && current !== null ? REDACTED_MARK : current;
  // A sensitive value is hidden from the planner (value null), and a target that reports only the
  // keys set on a topic shows an inherited key as absent: then the plan says null.
  const unseen = sensitive || topic.overrides[key] === undefined;
  if (!(change.from === expectedFrom || (unseen && change.from === null))) {
    throw new ModelRefusal(`${where}: from ${JSON.stringify(change.from)} but the cluster has ${JSON.stringify(expectedFrom)}`);
  }
  if (change.to === null) {
    if (topic.overrides[key] === undefined) throw new ModelRefusal(`${where}: reset of a key not set on the topic`);
    delete topic.overrides[key];
    return;
  }
  if (sensitive) throw new ModelRefusal(`${where}: a redacted value cannot be written`);
  topic.overrides[key] = scalar(change.to, where);
}

/** Carries out one action on the model (in place). */
export function applyModelAction(cluster: ModelCluster, action: PlanAction, caps: TargetCapabilities): void {
  const r = action.resource;
  if (r.kind === 'acl') {
    const binding: AclBinding = {
      principal: r.principal,
      host: r.host,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      patternType: r.patternType,
      operation: r.operation,
      permission: r.permission,
    };
    const key = bindingKey(binding);
    const index = cluster.acls.findIndex((a) => bindingKey(a) === key);
    if (action.action === 'create') {
      if (action.phase !== 4) throw new ModelRefusal(`ACL create in phase ${action.phase}`);
      if (index >= 0) throw new ModelRefusal(`ACL ${key} already exists`);
      if (caps.principalsMustExist && cluster.principals && !cluster.principals.includes(binding.principal)) {
        throw new ModelRefusal(`principal ${binding.principal} does not exist`);
      }
      cluster.acls.push(binding);
    } else if (action.action === 'delete') {
      if (action.phase !== 5) throw new ModelRefusal(`ACL delete in phase ${action.phase}`);
      if (index < 0) throw new ModelRefusal(`ACL ${key} does not exist`);
      cluster.acls.splice(index, 1);
    } else {
      throw new ModelRefusal('ACL bindings are never updated');
    }
    return;
  }

  const index = cluster.topics.findIndex((t) => t.name === r.name);
  const topic = index >= 0 ? cluster.topics[index] : undefined;
  if (r.name.startsWith('_') || topic?.internal) throw new ModelRefusal(`internal topic ${r.name} touched`);
  if (action.action === 'create') {
    if (action.phase !== 1) throw new ModelRefusal(`topic create in phase ${action.phase}`);
    if (topic) throw new ModelRefusal(`topic ${r.name} already exists`);
    const created: ModelTopic = { name: r.name, partitions: 0, replicationFactor: 0, internal: false, overrides: {}, readOnly: [], sensitive: [] };
    for (const change of action.changes) {
      if (change.from !== null) throw new ModelRefusal(`create ${r.name}: ${change.field} has a from`);
      if (change.field === 'partitions') created.partitions = positiveInt(change.to, `create ${r.name} partitions`);
      else if (change.field === 'replicationFactor') created.replicationFactor = positiveInt(change.to, `create ${r.name} rf`);
      else created.overrides[configKeyOf(change)] = scalar(change.to, `create ${r.name} ${change.field}`);
    }
    if (created.partitions === 0 || created.replicationFactor === 0) throw new ModelRefusal(`create ${r.name}: missing size`);
    cluster.topics.push(created);
    return;
  }
  if (!topic) throw new ModelRefusal(`topic ${r.name} does not exist`);
  if (action.action === 'delete') {
    if (action.phase !== 6) throw new ModelRefusal(`topic delete in phase ${action.phase}`);
    cluster.topics.splice(index, 1);
    return;
  }
  const sizeFields = action.changes.every((c) => c.field === 'partitions' || c.field === 'replicationFactor');
  const configFields = action.changes.every((c) => c.field.startsWith('config.'));
  if (action.changes.length === 0) throw new ModelRefusal(`update ${r.name} without changes`);
  if ((action.phase === 2 && !sizeFields) || (action.phase === 3 && !configFields) || (action.phase !== 2 && action.phase !== 3)) {
    throw new ModelRefusal(`update ${r.name} in phase ${action.phase} with fields ${action.changes.map((c) => c.field).join(',')}`);
  }
  for (const change of action.changes) applyTopicUpdate(cluster, topic, change, caps);
}

/**
 * Executes a whole plan on a copy of the cluster, phase by phase as the executor does (refusing a
 * plan whose actions are out of phase order), and returns the new cluster.
 */
export function executeModelPlan(cluster: ModelCluster, plan: Plan, caps: TargetCapabilities): ModelCluster {
  const next = cloneCluster(cluster);
  let phase = 0;
  for (const action of plan.actions) {
    if (action.phase < phase) throw new ModelRefusal(`action in phase ${action.phase} after phase ${phase}`);
    phase = action.phase;
    applyModelAction(next, action, caps);
  }
  return next;
}
