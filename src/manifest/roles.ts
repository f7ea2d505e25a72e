/**
 * ACL roles as data: what each role grants, and the pure expansion of a role entry into bindings.
 * `kafkaform init` reads the same table to group live bindings back into roles, so the table is
 * the one place a role's bindings are defined.
 *
 * Every grant names the documentation that requires it. The authority for which operation each
 * request needs is Kafka's "Operations and Resources on Protocols" table
 * (https://kafka.apache.org/documentation/#operations_resources_and_protocols); READ, WRITE and
 * DELETE imply DESCRIBE there, and the roles still grant DESCRIBE beside them as `kafka-acls
 * --producer` and `--consumer` do (https://kafka.apache.org/documentation/#security_authz_cli).
 */
import type { AclBinding, AclOperation, PatternType, ResourceType } from '../model.js';
import type { AclRole, WrittenAclRole } from './written.js';

/** One resource a grant covers, with the parameter that names it (a JSON pointer inside the entry). */
export interface RoleResource {
  resourceName: string;
  patternType: PatternType;
  path: string;
}

/** One bundle of operations a role grants on the resources its parameters name. */
export interface RoleGrant {
  resourceType: ResourceType;
  operations: readonly AclOperation[];
  /** The resources, in the order the entry names them; none when the parameter is absent. */
  resources(entry: WrittenAclRole): RoleResource[];
  /** Why: the documentation that requires these operations. */
  source: string;
}

/** A role: its grants, in the order the plan's table in the README lists them. */
export interface RoleDefinition {
  grants: readonly RoleGrant[];
}

/** A binding a role entry expands to, with the parameter that produced it. */
export interface RoleBinding extends AclBinding {
  /** JSON pointer inside the entry (`/topics/0`, `/applicationId`). */
  path: string;
}

/** `orders.*` → PREFIXED `orders.`; `*` alone → LITERAL `*` (every resource); else LITERAL. */
export function rolePattern(name: string): { resourceName: string; patternType: PatternType } {
  if (name !== '*' && name.endsWith('*')) return { resourceName: name.slice(0, -1), patternType: 'PREFIXED' };
  return { resourceName: name, patternType: 'LITERAL' };
}

type ListField = 'topics' | 'groups' | 'transactionalIds' | 'inputs' | 'outputs' | 'sinkConnectors' | 'sourceConnectors';
type NameField = 'applicationId' | 'groupId' | 'configTopic' | 'offsetTopic' | 'statusTopic';
type FlagField = 'clusterIdempotentWrite' | 'exactlyOnce' | 'createTopics';

/** The names of a list parameter, a trailing `*` making a prefix. */
function patterns(field: ListField): (entry: WrittenAclRole) => RoleResource[] {
  return (entry) => (entry[field] ?? []).map((name, i) => ({ ...rolePattern(name), path: `/${field}/${i}` }));
}

/** A resource named after a single parameter (`<application.id>-` and the like). */
function derived(
  field: NameField,
  make: (value: string, entry: WrittenAclRole) => { resourceName: string; patternType: PatternType },
  when?: FlagField,
): (entry: WrittenAclRole) => RoleResource[] {
  return (entry) => {
    const value = entry[field];
    if (value === undefined || (when !== undefined && entry[when] !== true)) return [];
    return [{ ...make(value, entry), path: `/${field}` }];
  };
}

function literal(name: string): { resourceName: string; patternType: PatternType } {
  return { resourceName: name, patternType: 'LITERAL' };
}

function prefixed(name: string): { resourceName: string; patternType: PatternType } {
  return { resourceName: name, patternType: 'PREFIXED' };
}

/** The cluster resource, when a flag asks for it. */
function cluster(when: FlagField): (entry: WrittenAclRole) => RoleResource[] {
  return (entry) => (entry[when] === true ? [{ resourceName: 'kafka-cluster', patternType: 'LITERAL', path: `/${when}` }] : []);
}

/** Several single-name parameters, each a LITERAL resource, when `when` (if given) is true. */
function named(fields: readonly NameField[], when?: FlagField): (entry: WrittenAclRole) => RoleResource[] {
  return (entry) => {
    if (when !== undefined && entry[when] !== true) return [];
    return fields.flatMap((f) => (entry[f] === undefined ? [] : [{ ...literal(entry[f]), path: `/${f}` }]));
  };
}

