/**
 * Splitting a phase's actions into requests: as few as possible, each under the limits the KRaft
 * controller enforces on one request (it refuses a whole CreateTopics above 10,000 partitions or
 * above 10,000 metadata records).
 */

/** What one request may hold. */
export interface Limits {
  partitions: number;
  records: number;
  items: number;
}

/** Limits of one request. */
export const REQUEST_LIMITS: Readonly<Limits> = {
  /** Partitions one CreateTopics or CreatePartitions may add. */
  partitions: 10_000,
  /** Metadata records one request may produce (a topic: 1 + 1 per partition + 1 per config). */
  records: 10_000,
  /** Resources per request, so one rejected request never holds up more than this. */
  items: 1_000,
};

/** What one item costs against each limit. */
export interface Cost {
  partitions: number;
  records: number;
}

/**
 * Groups `items`, in order, into batches whose summed costs stay within `REQUEST_LIMITS` (an item
 * over a limit on its own gets a batch of its own, for the broker to refuse with its reason).
 */
export function batches<T>(items: readonly T[], cost: (item: T) => Cost, limits: Readonly<Limits> = REQUEST_LIMITS): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let partitions = 0;
  let records = 0;
  for (const item of items) {
    const c = cost(item);
    const fits =
      current.length < limits.items && partitions + c.partitions <= limits.partitions && records + c.records <= limits.records;
    if (!fits && current.length > 0) {
      out.push(current);
      current = [];
      partitions = 0;
      records = 0;
    }
    current.push(item);
    partitions += c.partitions;
    records += c.records;
  }
  if (current.length > 0) out.push(current);
  return out;
}
