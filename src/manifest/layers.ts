/**
 * Topic fields as layers with their origins: defaults, the topic itself, a cluster's overlay.
 * Each value keeps where it was written, so a problem found after layering still points at the
 * line that caused it. Config values are normalised once, where they are written.
 */
import type { JsonValue, SourceLocation } from '../model.js';
import type { KafkaVersion } from '../kafka/catalog.js';
import { normalizeConfigValue, type NormalizeResult } from '../kafka/configs.js';
import type { WrittenConfigValue } from './written.js';
import { configKeyFindings, type Finding } from './rules.js';
import type { Problems } from './problems.js';
import { pointer, type ParsedDocument } from './yaml.js';
import { memoizeByPair } from '../memo.js';

/**
 * Finds where a path of a document was written. Kept instead of the document itself, so that what
 * was loaded does not hold on to the parsed values.
 */
type Locate = ParsedDocument['locate'];

/** A value with where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly at: SourceLocation;
}

/** Where a config entry is written. */
interface ConfigPlace {
  readonly at: SourceLocation;
  /**
   * Where the key is written (the value's place when the key has none of its own); computed on
   * demand, since only keys with a finding need it.
   */
  keyAt(): SourceLocation;
}

/**
 * One config value of a layer. `raw: null` removes the key (overlays only); `canonical` is
 * undefined for removals and for invalid values (reported where they were read). `refusedBy`:
 * the supported Kafka versions that refuse a value others accept, checked per cluster later.
 */
export interface ConfigEntry extends ConfigPlace {
  readonly raw: WrittenConfigValue | null;
  readonly canonical: string | undefined;
  readonly refusedBy?: { versions: KafkaVersion[]; message: string } | undefined;
}

/**
 * A field of a document at `parent`/`key`. Its place — a location and the JSON pointer it needs —
 * is made only when read: generated manifests have tens of thousands of fields, and only those
 * with a problem are ever placed.
 */
class DocumentField<T> implements Located<T> {
  constructor(
    readonly value: T,
    private readonly locate: Locate,
    private readonly parent: string,
    private readonly key: string,
  ) {}

  get at(): SourceLocation {
    return this.locate(pointer(this.parent, this.key));
  }
}

/**
 * A config entry of the `config` map of the fields at `fields` in a document, placed only when
 * asked (as `DocumentField`).
 */
class DocumentConfigEntry implements ConfigEntry {
  canonical: string | undefined = undefined;
  refusedBy: { versions: KafkaVersion[]; message: string } | undefined = undefined;

  constructor(
    readonly raw: WrittenConfigValue | null,
    private readonly locate: Locate,
    private readonly fields: string,
    private readonly key: string,
  ) {}

