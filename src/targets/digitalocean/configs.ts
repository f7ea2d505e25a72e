/**
 * DigitalOcean's topic config ↔ Kafka's, both ways, through one explicit table.
 *
 * DigitalOcean names topic configs in snake_case and types their values (numbers, booleans,
 * enums such as `compact_delete` or `create_time`); manifests and the planner use Kafka's names
 * and canonical strings. The names are NOT derivable by swapping `_` for `.`:
 * `message_down_conversion_enable` is Kafka's `message.downconversion.enable`. Every row was checked
 * against Kafka's topic config names (the catalog in `src/kafka/configs.ts`, and a unit test
 * keeps it so).
 *
 * Ranges, enums and defaults come from the request schema of
 * `PUT /v2/databases/{uuid}/topics/{name}` (openapi.kafka-topics-users.yaml), where it is right:
 * - its `default`/`example` 9223372036854776000 is Long.MAX_VALUE (9223372036854775807) after a
 *   trip through a float64; we use the exact value;
 * - its `compression_type` enum lists `Iz4` (capital i); the value is Kafka's `lz4`, which is what
 *   we send, and `Iz4` is still understood when read;
 * - responses carry `message_timestamp_difference_max_ms` and `segment_index_bytes`, which the
 *   request schema does not list: they are read (so export shows them) and marked read-only.
 */
import { LosslessNumber, isLosslessNumber } from 'lossless-json';
import { canonicalConfigValue } from '../../kafka/configs.js';

/** A config value as DigitalOcean's JSON carries it; numbers stay lossless (64-bit). */
export type DoConfigValue = string | boolean | LosslessNumber;

