// The role table, one case per role: the exact set of bindings an entry expands to, each with the
// parameter that produced it. A binding added to or dropped from a role fails its case.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, expandRole } from '../../src/manifest/roles.js';
import { ACL_ROLES, type WrittenAclRole } from '../../src/manifest/written.js';

function expand(entry: WrittenAclRole): string[] {
  return expandRole(entry)
    .map((b) => `${b.permission} ${b.principal}@${b.host} ${b.resourceType}:${b.patternType}:${b.resourceName} ${b.operation} <${b.path}>`)
    .sort();
}

interface Case {
  entry: WrittenAclRole;
  bindings: string[];
}

const CASES: Record<string, Case> = {
  consumer: {
    entry: { principal: 'User:c', role: 'consumer', topics: ['orders.*'], groups: ['billing'] },
    bindings: [
      'ALLOW User:c@* GROUP:LITERAL:billing READ </groups/0>',
      'ALLOW User:c@* TOPIC:PREFIXED:orders. DESCRIBE </topics/0>',
      'ALLOW User:c@* TOPIC:PREFIXED:orders. READ </topics/0>',
    ],
  },
  producer: {
    entry: { principal: 'User:p', role: 'producer', topics: ['orders'] },
    bindings: ['ALLOW User:p@* TOPIC:LITERAL:orders DESCRIBE </topics/0>', 'ALLOW User:p@* TOPIC:LITERAL:orders WRITE </topics/0>'],
  },
  admin: {
    entry: { principal: 'User:a', role: 'admin', topics: ['*'], groups: ['ops-*'] },
    bindings: ['ALLOW User:a@* GROUP:PREFIXED:ops- ALL </groups/0>', 'ALLOW User:a@* TOPIC:LITERAL:* ALL </topics/0>'],
  },
  'idempotent-producer (Kafka 2.8 and later: WRITE on the topic suffices)': {
    entry: { principal: 'User:i', role: 'idempotent-producer', topics: ['events'] },
    bindings: ['ALLOW User:i@* TOPIC:LITERAL:events DESCRIBE </topics/0>', 'ALLOW User:i@* TOPIC:LITERAL:events WRITE </topics/0>'],
  },
  'idempotent-producer for brokers before 2.8': {
    entry: { principal: 'User:i', role: 'idempotent-producer', topics: ['events'], clusterIdempotentWrite: true },
    bindings: [
      'ALLOW User:i@* CLUSTER:LITERAL:kafka-cluster IDEMPOTENT_WRITE </clusterIdempotentWrite>',
      'ALLOW User:i@* TOPIC:LITERAL:events DESCRIBE </topics/0>',
      'ALLOW User:i@* TOPIC:LITERAL:events WRITE </topics/0>',
    ],
  },
  'transactional-producer': {
    entry: { principal: 'User:t', role: 'transactional-producer', topics: ['payments.*'], transactionalIds: ['payments-tx-*', 'audit-tx'] },
    bindings: [
      'ALLOW User:t@* TOPIC:PREFIXED:payments. DESCRIBE </topics/0>',
      'ALLOW User:t@* TOPIC:PREFIXED:payments. WRITE </topics/0>',
      'ALLOW User:t@* TRANSACTIONAL_ID:LITERAL:audit-tx DESCRIBE </transactionalIds/1>',
      'ALLOW User:t@* TRANSACTIONAL_ID:LITERAL:audit-tx WRITE </transactionalIds/1>',
      'ALLOW User:t@* TRANSACTIONAL_ID:PREFIXED:payments-tx- DESCRIBE </transactionalIds/0>',
      'ALLOW User:t@* TRANSACTIONAL_ID:PREFIXED:payments-tx- WRITE </transactionalIds/0>',
    ],
  },
  'streams (at least once)': {
    entry: { principal: 'User:s', role: 'streams', applicationId: 'enricher', inputs: ['events'], outputs: ['enriched'] },
    bindings: [
      'ALLOW User:s@* GROUP:LITERAL:enricher READ </applicationId>',
      'ALLOW User:s@* TOPIC:LITERAL:enriched DESCRIBE </outputs/0>',
      'ALLOW User:s@* TOPIC:LITERAL:enriched WRITE </outputs/0>',
      'ALLOW User:s@* TOPIC:LITERAL:events DESCRIBE </inputs/0>',
      'ALLOW User:s@* TOPIC:LITERAL:events READ </inputs/0>',
      'ALLOW User:s@* TOPIC:PREFIXED:enricher- CREATE </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:enricher- DELETE </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:enricher- DESCRIBE </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:enricher- READ </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:enricher- WRITE </applicationId>',
    ],
  },
  'streams (exactly once), a topic both read and written described once': {
    entry: { principal: 'User:s', role: 'streams', applicationId: 'dedup', inputs: ['events'], outputs: ['events'], exactlyOnce: true },
    bindings: [
      'ALLOW User:s@* GROUP:LITERAL:dedup READ </applicationId>',
      'ALLOW User:s@* TOPIC:LITERAL:events DESCRIBE </inputs/0>',
      'ALLOW User:s@* TOPIC:LITERAL:events READ </inputs/0>',
      'ALLOW User:s@* TOPIC:LITERAL:events WRITE </outputs/0>',
      'ALLOW User:s@* TOPIC:PREFIXED:dedup- CREATE </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:dedup- DELETE </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:dedup- DESCRIBE </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:dedup- READ </applicationId>',
      'ALLOW User:s@* TOPIC:PREFIXED:dedup- WRITE </applicationId>',
      'ALLOW User:s@* TRANSACTIONAL_ID:PREFIXED:dedup- DESCRIBE </applicationId>',
      'ALLOW User:s@* TRANSACTIONAL_ID:PREFIXED:dedup- WRITE </applicationId>',
    ],
  },
  'connect-worker (topics declared in the manifests, no connectors)': {
    entry: { principal: 'User:w', role: 'connect-worker', groupId: 'cc', configTopic: 'cc-configs', offsetTopic: 'cc-offsets', statusTopic: 'cc-status' },
    bindings: [
      'ALLOW User:w@* GROUP:LITERAL:cc READ </groupId>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs DESCRIBE </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs READ </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs WRITE </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets DESCRIBE </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets READ </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets WRITE </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status DESCRIBE </statusTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status READ </statusTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status WRITE </statusTopic>',
    ],
  },
  'connect-worker creating its topics, with connectors and exactly-once source': {
    entry: {
      principal: 'User:w',
      role: 'connect-worker',
      groupId: 'cc',
      configTopic: 'cc-configs',
      offsetTopic: 'cc-offsets',
      statusTopic: 'cc-status',
      createTopics: true,
      inputs: ['events'],
      outputs: ['db.*'],
      sinkConnectors: ['s3'],
      sourceConnectors: ['jdbc'],
      exactlyOnce: true,
      clusterIdempotentWrite: true,
    },
    bindings: [
      'ALLOW User:w@* CLUSTER:LITERAL:kafka-cluster IDEMPOTENT_WRITE </clusterIdempotentWrite>',
      'ALLOW User:w@* GROUP:LITERAL:cc READ </groupId>',
      'ALLOW User:w@* GROUP:LITERAL:connect-s3 READ </sinkConnectors/0>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs CREATE </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs DESCRIBE </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs READ </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-configs WRITE </configTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets CREATE </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets DESCRIBE </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets READ </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-offsets WRITE </offsetTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status CREATE </statusTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status DESCRIBE </statusTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status READ </statusTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:cc-status WRITE </statusTopic>',
      'ALLOW User:w@* TOPIC:LITERAL:events DESCRIBE </inputs/0>',
      'ALLOW User:w@* TOPIC:LITERAL:events READ </inputs/0>',
      'ALLOW User:w@* TOPIC:PREFIXED:db. DESCRIBE </outputs/0>',
      'ALLOW User:w@* TOPIC:PREFIXED:db. WRITE </outputs/0>',
      'ALLOW User:w@* TRANSACTIONAL_ID:LITERAL:connect-cluster-cc DESCRIBE </groupId>',
      'ALLOW User:w@* TRANSACTIONAL_ID:LITERAL:connect-cluster-cc WRITE </groupId>',
      'ALLOW User:w@* TRANSACTIONAL_ID:PREFIXED:cc-jdbc- DESCRIBE </sourceConnectors/0>',
      'ALLOW User:w@* TRANSACTIONAL_ID:PREFIXED:cc-jdbc- WRITE </sourceConnectors/0>',
    ],
  },
};

describe('ACL role table', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: exactly these bindings`, () => assert.deepEqual(expand(c.entry), c.bindings));
  }

  it('has a case for every role, and every grant names the documentation behind it', () => {
    const covered = new Set(Object.values(CASES).map((c) => c.entry.role));
    assert.deepEqual([...covered].sort(), [...ACL_ROLES].sort());
    for (const role of ACL_ROLES) for (const grant of ROLES[role].grants) assert.ok(grant.source.length > 0, `${role}: ${grant.resourceType}`);
  });

  it('carries host and permission to every binding', () => {
    const bindings = expandRole({ principal: 'User:t', role: 'transactional-producer', topics: ['t'], transactionalIds: ['x'], host: '10.0.0.1', permission: 'DENY' });
    assert.equal(bindings.length, 4);
    for (const b of bindings) assert.deepEqual([b.host, b.permission], ['10.0.0.1', 'DENY']);
  });
});
