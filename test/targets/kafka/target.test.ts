// The kafka target's units and read against the real brokers (test/broker/brokers.mjs): what a
// batch reports when the broker refuses one topic in it, and how a real answer maps to the model.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../src/errors.js';
import { PHASES, type ClusterSpec, type PlanAction } from '../../../src/model.js';
import { kafkaKind } from '../../../src/targets/kafka/index.js';
import { BatchOutcomeError, type Target } from '../../../src/targets/target.js';
import { brokerSkip, requireBrokers } from '../../support/broker.js';

function spec(): ClusterSpec {
  const { single } = requireBrokers();
  return {
    name: 'real',
    type: 'kafka',
    settings: { bootstrapServers: [single.sasl], sasl: { mechanism: 'PLAIN', username: 'admin', password: single.users.admin } },
    baseDir: '/',
    source: { file: 'clusters.yaml', line: 1, column: 1, path: '/clusters/real' },
  };
}

function create(name: string, partitions: number, replicationFactor: number, config: Record<string, string> = {}): PlanAction {
  return {
    phase: PHASES.createTopics,
    action: 'create',
    resource: { kind: 'topic', name },
    changes: [
      { field: 'partitions', from: null, to: partitions },
      { field: 'replicationFactor', from: null, to: replicationFactor },
      ...Object.entries(config).map(([k, v]) => ({ field: `config.${k}`, from: null, to: v })),
    ],
    patch: [],
  };
}

describe('kafka target on a real broker', { skip: brokerSkip() }, () => {
  const targets: Target[] = [];
  after(async () => {
    await Promise.all(targets.map((t) => t.close()));
  });
  const open = async (): Promise<Target> => {
    const t = await kafkaKind.open(spec(), {}, { log: () => undefined, debug: false });
    targets.push(t);
    return t;
  };

  it('sends a batch of creates in one unit and reports the one topic the broker refused, with its reason', async () => {
    const p = `b${randomBytes(4).toString('hex')}.`;
    const target = await open();
    const live = await target.read();
    const actions = [create(`${p}a`, 1, 1), create(`${p}b`, 1, 3), create(`${p}c`, 2, 1, { 'cleanup.policy': 'compact' })];
    const units = target.units(PHASES.createTopics, actions, live);
    assert.equal(units.length, 1, 'one CreateTopics request for the batch');
    assert.equal(units[0]!.label, 'create 3 topics');
    const error = await units[0]!.run().then(
      () => assert.fail('expected the batch to report a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BatchOutcomeError);
    assert.deepEqual(error.done, [actions[0], actions[2]]);
    assert.deepEqual(error.notAttempted, []);
    assert.equal(error.failed.length, 1);
    assert.equal(error.failed[0]!.action, actions[1]);
    const reason = error.failed[0]!.error;
    assert.ok(reason instanceof ApiError);
    assert.equal(reason.message, `Cannot create topic ${p}b`);
    assert.equal(reason.details.errorCode, 38);
    assert.match(reason.details.serverMessage ?? '', /replication factor of 3 cannot be reached/);

    // The units wait until the brokers show what was created: the next read sees it.
    const after = await target.read();
    const made = after.topics.filter((t) => t.name.startsWith(p));
    assert.deepEqual(made.map((t) => [t.name, t.partitions, t.replicationFactor]), [[`${p}a`, 1, 1], [`${p}c`, 2, 1]]);
    assert.equal(made[1]!.configs['cleanup.policy']?.setOnTopic, true);
  });

  it('maps config sources: set on the topic, dynamic cluster defaults, defaults, and the value a reset returns to', async () => {
    const p = `s${randomBytes(4).toString('hex')}.`;
    const target = await open();
    const live = await target.read();
    const [unit] = target.units(
      PHASES.createTopics,
      [create(`${p}set`, 1, 1, { 'retention.ms': '1000', 'min.insync.replicas': '1' }), create(`${p}plain`, 1, 1)],
      live,
    );
    await unit!.run();
    const topics = new Map((await target.read()).topics.map((t) => [t.name, t]));
    const set = topics.get(`${p}set`)!.configs;
    const plain = topics.get(`${p}plain`)!.configs;

    assert.equal(set['retention.ms']?.setOnTopic, true);
    assert.equal(set['retention.ms']?.source, 'DYNAMIC_TOPIC_CONFIG');
    assert.equal(set['retention.ms']?.value, '1000');
    // Kafka lists no synonym below the topic level for retention.ms: the value topics without an
    // override have is what a reset returns to.
    assert.equal(plain['retention.ms']?.setOnTopic, false);
    assert.equal(set['retention.ms']?.inheritedValue, plain['retention.ms']?.value);

    // A fresh KRaft cluster sets min.insync.replicas as a dynamic cluster-wide default.
    assert.equal(plain['min.insync.replicas']?.source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    assert.equal(set['min.insync.replicas']?.inheritedValue, '1');
    assert.equal(plain['cleanup.policy']?.source, 'DEFAULT_CONFIG');
    assert.equal(plain['cleanup.policy']?.inheritedValue, 'delete');
  });
});
