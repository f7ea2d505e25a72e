/**
 * What kafkaform knows about Kafka topic-level configs: the catalog (types, valid values, ranges,
 * defaults), the normalisation of values to Kafka's canonical strings, and human forms for display.
 *
 * Desired values (`normalizeConfigValue`, strict) and live values (`canonicalConfigValue`,
 * lenient) go through the same canonical formatting, so a value never differs from itself only in
 * spelling: `7d` and `604800000`, `0.50` and `0.5`, `delete,compact` and `compact,delete`,
 * `TRUE` and `true` all compare equal.
 */
import { closest } from './suggest.js';

/** Kafka's config value types, as far as topic configs use them. */
export type ConfigValueType = 'boolean' | 'int' | 'long' | 'double' | 'string' | 'list';

/** Units a value may carry in a manifest: durations on `*.ms` keys, sizes on `*.bytes` keys. */
export type ConfigUnit = 'ms' | 'bytes';

/** One topic-level config as Apache Kafka defines it. */
export interface TopicConfigSpec {
  readonly name: string;
  readonly type: ConfigValueType;
  /** Kafka's default (Kafka 4.x where it changed), canonical string. */
  readonly default: string;
  /** For `string` and `list`: the only values Kafka accepts, in Kafka's spelling. */
  readonly validValues?: readonly string[];
  /** Inclusive lower bound for numbers. */
  readonly min?: number;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
  /** Values outside [min, max] that Kafka still accepts (e.g. gzip level -1). */
  readonly sentinels?: readonly number[];
  /**
   * Set for keys recent Kafka versions removed or turned into no-ops: why a manifest should not
   * rely on it. Such keys stay in the catalog because 3.x clusters still honour them.
   */
  readonly deprecated?: string;
}

const LONG_MAX = '9223372036854775807';

function spec(s: TopicConfigSpec): [string, TopicConfigSpec] {
  return [s.name, s];
}

