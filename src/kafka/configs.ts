/**
 * What kafkaform knows about Kafka topic-level configs: the per-version catalogs generated from
 * Kafka's own code (./catalog.ts), Kafka's parsing and validation of each value, the
 * normalisation of values to Kafka's canonical strings, and human forms for display.
 *
 * Desired values (`normalizeConfigValue`, strict) and live values (`canonicalConfigValue`,
 * lenient) go through the same canonical formatting, so a value never differs from itself only in
 * spelling: `7d` and `604800000`, `0.50` and `0.5`, `delete,compact` and `compact,delete`,
 * `TRUE` and `true` all compare equal.
 */
import { memoizeByPair } from '../memo.js';
import { closest } from './suggest.js';
import {
  ALL_TOPIC_CONFIG_NAMES,
  KAFKA_VERSIONS,
  kafkaCatalog,
  newestDefinition,
  versionsDefining,
  type BrokerSynonym,
  type KafkaConfigDefinition,
  type KafkaValidator,
  type KafkaVersion,
} from './catalog.js';

/** Kafka's config value types, as far as topic configs use them. */
export type ConfigValueType = 'boolean' | 'int' | 'long' | 'double' | 'string' | 'list';

/** Units a value may carry in a manifest: durations on `*.ms` keys, sizes on `*.bytes` keys. */
export type ConfigUnit = 'ms' | 'bytes';

/**
 * One topic-level config across the supported Kafka versions: the newest version's definition,
 * flattened for display and editor completion, and the versions that define it.
 */
export interface TopicConfigSpec {
  readonly name: string;
  readonly type: ConfigValueType;
  /** Kafka's default in the newest version defining it, canonical string; undefined when none. */
  readonly default: string | undefined;
  /** For enum-valued `string` and `list` keys: the values Kafka accepts, in Kafka's spelling. */
  readonly validValues?: readonly string[];
  /** Inclusive lower bound for numbers. */
  readonly min?: number;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
  /** Values outside [min, max] that Kafka still accepts (e.g. gzip level -1). */
  readonly sentinels?: readonly number[];
  /** The supported versions that define the key, oldest first. */
  readonly versions: readonly KafkaVersion[];
  /** Defined for Kafka's own tests (ConfigDef.defineInternal). */
  readonly internal: boolean;
  /** The documentation's first sentence. */
  readonly doc: string;
  /** Broker configs the key falls back to, in Kafka's order. */
  readonly synonyms: readonly BrokerSynonym[];
}

function rangeOf(v: KafkaValidator | undefined): Extract<KafkaValidator, { kind: 'range' }> | undefined {
  if (!v) return undefined;
  if (v.kind === 'range') return v;
  if (v.kind === 'all') for (const part of v.of) if (rangeOf(part)) return rangeOf(part);
  return undefined;
}

function enumValues(v: KafkaValidator | undefined): string[] | undefined {
  if (!v) return undefined;
  if (v.kind === 'enum' || v.kind === 'list') return [...v.values].sort();
  return undefined;
}

function specOf(def: KafkaConfigDefinition): TopicConfigSpec {
  const range = rangeOf(def.validator);
  const valid = enumValues(def.validator);
  return {
    name: def.name,
    type: def.type,
    default: def.default ?? undefined,
    ...(valid ? { validValues: valid } : {}),
    ...(range?.min != null ? { min: Number(range.min) } : {}),
    ...(range?.max != null ? { max: Number(range.max) } : {}),
    ...(range?.also ? { sentinels: range.also.map(Number) } : {}),
    versions: versionsDefining(def.name),
    internal: def.internal === true,
    doc: def.doc,
    synonyms: def.synonyms ?? [],
  };
}

/**
 * Every topic-level config any supported Kafka version (3.7 to 4.4) defines, by name, described
 * by the newest version that defines it. Which version accepts what is decided per version (see
 * `normalizeConfigValue`), from the generated catalogs.
 */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigSpec> = new Map(
  ALL_TOPIC_CONFIG_NAMES.map((name) => {
    const def = newestDefinition(name);
    if (!def) throw new Error(`no definition for ${name}`);
    return [name, specOf(def)];
  }),
);

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

