import { createHash, type Hash } from 'node:crypto';
import type { AclBinding, LiveConfig, LiveState, LiveTopic } from '../model.js';
import { compareAcls, compareStrings } from './order.js';

// The canonical JSON (keys sorted, no whitespace) is written piece by piece into the hash instead
// of being built as one object graph and one string: at 100,000 topics that string would be
// ~350 MB (near V8's string limit) and the graph millions of objects. Each builder lists its keys
// in sorted order, so the bytes hashed are exactly `JSON.stringify` of the canonical value.

/** One `"name":value,` member of canonical JSON; nothing for undefined, as `JSON.stringify` omits it. */
function member(name: string, value: unknown): string {
  return value === undefined ? '' : `"${name}":${JSON.stringify(value)},`;
}

/**
 * `JSON.stringify` of the config's canonical object (keys sorted), written out without building
 * the object: this runs for every topic-level entry of the cluster.
 */
function configJson(c: LiveConfig): string {
  const members = `${member('inheritedValue', c.inheritedValue)}${member('readOnly', c.readOnly)}${member('sensitive', c.sensitive)}${member('setOnTopic', c.setOnTopic)}${member('source', c.source)}${member('value', c.value)}`;
  return `{${members.slice(0, -1)}}`;
}

function canonicalBinding(b: AclBinding): object {
  return {
    host: b.host,
    operation: b.operation,
    patternType: b.patternType,
    permission: b.permission,
    principal: b.principal,
    resourceName: b.resourceName,
    resourceType: b.resourceType,
  };
}

/** Feeds text to a hash in large pieces (one `update` per few characters would dominate). */
class HashWriter {
  #pending: string[] = [];
  #size = 0;

  constructor(private readonly hash: Hash) {}

  write(text: string): void {
    this.#pending.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 16) this.flush();
  }

  flush(): void {
    this.hash.update(this.#pending.join(''));
    this.#pending = [];
    this.#size = 0;
  }
}

/** `list` in order: as given when already sorted (targets sort their lists), else a sorted copy. */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) {
    if (compare(list[i - 1] as T, list[i] as T) > 0) return [...list].sort(compare);
  }
  return list;
}

/** The keys in order; targets already hand them sorted, so usually one linear check and no sort. */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort(compareStrings);
  }
  return keys;
}

function writeTopic(out: HashWriter, t: LiveTopic, entryJson: (key: string, c: LiveConfig) => string): void {
  let configs = '';
  for (const key of sortedKeys(t.configs)) configs += `${configs === '' ? '' : ','}${entryJson(key, t.configs[key] as LiveConfig)}`;
  out.write(
    `{"configs":{${configs}},"internal":${JSON.stringify(t.internal)},"name":${JSON.stringify(t.name)},"partitions":${JSON.stringify(t.partitions)},"replicationFactor":${JSON.stringify(t.replicationFactor)}}`,
  );
}

/**
 * Identifies a live state: `sha256:` + hex digest of its canonical JSON (keys sorted). Only the
 * `LiveState` fields count (a snapshot's `formatVersion`/`source` or a target's extra properties do
 * not), and lists are sorted first, so a target listing topics or ACLs in another order yields the
 * same fingerprint — a saved plan is refused only when the cluster really changed.
 */
export function fingerprint(live: LiveState): string {
  const hash = createHash('sha256');
  const out = new HashWriter(hash);
  // Targets share identical inherited entries between topics (one object per distinct entry), so
  // each distinct `"key":{...}` member is serialised once.
  const members = new Map<LiveConfig, { key: string; json: string }>();
  const entryJson = (key: string, c: LiveConfig): string => {
    const seen = members.get(c);
    if (seen !== undefined && seen.key === key) return seen.json;
    const json = `${JSON.stringify(key)}:${configJson(c)}`;
    members.set(c, { key, json });
    return json;
  };
  out.write('{"acls":[');
  const acls = inOrder(live.acls, compareAcls);
  for (let i = 0; i < acls.length; i++) out.write(`${i === 0 ? '' : ','}${JSON.stringify(canonicalBinding(acls[i] as AclBinding))}`);
  out.write(`],"clusterId":${JSON.stringify(live.clusterId)}`);
  if (live.principals) out.write(`,"principals":${JSON.stringify([...live.principals].sort(compareStrings))}`);
  out.write(',"topics":[');
  const topics = inOrder(live.topics, (a, b) => compareStrings(a.name, b.name));
  for (let i = 0; i < topics.length; i++) {
    if (i > 0) out.write(',');
    writeTopic(out, topics[i] as LiveTopic, entryJson);
  }
  out.write(']}');
  out.flush();
  return `sha256:${hash.digest('hex')}`;
}
