// The REST v3 simulator serving an Apache Kafka cluster of a given version, from the generated
// catalogs: what a real broker reports (its quirks included), and how the planner treats the
// cluster's own config listing as the catalog of record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { V3Simulator } from '../../support/v3-simulator.js';
import { kafkaCatalog } from '../../../src/kafka/catalog.js';
import { desired, openTarget, planFor, topic } from './helpers.js';

describe('REST v3 over Apache Kafka 4.4 (generated catalog)', () => {
  let sim: V3Simulator;
  before(async () => {
    sim = await V3Simulator.start({ kafka: { version: '4.4', staticBrokerConfigs: { 'log.retention.hours': '72' } } });
    sim.addTopic({ name: 'orders.v1', configs: { 'cleanup.policy': 'compact', 'remote.copy.lag.ms': '600000' } });
  });
  after(async () => sim.close());

  it('reports every non-internal topic config of Kafka 4.4, with the quirks a real broker shows', async () => {
    const { target } = openTarget({ restUrl: sim.url, clusterId: sim.clusterId });
    const live = await target.read();
    await target.close();
    const t = live.topics.find((x) => x.name === 'orders.v1');
    assert.ok(t);
    const expected = [...kafkaCatalog('4.4').configs.values()].filter((d) => !d.internal).map((d) => d.name).sort();
    assert.deepEqual(Object.keys(t.configs).sort(), expected);
    assert.equal(t.configs['remote.copy.lag.ms']?.setOnTopic, true);
    // A fresh 4.4 cluster holds min.insync.replicas=1 as a dynamic cluster default.
    assert.equal(t.configs['min.insync.replicas']?.source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    // A static log.retention.hours=72 shows as a default retention.ms in milliseconds.
    assert.equal(t.configs['retention.ms']?.value, '259200000');
    assert.equal(t.configs['retention.ms']?.source, 'DEFAULT_CONFIG');
  });

  it('plans no change for what the cluster already has, in any spelling', async () => {
    const { target } = openTarget({ restUrl: sim.url, clusterId: sim.clusterId });
    const live = await target.read();
    await target.close();
    const p = planFor(desired([topic('orders.v1', 6, { 'cleanup.policy': ' Compact ', 'remote.copy.lag.ms': '+600000' }, 3)]), live);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.actions.filter((a) => a.phase === 3), []);
  });
});

describe('REST v3 over Apache Kafka 4.1: the cluster is the catalog of record', () => {
  let sim: V3Simulator;
  before(async () => {
    sim = await V3Simulator.start({ kafka: { version: '4.1' } });
    sim.addTopic({ name: 'orders.v1' });
  });
  after(async () => sim.close());

  it('a key Kafka 4.1 does not know is a plan error naming key and cluster, on every run the same', async () => {
    const { target } = openTarget({ restUrl: sim.url, clusterId: sim.clusterId });
    const live = await target.read();
    await target.close();
    const want = desired([topic('orders.v1', 6, { 'remote.copy.lag.ms': '600000' }), topic('orders.v2', 6, { 'message.format.version': '3.0' })]);
    const p = planFor(want, live);
    assert.deepEqual(
      p.errors.map((e) => e.reason),
      [
        'config.remote.copy.lag.ms is not a topic config of cluster sim: its Kafka does not report it for topics, so it cannot be set there',
        'config.message.format.version is not a topic config of cluster sim: its Kafka does not report it for topics, so it cannot be set there',
      ],
    );
    assert.deepEqual(p.actions, []);
  });
});
