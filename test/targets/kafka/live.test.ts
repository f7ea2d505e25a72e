// Wire → model mapping of the kafka target, on DescribeConfigs and DescribeAcls answers captured
// from Apache Kafka 4.4.0 (a broker with a static `log.retention.hours=72`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { describeAclsV3, describeConfigsV4 } from '@platformatic/kafka';
import { clusterInheritedValues, toBindings, toLiveConfig, toTopicConfigs, toWireAcl } from '../../../src/targets/kafka/live.js';
import { batches } from '../../../src/targets/kafka/batches.js';

type Entry = describeConfigsV4.DescribeConfigsResponseConfig;

function entry(name: string, value: string | null, configSource: number, synonyms: [string, string | null, number][] = [], extra: Partial<Entry> = {}): Entry {
  return {
    name,
    value,
    readOnly: false,
    configSource: configSource as Entry['configSource'],
    isSensitive: false,
    synonyms: synonyms.map(([n, v, s]) => ({ name: n, value: v, source: s as Entry['configSource'] })),
    configType: 5 as Entry['configType'],
    documentation: null,
    ...extra,
  };
}

function result(name: string, configs: Entry[], errorCode = 0): describeConfigsV4.DescribeConfigsResponseResult {
  return { errorCode, errorMessage: errorCode === 0 ? null : 'x', resourceType: 2, resourceName: name, configs };
}

// Captured: cap.a was created with retention.ms=1000, min.insync.replicas=1 and segment.ms=3600000;
// cap.b with nothing.
const CAPTURED = [
  result('cap.a', [
    entry('min.insync.replicas', '1', 1, [['min.insync.replicas', '1', 1], ['min.insync.replicas', '1', 3], ['min.insync.replicas', '1', 5]]),
    entry('cleanup.policy', 'delete', 5, [['log.cleanup.policy', 'delete', 5]]),
    entry('retention.ms', '1000', 1, [['retention.ms', '1000', 1]]),
    entry('segment.ms', '3600000', 1, [['segment.ms', '3600000', 1]]),
  ]),
  result('cap.b', [
    entry('min.insync.replicas', '1', 3, [['min.insync.replicas', '1', 3], ['min.insync.replicas', '1', 5]]),
    entry('cleanup.policy', 'delete', 5, [['log.cleanup.policy', 'delete', 5]]),
    entry('retention.ms', '259200000', 5),
    entry('segment.ms', '604800000', 5),
  ]),
];

