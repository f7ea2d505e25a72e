import type { AclBinding, AclOperation, ResourceType } from '../model.js';

/** Operations Kafka defines for each resource type (ALL applies to every type). */
const OPERATIONS: Record<ResourceType, readonly AclOperation[]> = {
  TOPIC: ['READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  GROUP: ['READ', 'DESCRIBE', 'DELETE'],
  CLUSTER: ['CREATE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'],
  TRANSACTIONAL_ID: ['WRITE', 'DESCRIBE'],
  DELEGATION_TOKEN: ['DESCRIBE'],
};

/**
 * Why Kafka would refuse or never use this binding, or undefined when it is well formed. ACL
 * creates have no server-side dry run, so preflight checks these locally.
 */
export function aclProblem(b: AclBinding): string | undefined {
  const colon = b.principal.indexOf(':');
  if (colon <= 0 || colon === b.principal.length - 1) {
    return `principal "${b.principal}" must have the form Type:name (e.g. User:alice)`;
  }
  if (b.host === '') return 'host must not be empty ("*" means any host)';
  if (b.resourceName === '') return 'resource name must not be empty';
  if (b.resourceType === 'CLUSTER' && b.resourceName !== 'kafka-cluster') {
    return 'the only valid name for the CLUSTER resource is kafka-cluster';
  }
  if (b.patternType === 'PREFIXED' && b.resourceName === '*') return 'the wildcard "*" only exists as a LITERAL name';
  if (b.operation !== 'ALL' && !OPERATIONS[b.resourceType].includes(b.operation)) {
    return `operation ${b.operation} does not apply to ${b.resourceType} resources (valid: ALL, ${OPERATIONS[b.resourceType].join(', ')})`;
  }
  return undefined;
}