/** A broker config name and the topic config it sets, with the unit its value is in. */
interface BrokerName {
  topicKey: string;
  unit: BrokerSynonym['unit'];
}

/** Broker-level names (`log.roll.ms`, `message.max.bytes`) → the topic config each one is a default for. */
const BROKER_NAMES: ReadonlyMap<string, BrokerName> = new Map(
  [...TOPIC_CONFIGS.values()].flatMap((spec) =>
    spec.synonyms.filter((s) => s.name !== spec.name).map((s): [string, BrokerName] => [s.name, { topicKey: spec.name, unit: s.unit }]),
  ),
);

/** A close catalog name for an unknown key, or undefined. */
export function suggestConfigName(key: string): string | undefined {
  const broker = BROKER_NAMES.get(key);
  if (broker) return broker.topicKey;
  if (key.startsWith('log.') && TOPIC_CONFIGS.has(key.slice(4))) return key.slice(4);
  return closest(key, TOPIC_CONFIGS.keys());
}

/**
 * The sentence for a broker-level name written as a topic config: which topic key sets it, and the
 * unit conversion when the broker name counts hours or minutes. Undefined for other names.
 */
export function brokerNameHint(key: string): string | undefined {
  const broker = BROKER_NAMES.get(key);
  if (!broker) return undefined;
  const conversion =
    broker.unit === 'hours'
      ? ` in milliseconds (${key} counts hours: 1 hour = 3600000 ms, or write a duration such as 72h)`
      : broker.unit === 'minutes'
        ? ` in milliseconds (${key} counts minutes: 1 minute = 60000 ms, or write a duration such as 90m)`
        : '';
  return `"${key}" is the broker-wide default; a topic sets it with "${broker.topicKey}"${conversion}`;
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
// Kafka's parsing (ConfigDef.parseType), then kafkaform's spellings on top of it

/** A config value as a manifest may write it; lists are allowed for list-typed keys. */
export type ConfigInput = string | number | boolean | readonly (string | number | boolean)[];

/**
 * The outcome of normalising one desired value. `refusedBy`: supported versions that define the
 * key but refuse this value (only when others accept it), with the newest one's reason.
 */
export type NormalizeResult =
  | { ok: true; value: string; refusedBy?: { versions: KafkaVersion[]; message: string } }
  | { ok: false; message: string };

const INT_RANGE = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const LONG_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
/** Java's Double.parseDouble: decimal with optional exponent and f/d suffix, NaN, Infinity. */
const DOUBLE_RE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;
/** Java's hexadecimal floating-point literal. */
const HEX_DOUBLE_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)[fFdD]?$/;
/** Kafka's list separator: a comma with any whitespace around it (ConfigDef's COMMA_WITH_WHITESPACE). */
const LIST_SEPARATOR = /\s*,\s*/;

type Scalar = string | number | boolean;

/** Java's String.trim: strips every character up to U+0020 at both ends, nothing else. */
function javaTrim(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && text.charCodeAt(a) <= 0x20) a++;
  while (b > a && text.charCodeAt(b - 1) <= 0x20) b--;
  return text.slice(a, b);
}

function scalarText(value: Scalar): string {
  return typeof value === 'string' ? javaTrim(value) : String(value);
}

function isList(value: ConfigInput): value is readonly Scalar[] {
  return Array.isArray(value);
}

/** A Java double as JavaScript reads it, or undefined when Double.parseDouble would throw. */
function parseJavaDouble(text: string): number | undefined {
  if (DOUBLE_RE.test(text)) return Number(text.replace(/[fFdD]$/, ''));
  const hex = HEX_DOUBLE_RE.exec(text);
  if (!hex || (hex[2] === '' && hex[3] === '')) return undefined;
  const [, sign = '', whole = '', frac = '', exp = '0'] = hex;
  const mantissa = parseInt(`${whole}${frac}` || '0', 16) / 16 ** frac.length;
  return (sign === '-' ? -1 : 1) * mantissa * 2 ** Number(exp);
}

/** A canonical double: JavaScript's shortest round-trip form (`0.50` → `0.5`, `1e3` → `1000`). */
function formatDouble(n: number): string {
  return String(n);
}

