// Waiting for topic changes to show in Metadata: units waiting together share one poll loop, and
// Metadata is asked for every pending topic only once one topic per unit shows. The brokers are
// stood in for by a list of Metadata answers that changes as the test says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { metadataV10 } from '@platformatic/kafka';
import { TopicWatch } from '../../../src/targets/kafka/visibility.js';

/** What the brokers show: topic → partition count; absent topics answer UNKNOWN_TOPIC_OR_PARTITION. */
type Shown = Map<string, number>;

function answer(shown: Shown, names: string[]): metadataV10.MetadataResponse {
  const topics = names.map((name) => {
    const count = shown.get(name);
    return {
      errorCode: count === undefined ? 3 : 0,
      name,
      topicId: '',
      isInternal: false,
      partitions: Array.from({ length: count ?? 0 }, (_, i) => ({
        errorCode: 0,
        partitionIndex: i,
        leaderId: 1,
        leaderEpoch: 0,
        replicaNodes: [1],
        isrNodes: [1],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: 0,
    };
  });
  return { throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: 1, topics, clusterAuthorizedOperations: 0 } as metadataV10.MetadataResponse;
}

/** A watch over `shown`; `asked` records each Metadata request's topics, `slept` each pause. */
function watch(shown: Shown, onSleep: (round: number) => void = () => undefined) {
  const asked: string[][] = [];
  const slept: number[] = [];
  const gaveUp: number[] = [];
  const w = new TopicWatch({
    metadata: async (names) => {
      asked.push(names);
      return answer(shown, names);
    },
    sleep: async (ms) => {
      slept.push(ms);
      onSleep(slept.length);
    },
    gaveUp: (missing) => gaveUp.push(missing),
    maxWaitMs: 1_000,
  });
  return { w, asked, slept, gaveUp };
}

describe('TopicWatch', () => {
  it('asks for one topic per unit while they are missing, then once for all, sharing the polls', async () => {
    const shown: Shown = new Map();
    const batch1 = new Map([['a1', 1], ['a2', 1], ['a3', 1]]);
    const batch2 = new Map([['b1', 2], ['b2', 2]]);
    // The brokers show both batches after the second pause.
    const { w, asked, slept } = watch(shown, (round) => {
      if (round === 2) for (const [name, count] of [...batch1, ...batch2]) shown.set(name, count);
    });
    await Promise.all([w.until(batch1), w.until(batch2)]);
    // The first poll starts as the first unit arrives; the second joins the next one.
    assert.deepEqual(asked, [['a1'], ['a1', 'b1'], ['a1', 'b1'], ['a2', 'a3', 'b2']]);
    assert.deepEqual(slept, [50, 100]);
  });

  it('waits for the partition count asked for, and for deleted topics to be gone', async () => {
    const shown: Shown = new Map([['grown', 2], ['deleted', 1]]);
    const { w, asked } = watch(shown, (round) => {
      if (round === 1) shown.set('grown', 4);
      if (round === 2) shown.delete('deleted');
    });
    await Promise.all([w.until(new Map([['grown', 4]])), w.until(new Map([['deleted', undefined]]))]);
    assert.deepEqual(asked, [['grown'], ['grown', 'deleted'], ['deleted']]);
  });

  it('gives up on a unit quietly after the longest wait, telling how many changes are missing', async () => {
    const { w, slept, gaveUp } = watch(new Map([['x', 1]]));
    await w.until(new Map([['x', 1], ['never', 1], ['nor', 1]]));
    assert.deepEqual(gaveUp, [2]);
    assert.deepEqual(slept, [50, 100, 200, 250, 250, 250]);
  });

  it('rejects every waiting unit when Metadata fails, and polls again for the next', async () => {
    let fail = true;
    const w = new TopicWatch({
      metadata: async (names) => {
        if (fail) throw new Error('connection closed');
        return answer(new Map(names.map((n) => [n, 1])), names);
      },
      sleep: async () => undefined,
      gaveUp: () => assert.fail('nothing to give up on'),
      maxWaitMs: 1_000,
    });
    const results = await Promise.allSettled([w.until(new Map([['a', 1]])), w.until(new Map([['b', 1]]))]);
    assert.deepEqual(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok')), ['connection closed', 'connection closed']);
    fail = false;
    await w.until(new Map([['c', 1]]));
  });
});
