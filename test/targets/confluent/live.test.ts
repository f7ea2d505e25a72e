import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configEntryReducer, groupConfigs, toBinding, toLiveConfig, toLiveState } from '../../../src/targets/confluent/live.js';
import type { V3Acl, V3TopicConfig } from '../../../src/targets/confluent/wire.js';
import { aclProblem } from '../../../src/kafka/acl-rules.js';

function entry(over: Partial<V3TopicConfig>): V3TopicConfig {
  return {
    topic_name: 't',
    name: 'retention.ms',
    value: '604800000',
    is_default: true,
    is_read_only: false,
    is_sensitive: false,
    source: 'DEFAULT_CONFIG',
    synonyms: [{ name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' }],
    ...over,
  };
}

test('config entries: topic level vs inherited, the next synonym, Kafka unit quirks', () => {
  const cases: Array<[string, Partial<V3TopicConfig>, Record<string, unknown>]> = [
    ['inherited default', {}, { value: '604800000', setOnTopic: false, source: 'DEFAULT_CONFIG', inheritedValue: '604800000' }],
    [
      'set on the topic, default in hours',
      { value: '1000', is_default: false, source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [{ name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG' }, { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' }] },
      { value: '1000', setOnTopic: true, inheritedValue: '604800000' },
    ],
    [
      'minutes',
      { name: 'retention.ms', value: '1', source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [{ name: 'retention.ms', value: '1', source: 'DYNAMIC_TOPIC_CONFIG' }, { name: 'log.retention.minutes', value: '30', source: 'STATIC_BROKER_CONFIG' }] },
      { inheritedValue: '1800000' },
    ],
    [
      'a dynamic broker default wins over the static one',
      {
        name: 'segment.bytes',
        value: '1048576',
        source: 'DYNAMIC_TOPIC_CONFIG',
        synonyms: [
          { name: 'segment.bytes', value: '1048576', source: 'DYNAMIC_TOPIC_CONFIG' },
          { name: 'log.segment.bytes', value: '52428800', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
          { name: 'log.segment.bytes', value: '104857600', source: 'STATIC_BROKER_CONFIG' },
        ],
      },
      { inheritedValue: '52428800' },
    ],
    ['no synonym below the topic: unknown', { source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [] }, { setOnTopic: true, inheritedValue: undefined }],
    ['canonical list order', { name: 'cleanup.policy', value: 'delete,compact', source: 'DEFAULT_CONFIG', synonyms: [] }, { value: 'compact,delete' }],
    ['sensitive values never kept', { name: 'x.password', value: 'hunter2', is_sensitive: true, source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [{ name: 'x', value: 'y', source: 'DEFAULT_CONFIG' }] }, { value: null, inheritedValue: null, sensitive: true }],
    ['a source the model does not know', { source: 'DYNAMIC_CLUSTER_LINK_CONFIG', is_default: false }, { source: 'UNKNOWN', setOnTopic: false }],
    ['read-only', { is_read_only: true }, { readOnly: true }],
  ];
  for (const [name, over, expected] of cases) {
    const got = toLiveConfig(entry(over)) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(got[k], v, `${name}: ${k}`);
  }
});

test('identical inherited entries are shared between topics, topic-level ones are not', () => {
  const reduce = configEntryReducer();
  const grouped = groupConfigs([
    reduce(entry({ topic_name: 'a' })),
    reduce(entry({ topic_name: 'b' })),
    reduce(entry({ topic_name: 'a', name: 'segment.ms', value: '1', source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [] })),
    reduce(entry({ topic_name: 'b', name: 'segment.ms', value: '1', source: 'DYNAMIC_TOPIC_CONFIG', synonyms: [] })),
  ]);
  assert.equal(grouped.get('a')!['retention.ms'], grouped.get('b')!['retention.ms']);
  assert.ok(Object.isFrozen(grouped.get('a')!['retention.ms']));
  assert.notEqual(grouped.get('a')!['segment.ms'], grouped.get('b')!['segment.ms']);
});

test('inherited entries that differ in any field are not shared, and the reducer reads values as toLiveConfig does', () => {
  const reduce = configEntryReducer();
  const variants: Array<Partial<V3TopicConfig>> = [
    {},
    { value: '86400000' },
    { value: '1000' },
    { value: null },
    { source: 'STATIC_BROKER_CONFIG' },
    { source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
    { is_read_only: true },
    { is_sensitive: true },
    { name: 'segment.ms' },
  ];
  const first = variants.map((v, i) => reduce(entry({ ...v, topic_name: `a${i}` }))[2]);
  const again = variants.map((v, i) => reduce(entry({ ...v, topic_name: `b${i}` }))[2]);
  for (const [i, v] of variants.entries()) {
    assert.equal(again[i], first[i], `shared: ${JSON.stringify(v)}`);
    assert.deepEqual(first[i], toLiveConfig(entry(v)), `read: ${JSON.stringify(v)}`);
    for (const j of variants.keys()) if (j !== i) assert.notEqual(first[j], first[i], `${JSON.stringify(v)} vs ${JSON.stringify(variants[j])}`);
  }
});

test('live state: sorted topics and ACLs, duplicates dropped, unrepresentable ACLs reported', () => {
  const a = (over: Partial<V3Acl>): V3Acl => ({ resource_type: 'TOPIC', resource_name: 'x', pattern_type: 'LITERAL', principal: 'User:b', host: '*', operation: 'READ', permission: 'ALLOW', ...over });
  const skipped: V3Acl[] = [];
  const live = toLiveState(
    'c1',
    [
      { topic_name: 'z', is_internal: false, replication_factor: 3, partitions_count: 1 },
      { topic_name: 'a', is_internal: true, replication_factor: 3, partitions_count: 50 },
    ],
    new Map([['ghost', {}]]),
    [a({}), a({ principal: 'User:a' }), a({}), a({ pattern_type: 'MATCH' })],
    (x) => skipped.push(x),
  );
  assert.deepEqual(live.topics.map((t) => [t.name, t.internal, t.configs]), [
    ['a', true, {}],
    ['z', false, {}],
  ]);
  assert.deepEqual(live.acls.map((x) => x.principal), ['User:a', 'User:b']);
  assert.equal(skipped.length, 1);
  assert.equal(toBinding(a({ operation: 'UNKNOWN' })), undefined);
});

test('ACL bindings Kafka would refuse or never use are found before anything is sent', () => {
  const b = { principal: 'User:a', host: '*', resourceType: 'TOPIC', resourceName: 'x', patternType: 'LITERAL', operation: 'READ', permission: 'ALLOW' } as const;
  assert.equal(aclProblem(b), undefined);
  assert.equal(aclProblem({ ...b, resourceType: 'CLUSTER', resourceName: 'kafka-cluster', operation: 'IDEMPOTENT_WRITE' }), undefined);
  assert.match(aclProblem({ ...b, principal: 'alice' })!, /Type:name/);
  assert.match(aclProblem({ ...b, principal: 'User:' })!, /Type:name/);
  assert.match(aclProblem({ ...b, host: '' })!, /host/);
  assert.match(aclProblem({ ...b, resourceType: 'CLUSTER' })!, /kafka-cluster/);
  assert.match(aclProblem({ ...b, resourceType: 'GROUP', operation: 'WRITE' })!, /operation WRITE does not apply to GROUP/);
  assert.match(aclProblem({ ...b, resourceName: '*', patternType: 'PREFIXED' })!, /LITERAL/);
  assert.equal(aclProblem({ ...b, resourceType: 'GROUP', operation: 'ALL' }), undefined);
});