/**
 * Kafka's list parsing: an empty (trimmed) string is the empty list; otherwise items split at
 * commas with the whitespace around them, trailing empty items dropped as Java's split drops them.
 * A YAML list gives its items as they are (trimmed).
 */
function kafkaListItems(value: ConfigInput): string[] {
  if (isList(value)) return value.map(scalarText);
  const text = scalarText(value);
  if (text === '') return [];
  const items = text.split(LIST_SEPARATOR);
  while (items.length > 0 && items[items.length - 1] === '') items.pop();
  return items;
}

/** Integers as Integer/Long.parseLong read them (sign, digits), or with a unit on `*.ms` / `*.bytes`. */
function parseInteger(key: string, text: string): Parsed {
  if (/^[+-]?\d+$/.test(text)) return { ok: true, value: BigInt(text) };
  const unit = configUnit(key);
  if (unit === 'ms') return parseDuration(text);
  if (unit === 'bytes') return parseSize(text);
  return { ok: false, message: 'expected a whole number' };
}

function rangeMessage(range: Extract<KafkaValidator, { kind: 'range' }>): string {
  const also = range.also?.length ? ` or ${range.also.join(', ')}` : '';
  if (range.min !== null && range.max !== null) return `must be between ${range.min} and ${range.max}${also}`;
  return range.min !== null ? `must be at least ${range.min}${also}` : `must be at most ${range.max}${also}`;
}

/** ConfigDef.Range, compared as Kafka compares (doubles with `<`, so NaN passes). */
function checkRange(range: Extract<KafkaValidator, { kind: 'range' }>, n: bigint | number): string | undefined {
  const big = typeof n === 'bigint';
  if (range.also?.some((a) => (big ? BigInt(a) === n : Number(a) === n))) return undefined;
  const below = range.min !== null && (big ? n < BigInt(range.min) : n < Number(range.min));
  const above = range.max !== null && (big ? n > BigInt(range.max) : n > Number(range.max));
  return below || above ? rangeMessage(range) : undefined;
}

/** The accepted spelling of `text` among `values`: exact, else case-insensitive (kafkaform's rewrite). */
function enumHit(values: readonly string[], text: string): string | undefined {
  return values.find((v) => v === text) ?? values.find((v) => v.toLowerCase() === text.toLowerCase());
}

