import { createHash, type Hash } from 'node:crypto';
import type { AclBinding, LiveConfig, LiveState, LiveTopic } from '../model.js';
import { ACL_KEY_FIELDS, compareAcls, compareStrings } from './order.js';

// The fingerprint hashes a compact, unambiguous encoding of the live state (format 3), not its
// canonical JSON: at 100,000 topics that JSON is ~350 MB, almost all of it the same ~30 inherited
// config entries repeated on every topic, and writing and hashing it took seconds. Here a topic's
// config entries that equal the previous topic's at the same positions (most of them: topics of a
// cluster mostly have the same keys and values) are written as a run length; of the others, each
// distinct inherited `(key, entry)` is written in full once, where it first occurs in canonical
// order, and by its number after that; entries set on a topic are written in full. The encoding
// can be decoded back into the state, so two different states never give the same bytes; it
// depends only on content (not on which objects a target shares, nor on the order of its lists).
//
//   state   = "kafkaform-live/3\n" "c" str(clusterId) principals "a" n ":" acl* "t" n ":" topic*
//   principals = "p-" (none) | "p" n ":" str* (sorted)
//   acl     = k str*          (bindings sorted as compareAcls; k, one digit, is how many leading
//             fields of principal, host, resourceType, resourceName, patternType, operation,
//             permission equal the previous binding's; the other fields follow)
//   topic   = str(name) num "," num "," bit n ":" config*     (partitions, RF, internal; by name)
//   config  = "=" k ","                 (the next k entries, k >= 1, are the previous topic's at
//                                        the same positions: same keys, same content; every
//                                        entry that is, is written so, in runs as long as possible)
//           | "#" id ","                (an inherited entry written before: its number, from 0)
//           | "+" str(key) opt(value) bit bit bit opt(inheritedValue) opt(source)
//                                        (setOnTopic, readOnly, sensitive; configs sorted by key)
//   str     = length ":" text       | JSON string literal (text with a surrogate code unit)
//   opt     = "~" (null) | "-" (undefined) | str
//   bit     = "0" | "1"

const FORMAT = 'kafkaform-live/3\n';
const SURROGATE = /[\ud800-\udfff]/;

/**
 * A string written so that where it ends is known. Hashing encodes text as UTF-8, which would
 * turn any lone surrogate into U+FFFD, so text with surrogates is written as JSON (which escapes
 * lone ones) and starts with `"` where the length form starts with a digit.
 */
export function str(s: string): string {
  return SURROGATE.test(s) ? JSON.stringify(s) : `${s.length}:${s}`;
}

function opt(s: string | null | undefined): string {
  return s === null ? '~' : s === undefined ? '-' : str(s);
}

function bit(b: boolean): string {
  return b ? '1' : '0';
}

function configText(key: string, c: LiveConfig): string {
  return `+${str(key)}${opt(c.value)}${bit(c.setOnTopic)}${bit(c.readOnly)}${bit(c.sensitive)}${opt(c.inheritedValue)}${opt(c.source)}`;
}

/**
 * Writes the bindings, each as the number of leading fields it shares with the binding before it
 * and its remaining fields: sorted bindings mostly repeat the principal and host. `shared`, when
 * the caller has it (`sharedLeadingFields`), saves comparing the bindings again.
 */
export function writeAcls(out: HashWriter, acls: readonly AclBinding[], shared?: Uint8Array): void {
  let prev: AclBinding | undefined;
  for (let i = 0; i < acls.length; i++) {
    const b = acls[i] as AclBinding;
    let same = 0;
    if (shared !== undefined) same = shared[i] as number;
    else if (prev !== undefined) {
      for (const f of ACL_KEY_FIELDS) {
        if (b[f] !== prev[f]) break;
        same++;
      }
    }
    // Field by field with fixed names (in `ACL_KEY_FIELDS` order): a lookup by a varying name
    // costs more than the rest of the encoding.
    let text = `${same}`;
    if (same < 1) text += str(b.principal);
    if (same < 2) text += str(b.host);
    if (same < 3) text += str(b.resourceType);
    if (same < 4) text += str(b.resourceName);
    if (same < 5) text += str(b.patternType);
    if (same < 6) text += str(b.operation);
    if (same < 7) text += str(b.permission);
    out.write(text);
    prev = b;
  }
}

/** Feeds text to a hash in large pieces (one `update` per few characters would dominate). */
export class HashWriter {
  #pending = '';

  constructor(private readonly hash: Hash) {}

  write(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= 1 << 16) this.flush();
  }

  flush(): void {
this.hash.update(this.#pending);
    this.#pending = '';
  }
}

/** `list` in order: as given when already sorted (targets sort their lists), else a sorted copy. */
export function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) {
    if (compare(list[i - 1] as T, list[i] as T) > 0) return [...list].sort(compare);
  }
  return list;
}

/** Same content: a target that does not share entries (a snapshot file) still skips the text. */
function sameEntry(a: LiveConfig, b: LiveConfig): boolean {
  return (
    a.value === b.value &&
    a.setOnTopic === b.setOnTopic &&
    a.readOnly === b.readOnly &&
    a.sensitive === b.sensitive &&
    a.inheritedValue === b.inheritedValue &&
    a.source === b.source
  );
}