/**
 * Every topic-level config of Apache Kafka 3.x and 4.x, by name. Keys removed or made no-ops in
 * 4.0 are kept (with `deprecated`) because 3.x clusters still honour them.
 */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigSpec> = new Map([
  spec({ name: 'cleanup.policy', type: 'list', default: 'delete', validValues: ['compact', 'delete'] }),
  spec({ name: 'compression.gzip.level', type: 'int', default: '-1', min: 1, max: 9, sentinels: [-1] }),
  spec({ name: 'compression.lz4.level', type: 'int', default: '9', min: 1, max: 17 }),
  spec({
    name: 'compression.type',
    type: 'string',
    default: 'producer',
    validValues: ['gzip', 'lz4', 'producer', 'snappy', 'uncompressed', 'zstd'],
  }),
  spec({ name: 'compression.zstd.level', type: 'int', default: '3', min: -131072, max: 22 }),
  spec({ name: 'delete.retention.ms', type: 'long', default: '86400000', min: 0 }),
  spec({ name: 'file.delete.delay.ms', type: 'long', default: '60000', min: 0 }),
  spec({ name: 'flush.messages', type: 'long', default: LONG_MAX, min: 1 }),
  spec({ name: 'flush.ms', type: 'long', default: LONG_MAX, min: 0 }),
  spec({ name: 'follower.replication.throttled.replicas', type: 'list', default: '' }),
  spec({ name: 'index.interval.bytes', type: 'int', default: '4096', min: 0 }),
  spec({ name: 'leader.replication.throttled.replicas', type: 'list', default: '' }),
  spec({ name: 'local.retention.bytes', type: 'long', default: '-2', min: -2 }),
  spec({ name: 'local.retention.ms', type: 'long', default: '-2', min: -2 }),
  spec({ name: 'max.compaction.lag.ms', type: 'long', default: LONG_MAX, min: 1 }),
  spec({ name: 'max.message.bytes', type: 'int', default: '1048588', min: 0 }),
  spec({
    name: 'message.downconversion.enable',
    type: 'boolean',
    default: 'true',
    deprecated: 'has no effect from Kafka 4.0, which cannot down-convert, and is deprecated for removal',
  }),
  spec({
    name: 'message.format.version',
    type: 'string',
    default: '3.0-IV1',
    deprecated: 'was removed in Kafka 4.0, which ignores or rejects it',
  }),
  spec({ name: 'message.timestamp.after.max.ms', type: 'long', default: '3600000', min: 0 }),
  spec({ name: 'message.timestamp.before.max.ms', type: 'long', default: LONG_MAX, min: 0 }),
  spec({
    name: 'message.timestamp.difference.max.ms',
    type: 'long',
    default: LONG_MAX,
    min: 0,
    deprecated: 'was removed in Kafka 4.0; use message.timestamp.before.max.ms and message.timestamp.after.max.ms',
  }),
  spec({
    name: 'message.timestamp.type',
    type: 'string',
    default: 'CreateTime',
    validValues: ['CreateTime', 'LogAppendTime'],
  }),
  spec({ name: 'min.cleanable.dirty.ratio', type: 'double', default: '0.5', min: 0, max: 1 }),
  spec({ name: 'min.compaction.lag.ms', type: 'long', default: '0', min: 0 }),
  spec({ name: 'min.insync.replicas', type: 'int', default: '1', min: 1 }),
  spec({ name: 'preallocate', type: 'boolean', default: 'false' }),
  spec({ name: 'remote.log.copy.disable', type: 'boolean', default: 'false' }),
  spec({ name: 'remote.log.delete.on.disable', type: 'boolean', default: 'false' }),
  spec({ name: 'remote.storage.enable', type: 'boolean', default: 'false' }),
  spec({ name: 'retention.bytes', type: 'long', default: '-1' }),
  spec({ name: 'retention.ms', type: 'long', default: '604800000', min: -1 }),
  spec({ name: 'segment.bytes', type: 'int', default: '1073741824', min: 1048576 }),
  spec({ name: 'segment.index.bytes', type: 'int', default: '10485760', min: 4 }),
  spec({ name: 'segment.jitter.ms', type: 'long', default: '0', min: 0 }),
  spec({ name: 'segment.ms', type: 'long', default: '604800000', min: 1 }),
  spec({ name: 'unclean.leader.election.enable', type: 'boolean', default: 'false' }),
]);

/**
 * Prefixes of config keys that managed Kafka services define on top of Apache Kafka. A catalog
 * cannot know them, so keys with these prefixes skip the unknown-name check and pass through with
 * only scalar formatting (units still apply on `*.ms` / `*.bytes`). Manifests add their own with
 * `configKeys.vendorPrefixes`.
 */
export const VENDOR_CONFIG_PREFIXES: readonly string[] = ['aiven.', 'confluent.', 'redpanda.'];

/** True when `key` is a vendor key (see `VENDOR_CONFIG_PREFIXES`) or matches one of `extra`. */
export function isVendorConfigKey(key: string, extra: readonly string[] = []): boolean {
  return [...VENDOR_CONFIG_PREFIXES, ...extra].some((p) => key.startsWith(p));
}

/**
 * A close catalog name for an unknown key, or undefined. Broker-level spellings (`log.retention.ms`)
 * suggest their topic-level key.
 */
export function suggestConfigName(key: string): string | undefined {
  if (key.startsWith('log.') && TOPIC_CONFIGS.has(key.slice(4))) return key.slice(4);
  return closest(key, TOPIC_CONFIGS.keys());
}

