// The replica assignment for replication-factor changes: worked examples, then the invariants on
// random clusters (replay a failure with the KAFKAFORM_SEED line printed with it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InternalError } from '../../../src/errors.js';
import {
  reassign,
  replicationFactorProblem,
  type BrokerPlacement,
  type PartitionReplicas,
  type ReassignInput,
} from '../../../src/targets/kafka/reassign.js';
import { check, Tally } from '../../properties/runner.js';

const racked = (...spec: [number, string | null][]): BrokerPlacement[] => spec.map(([id, rack]) => ({ id, rack }));
const plain = (...ids: number[]): BrokerPlacement[] => ids.map((id) => ({ id, rack: null }));
const parts = (...replicas: number[][]): PartitionReplicas[] => replicas.map((r, partition) => ({ partition, replicas: r }));
const lists = (input: ReassignInput): number[][] => reassign(input).map((p) => p.replicas);

describe('reassign: examples', () => {
  it('raises 1 → 3 on three brokers keeping each preferred leader first and the load even', () => {
    assert.deepEqual(lists({ partitions: parts([1], [2], [3]), brokers: plain(1, 2, 3), replicationFactor: 3 }), [
      [1, 2, 3],
      [2, 1, 3],
      [3, 1, 2],
    ]);
  });

  it('adds a replica on a rack the partition does not use, even on a busier broker', () => {
    const brokers = racked([1, 'a'], [2, 'a'], [3, 'b']);
    assert.deepEqual(lists({ partitions: parts([1]), brokers, replicationFactor: 2, load: new Map([[3, 50]]) }), [[1, 3]]);
  });

  it('adds to the least loaded broker counting other topics, the next one after the leader on a tie', () => {
    const brokers = plain(1, 2, 3, 4);
    assert.deepEqual(lists({ partitions: parts([1]), brokers, replicationFactor: 2, load: new Map([[2, 5], [3, 1], [4, 1]]) }), [[1, 3]]);
    assert.deepEqual(lists({ partitions: parts([1]), brokers, replicationFactor: 2 }), [[1, 2]]);
    assert.deepEqual(lists({ partitions: parts([3]), brokers, replicationFactor: 2 }), [[3, 4]]);
    assert.deepEqual(lists({ partitions: parts([4]), brokers, replicationFactor: 2 }), [[4, 1]]);
  });

  it('lowers 3 → 2 by dropping the last replica, never the current leader', () => {
    const brokers = plain(1, 2, 3);
    assert.deepEqual(lists({ partitions: [{ partition: 0, replicas: [1, 2, 3], leader: 1 }], brokers, replicationFactor: 2 }), [[1, 2]]);
    assert.deepEqual(lists({ partitions: [{ partition: 0, replicas: [1, 2, 3], leader: 3 }], brokers, replicationFactor: 2 }), [[1, 3]]);
    assert.deepEqual(lists({ partitions: [{ partition: 0, replicas: [1, 2, 3], leader: 3 }], brokers, replicationFactor: 1 }), [[3]]);
  });

  it('lowers by dropping a replica that shares a rack before one on a busier broker', () => {
    const brokers = racked([1, 'a'], [2, 'a'], [3, 'b']);
    const load = new Map([[3, 100]]);
    assert.deepEqual(lists({ partitions: [{ partition: 0, replicas: [1, 3, 2], leader: 1 }], brokers, replicationFactor: 2, load }), [[1, 3]]);
  });

  it('lowers from the most loaded brokers, spreading the remaining replicas', () => {
    const partitions = parts([1, 2, 3], [2, 3, 1], [3, 1, 2]).map((p) => ({ ...p, leader: p.replicas[0]! }));
    assert.deepEqual(lists({ partitions, brokers: plain(1, 2, 3), replicationFactor: 2 }), [
      [1, 2],
      [2, 3],
      [3, 1],
    ]);
  });

  it('replaces replicas on brokers that are gone', () => {
    assert.deepEqual(lists({ partitions: parts([9, 1]), brokers: plain(1, 2, 3), replicationFactor: 2 }), [[1, 2]]);
  });

  it('leaves a partition that already has the factor as it is', () => {
    assert.deepEqual(lists({ partitions: parts([3, 1]), brokers: plain(1, 2, 3), replicationFactor: 2 }), [[3, 1]]);
  });

  it('refuses a factor the brokers cannot hold, and duplicate brokers or partitions', () => {
    assert.throws(() => reassign({ partitions: parts([1]), brokers: plain(1, 2), replicationFactor: 3 }), InternalError);
    assert.throws(() => reassign({ partitions: parts([1]), brokers: plain(1, 2), replicationFactor: 0 }), InternalError);
    assert.throws(() => reassign({ partitions: parts([1]), brokers: plain(1, 1), replicationFactor: 1 }), /broker 1 is listed twice/);
    assert.throws(
      () => reassign({ partitions: [...parts([1]), ...parts([2])], brokers: plain(1, 2), replicationFactor: 1 }),
      /partition 0 is listed twice/,
    );
  });

  it('says why a factor is impossible, in a sentence for users', () => {
    assert.equal(replicationFactorProblem(3, 3), undefined);
    assert.equal(replicationFactorProblem(4, 3), 'replication factor 4 is above the 3 broker(s) of this cluster');
    assert.equal(replicationFactorProblem(0, 3), 'replication factor 0 is not possible: it must be a whole number of at least 1');
    assert.equal(replicationFactorProblem(-1, 3), 'replication factor -1 is not possible: it must be a whole number of at least 1');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** A random cluster: 1–7 brokers, racks for none, all or some of them, and a topic on it. */
const inputs: fc.Arbitrary<ReassignInput> = fc
  .uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 7 })
  .chain((ids) =>
    fc
      .record({
        racks: fc.oneof(
          fc.constant(ids.map(() => null)),
          fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: ids.length, maxLength: ids.length }),
          fc.array(fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }), { minLength: ids.length, maxLength: ids.length }),
        ),
        partitions: fc.array(
          fc.record({
            // Mostly live brokers; now and then one that is gone (id above 30).
            replicas: fc.uniqueArray(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.integer({ min: 31, max: 33 }) }), {
              minLength: 1,
              maxLength: ids.length + 1,
            }),
            leaderPick: fc.option(fc.nat(), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        replicationFactor: fc.integer({ min: 1, max: ids.length }),
        load: fc.option(fc.array(fc.nat(20), { minLength: ids.length, maxLength: ids.length }), { nil: undefined }),
      })
      .map(({ racks, partitions, replicationFactor, load }) => ({
        brokers: ids.map((id, i) => ({ id, rack: racks[i] ?? null })),
        partitions: partitions.map((p, partition) => ({
          partition,
          replicas: p.replicas,
          ...(p.leaderPick === undefined ? {} : { leader: p.replicas[p.leaderPick % p.replicas.length]! }),
        })),
        replicationFactor,
        ...(load === undefined ? {} : { load: new Map(ids.map((id, i) => [id, load[i]!])) }),
      })),
  );

