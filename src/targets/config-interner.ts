/**
 * Sharing identical inherited config entries between topics, for every target that reads a
 * cluster's configs in bulk (REST v3's config listing, Kafka's DescribeConfigs).
 */
import type { LiveConfig } from '../model.js';

/** Shared variants per config key (see `ConfigInterner`). */
const MAX_VARIANTS = 16;

/**
 * Shares identical config entries between topics: on a big cluster most of the ~30 entries per
 * topic are the same inherited defaults, and one frozen object each saves most of the memory.
 */
export class ConfigInterner {
  /**
   * The shared entries of each key, compared field by field (building a string id per entry cost
   * more than the rest of the interning). A key has one or a few inherited variants; past
   * `MAX_VARIANTS` new ones are kept unshared, which bounds the search.
   */
  readonly #seen = new Map<string, LiveConfig[]>();

  /** Returns `config`, or an identical entry seen before; topic-level entries are kept as is. */
  intern(key: string, config: LiveConfig): LiveConfig {
    if (config.setOnTopic) return config;
    let variants = this.#seen.get(key);
    if (variants === undefined) this.#seen.set(key, (variants = []));
    for (const v of variants) {
      if (
        v.value === config.value &&
        v.source === config.source &&
        v.inheritedValue === config.inheritedValue &&
        v.readOnly === config.readOnly &&
        v.sensitive === config.sensitive
      ) {
        return v;
      }
    }
    if (variants.length < MAX_VARIANTS) variants.push(Object.freeze(config));
    return config;
  }
}