/** Numbers the distinct inherited config entries in the order they are first written. */
class ConfigNumbers {
  // By content, so equal entries get one number whether or not a target shares their object.
  readonly #byText = new Map<string, number>();
  // The last entry seen per key: a changed inherited entry is usually one seen before (often the
  // very object, shared by the target), so it is neither re-encoded nor looked up by its text.
  readonly #last = new Map<string, { config: LiveConfig; ref: string }>();

  /**
   * The entry as written here: an entry set on the topic in full (it belongs to that topic alone);
   * an inherited one in full the first time its content occurs, else its number.
   */
  ref(key: string, c: LiveConfig): string {
    if (c.setOnTopic) return configText(key, c);
    const last = this.#last.get(key);
    if (last !== undefined && (last.config === c || sameEntry(last.config, c))) return last.ref;
    const text = configText(key, c);
    let id = this.#byText.get(text);
    const first = id === undefined;
    if (id === undefined) {
      id = this.#byText.size;
      this.#byText.set(text, id);
    }
    const entry = { config: c, ref: `#${id},` };
    this.#last.set(key, entry);
    return first ? text : entry.ref;
  }
}

/** Writes topics in order, each config entry against the previous topic's (see `config` above). */
class TopicWriter {
  readonly #numbers = new ConfigNumbers();
  // This topic's and the previous topic's entries in key order; the two pairs swap per topic.
  #keys: string[] = [];
  #configs: LiveConfig[] = [];
  #prevKeys: string[] = [];
  #prevConfigs: LiveConfig[] = [];
  #prevCount = 0;

  constructor(private readonly out: HashWriter) {}

  write(t: LiveTopic): void {
    // `for in` yields a record's own keys like `Object.keys` without allocating the array; targets
    // hand the keys sorted, and only a record that is not is sorted first.
    const keys = this.#keys;
    const configs = this.#configs;
    let count = 0;
    let sorted = true;
    for (const key in t.configs) {
      if (count > 0 && (keys[count - 1] as string) > key) sorted = false;
      keys[count] = key;
      // Read inside the `for in`, where V8 looks the value up by the key's position.
      configs[count++] = t.configs[key] as LiveConfig;
    }
    keys.length = count;
    configs.length = count;
    if (!sorted) {
      keys.sort(compareStrings);
      for (let i = 0; i < count; i++) configs[i] = t.configs[keys[i] as string] as LiveConfig;
    }

    const prevKeys = this.#prevKeys;
    const prevConfigs = this.#prevConfigs;
    const same = Math.min(count, this.#prevCount);
    let text = `${str(t.name)}${t.partitions},${t.replicationFactor},${bit(t.internal)}${count}:`;
    let run = 0;
    for (let i = 0; i < count; i++) {
      const key = keys[i] as string;
      const c = configs[i] as LiveConfig;
      if (i < same && prevKeys[i] === key) {
        const before = prevConfigs[i] as LiveConfig;
        if (before === c || sameEntry(before, c)) {
          run++;
          continue;
        }
      }
      if (run > 0) {
        text += `=${run},`;
        run = 0;
      }
      text += this.#numbers.ref(key, c);
    }
    if (run > 0) text += `=${run},`;
    this.out.write(text);
    this.#prevKeys = keys;
    this.#prevConfigs = configs;
    this.#keys = prevKeys;
    this.#configs = prevConfigs;
    this.#prevCount = count;
  }
}

/**
 * Identifies a live state: `sha256:` + hex digest of its encoding (format 3, above). Only the
 * `LiveState` fields count (a snapshot's `formatVersion`/`source` or a target's extra properties do
 * not), and lists are taken in sorted order, so a target listing topics, configs or ACLs in another
 * order yields the same fingerprint — a saved plan is refused only when the cluster really changed.
 */
export function fingerprint(live: LiveState): string {
  return fingerprintOf(live, {});
}

/**
 * `fingerprint`, for a caller that already holds the live lists in canonical order (the planner
 * sorts them anyway): those are used as they are.
 */
export function fingerprintOf(
  live: LiveState,
  sorted: { topics?: readonly LiveTopic[]; acls?: { list: readonly AclBinding[]; shared: Uint8Array } },
): string {
  const hash = createHash('sha256');
  const out = new HashWriter(hash);
  out.write(`${FORMAT}c${str(live.clusterId)}`);
  if (live.principals === undefined) out.write('p-');
  else {
    const principals = [...live.principals].sort(compareStrings);
    out.write(`p${principals.length}:`);
    for (const p of principals) out.write(str(p));
  }
  const acls = sorted.acls?.list ?? inOrder(live.acls, compareAcls);
  out.write(`a${acls.length}:`);
  writeAcls(out, acls, sorted.acls?.shared);
  const topics = sorted.topics ?? inOrder(live.topics, (a, b) => compareStrings(a.name, b.name));
  out.write(`t${topics.length}:`);
  const writer = new TopicWriter(out);
  for (const t of topics) writer.write(t);
  out.flush();
  return `sha256:${hash.digest('hex')}`;
}
