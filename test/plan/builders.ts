// Small fixture builders for planner tests: each takes only what a case cares about.
import type {
  AclBinding,
  DesiredAcl,
  DesiredState,
  DesiredTopic,
  LiveConfig,
  LiveState,
  LiveTopic,
  Scope,
  TargetCapabilities,
} from '../../src/model.js';
import type { PlanOptions } from '../../src/plan/index.js';

const SOURCE = { file: 'test.yaml', line: 1, column: 1, path: '' };

/** A desired topic with sensible defaults. */
export function topic(name: string, over: Partial<Omit<DesiredTopic, 'name'>> = {}): DesiredTopic {
  return { name, partitions: 3, replicationFactor: 3, config: {}, source: SOURCE, ...over };
}

/** A live config entry set on the topic itself. */
export function onTopic(value: string, over: Partial<LiveConfig> = {}): LiveConfig {
  return { value, setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: false, ...over };
}

/** A live config entry inherited from the broker defaults. */
export function inherited(value: string, over: Partial<LiveConfig> = {}): LiveConfig {
  return { value, setOnTopic: false, source: 'DEFAULT_CONFIG', readOnly: false, sensitive: false, ...over };
}

/** A live topic with sensible defaults. */
export function liveTopic(name: string, over: Partial<Omit<LiveTopic, 'name'>> = {}): LiveTopic {
  return { name, partitions: 3, replicationFactor: 3, internal: false, configs: {}, ...over };
}

/** An ACL binding: LITERAL, host `*`, ALLOW unless told otherwise. */
export function acl(principal: string, operation: AclBinding['operation'], resourceName: string, over: Partial<AclBinding> = {}): AclBinding {
  return { principal, host: '*', resourceType: 'TOPIC', resourceName, patternType: 'LITERAL', operation, permission: 'ALLOW', ...over };
}

/** The same binding as a desired ACL (with a manifest location). */
export function desiredAcl(binding: AclBinding): DesiredAcl {
  return { ...binding, source: SOURCE };
}

/** A desired state; scope defaults to nothing beyond what is declared. */
export function desired(over: { topics?: DesiredTopic[]; acls?: AclBinding[] } & Partial<Scope> = {}): DesiredState {
  return {
    topics: over.topics ?? [],
    acls: (over.acls ?? []).map(desiredAcl),
    scope: {
      topicPrefixes: over.topicPrefixes ?? [],
      groupPrefixes: over.groupPrefixes ?? [],
      transactionalIdPrefixes: over.transactionalIdPrefixes ?? [],
      cluster: over.cluster ?? false,
      principals: over.principals ?? [],
    },
  };
}

/** A live state. */
export function live(over: Partial<LiveState> = {}): LiveState {
  return { clusterId: 'test-cluster', topics: [], acls: [], ...over };
}

/** Plain Kafka capabilities. */
export const KAFKA: TargetCapabilities = {
  dryRun: false,
  replicationFactorChange: false,
  principalsMustExist: false,
  managedConfigPrefixes: [],
};

/** Planner options for a test cluster. */
export function options(over: Partial<PlanOptions> = {}): PlanOptions {
  return { cluster: { name: 'test', type: 'snapshot' }, capabilities: KAFKA, ...over };
}