/** The unit a key's values may carry, decided by its suffix (catalog and vendor keys alike). */
export function configUnit(key: string): ConfigUnit | undefined {
  if (key.endsWith('.ms')) return 'ms';
  if (key.endsWith('.bytes')) return 'bytes';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Units

const DURATION_UNITS: Record<string, bigint> = {
  ms: 1n,
  s: 1000n,
  m: 60_000n,
  h: 3_600_000n,
  d: 86_400_000n,
  w: 604_800_000n,
};

/**
 * Binary units only. `KB`/`MB`/`GB` are rejected as ambiguous rather than guessed: 1GB means
 * 10^9 bytes to some readers and 2^30 to others, and a silently wrong segment size is worse than
 * an error.
 */
const SIZE_UNITS: Record<string, bigint> = {
  B: 1n,
  KiB: 1024n,
  MiB: 1024n ** 2n,
  GiB: 1024n ** 3n,
  TiB: 1024n ** 4n,
};
const AMBIGUOUS_SIZE_UNITS: Record<string, string> = {
  k: 'KiB', kb: 'KiB', m: 'MiB', mb: 'MiB', g: 'GiB', gb: 'GiB', t: 'TiB', tb: 'TiB',
  kib: 'KiB', mib: 'MiB', gib: 'GiB', tib: 'TiB',
};

const DURATION_FORMS = 'a number of milliseconds, -1, or a duration such as 500ms, 30s, 15m, 12h, 7d, 1w';
const SIZE_FORMS = 'a number of bytes, -1, or a size such as 512KiB, 100MiB, 1GiB';

type Parsed = { ok: true; value: bigint } | { ok: false; message: string };

/** `amount` (digits, optional fraction) × `factor`, when that is a whole number. */
function scale(amount: string, factor: bigint): bigint | undefined {
  const [whole = '0', frac = ''] = amount.split('.');
  const scaled = BigInt(whole + frac) * factor;
  const div = 10n ** BigInt(frac.length);
  return scaled % div === 0n ? scaled / div : undefined;
}

function parseDuration(text: string): Parsed {
  const m = /^(-?\d+)$|^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text);
  if (!m) return { ok: false, message: `expected ${DURATION_FORMS}` };
  if (m[1] !== undefined) return { ok: true, value: BigInt(m[1]) };
  const v = scale(m[2] ?? '', DURATION_UNITS[m[3] ?? ''] ?? 1n);
  return v === undefined ? { ok: false, message: 'is not a whole number of milliseconds' } : { ok: true, value: v };
}