/** One row of the mapping table. */
export interface DoConfigEntry {
  /** DigitalOcean's snake_case key. */
  doKey: string;
  /** Kafka's config name. */
  kafkaKey: string;
  /** How the value is typed on DigitalOcean's side. */
  type: 'long' | 'int' | 'double' | 'boolean' | 'enum';
  /** For enums: DigitalOcean's value → Kafka's canonical value. */
  values?: Readonly<Record<string, string>>;
  /** Inclusive bounds (integers as bigint, doubles as number); from the schema, or the type's width. */
  min?: bigint | number;
  max?: bigint | number;
  /** The documented default as a Kafka canonical string: what a reset (DELETE) writes. */
  defaultValue: string;
  /** False for keys responses carry but the request schema does not accept. */
  writable: boolean;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MAX_STRING = LONG_MAX.toString();

const MESSAGE_FORMAT_VERSIONS = [
  '0.8.0', '0.8.1', '0.8.2', '0.9.0', '0.10.0-IV0', '0.10.0-IV1', '0.10.1-IV0', '0.10.1-IV1', '0.10.1-IV2',
  '0.10.2-IV0', '0.11.0-IV0', '0.11.0-IV1', '0.11.0-IV2', '1.0-IV0', '1.1-IV0', '2.0-IV0', '2.0-IV1', '2.1-IV0',
  '2.1-IV1', '2.1-IV2', '2.2-IV0', '2.2-IV1', '2.3-IV0', '2.3-IV1', '2.4-IV0', '2.4-IV1', '2.5-IV0', '2.6-IV0',
  '2.7-IV0', '2.7-IV1', '2.7-IV2', '2.8-IV0', '2.8-IV1', '3.0-IV0', '3.0-IV1', '3.1-IV0', '3.2-IV0', '3.3-IV0',
  '3.3-IV1', '3.3-IV2', '3.3-IV3',
] as const;

function long(doKey: string, kafkaKey: string, defaultValue: string, min: bigint = LONG_MIN, writable = true): DoConfigEntry {
  return { doKey, kafkaKey, type: 'long', min, max: LONG_MAX, defaultValue, writable };
}
function int(doKey: string, kafkaKey: string, defaultValue: string, min: bigint = INT_MIN): DoConfigEntry {
  return { doKey, kafkaKey, type: 'int', min, max: INT_MAX, defaultValue, writable: true };
}

/** The table, sorted by DigitalOcean key. */
export const DO_CONFIGS: readonly DoConfigEntry[] = [
  {
    doKey: 'cleanup_policy',
    kafkaKey: 'cleanup.policy',
    type: 'enum',
    values: { delete: 'delete', compact: 'compact', compact_delete: 'compact,delete' },
    defaultValue: 'delete',
    writable: true,
  },
  {
    doKey: 'compression_type',
    kafkaKey: 'compression.type',
    type: 'enum',
    values: { producer: 'producer', gzip: 'gzip', snappy: 'snappy', lz4: 'lz4', zstd: 'zstd', uncompressed: 'uncompressed' },
    defaultValue: 'producer',
    writable: true,
  },
  long('delete_retention_ms', 'delete.retention.ms', '86400000'),
  long('file_delete_delay_ms', 'file.delete.delay.ms', '60000'),
  long('flush_messages', 'flush.messages', LONG_MAX_STRING),
  long('flush_ms', 'flush.ms', LONG_MAX_STRING),
  int('index_interval_bytes', 'index.interval.bytes', '4096'),
  long('max_compaction_lag_ms', 'max.compaction.lag.ms', LONG_MAX_STRING),
  int('max_message_bytes', 'max.message.bytes', '1048588'),
  { doKey: 'message_down_conversion_enable', kafkaKey: 'message.downconversion.enable', type: 'boolean', defaultValue: 'true', writable: true },
  {
    doKey: 'message_format_version',
    kafkaKey: 'message.format.version',
    type: 'enum',
    values: Object.fromEntries(MESSAGE_FORMAT_VERSIONS.map((v) => [v, v])),
    defaultValue: '3.0-IV1',
    writable: true,
  },
  long('message_timestamp_difference_max_ms', 'message.timestamp.difference.max.ms', LONG_MAX_STRING, LONG_MIN, false),
  {
    doKey: 'message_timestamp_type',
    kafkaKey: 'message.timestamp.type',
    type: 'enum',
    values: { create_time: 'CreateTime', log_append_time: 'LogAppendTime' },
    defaultValue: 'CreateTime',
    writable: true,
  },
  { doKey: 'min_cleanable_dirty_ratio', kafkaKey: 'min.cleanable.dirty.ratio', type: 'double', min: 0, max: 1, defaultValue: '0.5', writable: true },
  long('min_compaction_lag_ms', 'min.compaction.lag.ms', '0'),
  int('min_insync_replicas', 'min.insync.replicas', '1', 1n),
  { doKey: 'preallocate', kafkaKey: 'preallocate', type: 'boolean', defaultValue: 'false', writable: true },
  long('retention_bytes', 'retention.bytes', '-1'),
  long('retention_ms', 'retention.ms', '604800000'),
  int('segment_bytes', 'segment.bytes', '209715200', 14n),
  { ...int('segment_index_bytes', 'segment.index.bytes', '10485760'), writable: false },
  long('segment_jitter_ms', 'segment.jitter.ms', '0'),
  long('segment_ms', 'segment.ms', '604800000', 1n),
];

const BY_DO_KEY = new Map(DO_CONFIGS.map((e) => [e.doKey, e]));
const BY_KAFKA_KEY = new Map(DO_CONFIGS.map((e) => [e.kafkaKey, e]));

/** DigitalOcean's misspelling in its own schema, accepted on read only. */
const READ_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = { compression_type: { Iz4: 'lz4' } };

/** The table row for a DigitalOcean key, if any. */
export function entryForDoKey(doKey: string): DoConfigEntry | undefined {
  return BY_DO_KEY.get(doKey);
}

/** The table row for a Kafka config name, if any. */
export function entryForKafkaKey(kafkaKey: string): DoConfigEntry | undefined {
  return BY_KAFKA_KEY.get(kafkaKey);
}

/**
 * Shortest decimal that reads back as the same float32: DigitalOcean stores the dirty ratio as a
 * float32, so `0.1` may come back as `0.10000000149011612`; both mean the same setting.
 */
function shortestFloat(value: number): string {
  const target = Math.fround(value);
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === target) return String(candidate);
  }
  return String(value);
}

