/**
 * Waiting until the brokers show topic changes (creates, partition increases, deletes): Metadata
 * lags seconds behind the controller after large batches, and the re-read after apply must see
 * them. Units waiting at the same time share one poll loop, and each round asks first for one
 * pending topic per waiting unit: the topics of one request usually show together (KRaft commits a
 * CreateTopics request as one atomic batch), so only once those show is Metadata asked for every
 * pending topic. While the brokers catch up, each poll is a few topics instead of thousands of
 * per-topic errors.
 */
import type { metadataV10 } from '@platformatic/kafka';
import { KAFKA_ERRORS } from './errors.js';

/** What the watch needs from the target. */
export interface TopicWatchOptions {
  /** Metadata for the named topics. */
  metadata(names: string[]): Promise<metadataV10.MetadataResponse>;
  sleep(ms: number): Promise<void>;
  /** Told how many changes of one unit are still not visible when it gives up on them. */
  gaveUp(missing: number): void;
  /** How long one unit waits before giving up quietly (the re-read then reports what it does not see). */
  maxWaitMs: number;
}

interface Waiter {
  /** Topic → the partition count it must show at least, or undefined: it must be gone. */
  pending: Map<string, number | undefined>;
  waitedMs: number;
  resolve(): void;
  reject(error: unknown): void;
}

const FIRST_DELAY_MS = 50;
// Polls are a topic or two per waiting unit, so polling often costs little, while a long pause
// would hold apply for most of it after the brokers already show the topics (a batch of 1,000
// creates shows after a few seconds).
const MAX_DELAY_MS = 250;

/** One poll loop for every unit waiting for its topic changes to show. */
export class TopicWatch {
  readonly #options: TopicWatchOptions;
  readonly #waiting = new Set<Waiter>();
  #polling = false;

  constructor(options: TopicWatchOptions) {
    this.#options = options;
  }

  /**
   * Resolves once Metadata shows every topic of `expected` with at least its partition count
   * (undefined: the topic is gone), or after `maxWaitMs` with `gaveUp`. Rejects when Metadata fails.
   */
  until(expected: ReadonlyMap<string, number | undefined>): Promise<void> {
    if (expected.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiting.add({ pending: new Map(expected), waitedMs: 0, resolve, reject });
      if (!this.#polling) {
        this.#polling = true;
        void this.#poll();
      }
    });
  }

  async #poll(): Promise<void> {
    let delay = FIRST_DELAY_MS;
    // Checked and cleared in the same turn, so a unit arriving later always finds a loop running.
    while (this.#waiting.size > 0) {
      try {
        const waiters = [...this.#waiting];
        const probes = [...new Set(waiters.map((w) => w.pending.keys().next().value as string))];
        const shown = this.#settle(waiters, probes, await this.#options.metadata(probes));
        const rest = [...new Set(waiters.flatMap((w) => [...w.pending.keys()]))];
        if (shown === probes.length && rest.length > 0) this.#settle(waiters, rest, await this.#options.metadata(rest));
      } catch (e) {
        for (const w of this.#waiting) w.reject(e);
        this.#waiting.clear();
        break;
      }
      for (const w of this.#waiting) {
        if (w.pending.size === 0) {
          this.#waiting.delete(w);
          w.resolve();
        } else if (w.waitedMs >= this.#options.maxWaitMs) {
          this.#waiting.delete(w);
          this.#options.gaveUp(w.pending.size);
          w.resolve();
        }
      }
      if (this.#waiting.size === 0) break;
      await this.#options.sleep(delay);
      for (const w of this.#waiting) w.waitedMs += delay;
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
    this.#polling = false;
  }

  /** Removes what `md` shows done of the `asked` topics from every waiter; returns how many were. */
  #settle(waiters: readonly Waiter[], asked: readonly string[], md: metadataV10.MetadataResponse): number {
    const byName = new Map(md.topics.map((t) => [t.name ?? '', t]));
    let shown = 0;
    for (const name of asked) {
      const t = byName.get(name);
      let done = false;
      for (const w of waiters) {
        if (!w.pending.has(name)) continue;
        const want = w.pending.get(name);
        done =
          want === undefined
            ? t === undefined || t.errorCode === KAFKA_ERRORS.unknownTopic
            : t !== undefined && t.errorCode === 0 && t.partitions.length >= want;
        if (done) w.pending.delete(name);
      }
      if (done) shown++;
    }
    return shown;
  }
}