function parseSize(text: string): Parsed {
  const m = /^(-?\d+)$|^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(text);
  if (!m) return { ok: false, message: `expected ${SIZE_FORMS}` };
  if (m[1] !== undefined) return { ok: true, value: BigInt(m[1]) };
  const unit = m[3] ?? '';
  const factor = SIZE_UNITS[unit];
  if (factor === undefined) {
    const meant = AMBIGUOUS_SIZE_UNITS[unit.toLowerCase()];
    return {
      ok: false,
      message: meant
        ? `unit "${unit}" is ambiguous or misspelt; write ${meant} (powers of 1024) or a plain number of bytes`
        : `expected ${SIZE_FORMS}`,
    };
  }
  const v = scale(m[2] ?? '', factor);
  return v === undefined ? { ok: false, message: 'is not a whole number of bytes' } : { ok: true, value: v };
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/** A config value as a manifest may write it; lists are allowed for list-typed keys. */
export type ConfigInput = string | number | boolean | readonly (string | number | boolean)[];

/** The outcome of normalising one desired value. */
export type NormalizeResult = { ok: true; value: string } | { ok: false; message: string };

const INT_RANGE = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const LONG_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const DOUBLE_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

type Scalar = string | number | boolean;

function scalarText(value: Scalar): string {
  return typeof value === 'string' ? value.trim() : String(value);
}

function isList(value: ConfigInput): value is readonly Scalar[] {
  return Array.isArray(value);
}

function parseInteger(key: string, text: string): Parsed {
  const unit = configUnit(key);
  if (unit === 'ms') return parseDuration(text);
  if (unit === 'bytes') return parseSize(text);
  const m = /^[+-]?\d+$/.exec(text);
  return m ? { ok: true, value: BigInt(text) } : { ok: false, message: 'expected a whole number' };
}

function checkRange(spec: TopicConfigSpec, n: bigint | number): string | undefined {
  if (spec.sentinels?.some((s) => BigInt(s) === BigInt(n))) return undefined;
  const { min, max } = spec;
  const big = typeof n === 'bigint';
  const below = min !== undefined && (big ? n < BigInt(min) : n < min);
  const above = max !== undefined && (big ? n > BigInt(max) : n > max);
  if (!below && !above) return undefined;
  const sentinels = spec.sentinels?.length ? ` or ${spec.sentinels.join(', ')}` : '';
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}${sentinels}`;
  return min !== undefined ? `must be at least ${min}${sentinels}` : `must be at most ${max}${sentinels}`;
}

function listItems(value: ConfigInput): string[] {
  const parts = isList(value) ? value.map(scalarText) : scalarText(value).split(',');
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Canonical list: items in Kafka's spelling, deduplicated and sorted, because every list-typed
 * topic config is a set (cleanup policies, throttled partition:broker pairs). Lists of vendor keys,
 * whose meaning we do not know, are not formatted here and keep their order.
 */
function formatList(spec: TopicConfigSpec, items: string[]): { value: string; unknown: string[] } {
  const valid = spec.validValues;
  if (!valid) return { value: [...new Set(items)].sort().join(','), unknown: [] };
  const unknown: string[] = [];
  const out = new Set<string>();
  for (const item of items) {
    const hit = valid.find((v) => v.toLowerCase() === item.toLowerCase());
    if (hit) out.add(hit);
    else unknown.push(item);
  }
  return { value: [...out].sort().join(','), unknown };
}

const THROTTLED_REPLICAS_RE = /^(\*|\d+:\d+)$/;

type Fail = (why: string) => NormalizeResult;

/**
 * Normalises a desired config value to Kafka's canonical string: units resolved, numbers in plain
 * decimal, enums and booleans in Kafka's spelling, enum lists sorted. Checks the value against the
 * catalog (type, range, valid values) and reports a one-sentence problem otherwise. Keys outside
 * the catalog (vendor keys) get formatting only.
 */
export function normalizeConfigValue(key: string, value: ConfigInput): NormalizeResult {
  const spec = TOPIC_CONFIGS.get(key);
  const fail: Fail = (why) => ({ ok: false, message: `${key}: ${JSON.stringify(value)} ${why}` });
  if (!spec) return normalizeUnknown(key, value, fail);
  if (spec.type === 'list') return normalizeList(key, spec, value, fail);
  if (isList(value)) return fail('is a list, but this config takes a single value');
  const text = scalarText(value);
  switch (spec.type) {
    case 'int':
    case 'long': {
      if (typeof value === 'boolean') return fail('is a boolean, expected a number');
      const parsed = parseInteger(key, text);
      if (!parsed.ok) return fail(parsed.message);
      const range = spec.type === 'int' ? INT_RANGE : LONG_RANGE;
      if (parsed.value < range.min || parsed.value > range.max) return fail(`is out of range for a Kafka ${spec.type}`);
      const bad = checkRange(spec, parsed.value);
      return bad ? fail(bad) : { ok: true, value: parsed.value.toString() };
    }
    case 'double': {
      if (typeof value === 'boolean' || !DOUBLE_RE.test(text)) return fail('expected a number');
      const n = Number(text);
      const bad = checkRange(spec, n);
      return bad ? fail(bad) : { ok: true, value: String(n) };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (typeof value === 'number' || (lower !== 'true' && lower !== 'false')) return fail('expected true or false');
      return { ok: true, value: lower };
    }
    case 'string': {
      if (typeof value === 'boolean') return fail('is a boolean, expected a string');
      if (!spec.validValues) return { ok: true, value: text };
      const hit = spec.validValues.find((v) => v.toLowerCase() === text.toLowerCase());
      if (hit) return { ok: true, value: hit };
      const guess = closest(text, spec.validValues);
      return fail(`is not one of ${spec.validValues.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  }
}