describe('kafka live mapping', () => {
  it('maps each config source; set-on-topic only for topic overrides', () => {
    const configs = toTopicConfigs(CAPTURED);
    const a = configs.get('cap.a')!;
    const b = configs.get('cap.b')!;
    assert.deepEqual(Object.keys(a), ['cleanup.policy', 'min.insync.replicas', 'retention.ms', 'segment.ms'], 'keys sorted');
    assert.deepEqual(a['min.insync.replicas'], {
      value: '1',
      setOnTopic: true,
      source: 'DYNAMIC_TOPIC_CONFIG',
      readOnly: false,
      sensitive: false,
      inheritedValue: '1',
    });
    assert.equal(b['min.insync.replicas']?.source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    assert.equal(b['cleanup.policy']?.source, 'DEFAULT_CONFIG');
    assert.equal(b['cleanup.policy']?.setOnTopic, false);
    assert.equal(b['cleanup.policy']?.inheritedValue, 'delete');
  });

  it('reports a "default" that is not Kafka\'s default as the static broker setting it comes from', () => {
    const b = toTopicConfigs(CAPTURED).get('cap.b')!;
    // log.retention.hours=72 shows as retention.ms=259200000 with source DEFAULT and no synonym.
    assert.equal(b['retention.ms']?.source, 'STATIC_BROKER_CONFIG');
    assert.equal(b['retention.ms']?.inheritedValue, '259200000');
    // segment.ms has Kafka's own default: a default it is.
    assert.equal(b['segment.ms']?.source, 'DEFAULT_CONFIG');
  });

  it('a reset returns to the next synonym below the topic, else to what topics without the key have', () => {
    const a = toTopicConfigs(CAPTURED).get('cap.a')!;
    assert.equal(a['retention.ms']?.inheritedValue, '259200000');
    assert.equal(a['segment.ms']?.inheritedValue, '604800000');
    // With no topic to learn from, the reset value is unknown rather than guessed.
    const alone = toTopicConfigs([CAPTURED[0]!]).get('cap.a')!;
    assert.equal(alone['retention.ms']?.inheritedValue, undefined);
    assert.equal(alone['min.insync.replicas']?.inheritedValue, '1');
  });

  it('converts a broker synonym in hours to the milliseconds of the topic key', () => {
    const c = toLiveConfig(entry('retention.ms', '1000', 1, [['retention.ms', '1000', 1], ['log.retention.hours', '72', 4]]), new Map());
    assert.equal(c.inheritedValue, '259200000');
  });

  it('hides sensitive values and ignores topics that answered with an error', () => {
    const hidden = toLiveConfig(entry('x.secret', 'shh', 1, [['x.secret', 'shh', 1], ['x.secret', null, 4]], { isSensitive: true }), new Map());
    assert.equal(hidden.value, null);
    assert.equal(hidden.inheritedValue, null);
    const configs = toTopicConfigs([...CAPTURED, result('gone', [], 3)]);
    assert.equal(configs.has('gone'), false);
  });

  it('learns the inherited value of a key only when every topic without it agrees', () => {
    const values = clusterInheritedValues([
      result('x', [entry('retention.bytes', '-1', 5)]),
      result('y', [entry('retention.bytes', '100', 2)]),
      result('z', [entry('compression.type', 'producer', 5)]),
      result('w', [entry('compression.type', 'lz4', 4)]),
    ]);
    assert.equal(values.get('retention.bytes'), '-1', 'per-broker values (source 2) are left out');
    assert.equal(values.has('compression.type'), false, 'disagreeing topics teach nothing');
  });

  it('maps DescribeAcls answers to sorted unique bindings, skipping what the model cannot hold, and back to exact filters', () => {
    const skipped: string[] = [];
    const resources: describeAclsV3.DescribeAclsResponseResource[] = [
      {
        resourceType: 2,
        resourceName: 'orders',
        resourcePatternType: 4,
        acls: [
          { principal: 'User:b', host: '*', operation: 3, permissionType: 3 },
          { principal: 'User:a', host: '*', operation: 4, permissionType: 2 },
          { principal: 'User:a', host: '*', operation: 4, permissionType: 2 },
        ],
      },
      { resourceType: 7, resourceName: 'someone', resourcePatternType: 3, acls: [{ principal: 'User:c', host: '*', operation: 7, permissionType: 3 }] },
    ];
    const bindings = toBindings(resources, (s) => skipped.push(s.text));
    assert.deepEqual(bindings, [
      { principal: 'User:a', host: '*', resourceType: 'TOPIC', resourceName: 'orders', patternType: 'PREFIXED', operation: 'WRITE', permission: 'DENY' },
      { principal: 'User:b', host: '*', resourceType: 'TOPIC', resourceName: 'orders', patternType: 'PREFIXED', operation: 'READ', permission: 'ALLOW' },
    ]);
    assert.equal(skipped.length, 1);
    assert.deepEqual(toWireAcl(bindings[0]!), {
      resourceType: 2,
      resourceName: 'orders',
      resourcePatternType: 4,
      principal: 'User:a',
      host: '*',
      operation: 4,
      permissionType: 2,
    });
  });
});

describe('kafka request batches', () => {
  it('stay under the controller\'s partition, record and item limits, in order', () => {
    const topics = Array.from({ length: 3_000 }, (_, i) => ({ i, partitions: 3, configs: 2 }));
    const out = batches(topics, (t) => ({ partitions: t.partitions, records: 1 + t.partitions + t.configs }));
    assert.deepEqual(out.map((b) => b.length), [1_000, 1_000, 1_000]);
    const big = batches(topics, (t) => ({ partitions: t.partitions, records: 1 + t.partitions + t.configs }), { partitions: 10_000, records: 10_000, items: 5_000 });
    // 6 records a topic: 1,666 fit under 10,000 records.
    assert.deepEqual(big.map((b) => b.length), [1_666, 1_334]);
    assert.deepEqual(big.flat(), topics);
    const huge = batches([{ p: 20_000 }, { p: 1 }], (t) => ({ partitions: t.p, records: t.p }));
    assert.deepEqual(huge.map((b) => b.length), [1, 1], 'an item over a limit goes alone, for the broker to refuse');
  });
});