  get at(): SourceLocation {
    return this.locate(this.#path());
  }

  keyAt(): SourceLocation {
    return this.locate(this.#path(), 'key');
  }

  #path(): string {
    return configPath(this.fields, this.key);
  }
}

/** The JSON pointer of config entry `key` of the topic fields at `fields`. */
function configPath(fields: string, key: string): string {
  return pointer(pointer(fields, 'config'), key);
}

/** Topic fields one layer sets. */
export interface TopicLayer {
  partitions?: Located<number>;
  replicationFactor?: Located<number>;
  config: Map<string, ConfigEntry>;
  /** True when `config` holds its keys in order and removes none (`raw: null`), as a document's layer does. */
  readonly ordered?: boolean;
}

/** Context for reading config maps (`configContext` makes one). */
export interface ConfigContext {
  readonly vendorPrefixes: readonly string[];
  readonly problems: Problems;
  /** `checkConfig` for scalar values, remembered for this context's vendor prefixes. */
  readonly checkScalar: (key: string, raw: string | number | boolean) => ConfigCheck;
}

/** A context for reading config maps with these vendor prefixes, reporting to `problems`. */
export function configContext(vendorPrefixes: readonly string[], problems: Problems): ConfigContext {
  // Generated manifests write the same key and value thousands of times: each scalar pair is
  // worked out once per context.
  const checkScalar = memoizeByPair((key: string, raw: string | number | boolean) => computeCheck(key, raw, vendorPrefixes));
  return { vendorPrefixes, problems, checkScalar };
}

/**
 * Reads one config entry: key check, then normalisation against every supported Kafka version
 * (a value none accepts is an error here; one only some refuse is judged per cluster).
 * `keyAt`/`valueAt` place the findings; `keyAt` is only asked for when the key has one.
 */
export function configEntry(
  key: string,
  raw: WrittenConfigValue,
  keyAt: () => SourceLocation,
  valueAt: SourceLocation,
  ctx: ConfigContext,
): ConfigEntry {
  const r = normalized(key, raw, { at: valueAt, keyAt }, ctx);
  if (!r.ok) return { raw, canonical: undefined, at: valueAt, keyAt };
  return { raw, canonical: r.value, at: valueAt, keyAt, refusedBy: r.refusedBy };
}

/** The normalisation of an entry written at `place`, its key's and value's problems reported. */
function normalized(key: string, raw: WrittenConfigValue, place: ConfigPlace, ctx: ConfigContext): NormalizeResult {
  const { findings, result } = checkConfig(key, raw, ctx);
  for (let i = 0; i < findings.length; i++) ctx.problems.add(findings[i] as Finding, place.keyAt());
  if (!result.ok) ctx.problems.error(result.message, place.at);
  return result;
}

/** What a config key and value yield wherever they are written. */
interface ConfigCheck {
  findings: Finding[];
  result: NormalizeResult;
}

function computeCheck(key: string, raw: WrittenConfigValue, vendorPrefixes: readonly string[]): ConfigCheck {
  return { findings: configKeyFindings(key, vendorPrefixes), result: normalizeConfigValue(key, raw) };
}

/** The key's findings and the value's normalisation. */
function checkConfig(key: string, raw: WrittenConfigValue, ctx: ConfigContext): ConfigCheck {
  return typeof raw === 'object' ? computeCheck(key, raw, ctx.vendorPrefixes) : ctx.checkScalar(key, raw);
}

/**
 * A config value of the fields at `fields` in a YAML document: decimals keep their written text
 * (`3.0` stays `3.0`).
 */
function writtenValue(doc: ParsedDocument, fields: string, key: string, value: JsonValue): WrittenConfigValue | null {
  const decimal = typeof value === 'number' ? doc.decimalSource(configPath(fields, key)) : undefined;
  if (decimal !== undefined) return decimal;
  return value as WrittenConfigValue | null;
}

/**
 * A layer from topic fields written in `doc` at `path` (a topic entry, `topicDefaults`, or an
 * overlay's override). The value has passed the schema. Generated manifests hold tens of thousands
 * of these, so the loop avoids iterators and sorting keys already in order.
 */
export function layerFromDocument(
  doc: ParsedDocument,
  path: string,
  fields: { partitions?: number; replicationFactor?: number; config?: Record<string, JsonValue> },
  ctx: ConfigContext,
): TopicLayer {
  const config = fields.config;
  const keys = config === undefined ? [] : Object.keys(config);
  if (!isSorted(keys)) keys.sort();
  let ordered = true;
  const entries = new Map<string, ConfigEntry>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const raw = writtenValue(doc, path, key, (config as Record<string, JsonValue>)[key] ?? null);
    const entry = new DocumentConfigEntry(raw, doc.locate, path, key);
    if (raw === null) ordered = false;
    else {
      const r = normalized(key, raw, entry, ctx);
      if (r.ok) {
        entry.canonical = r.value;
        entry.refusedBy = r.refusedBy;
      }
    }
    entries.set(key, entry);
  }
  const layer: TopicLayer = { config: entries, ordered };
  if (fields.partitions !== undefined) layer.partitions = new DocumentField(fields.partitions, doc.locate, path, 'partitions');
  if (fields.replicationFactor !== undefined) layer.replicationFactor = new DocumentField(fields.replicationFactor, doc.locate, path, 'replicationFactor');
  return layer;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/** `over` on top of `base`: fields `over` sets win, config key by config key. */
export function overlayLayer(base: TopicLayer, over: TopicLayer | undefined): TopicLayer {
  if (!over) return base;
  const config = new Map(base.config);
  for (const [k, v] of over.config) config.set(k, v);
  // Not `ordered`, whatever the two layers are: the keys of `over` come after those of `base`.
  const layer: TopicLayer = { config };
  const partitions = over.partitions ?? base.partitions;
  const replicationFactor = over.replicationFactor ?? base.replicationFactor;
  if (partitions) layer.partitions = partitions;
  if (replicationFactor) layer.replicationFactor = replicationFactor;
  return layer;
}

/** The layer as the JSON an overlay patch sees: written values, units as written. */
export function layerToJson(layer: TopicLayer): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  if (layer.partitions) out['partitions'] = layer.partitions.value;
  if (layer.replicationFactor) out['replicationFactor'] = layer.replicationFactor.value;
  const config: { [key: string]: JsonValue } = {};
  for (const [k, v] of [...layer.config].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (v.raw !== null) config[k] = v.raw;
  }
  if (Object.keys(config).length > 0) out['config'] = config;
  return out;
}
