/**
 * The REST v3 wire format (see the OpenAPI specs' TopicData, TopicConfigData, AclData, ...), and
 * the checks that turn untrusted JSON into these shapes.
 */
import { ApiError } from '../../errors.js';

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

/**
 * Checks one `TopicConfigData`. The checked object itself is returned, not a copy: a big cluster's
 * listing has hundreds of thousands of entries, each read once and reduced at once.
 */
export function toTopicConfig(raw: unknown): V3TopicConfig {
  if (!isObject(raw)) throw malformed('topic config');
  const synonyms = raw.synonyms;
  if (!Array.isArray(synonyms)) throw malformed('topic config (synonyms)');
  str(raw, 'topic_name', 'topic config');
  str(raw, 'name', 'topic config');
  bool(raw, 'is_default', 'topic config');
  bool(raw, 'is_read_only', 'topic config');
  bool(raw, 'is_sensitive', 'topic config');
  str(raw, 'source', 'topic config');
  // An absent value is null, as the type says.
  if (nullableStr(raw, 'value', 'topic config') === null) raw.value = null;
  for (const s of synonyms) {
    if (!isObject(s)) throw malformed('config synonym');
    str(s, 'name', 'config synonym');
    str(s, 'source', 'config synonym');
    if (nullableStr(s, 'value', 'config synonym') === null) s.value = null;
  }
  return raw as unknown as V3TopicConfig;
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
