/**
 * The REST v3 target parses list pages as a stream (each config entry cut out of the body and
 * reduced at once). These tests check that the streamed read yields exactly the LiveState the
 * plain way gives: download each list, `JSON.parse` it whole, map it with the same functions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveState } from '../../../src/model.js';
import { configEntryReducer, groupConfigs, toLiveState } from '../../../src/targets/confluent/live.js';
import { toAcl, toTopic, toTopicConfig } from '../../../src/targets/confluent/wire.js';
import { V3Simulator } from '../../support/v3-simulator.js';
import { openTarget } from './helpers.js';

/** Every item of a list, following `metadata.next`, each page parsed whole with JSON.parse. */
async function plainList(url: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let next: string | null = url; next !== null; ) {
    const res = await fetch(next, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    const doc = JSON.parse(await res.text()) as { data: unknown[]; metadata: { next?: string | null } };
    items.push(...doc.data);
    next = doc.metadata.next ?? null;
  }
  return items;
}

/** The live state the plain way. */
async function plainLiveState(sim: V3Simulator): Promise<LiveState> {
  const base = `${sim.cloudUrl}/clusters/${sim.clusterId}`;
  const [topics, configs, acls] = await Promise.all([plainList(`${base}/topics`), plainList(`${base}/topics/-/configs`), plainList(`${base}/acls`)]);
  const reduce = configEntryReducer();
  return toLiveState(sim.clusterId, topics.map(toTopic), groupConfigs(configs.map((c) => reduce(toTopicConfig(c)))), acls.map(toAcl), () => undefined);
}

function seed(sim: V3Simulator, topics: number): void {
  for (let i = 0; i < topics; i++) {
    const name = `app.${String(i).padStart(4, '0')}.events`;
    sim.addTopic({
      name,
      partitions: 1 + (i % 12),
      configs: i % 3 === 0 ? { 'retention.ms': String(3_600_000 * (i + 1)), 'cleanup.policy': 'compact,delete' } : i % 3 === 1 ? { 'max.message.bytes': '4194304' } : {},
    });
    sim.addAcl({
      resource_type: 'TOPIC',
      resource_name: name,
      pattern_type: i % 2 === 0 ? 'LITERAL' : 'PREFIXED',
      principal: `User:CN=svc-${i % 7},OU=team "a" \\ b`,
      host: '*',
      operation: i % 2 === 0 ? 'READ' : 'WRITE',
      permission: 'ALLOW',
    });
  }
  sim.addTopic({ name: '__consumer_offsets', partitions: 50, internal: true });
}

describe('REST v3 streamed list pages', () => {
  for (const [label, options] of [
    ['one page per list, streamed by the server in slices', {}],
    ['small pages followed through metadata.next', { pageSize: 97 }],
  ] as const) {
    it(`read() equals the plain JSON.parse path: ${label}`, async (t) => {
      const sim = await V3Simulator.start({ ...options, brokerConfigs: { 'log.retention.ms': '172800000', 'message.max.bytes': '2097152' } });
      t.after(() => sim.close());
      seed(sim, 400); // 401 topics × 29 configs: the config list spans many socket chunks
      const { target } = openTarget({ restUrl: sim.cloudUrl, clusterId: sim.clusterId });
      t.after(() => target.close());
      const streamed = await target.read();
      const plain = await plainLiveState(sim);
      assert.equal(streamed.topics.length, 401);
      assert.equal(streamed.acls.length, 400);
      assert.ok(streamed.topics.every((tp) => Object.keys(tp.configs).length === 29));
      assert.deepEqual(streamed, plain);
    });
  }
});
