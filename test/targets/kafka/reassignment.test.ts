// Replication-factor changes on the real three-broker cluster (racks a, b, c): the reassignment
// module driven directly through @platformatic/kafka, each test on a topic of its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  Admin,
  alterPartitionReassignmentsV0,
  ConfigResourceTypes,
  ConfigSources,
  IncrementalAlterConfigOperationTypes,
  listPartitionReassignmentsV0,
} from '@platformatic/kafka';
import { changeReplicationFactors, replicationFactorFindings } from '../../../src/targets/kafka/reassignment.js';
import { brokerSkip, requireBrokers } from '../../support/broker.js';
import { dynamicRates, eventually, stallReplication } from '../../support/replication.js';

describe('replication-factor changes on three brokers', { skip: brokerSkip() }, () => {
  let admin: Admin;
  let racks: Map<number, string>;

  before(() => {
    const { trio } = requireBrokers();
    admin = new Admin({ clientId: 'kafkaform-rf-test', bootstrapBrokers: trio.bootstrap });
    racks = new Map(trio.brokers.map((b: { id: number; rack: string }) => [b.id, b.rack]));
  });
  after(async () => {
    await admin.close();
  });

  async function topic(partitions: number, replicas: number): Promise<string> {
    const name = `rf-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [name], partitions, replicas });
    return name;
  }

  async function replicasOf(name: string): Promise<{ replicas: number[]; leader: number }[]> {
    const md = await admin.metadata({ topics: [name], forceUpdate: true });
    return md.topics.get(name)!.partitions.map((p) => ({ replicas: [...p.replicas], leader: p.leader }));
  }

  it('raises 1 → 3: every partition on all three racks, preferred leader kept, progress shown', async () => {
    const name = await topic(6, 1);
    const before = await replicasOf(name);
    const lines: string[] = [];
    const started = Date.now();
    await changeReplicationFactors(admin, [{ topic: name, replicationFactor: 3 }], { wait: true, log: (l) => lines.push(l), pollMs: 200 });
    const ms = Date.now() - started;
    const after = await replicasOf(name);
    after.forEach((p, i) => {
      assert.equal(p.replicas.length, 3);
      assert.equal(p.replicas[0], before[i]!.replicas[0], 'preferred leader first');
      assert.deepEqual(new Set(p.replicas.map((id) => racks.get(id))), new Set(['a', 'b', 'c']));
    });
    assert.equal(lines[0], 'reassigning 6 partition(s) of 1 topic(s) for their new replication factor');
    assert.equal(lines.at(-1), 'reassignment complete: 6/6 partition(s)');
    const list = await listPartitionReassignmentsV0.api.async(
      await admin.connections.get({ host: '127.0.0.1', port: Number(requireBrokers().trio.bootstrap[0]!.split(':')[1]) }),
      30000,
      [{ name, partitionIndexes: [0, 1, 2, 3, 4, 5] }],
    );
    assert.deepEqual(list.topics, [], 'nothing left running');
    process.stderr.write(`# reassignment 1 → 3 of 6 empty partitions: ${ms} ms\n`);
  });

  it('lowers 3 → 2: only removals, the leader stays, two racks per partition', async () => {
    const name = await topic(4, 3);
    const before = await replicasOf(name);
    await changeReplicationFactors(admin, [{ topic: name, replicationFactor: 2 }], { wait: true, log: () => undefined, pollMs: 200 });
    const after = await replicasOf(name);
    after.forEach((p, i) => {
      assert.equal(p.replicas.length, 2);
      assert.ok(p.replicas.every((id) => before[i]!.replicas.includes(id)), 'nothing added');
      assert.ok(p.replicas.includes(before[i]!.leader), 'leader kept');
      assert.equal(new Set(p.replicas.map((id) => racks.get(id))).size, 2);
    });
  });

  it('does not wait when told not to, and the brokers complete it on their own', async () => {
    const name = await topic(2, 1);
    const lines: string[] = [];
    await changeReplicationFactors(admin, [{ topic: name, replicationFactor: 2 }], { wait: false, log: (l) => lines.push(l) });
    assert.deepEqual(lines, [
      'reassigning 2 partition(s) of 1 topic(s) for their new replication factor',
      'not waiting for the reassignment to complete (--no-wait-reassignment); the brokers carry it on',
    ]);
    await eventually(async () => (await replicasOf(name)).map((p) => p.replicas.length), [2, 2]);
  });

  it('throttles while moving and takes the throttle off afterwards, restoring a rate set before', async () => {
    const name = await topic(3, 1);
    const broker1 = { resourceType: ConfigResourceTypes.BROKER, resourceName: '1' };
    await admin.incrementalAlterConfigs({
      resources: [{ ...broker1, configs: [{ name: 'leader.replication.throttled.rate', configOperation: IncrementalAlterConfigOperationTypes.SET, value: '123456789' }] }],
    });
    // Brokers apply dynamic configs from the metadata log a moment after the controller accepts them.
    await eventually(() => dynamicRates(admin), ['1 leader.replication.throttled.rate=123456789']);
    try {
      await changeReplicationFactors(admin, [{ topic: name, replicationFactor: 3 }], { wait: true, throttleBytesPerSecond: 10_000_000, log: () => undefined, pollMs: 200 });
      await eventually(() => dynamicRates(admin), ['1 leader.replication.throttled.rate=123456789']);
      const [topicConfigs] = await admin.describeConfigs({
        resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configurationKeys: ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'] }],
      });
      assert.deepEqual(topicConfigs!.configs.filter((c) => c.configSource === ConfigSources.TOPIC_CONFIG), [], 'no throttle left on the topic');
      assert.ok((await replicasOf(name)).every((p) => p.replicas.length === 3));
    } finally {
      await admin.incrementalAlterConfigs({
        resources: [{ ...broker1, configs: [{ name: 'leader.replication.throttled.rate', configOperation: IncrementalAlterConfigOperationTypes.DELETE }] }],
      });
      await eventually(() => dynamicRates(admin), []);
    }
  });

  it('preflight refuses a factor above the three brokers or below one, and changes nothing', async () => {
    const name = await topic(1, 1);
    const findings = await replicationFactorFindings(admin, [
      { topic: name, replicationFactor: 4 },
      { topic: name, replicationFactor: 0 },
      { topic: name, replicationFactor: 3 },
    ]);
    assert.deepEqual(findings, [
      { topic: name, message: 'replication factor 4 is above the 3 broker(s) of this cluster' },
      { topic: name, message: 'replication factor 0 is not possible: it must be a whole number of at least 1' },
    ]);
    assert.deepEqual((await replicasOf(name)).map((p) => p.replicas.length), [1]);
  });
  /** A topic whose reassignments adding replicas stay running until `release`. */
  async function stuckTopic(): Promise<{ name: string; release: () => Promise<void> }> {
    const name = await topic(1, 1);
    return { name, release: await stallReplication(admin, name) };
  }

  it('preflight refuses a topic whose reassignment someone else started and that is still running', async () => {
    const { trio } = requireBrokers();
    const { name, release } = await stuckTopic();
    try {
      const connection = await admin.connections.get({ host: '127.0.0.1', port: Number(trio.bootstrap[0]!.split(':')[1]) });
      await alterPartitionReassignmentsV0.api.async(connection, 30000, true, [{ name, partitions: [{ partitionIndex: 0, replicas: [1, 2, 3] }] }]);
      assert.deepEqual(await replicationFactorFindings(admin, [{ topic: name, replicationFactor: 2 }]), [
        { topic: name, message: 'a reassignment of partition(s) 0 is already running; wait until it completes' },
      ]);
    } finally {
      await release();
    }
  });

  it("stops waiting when the command's deadline passes, with the deadline's error", async () => {
    const { name, release } = await stuckTopic();
    const deadline = new AbortController();
    const reason = new Error('deadline passed');
    try {
      await assert.rejects(
        changeReplicationFactors(admin, [{ topic: name, replicationFactor: 3 }], {
          wait: true,
          pollMs: 100,
          signal: deadline.signal,
          // The first progress line comes after the reassignment started: the deadline passes then.
          log: (line) => {
            if (line.startsWith('reassignment running:')) deadline.abort(reason);
          },
        }),
        (e: unknown) => e === reason,
      );
    } finally {
      await release();
    }
  });
});