/**
 * DigitalOcean's typed value → Kafka's canonical string. Returns undefined for a value of the wrong
 * type or outside the enum (the caller reports it), never a guess.
 */
export function doValueToKafka(entry: DoConfigEntry, value: unknown): string | undefined {
  let out: string | undefined;
  switch (entry.type) {
    case 'enum':
      if (typeof value === 'string') out = entry.values?.[value] ?? READ_ALIASES[entry.doKey]?.[value];
      break;
    case 'boolean':
      if (typeof value === 'boolean') out = String(value);
      break;
    case 'long':
    case 'int':
      if (isLosslessNumber(value) && /^-?\d+$/.test(value.value)) out = BigInt(value.value).toString();
      else if (typeof value === 'number' && Number.isSafeInteger(value)) out = String(value);
      break;
    case 'double': {
      const n = isLosslessNumber(value) ? Number(value.value) : typeof value === 'number' ? value : Number.NaN;
      if (Number.isFinite(n)) out = shortestFloat(n);
      break;
    }
  }
  return out === undefined ? undefined : canonicalConfigValue(entry.kafkaKey, out);
}

/** Why a Kafka value cannot be written to DigitalOcean, or undefined when it can. */
export function checkKafkaValue(entry: DoConfigEntry, value: string): string | undefined {
  const name = `${entry.kafkaKey} (DigitalOcean ${entry.doKey})`;
  switch (entry.type) {
    case 'enum': {
      const allowed = Object.values(entry.values ?? {});
      return allowed.includes(value) ? undefined : `${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`;
    }
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : `${name} must be true or false, not ${JSON.stringify(value)}`;
    case 'long':
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `${name} must be an integer, not ${JSON.stringify(value)}`;
      const n = BigInt(value);
      if (entry.min !== undefined && n < BigInt(entry.min)) return `${name} must be at least ${entry.min}, not ${value}`;
      if (entry.max !== undefined && n > BigInt(entry.max)) return `${name} must be at most ${entry.max}, not ${value}`;
      return undefined;
    }
    case 'double': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) return `${name} must be a number, not ${JSON.stringify(value)}`;
      if (entry.min !== undefined && n < Number(entry.min)) return `${name} must be at least ${entry.min}, not ${value}`;
      if (entry.max !== undefined && n > Number(entry.max)) return `${name} must be at most ${entry.max}, not ${value}`;
      return undefined;
    }
  }
}

/**
 * Why a desired Kafka config cannot be set on DigitalOcean (unknown to its API, read-only there,
 * or a value it does not take), or undefined when it can.
 */
export function checkDesiredConfig(kafkaKey: string, value: string): string | undefined {
  const entry = BY_KAFKA_KEY.get(kafkaKey);
  if (!entry) return `DigitalOcean's API cannot set topic config ${kafkaKey}; it accepts ${writableKafkaKeys().join(', ')}`;
  if (!entry.writable) return `DigitalOcean's API reports ${kafkaKey} but does not accept it in requests`;
  return checkKafkaValue(entry, value);
}

/** Kafka names of every config DigitalOcean accepts in requests, sorted. */
export function writableKafkaKeys(): string[] {
  return DO_CONFIGS.filter((e) => e.writable)
    .map((e) => e.kafkaKey)
    .sort();
}

/**
 * Kafka's canonical string → DigitalOcean's typed value. Throws on a value `checkKafkaValue`
 * rejects: callers check first (preflight), so reaching this with one is a bug.
 */
export function kafkaValueToDo(entry: DoConfigEntry, value: string): DoConfigValue {
  const problem = checkKafkaValue(entry, value);
  if (problem) throw new Error(problem);
  switch (entry.type) {
    case 'enum': {
      const found = Object.entries(entry.values ?? {}).find(([, kafka]) => kafka === value);
      return (found as [string, string])[0];
    }
    case 'boolean':
      return value === 'true';
    case 'long':
    case 'int':
      return new LosslessNumber(BigInt(value).toString());
    case 'double':
      return new LosslessNumber(String(Number(value)));
  }
}
