/**
 * The REST v3 wire format (see the OpenAPI specs' TopicData, TopicConfigData, AclData, ...), and
 * the checks that turn untrusted JSON into these shapes.
 */
import { ApiError } from '../../errors.js';
import { ByteStrings, JsonBytes, NameSet, ReadStop } from '../../http/json-bytes.js';

/** `TopicData`, the fields kafkaform uses. */
export interface V3Topic {
  topic_name: string;
  is_internal: boolean;
  replication_factor: number;
  partitions_count: number;
}

/** `ConfigSynonymData`. */
export interface V3Synonym {
  name: string;
  value: string | null;
  source: string;
}

/** `TopicConfigData`, the fields kafkaform uses. */
export interface V3TopicConfig {
  topic_name: string;
  name: string;
  value: string | null;
  is_default: boolean;
  is_read_only: boolean;
  is_sensitive: boolean;
  source: string;
  synonyms: V3Synonym[];
}

/** `AclData` / `CreateAclRequestData`, the binding fields. */
export interface V3Acl {
  resource_type: string;
  resource_name: string;
  pattern_type: string;
  principal: string;
  host: string;
  operation: string;
  permission: string;
}

/** Thrown when a response does not have the documented shape. */
export function malformed(what: string): ApiError {
  const text = `the response has a malformed ${what}`;
  return new ApiError(`The REST v3 endpoint sent a malformed ${what}`, { method: 'GET', url: '', serverMessage: text });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, k: string, what: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw malformed(`${what} (${k})`);
  return v;
}

function nullableStr(o: Record<string, unknown>, k: string, what: string): string | null {
  const v = o[k];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw malformed(`${what} (${k})`);
  return v;
}

function bool(o: Record<string, unknown>, k: string, what: string): boolean {
  const v = o[k];
  if (typeof v !== 'boolean') throw malformed(`${what} (${k})`);
  return v;
}

function int(o: Record<string, unknown>, k: string, what: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw malformed(`${what} (${k})`);
  return v;
}

/** Checks one `TopicData`. */
export function toTopic(raw: unknown): V3Topic {
  if (!isObject(raw)) throw malformed('topic');
  return {
    topic_name: str(raw, 'topic_name', 'topic'),
    is_internal: bool(raw, 'is_internal', 'topic'),
    replication_factor: int(raw, 'replication_factor', 'topic'),
    partitions_count: int(raw, 'partitions_count', 'topic'),
  };
}

/** Checks one `TopicConfigData`. */
export function toTopicConfig(raw: unknown): V3TopicConfig {
  if (!isObject(raw)) throw malformed('topic config');
  const synonyms = raw.synonyms;
  if (!Array.isArray(synonyms)) throw malformed('topic config (synonyms)');
  // Checked in this order so the first problem reported stays the same.
  const topicName = str(raw, 'topic_name', 'topic config');
  const name = str(raw, 'name', 'topic config');
  const isDefault = bool(raw, 'is_default', 'topic config');
  const isReadOnly = bool(raw, 'is_read_only', 'topic config');
  const isSensitive = bool(raw, 'is_sensitive', 'topic config');
  const source = str(raw, 'source', 'topic config');
  // An absent value is null, as the type says.
  const value = nullableStr(raw, 'value', 'topic config');
  const config: V3TopicConfig = {
    topic_name: topicName,
    name,
    value,
    is_default: isDefault,
    is_read_only: isReadOnly,
    is_sensitive: isSensitive,
    source,
    synonyms: [],
  };
  for (const s of synonyms) {
    if (!isObject(s)) throw malformed('config synonym');
    const synonymName = str(s, 'name', 'config synonym');
    const synonymSource = str(s, 'source', 'config synonym');
    config.synonyms.push({ name: synonymName, value: nullableStr(s, 'value', 'config synonym'), source: synonymSource });
  }
  return config;
}

const CONFIG_FIELDS = new NameSet(['topic_name', 'name', 'value', 'is_default', 'is_read_only', 'is_sensitive', 'source', 'synonyms']);
const SYNONYM_FIELDS = new NameSet(['name', 'value', 'source']);

/**
 * Reads one `TopicConfigData` straight from a listing's bytes (see `JsonBytes`): exactly what
 * `toTopicConfig(JSON.parse(text))` gives, or a `ReadStop` when the entry is not plain enough —
 * a field missing or of another type included, so `toTopicConfig` reports it as always.
 * `strings` shares the repeated names and values, `topics` the topic name of consecutive entries.
 */
export function readTopicConfig(r: JsonBytes, strings: ByteStrings, topics: ByteStrings): V3TopicConfig {
  let topicName: string | undefined;
  let name: string | undefined;
  let value: string | null = null;
  let isDefault: boolean | undefined;
  let isReadOnly: boolean | undefined;
  let isSensitive: boolean | undefined;
  let source: string | undefined;
  let synonyms: V3Synonym[] | undefined;
  if (r.openObject()) {
    do {
      // A repeated field is read again: the last one wins, as with JSON.parse.
      switch (r.member(CONFIG_FIELDS)) {
        case 0:
          topicName = r.text(topics);
          break;
        case 1:
          name = r.text(strings);
          break;
        case 2:
          value = r.nullableText(strings);
          break;
        case 3:
          isDefault = r.boolean();
          break;
        case 4:
          isReadOnly = r.boolean();
          break;
        case 5:
          isSensitive = r.boolean();
          break;
        case 6:
          source = r.text(strings);
          break;
        case 7:
          synonyms = readSynonyms(r, strings);
          break;
        default:
          r.skip();
      }
    } while (r.nextMember());
  }
  if (
    topicName === undefined ||
    name === undefined ||
    isDefault === undefined ||
    isReadOnly === undefined ||
    isSensitive === undefined ||
    source === undefined ||
    synonyms === undefined
  ) {
    throw ReadStop.unsupported;
  }
  return { topic_name: topicName, name, value, is_default: isDefault, is_read_only: isReadOnly, is_sensitive: isSensitive, source, synonyms };
}

function readSynonyms(r: JsonBytes, strings: ByteStrings): V3Synonym[] {
  const out: V3Synonym[] = [];
  if (!r.openArray()) return out;
  do {
    let name: string | undefined;
    let value: string | null = null;
    let source: string | undefined;
    if (r.openObject()) {
      do {
        const field = r.member(SYNONYM_FIELDS);
        if (field === 0) name = r.text(strings);
        else if (field === 1) value = r.nullableText(strings);
        else if (field === 2) source = r.text(strings);
        else r.skip();
      } while (r.nextMember());
    }
    if (name === undefined || source === undefined) throw ReadStop.unsupported;
    out.push({ name, value, source });
  } while (r.nextElement());
  return out;
}

/** Checks one `AclData`. */
export function toAcl(raw: unknown): V3Acl {
  if (!isObject(raw)) throw malformed('ACL');
  return {
    resource_type: str(raw, 'resource_type', 'ACL'),
    resource_name: str(raw, 'resource_name', 'ACL'),
    pattern_type: str(raw, 'pattern_type', 'ACL'),
    principal: str(raw, 'principal', 'ACL'),
    host: str(raw, 'host', 'ACL'),
    operation: str(raw, 'operation', 'ACL'),
    permission: str(raw, 'permission', 'ACL'),
  };
}

/** Checks one `ClusterData` and returns its id. */
export function toClusterId(raw: unknown): string {
  if (!isObject(raw)) throw malformed('cluster');
  return str(raw, 'cluster_id', 'cluster');
}