function normalizeList(key: string, spec: TopicConfigSpec, value: ConfigInput, fail: Fail): NormalizeResult {
  if ((isList(value) ? value : [value]).some((v) => typeof v === 'boolean')) return fail('expected a list of names');
  const items = listItems(value);
  const { value: out, unknown } = formatList(spec, items);
  if (unknown.length > 0) {
    const guess = closest(unknown[0] ?? '', spec.validValues ?? []);
    return fail(
      `contains ${unknown.map((u) => `"${u}"`).join(', ')}, expected ${spec.validValues?.join(', ')}` +
        (guess ? ` (did you mean "${guess}"?)` : ''),
    );
  }
  if (key.endsWith('.throttled.replicas') && !items.every((i) => THROTTLED_REPLICAS_RE.test(i))) {
    return fail('expected "*" or a list of partition:broker pairs such as 0:101,1:102');
  }
  return { ok: true, value: out };
}

function normalizeUnknown(key: string, value: ConfigInput, fail: Fail): NormalizeResult {
  if (isList(value)) return { ok: true, value: listItems(value).join(',') };
  const text = scalarText(value);
  if (typeof value === 'boolean') return { ok: true, value: text };
  const unit = configUnit(key);
  if (unit && typeof value === 'number') {
    return Number.isInteger(value) ? { ok: true, value: BigInt(value).toString() } : fail('is not a whole number');
  }
  // A vendor key's value is only resolved when it is written with a unit; otherwise it is the
  // vendor's to interpret, so it passes through as written.
  if (unit && /^\d+(\.\d+)?\s*[A-Za-z]+$/.test(text)) {
    const parsed = unit === 'ms' ? parseDuration(text) : parseSize(text);
    return parsed.ok ? { ok: true, value: parsed.value.toString() } : fail(parsed.message);
  }
  return { ok: true, value: canonicalConfigValue(key, text) };
}

/**
 * Canonical Kafka string for a config value as a server reports it. Lenient: never fails, never
 * range-checks (a server's catalog may differ from ours); only the spelling is normalised, exactly
 * as `normalizeConfigValue` formats it, so live and desired values compare equal when Kafka would
 * consider them equal.
 */
export function canonicalConfigValue(key: string, value: string): string {
  const spec = TOPIC_CONFIGS.get(key);
  const text = value.trim();
  if (!spec) {
    if (/^[+-]?\d+$/.test(text)) return BigInt(text).toString();
    const lower = text.toLowerCase();
    return lower === 'true' || lower === 'false' ? lower : text;
  }
  switch (spec.type) {
    case 'int':
    case 'long': {
      const parsed = parseInteger(key, text);
      return parsed.ok ? parsed.value.toString() : text;
    }
    case 'double':
      return DOUBLE_RE.test(text) ? String(Number(text)) : text;
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : text;
    }
    case 'string':
      return spec.validValues?.find((v) => v.toLowerCase() === text.toLowerCase()) ?? text;
    case 'list': {
      const items = listItems(text);
      const { value: out, unknown } = formatList(spec, items);
      return unknown.length === 0 ? out : items.join(',');
    }
  }
}

/**
 * A human form of a canonical value for renderers, shown beside the raw value: `604800000` → `7d`
 * on `*.ms` keys, `1073741824` → `1GiB` on `*.bytes` keys. Undefined when there is no nicer form
 * (not a whole unit, below one second or one KiB, negative sentinels).
 */
export function humanizeConfigValue(key: string, value: string): string | undefined {
  const unit = configUnit(key);
  if (!unit || !/^\d+$/.test(value)) return undefined;
  const n = BigInt(value);
  const steps: [string, bigint][] =
    unit === 'ms'
      ? [['d', 86_400_000n], ['h', 3_600_000n], ['m', 60_000n], ['s', 1000n]]
      : [['TiB', 1024n ** 4n], ['GiB', 1024n ** 3n], ['MiB', 1024n ** 2n], ['KiB', 1024n]];
  for (const [name, size] of steps) {
    if (n >= size && n % size === 0n) return `${n / size}${name}`;
  }
  return undefined;
}
