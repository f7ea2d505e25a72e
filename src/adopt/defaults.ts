/**
 * `topicDefaults` factored out of adopted topics: a value most topics share is written once.
 *
 * A default applies to every topic that does not set the key itself, and a manifest topic cannot
 * opt out of it. So a config value becomes a default only when each topic that does not hold it
 * can still be written to plan as no change: it sets the key to another value on the topic (that
 * value is written), or it inherits the key and the cluster reports the effective value (written
 * explicitly when it differs from the default; the planner compares effective values). A topic
 * whose effective value is unknown blocks the key from becoming a default.
 */
import { compareStrings } from '../plan/order.js';

/** What adoption knows of one topic's size and configs. */
export interface TopicFacts {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Keys set on the topic itself → canonical value (`canonicalConfigValue`). */
  own: Record<string, string>;
  /** Keys the topic inherits → canonical effective value, where the cluster reports one. */
  inherited: Record<string, string>;
}

/** A topic after factoring: what it must still write itself. */
export interface FactoredTopic {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  config: Record<string, string>;
}

/** The defaults and the topics that go with them. */
export interface Factored {
  defaults: { partitions?: number; replicationFactor?: number; config: Record<string, string> };
  topics: FactoredTopic[];
}

/**
 * The value held by more than half of `total` items and by at least two, among `values` (the
 * items that hold one); undefined when there is none.
 */
export function majority<T extends string | number>(values: readonly T[], total = values.length): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [value, n] of counts) if (n >= 2 && n * 2 > total) return value;
  return undefined;
}

/** Factors `topicDefaults` out of `topics` (see the module comment). */
export function factorDefaults(topics: readonly TopicFacts[]): Factored {
  const partitions = majority(topics.map((t) => t.partitions));
  const replicationFactor = majority(topics.map((t) => t.replicationFactor));
  const config: Record<string, string> = {};
  const keys = [...new Set(topics.flatMap((t) => Object.keys(t.own)))].sort(compareStrings);
  for (const key of keys) {
    const held = topics.flatMap((t) => (Object.hasOwn(t.own, key) ? [t.own[key] as string] : []));
    const value = majority(held, topics.length);
    if (value !== undefined && topics.every((t) => Object.hasOwn(t.own, key) || Object.hasOwn(t.inherited, key))) config[key] = value;
  }
  return {
    defaults: {
      ...(partitions !== undefined ? { partitions } : {}),
      ...(replicationFactor !== undefined ? { replicationFactor } : {}),
      config,
    },
    topics: topics.map((t) => {
      const own: Record<string, string> = {};
      for (const key of [...new Set([...Object.keys(t.own), ...Object.keys(config)])].sort(compareStrings)) {
        const shared = config[key];
        const value = Object.hasOwn(t.own, key) ? t.own[key] : t.inherited[key];
        if (value === undefined) continue;
        if (value !== shared) own[key] = value;
      }
      return {
        name: t.name,
        ...(t.partitions !== partitions ? { partitions: t.partitions } : {}),
        ...(t.replicationFactor !== replicationFactor ? { replicationFactor: t.replicationFactor } : {}),
        config: own,
      };
    }),
  };
}
