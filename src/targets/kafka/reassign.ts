/**
 * Replica assignments for replication-factor changes: pure, deterministic, and moving as few
 * replicas as possible. The reassignment executor (`reassignment.ts`) sends what this computes.
 */
import { InternalError } from '../../errors.js';

/** A live broker and the rack it reports (`broker.rack`), or null when it reports none. */
export interface BrokerPlacement {
  id: number;
  rack: string | null;
}

/** One partition as the cluster has it. */
export interface PartitionReplicas {
  partition: number;
  /** Replica broker ids, preferred leader first. */
  replicas: readonly number[];
  /** The current leader, when known (Metadata's `leader`; -1 or absent when there is none). */
  leader?: number;
}

/** What a topic's partitions should become. */
export interface ReassignInput {
  partitions: readonly PartitionReplicas[];
  /** The live brokers; replicas on any other broker id are treated as lost and replaced. */
  brokers: readonly BrokerPlacement[];
  replicationFactor: number;
  /**
   * Replicas each broker already hosts for other topics, so the new replicas go where there is
   * least; brokers absent from the map host none.
   */
  load?: ReadonlyMap<number, number>;
}

/** One partition's new replica list, preferred leader first. */
export interface PartitionAssignment {
  partition: number;
  replicas: number[];
}

/**
 * Why a topic cannot have `replicationFactor` replicas on a cluster of `brokerCount` brokers, or
 * undefined when it can. Used by preflight, so the sentence is for users.
 */
export function replicationFactorProblem(replicationFactor: number, brokerCount: number): string | undefined {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    return `replication factor ${replicationFactor} is not possible: it must be a whole number of at least 1`;
  }
  if (replicationFactor > brokerCount) {
    return `replication factor ${replicationFactor} is above the ${brokerCount} broker(s) of this cluster`;
  }
  return undefined;
}

/** Brokers without a rack each count as a rack of their own: nothing says two of them share one. */
function rackKey(broker: BrokerPlacement): string {
  return broker.rack === null ? `\u0000broker ${broker.id}` : `rack ${broker.rack}`;
}

function countIn(counts: Map<string, number>, key: string, delta: number): void {
  counts.set(key, (counts.get(key) ?? 0) + delta);
}

/**
 * The new assignment of every partition (sorted by partition) for `replicationFactor` replicas.
 *
 * Invariants, checked by property tests:
 * - every partition gets exactly `replicationFactor` distinct live brokers;
 * - replicas on live brokers are kept when increasing (only the missing ones are added, after the
 *   existing ones, so the preferred leader stays first) and nothing is added when decreasing;
 * - when decreasing, replicas sharing a rack go first, then those on the most loaded brokers,
 *   and the current leader (else the preferred one) always stays;
 * - added replicas go to racks the partition does not use yet while there are any, then to the
 *   least loaded brokers;
 * - the result depends only on the input's content, not on the order of its lists.
 *
 * Throws `InternalError` for a factor the brokers cannot hold: callers check
 * `replicationFactorProblem` first and report it to the user.
 */
export function reassign(input: ReassignInput): PartitionAssignment[] {
  const brokers = [...input.brokers].sort((a, b) => a.id - b.id);
  const byId = new Map<number, BrokerPlacement>();
  for (const b of brokers) {
    if (byId.has(b.id)) throw new InternalError(`broker ${b.id} is listed twice`);
    byId.set(b.id, b);
  }
  const problem = replicationFactorProblem(input.replicationFactor, brokers.length);
  if (problem !== undefined) throw new InternalError(problem);
  const rf = input.replicationFactor;

  const partitions = [...input.partitions].sort((a, b) => a.partition - b.partition);
  for (let i = 1; i < partitions.length; i++) {
    if (partitions[i - 1]!.partition === partitions[i]!.partition) {
      throw new InternalError(`partition ${partitions[i]!.partition} is listed twice`);
    }
  }

  // Load: other topics' replicas plus this topic's kept ones, updated as replicas come and go.
  const load = new Map<number, number>();
  for (const b of brokers) load.set(b.id, input.load?.get(b.id) ?? 0);
  const kept = partitions.map((p) => [...new Set(p.replicas)].filter((id) => byId.has(id)));
  for (const replicas of kept) for (const id of replicas) load.set(id, load.get(id)! + 1);

  return partitions.map((p, i) => {
    const replicas = kept[i]!;
    const racks = new Map<string, number>();
    for (const id of replicas) countIn(racks, rackKey(byId.get(id)!), 1);
    if (replicas.length < rf) grow(replicas, rf, p.partition, brokers, racks, load);
    else if (replicas.length > rf) shrink(replicas, rf, p, byId, racks, load);
    return { partition: p.partition, replicas };
  });
}

/**
 * Appends replicas: least used rack in this partition first, then least loaded broker. Ties go to
 * the first broker after the partition's preferred leader in id order (after the partition number
 * when no replica is left), so equally loaded brokers take turns as Kafka's own assignment does
 * instead of the lowest id taking every tie.
 */
function grow(
  replicas: number[],
  rf: number,
  partition: number,
  brokers: readonly BrokerPlacement[],
  racks: Map<string, number>,
  load: Map<number, number>,
): void {
  const leaderAt = replicas.length > 0 ? brokers.findIndex((b) => b.id === replicas[0]) : partition % brokers.length;
  while (replicas.length < rf) {
    let best: BrokerPlacement | undefined;
    let bestRack = 0;
    let bestLoad = 0;
    for (let step = 1; step <= brokers.length; step++) {
      const b = brokers[(leaderAt + step) % brokers.length]!;
      if (replicas.includes(b.id)) continue;
      const r = racks.get(rackKey(b)) ?? 0;
      const l = load.get(b.id)!;
      if (best === undefined || r < bestRack || (r === bestRack && l < bestLoad)) {
        best = b;
        bestRack = r;
        bestLoad = l;
      }
    }
    // rf ≤ brokers.length was checked, so a candidate always exists.
    const chosen = best!;
    replicas.push(chosen.id);
    countIn(racks, rackKey(chosen), 1);
    load.set(chosen.id, bestLoad + 1);
  }
}

/**
 * Removes replicas: those sharing a rack with another replica first, then the most loaded, then
 * the last in the list (so the preferred order is kept). The current leader (else the preferred
 * one) never goes: shrinking starts from at least two replicas, so another one always can.
 */
function shrink(
  replicas: number[],
  rf: number,
  partition: PartitionReplicas,
  byId: ReadonlyMap<number, BrokerPlacement>,
  racks: Map<string, number>,
  load: Map<number, number>,
): void {
  const leader = partition.leader !== undefined && replicas.includes(partition.leader) ? partition.leader : replicas[0];
  while (replicas.length > rf) {
    let worst = -1;
    let worstShared = false;
    let worstLoad = 0;
    for (let i = 0; i < replicas.length; i++) {
      const id = replicas[i]!;
      if (id === leader) continue;
      const shared = racks.get(rackKey(byId.get(id)!))! > 1;
      const l = load.get(id)!;
      // The walk is in list order, so `>=` lets a later replica win a tie.
      if (worst === -1 || (shared && !worstShared) || (shared === worstShared && l >= worstLoad)) {
        worst = i;
        worstShared = shared;
        worstLoad = l;
      }
    }
    const removed = replicas.splice(worst, 1)[0]!;
    countIn(racks, rackKey(byId.get(removed)!), -1);
    load.set(removed, worstLoad - 1);
  }
}
