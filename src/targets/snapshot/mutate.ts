/**
 * Carries out one plan action on an in-memory live state, the way a Kafka cluster would. The
 * snapshot target applies plans with it; property tests use it as the model of a cluster.
 */
import type { AclBinding, LiveConfig, LiveState, LiveTopic, PlanAction, PlanChange, TargetCapabilities } from '../../model.js';
import { compareAcls } from '../../plan/index.js';
import { compareStrings } from '../../plan/order.js';
import { sameAcl } from './file.js';

/** An action the live state cannot take as it is (the reason is one sentence). */
export class MutationRefused extends Error {
  override readonly name = 'MutationRefused';
}

/**
 * Applies `action` to `live` in place. Deleting what is already gone and creating an ACL that
 * already exists succeed, so that re-running an interrupted apply converges.
 */
export function applyAction(live: LiveState, action: PlanAction, capabilities: TargetCapabilities): void {
  const resource = action.resource;
  if (resource.kind === 'acl') {
    const binding: AclBinding = {
      principal: resource.principal,
      host: resource.host,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      patternType: resource.patternType,
      operation: resource.operation,
      permission: resource.permission,
    };
    const index = live.acls.findIndex((a) => sameAcl(a, binding));
    if (action.action === 'create') {
      if (capabilities.principalsMustExist && !(live.principals ?? []).includes(binding.principal)) {
        throw new MutationRefused(`principal ${binding.principal} does not exist on the cluster`);
      }
      if (index < 0) {
        live.acls.push(binding);
        live.acls.sort(compareAcls);
      }
    } else if (action.action === 'delete') {
      if (index >= 0) live.acls.splice(index, 1);
    } else {
      throw new MutationRefused('an ACL binding cannot be updated, only created or deleted');
    }
    return;
  }

  const index = live.topics.findIndex((t) => t.name === resource.name);
  const existing = index >= 0 ? live.topics[index] : undefined;
  if (existing?.internal) throw new MutationRefused(`topic ${resource.name} is internal and is never changed`);
  switch (action.action) {
    case 'create': {
      if (existing) throw new MutationRefused(`topic ${resource.name} already exists`);
      const topic: LiveTopic = {
        name: resource.name,
        partitions: intChange(action.changes, 'partitions'),
        replicationFactor: intChange(action.changes, 'replicationFactor'),
        internal: false,
        configs: {},
      };
      for (const change of action.changes) {
        const key = configKey(change);
        if (key === undefined) continue;
        const value = configValue(change, key);
        if (value === null) throw new MutationRefused(`config ${key} of a new topic cannot be reset`);
        topic.configs[key] = { value, setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: false };
      }
      topic.configs = sortedConfigs(topic.configs);
      live.topics.push(topic);
      live.topics.sort((a, b) => compareStrings(a.name, b.name));
      return;
    }
    case 'update': {
      if (!existing) throw new MutationRefused(`topic ${resource.name} does not exist`);
      for (const change of action.changes) updateTopic(existing, change, capabilities);
      existing.configs = sortedConfigs(existing.configs);
      return;
    }
    case 'delete': {
      if (existing) live.topics.splice(index, 1);
      return;
    }
  }
}

function updateTopic(topic: LiveTopic, change: PlanChange, capabilities: TargetCapabilities): void {
  if (change.field === 'partitions') {
    const to = intChange([change], 'partitions');
    if (to < topic.partitions) {
      throw new MutationRefused(`partitions of ${topic.name} cannot go down from ${topic.partitions} to ${to}`);
    }
    topic.partitions = to;
    return;
  }
  if (change.field === 'replicationFactor') {
    if (!capabilities.replicationFactorChange) {
      throw new MutationRefused(`this cluster cannot change the replication factor of ${topic.name}`);
    }
    topic.replicationFactor = intChange([change], 'replicationFactor');
    return;
  }
  const key = configKey(change);
  if (key === undefined) throw new MutationRefused(`unknown field ${change.field} in a topic update`);
  const current = topic.configs[key];
  if (current?.readOnly) throw new MutationRefused(`config ${key} is read-only`);
  const value = configValue(change, key);
  // What a reset falls back to: recorded by the reader, or the current value when it is inherited.
  const inherited = current?.inheritedValue !== undefined ? current.inheritedValue : current && !current.setOnTopic ? current.value : undefined;
  if (value === null) {
    if (inherited === undefined) {
      delete topic.configs[key];
    } else {
      topic.configs[key] = {
        value: inherited,
        setOnTopic: false,
        source: current && !current.setOnTopic ? current.source : 'DEFAULT_CONFIG',
        inheritedValue: inherited,
        readOnly: false,
        sensitive: current?.sensitive ?? false,
      };
    }
    return;
  }
  const entry: LiveConfig = {
    value,
    setOnTopic: true,
    source: 'DYNAMIC_TOPIC_CONFIG',
    readOnly: false,
    sensitive: current?.sensitive ?? false,
  };
  if (inherited !== undefined) entry.inheritedValue = inherited;
  topic.configs[key] = entry;
}

function configKey(change: PlanChange): string | undefined {
  return change.field.startsWith('config.') ? change.field.slice('config.'.length) : undefined;
}

function configValue(change: PlanChange, key: string): string | null {
  const to = change.to;
  // A reset needs no value, so a sensitive key the manifests no longer name can still be reset
  // (as REST v3 does); only setting a redacted value is impossible.
  if (to === null) return null;
  if (change.sensitive) {
    throw new MutationRefused(`config ${key} is sensitive; its value is redacted in the plan and cannot be written`);
  }
  if (typeof to === 'string') return to;
  if (typeof to === 'number' || typeof to === 'boolean') return String(to);
  throw new MutationRefused(`config ${key} has a value that is not a scalar`);
}

function intChange(changes: readonly PlanChange[], field: 'partitions' | 'replicationFactor'): number {
  const change = changes.find((c) => c.field === field);
  const to = change?.to;
  if (typeof to !== 'number' || !Number.isInteger(to) || to < 1) {
    throw new MutationRefused(`the plan gives no valid ${field === 'partitions' ? 'partition count' : 'replication factor'}`);
  }
  return to;
}

function sortedConfigs(configs: Record<string, LiveConfig>): Record<string, LiveConfig> {
  return Object.fromEntries(Object.keys(configs).sort(compareStrings).map((k) => [k, configs[k]!]));
}