function enumProblem(text: string, values: readonly string[]): string {
  const guess = closest(text, values);
  return `is not one of ${[...values].sort().join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

/**
 * MetadataVersion.fromVersionString as message.format.version uses it: a release name
 * (`2.8-IV1`) or its short form (`2.8`, `0.10.0`); a longer name counts by its first two
 * segments (three from 0.x).
 */
function metadataVersionKnown(values: readonly string[], text: string): boolean {
  const segments = text.split('.');
  const wanted = text.startsWith('0.') ? 3 : 2;
  const key = wanted >= segments.length ? text : segments.slice(0, wanted).join('.');
  return values.includes(key) || values.some((v) => v.replace(/-IV\d+$/, '') === key);
}

/** Kafka's ThrottledReplicaListValidator: every item empty or partition:broker, or the items joined are `*`. */
function throttledReplicasValid(items: readonly string[]): boolean {
  return items.every((i) => /^(\d+:\d+)?$/.test(i)) || items.join('') === '*';
}

type Fail = (why: string) => NormalizeResult;

function canonicalList(items: readonly string[], values: readonly string[] | undefined): string {
  const spelled = values ? items.map((i) => enumHit(values, i) ?? i) : items;
  return [...new Set(spelled.filter((i) => i !== ''))].sort().join(',');
}

function checkList(def: KafkaConfigDefinition, value: ConfigInput, fail: Fail): NormalizeResult {
  if ((isList(value) ? value : [value]).some((v) => typeof v === 'boolean')) return fail('expected a list of names');
  const items = kafkaListItems(value);
  const v = def.validator;
  if (v?.kind === 'throttledReplicas') {
    return throttledReplicasValid(items)
      ? { ok: true, value: items.join('') === '*' ? '*' : canonicalList(items, undefined) }
      : fail('expected "*" or a list of partition:broker pairs such as 0:101,1:102');
  }
  if (v?.kind !== 'list') return { ok: true, value: canonicalList(items, undefined) };
  const unknown = items.filter((i) => i !== '' && !enumHit(v.values, i));
  if (unknown.length > 0) {
    const guess = closest(unknown[0] ?? '', v.values);
    return fail(
      `contains ${unknown.map((u) => `"${u}"`).join(', ')}, expected ${[...v.values].sort().join(', ')}` +
        (guess ? ` (did you mean "${guess}"?)` : ''),
    );
  }
  // An empty item is refused by every version; from Kafka 4.2 the validator also says whether an
  // empty list is allowed. Duplicates pass (a 4.4 broker accepts `delete,delete`, as measured by
  // test/kafka/differential.test.ts) and kafkaform writes each item once.
  if (items.includes('')) return fail(`contains an empty item, expected ${[...v.values].sort().join(', ')}`);
  if (items.length === 0 && v.emptyAllowed === false) return fail('must not be empty');
  return { ok: true, value: canonicalList(items, v.values) };
}

/**
 * Checks one value against one version's definition the way that version's ConfigDef parses and
 * validates it, and gives kafkaform's canonical string. kafkaform also accepts, and rewrites to
 * Kafka's form, units on `*.ms` / `*.bytes` and enum values in another letter case.
 */
function checkValue(def: KafkaConfigDefinition, value: ConfigInput, fail: Fail): NormalizeResult {
  if (def.type === 'list') return checkList(def, value, fail);
  if (isList(value)) return fail('is a list, but this config takes a single value');
  const text = scalarText(value);
  const range = rangeOf(def.validator);
  switch (def.type) {
    case 'int':
    case 'long': {
      if (typeof value === 'boolean') return fail('is a boolean, expected a number');
      const parsed = parseInteger(def.name, text);
      if (!parsed.ok) return fail(parsed.message);
      const limits = def.type === 'int' ? INT_RANGE : LONG_RANGE;
      if (parsed.value < limits.min || parsed.value > limits.max) return fail(`is out of range for a Kafka ${def.type}`);
      const bad = range ? checkRange(range, parsed.value) : undefined;
      return bad ? fail(bad) : { ok: true, value: parsed.value.toString() };
    }
    case 'double': {
      const n = typeof value === 'boolean' ? undefined : parseJavaDouble(text);
      if (n === undefined) return fail('expected a number');
      const bad = range ? checkRange(range, n) : undefined;
      return bad ? fail(bad) : { ok: true, value: formatDouble(n) };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (typeof value === 'number' || (lower !== 'true' && lower !== 'false')) return fail('expected true or false');
      return { ok: true, value: lower };
    }
    case 'string': {
      if (typeof value === 'boolean') return fail('is a boolean, expected a string');
      const v = def.validator;
      if (v?.kind === 'enum') {
        const hit = enumHit(v.values, text);
        return hit ? { ok: true, value: hit } : fail(enumProblem(text, v.values));
      }
      if (v?.kind === 'metadataVersion' && !metadataVersionKnown(v.values, text)) {
        return fail('is not a Kafka release such as 2.8 or 3.0-IV1');
      }
      return { ok: true, value: text };
    }
  }
}

/** The versions to check against: `versions` when given, else every supported one. */
function definitions(key: string, versions: readonly KafkaVersion[] | undefined): [KafkaVersion, KafkaConfigDefinition][] {
  const out: [KafkaVersion, KafkaConfigDefinition][] = [];
  for (const v of versions ?? KAFKA_VERSIONS) {
    const def = kafkaCatalog(v).configs.get(key);
    if (def) out.push([v, def]);
  }
  return out;
}

/**
 * Normalises a desired config value to Kafka's canonical string (units resolved, numbers in plain
 * decimal, enums and booleans in Kafka's spelling, enum lists sorted), checked against every
 * version in `versions` (default: every supported version) that defines the key. The value is
 * refused only when none of them accepts it; `refusedBy` names those that do not. Keys no
 * supported version defines (vendor keys) get formatting only; for a key only versions outside
 * `versions` define, the newest definition decides the value (the key itself is reported apart).
 */
export function normalizeConfigValue(key: string, value: ConfigInput, versions?: readonly KafkaVersion[]): NormalizeResult {
  const fail: Fail = (why) => ({ ok: false, message: `${key}: ${JSON.stringify(value)} ${why}` });
  let defs = definitions(key, versions);
  if (defs.length === 0) defs = definitions(key, undefined).slice(-1);
  if (defs.length === 0) return normalizeUnknown(key, value, fail);
  const accepted: string[] = [];
  const refused: KafkaVersion[] = [];
  let refusal = '';
  for (const [version, def] of defs) {
    const r = checkValue(def, value, fail);
    if (r.ok) accepted.push(r.value);
    else {
      refused.push(version);
      refusal = r.message;
    }
  }
  const newest = accepted[accepted.length - 1];
  if (newest === undefined) return { ok: false, message: refusal };
  return refused.length > 0 ? { ok: true, value: newest, refusedBy: { versions: refused, message: refusal } } : { ok: true, value: newest };
}

/**
 * A vendor key's value: the same number, boolean and list spelling rules as catalog keys, in the
 * order written (a vendor list may be ordered), so `a, b` and `a,b` or `+5` and `5` are no diff.
 */
function normalizeUnknown(key: string, value: ConfigInput, fail: Fail): NormalizeResult {
  if (isList(value)) return { ok: true, value: value.map(scalarText).join(',') };
  const text = scalarText(value);
  if (typeof value === 'boolean') return { ok: true, value: text };
  const unit = configUnit(key);
  if (unit && typeof value === 'number') {
    return Number.isInteger(value) ? { ok: true, value: BigInt(value).toString() } : fail('is not a whole number');
  }
  // A vendor key's value is only resolved when it is written with a unit; otherwise it is the
  // vendor's to interpret, so it passes through in Kafka's spelling.
  if (unit && /^\d+(\.\d+)?\s*[A-Za-z]+$/.test(text)) {
    const parsed = unit === 'ms' ? parseDuration(text) : parseSize(text);
    return parsed.ok ? { ok: true, value: parsed.value.toString() } : fail(parsed.message);
  }
  return { ok: true, value: canonicalConfigValue(key, text) };
}

/** Scalar spelling shared by vendor keys: integers without sign or zeros, booleans lower case, lists without spaces. */
function canonicalUnknown(text: string): string {
  if (/^[+-]?\d+$/.test(text)) return BigInt(text).toString();
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower;
  return text.includes(',') ? kafkaListItems(text).join(',') : text;
}

/**
 * `canonicalConfigValue`, remembered by key and value for one read of a cluster: its answer
 * repeats the same defaults on every topic, and working each out again costs a large part of
 * turning a big cluster's configs into the live model.
 */
export function memoisedCanonicalConfigValue(): (key: string, value: string) => string {
  return memoizeByPair(canonicalConfigValue);
}

/**
 * Canonical Kafka string for a config value as a server reports it. Lenient: never fails, never
 * range-checks (a server's catalog may differ from ours); only the spelling is normalised, exactly
 * as `normalizeConfigValue` formats it, so live and desired values compare equal when Kafka would
 * consider them equal. The newest definition of the key decides its type (types never changed).
 */
export function canonicalConfigValue(key: string, value: string): string {
  const def = newestDefinition(key);
  const text = javaTrim(value);
  if (!def) return canonicalUnknown(text);
  switch (def.type) {
    case 'int':
    case 'long': {
      const parsed = parseInteger(key, text);
      return parsed.ok ? parsed.value.toString() : text;
    }
    case 'double': {
      const n = parseJavaDouble(text);
      return n === undefined ? text : formatDouble(n);
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : text;
    }
    case 'string':
      return def.validator?.kind === 'enum' ? (enumHit(def.validator.values, text) ?? text) : text;
    case 'list': {
      const items = kafkaListItems(text);
      if (def.validator?.kind === 'throttledReplicas') return items.join('') === '*' ? '*' : canonicalList(items, undefined);
      const values = def.validator?.kind === 'list' ? def.validator.values : undefined;
      return values && items.some((i) => i !== '' && !enumHit(values, i)) ? items.join(',') : canonicalList(items, values);
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
