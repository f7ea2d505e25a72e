import { createHash } from 'node:crypto';
import type { DesiredAcl, DesiredState, DesiredTopic } from '../model.js';
import type { OrderedAcls } from './acls.js';
import { HashWriter, inOrder, str, writeAcls } from './fingerprint.js';
import { ACL_KEY_FIELDS, compareAcls, compareStrings } from './order.js';

// The desired-state digest ties a saved plan to the manifests it was made from, as the fingerprint
// ties it to the live state. It hashes everything the manifests give the planner: the desired state
// and the manifests' ignored config prefixes. Lists are sets (topics by name, bindings as
// `compareAcls`, any other list by its elements' encoding), keys are sorted, and `source` locations
// are left out: moving a topic to another line or file changes nothing a plan does, so it must not
// make a saved plan stale. The field lists below must name every field of the model (the compiler
// checks), so a field added later cannot change plans without changing the digest.
//
//   state  = "kafkaform-desired/2\n" "t" n ":" topic* "a" n ":" acl* ["r" str(role or "")*] json(other fields) json(prefixes)
//   topic  = str(name) partitions "," replicationFactor "," config
//   config = "=" (the same keys and values as the previous topic's, none before the first topic:
//                 topics mostly share them)
//          | n ":" (str(key) str(value))*     (keys sorted)
//   acl   as in the fingerprint (fields shared with the previous binding are not repeated)
//   role  the role of each binding in the same order, written only when some binding has one
//         (a plan names the role of each binding it creates, so a renamed role changes the plan)
//   str   as in the fingerprint;  json = canonical JSON (keys sorted, lists sorted, no `source`)

const FORMAT = 'kafkaform-desired/2\n';
// The fields the encoding writes (or leaves out: `source`). A field added to the model makes these
// types fail to compile until the encoding covers it.
type Holds<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type TopicFieldsCovered = Holds<Same<keyof DesiredTopic, 'name' | 'partitions' | 'replicationFactor' | 'config' | 'source'>>;
type AclFieldsCovered = Holds<Same<keyof DesiredAcl, (typeof ACL_KEY_FIELDS)[number] | 'source' | 'role'>>;

type Encodable = string | number | boolean | null | undefined | readonly Encodable[] | { readonly [key: string]: Encodable };

/** Canonical JSON: keys sorted, `source` and undefined left out, lists sorted by their elements' JSON. */
function json(value: Encodable): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${inOrder((value as readonly Encodable[]).map(json), compareStrings).join(',')}]`;
  const record = value as { readonly [key: string]: Encodable };
  const parts: string[] = [];
  for (const key of Object.keys(record).sort(compareStrings)) {
    if (key !== 'source' && record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${json(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

/** Writes topics in order, each config as `=` when it is the previous topic's (see `config` above). */
class TopicWriter {
  #keys: string[] = [];
  #values: string[] = [];

  constructor(private readonly out: HashWriter) {}

  write(t: DesiredTopic): void {
    const head = `${str(t.name)}${t.partitions},${t.replicationFactor},`;
    if (this.#sameConfig(t.config)) {
      this.out.write(`${head}=`);
      return;
    }
    // `for in` yields the record's keys without allocating an array; sorted only when they are not.
    const keys: string[] = [];
    let sorted = true;
    for (const key in t.config) {
      if (keys.length > 0 && (keys[keys.length - 1] as string) > key) sorted = false;
      keys.push(key);
    }
    if (!sorted) keys.sort(compareStrings);
    const values = keys.map((key) => t.config[key] as string);
    let text = `${head}${keys.length}:`;
    for (let i = 0; i < keys.length; i++) text += `${str(keys[i] as string)}${str(values[i] as string)}`;
    this.out.write(text);
    this.#keys = keys;
    this.#values = values;
  }

  /** Whether `config` has exactly the previous topic's keys and values, in any key order. */
  #sameConfig(config: Readonly<Record<string, string>>): boolean {
    const keys = this.#keys;
    let i = 0;
    for (const key in config) {
      // Keys in the previous topic's order are compared in step; any other order by lookup.
      if (keys[i] !== key) return this.#sameByLookup(config);
      if (this.#values[i] !== config[key]) return false;
      i++;
    }
    return i === keys.length;
  }

  #sameByLookup(config: Readonly<Record<string, string>>): boolean {
    let count = 0;
    for (const key in config) {
      const at = this.#keys.indexOf(key);
      if (at < 0 || this.#values[at] !== config[key]) return false;
      count++;
    }
    return count === this.#keys.length;
  }
}

/**
 * Identifies what the manifests ask of one cluster: `sha256:` + hex digest of the desired state and
 * the manifests' ignored config prefixes (encoding above). Equal for the same content whatever
 * order its lists and keys come in, and whatever files and lines declare it.
 */
export function desiredDigest(
  desired: DesiredState,
  ignoredConfigPrefixes: readonly string[],
  sorted: { topics?: readonly DesiredTopic[]; acls?: OrderedAcls<DesiredAcl> } = {},
): string {
  const hash = createHash('sha256');
  const out = new HashWriter(hash);
  const { topics, acls, ...rest } = desired;
  out.write(`${FORMAT}t${topics.length}:`);
  const writer = new TopicWriter(out);
  for (const t of sorted.topics ?? inOrder(topics, (a, b) => compareStrings(a.name, b.name))) writer.write(t);
  const ordered = sorted.acls?.list ?? inOrder(acls, compareAcls);
  out.write(`a${ordered.length}:`);
  writeAcls(out, ordered, sorted.acls?.shared);
  if (ordered.some((a) => a.role !== undefined)) {
    out.write('r');
    for (const a of ordered) out.write(str(a.role ?? ''));
  }
  out.write(`${json(rest as unknown as Encodable)}${json(ignoredConfigPrefixes)}`);
  out.flush();
  return `sha256:${hash.digest('hex')}`;
}