const PROTOCOLS = 'https://kafka.apache.org/documentation/#operations_resources_and_protocols';
const KIP_679 =
  'https://kafka.apache.org/documentation/#upgrade_320_notable (KIP-679: brokers before 2.8 require IDEMPOTENT_WRITE on the cluster for idempotent producers; from 2.8 WRITE on a topic suffices)';
const STREAMS = 'https://kafka.apache.org/documentation/streams/developer-guide/security.html#required-acl-setting-for-secure-kafka-clusters';
const CONNECT = 'https://kafka.apache.org/documentation/#connect_running';
const CONNECT_EOS = 'https://kafka.apache.org/documentation/#connect_exactlyoncesource (ACL requirements)';

const READ_TOPICS = ['READ', 'DESCRIBE'] as const;
const WRITE_TOPICS = ['WRITE', 'DESCRIBE'] as const;
const TRANSACTIONS = ['WRITE', 'DESCRIBE'] as const;

/** Every role's grants. */
export const ROLES: Readonly<Record<AclRole, RoleDefinition>> = {
  consumer: {
    grants: [
      { resourceType: 'TOPIC', operations: READ_TOPICS, resources: patterns('topics'), source: `${PROTOCOLS} (FETCH, OFFSET_COMMIT: Read Topic); kafka-acls --consumer` },
      { resourceType: 'GROUP', operations: ['READ'], resources: patterns('groups'), source: `${PROTOCOLS} (JOIN_GROUP, OFFSET_COMMIT: Read Group)` },
    ],
  },
  producer: {
    grants: [{ resourceType: 'TOPIC', operations: WRITE_TOPICS, resources: patterns('topics'), source: `${PROTOCOLS} (PRODUCE: Write Topic); kafka-acls --producer` }],
  },
  admin: {
    grants: [
      { resourceType: 'TOPIC', operations: ['ALL'], resources: patterns('topics'), source: 'every topic operation' },
      { resourceType: 'GROUP', operations: ['ALL'], resources: patterns('groups'), source: 'every group operation' },
    ],
  },
  'idempotent-producer': {
    grants: [
      // INIT_PRODUCER_ID without a transactional id is allowed with WRITE on any topic since 2.8
      // (KafkaApis.handleInitProducerIdRequest); IDEMPOTENT_WRITE only for older brokers.
      { resourceType: 'TOPIC', operations: WRITE_TOPICS, resources: patterns('topics'), source: `${PROTOCOLS} (PRODUCE: Write Topic); ${KIP_679}` },
      { resourceType: 'CLUSTER', operations: ['IDEMPOTENT_WRITE'], resources: cluster('clusterIdempotentWrite'), source: KIP_679 },
    ],
  },
  'transactional-producer': {
    grants: [
      { resourceType: 'TOPIC', operations: WRITE_TOPICS, resources: patterns('topics'), source: `${PROTOCOLS} (PRODUCE, ADD_PARTITIONS_TO_TXN: Write Topic)` },
      // A transactional producer needs no IDEMPOTENT_WRITE, even before 2.8: INIT_PRODUCER_ID and
      // transactional PRODUCE check WRITE on the transactional id instead.
      {
        resourceType: 'TRANSACTIONAL_ID',
        operations: TRANSACTIONS,
        resources: patterns('transactionalIds'),
        source: `${PROTOCOLS} (FIND_COORDINATOR: Describe TransactionalId; INIT_PRODUCER_ID, PRODUCE, ADD_PARTITIONS_TO_TXN, END_TXN: Write TransactionalId); kafka-acls --producer --transactional-id`,
      },
    ],
  },
  streams: {
    grants: [
      { resourceType: 'TOPIC', operations: READ_TOPICS, resources: patterns('inputs'), source: `${STREAMS}; ${PROTOCOLS} (FETCH: Read Topic)` },
      { resourceType: 'TOPIC', operations: WRITE_TOPICS, resources: patterns('outputs'), source: `${STREAMS}; ${PROTOCOLS} (PRODUCE: Write Topic)` },
      // Internal topics are named `<application.id>-<operator>-(repartition|changelog)`. Streams
      // creates them (CREATE_TOPICS), reads and writes them, and purges consumed repartition
      // records (DELETE_RECORDS: Delete Topic). The Streams guide suggests ALL on the prefix; these
      // five are what those requests need.
      {
        resourceType: 'TOPIC',
        operations: ['CREATE', 'DELETE', 'DESCRIBE', 'READ', 'WRITE'],
        resources: derived('applicationId', (id) => prefixed(`${id}-`)),
        source: `${STREAMS}; ${PROTOCOLS} (CREATE_TOPICS: Create Topic; DELETE_RECORDS: Delete Topic)`,
      },
      { resourceType: 'GROUP', operations: ['READ'], resources: derived('applicationId', (id) => literal(id)), source: `${STREAMS} (the consumer group is the application id)` },
      // exactly_once_v2 producers use `<application.id>-<process id>-<thread>` transactional ids.
      {
        resourceType: 'TRANSACTIONAL_ID',
        operations: TRANSACTIONS,
        resources: derived('applicationId', (id) => prefixed(`${id}-`), 'exactlyOnce'),
        source: `${PROTOCOLS} (transactional producers: Write and Describe TransactionalId)`,
      },
    ],
  },
  'connect-worker': {
    grants: [
      { resourceType: 'GROUP', operations: ['READ'], resources: named(['groupId']), source: `${CONNECT} (group.id: the group the workers join)` },
      {
        resourceType: 'TOPIC',
        operations: ['DESCRIBE', 'READ', 'WRITE'],
        resources: named(['configTopic', 'offsetTopic', 'statusTopic']),
        source: `${CONNECT} (config.storage.topic, offset.storage.topic, status.storage.topic)`,
      },
      {
        resourceType: 'TOPIC',
        operations: ['CREATE'],
        resources: named(['configTopic', 'offsetTopic', 'statusTopic'], 'createTopics'),
        source: `${CONNECT} (the worker creates its topics when they do not exist); ${PROTOCOLS} (CREATE_TOPICS: Create Topic)`,
      },
      { resourceType: 'TOPIC', operations: READ_TOPICS, resources: patterns('inputs'), source: `${PROTOCOLS} (sink connectors consume: Read Topic)` },
      { resourceType: 'TOPIC', operations: WRITE_TOPICS, resources: patterns('outputs'), source: `${PROTOCOLS} (source connectors produce: Write Topic)` },
      {
        resourceType: 'GROUP',
        operations: ['READ'],
        resources: (entry) => (entry.sinkConnectors ?? []).map((name, i) => ({ ...literal(`connect-${name}`), path: `/sinkConnectors/${i}` })),
        source: "a sink connector's consumer group is connect-<name> (SinkUtils.consumerGroupId, https://github.com/apache/kafka/blob/trunk/connect/runtime/src/main/java/org/apache/kafka/connect/util/SinkUtils.java)",
      },
      {
        resourceType: 'TRANSACTIONAL_ID',
        operations: TRANSACTIONS,
        resources: derived('groupId', (g) => literal(`connect-cluster-${g}`), 'exactlyOnce'),
        source: `${CONNECT_EOS} (worker: connect-cluster-<group.id>)`,
      },
      {
        resourceType: 'TRANSACTIONAL_ID',
        operations: TRANSACTIONS,
        // Task ids are `<group.id>-<connector>-<task>`; the `-` keeps `orders` from matching `orders2`'s tasks.
        resources: (entry) =>
          entry.exactlyOnce === true && entry.groupId !== undefined
            ? (entry.sourceConnectors ?? []).map((name, i) => ({ ...prefixed(`${entry.groupId}-${name}-`), path: `/sourceConnectors/${i}` }))
            : [],
        source: `${CONNECT_EOS} (each source connector: <group.id>-<connector>-<task>)`,
      },
      { resourceType: 'CLUSTER', operations: ['IDEMPOTENT_WRITE'], resources: cluster('clusterIdempotentWrite'), source: `${CONNECT_EOS}; ${KIP_679}` },
    ],
  },
};

/**
 * The bindings a role entry stands for, each once (the first parameter naming it wins: an input
 * that is also an output is described once), in table order. Pure: no locations, no I/O.
 */
export function expandRole(entry: WrittenAclRole): RoleBinding[] {
  const host = entry.host ?? '*';
  const permission = entry.permission ?? 'ALLOW';
  const seen = new Set<string>();
  const out: RoleBinding[] = [];
  for (const grant of ROLES[entry.role].grants) {
    for (const resource of grant.resources(entry)) {
      for (const operation of grant.operations) {
        // Only the name is free text, and it comes last: no two bindings share a key.
        const key = `${grant.resourceType} ${resource.patternType} ${operation} ${resource.resourceName}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          principal: entry.principal,
          host,
          resourceType: grant.resourceType,
          resourceName: resource.resourceName,
          patternType: resource.patternType,
          operation,
          permission,
          path: resource.path,
        });
      }
    }
  }
  return out;
}