function rackKeyOf(brokers: readonly BrokerPlacement[], id: number): string {
  const rack = brokers.find((b) => b.id === id)!.rack;
  return rack === null ? `none:${id}` : `rack:${rack}`;
}

function rackCount(brokers: readonly BrokerPlacement[], ids: readonly number[]): number {
  return new Set(ids.map((id) => rackKeyOf(brokers, id))).size;
}

/** The partition's replicas that are on live brokers, in order. */
function keptOf(input: ReassignInput, p: PartitionReplicas): number[] {
  const live = new Set(input.brokers.map((b) => b.id));
  return p.replicas.filter((id) => live.has(id));
}

function isSubsequence(small: readonly number[], big: readonly number[]): boolean {
  let j = 0;
  for (const x of big) if (j < small.length && small[j] === x) j++;
  return j === small.length;
}

describe('reassign: properties', () => {
  it('gives every partition exactly the factor, on distinct live brokers, moving as few replicas as possible', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'reassign moves',
      400,
      fc.property(inputs, (input) => {
        const out = reassign(input);
        assert.deepEqual(out.map((p) => p.partition), input.partitions.map((p) => p.partition));
        const live = new Set(input.brokers.map((b) => b.id));
        out.forEach((p, i) => {
          const before = input.partitions[i]!;
          const kept = keptOf(input, before);
          assert.equal(p.replicas.length, input.replicationFactor);
          assert.equal(new Set(p.replicas).size, p.replicas.length, 'distinct brokers');
          assert.ok(p.replicas.every((id) => live.has(id)), 'live brokers only');
          const added = p.replicas.filter((id) => !before.replicas.includes(id));
          if (kept.length <= input.replicationFactor) {
            tally.bump('grow', kept.length < input.replicationFactor);
            assert.equal(added.length, input.replicationFactor - kept.length, 'only the missing replicas are added');
            assert.deepEqual(p.replicas.slice(0, kept.length), kept, 'existing replicas kept, in order, first');
          } else {
            tally.bump('shrink');
            assert.deepEqual(added, [], 'nothing added when decreasing');
            assert.ok(isSubsequence(p.replicas, kept), 'remaining replicas keep their order');
            const leader = before.leader !== undefined && kept.includes(before.leader) ? before.leader : kept[0]!;
            assert.ok(p.replicas.includes(leader), 'the leader stays');
          }
        });
      }),
      tally,
    );
  });

  it('spreads replicas over as many racks as the brokers allow', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'reassign racks',
      400,
      fc.property(inputs, (input) => {
        const allRacks = rackCount(input.brokers, input.brokers.map((b) => b.id));
        reassign(input).forEach((p, i) => {
          const kept = keptOf(input, input.partitions[i]!);
          const keptRacks = rackCount(input.brokers, kept);
          const got = rackCount(input.brokers, p.replicas);
          if (kept.length <= input.replicationFactor) {
            const added = input.replicationFactor - kept.length;
            tally.bump('racks used up', keptRacks + added > allRacks);
            assert.equal(got, keptRacks + Math.min(added, allRacks - keptRacks));
          } else {
            assert.equal(got, Math.min(input.replicationFactor, keptRacks));
          }
        });
      }),
      tally,
    );
  });

  it('depends only on the content of its input, not on the order of its lists', async (t) => {
    await check(
      t,
      'reassign determinism',
      300,
      fc.property(inputs, fc.nat(), (input, seed) => {
        const rotate = <T>(xs: readonly T[]): T[] => xs.map((_, i) => xs[(i + seed) % xs.length]!);
        const shuffled: ReassignInput = { ...input, brokers: rotate(input.brokers).reverse(), partitions: rotate(input.partitions).reverse() };
        assert.deepEqual(reassign(shuffled), reassign(input));
      }),
    );
  });

  it('keeps brokers within one replica of each other when raising an evenly spread topic', async (t) => {
    await check(
      t,
      'reassign balance',
      300,
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 40 }), fc.nat(), (brokerCount, partitionCount, rfPick) => {
        const ids = Array.from({ length: brokerCount }, (_, i) => i + 1);
        const replicationFactor = (rfPick % brokerCount) + 1;
        const partitions = Array.from({ length: partitionCount }, (_, p) => ({ partition: p, replicas: [ids[p % brokerCount]!] }));
        const counts = new Map(ids.map((id) => [id, 0]));
        for (const p of reassign({ partitions, brokers: plain(...ids), replicationFactor })) {
          for (const id of p.replicas) counts.set(id, counts.get(id)! + 1);
        }
        const values = [...counts.values()];
        assert.ok(Math.max(...values) - Math.min(...values) <= 1, `per-broker replicas ${values.join(',')}`);
      }),
    );
  });
});
