/**
 * Enforces `schemas/manifest.schema.json` (JSON Schema 2020-12) with ajv and turns its errors into
 * one sentence each, placed at the line and column of the offending node.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ManifestProblem, Severity } from '../errors.js';
import { ACL_OPERATIONS, ACL_PERMISSIONS, PATTERN_TYPES, RESOURCE_TYPES, type JsonValue, type SourceLocation } from '../model.js';
import { closest } from '../kafka/suggest.js';
import { validateManifest, validatePatchView } from './schema.validators.js';

/** Where the published schema lives, relative to this module (same depth in src/ and dist/). */
export const MANIFEST_SCHEMA_URL = new URL('../../schemas/manifest.schema.json', import.meta.url);

/** The `$id` of the manifest schema, for schemas that reference its `$defs`. */
export const MANIFEST_SCHEMA_ID = 'urn:kafkaform:manifest:v1';

// Compiled ahead of time from the schema (scripts/manifest-validators.mjs, `npm run
// build:validators`): compiling it with ajv at every start took ~0.2 s.
const VALIDATORS: ReadonlyMap<string, ValidateFunction> = new Map([
  [MANIFEST_SCHEMA_ID, validateManifest as ValidateFunction],
  [`${MANIFEST_SCHEMA_ID}#/$defs/patchView`, validatePatchView as ValidateFunction],
]);

function validator(ref: string): ValidateFunction {
  const v = VALIDATORS.get(ref);
  if (!v) throw new Error(`schema ${ref} is not compiled (add it to scripts/manifest-validators.mjs)`);
  return v;
}

/**
 * Interpolated strings where the schema wants a number or boolean become one when they spell it
 * (`partitions: "${PARTITIONS}"`). Only `candidates` (interpolated pointers) are converted: what
 * the user typed as a string stays a string, and config values, which accept strings, never change.
 */
export function coerceInterpolated(value: JsonValue, candidates: ReadonlySet<string>): JsonValue {
  if (candidates.size === 0) return value;
  const validate = validator(MANIFEST_SCHEMA_ID);
  if (validate(value)) return value;
  const out = structuredClone(value);
  for (const e of validate.errors ?? []) {
    if (e.keyword !== 'type' || !candidates.has(e.instancePath) || typeof e.data !== 'string') continue;
    const types = String((e.params as { type: unknown }).type).split(',');
    const text = e.data.trim();
    let converted: JsonValue | undefined;
    if (types.includes('integer') && /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) converted = Number(text);
    else if (types.includes('number') && text !== '' && Number.isFinite(Number(text))) converted = Number(text);
    else if (types.includes('boolean') && (text === 'true' || text === 'false')) converted = text === 'true';
    if (converted !== undefined) setAt(out, e.instancePath, converted);
  }
  return out;
}

function setAt(root: JsonValue, path: string, v: JsonValue): void {
  const keys = path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop();
  let node: JsonValue | undefined = root;
  for (const k of keys) node = node !== null && typeof node === 'object' ? (node as Record<string, JsonValue>)[k] : undefined;
  if (last !== undefined && node !== null && typeof node === 'object') (node as Record<string, JsonValue>)[last] = v;
}

/** The one manifest format version this kafkaform reads. */
const API_VERSION = 'kafkaform/v1';

type JsonMap = { [key: string]: JsonValue };

function isMap(v: JsonValue | undefined): v is JsonMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const isText = (v: JsonValue | undefined): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: JsonValue | undefined, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
const isScalar = (v: JsonValue | undefined): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

const RESOURCE_TYPE_SET: ReadonlySet<JsonValue | undefined> = new Set(RESOURCE_TYPES);
const PATTERN_TYPE_SET: ReadonlySet<JsonValue | undefined> = new Set(PATTERN_TYPES);
const OPERATION_SET: ReadonlySet<JsonValue | undefined> = new Set(ACL_OPERATIONS);
const PERMISSION_SET: ReadonlySet<JsonValue | undefined> = new Set(ACL_PERMISSIONS);

/** `$defs/config`: a map of scalars, or of lists of scalars. */
function isPlainConfig(config: JsonValue | undefined): boolean {
  if (!isMap(config)) return false;
  for (const key in config) {
    const v = config[key];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!isScalar(v[i])) return false;
    } else if (!isScalar(v)) return false;
  }
  return true;
}

/** An item of `topics` that `$defs/topic` accepts. */
function isPlainTopic(t: JsonValue | undefined): boolean {
  if (!isMap(t) || typeof t['name'] !== 'string') return false;
  for (const key in t) {
    const v = t[key];
    if (key === 'partitions') {
      if (!isCount(v, Infinity)) return false;
    } else if (key === 'replicationFactor') {
      if (!isCount(v, 32767)) return false;
    } else if (key === 'config') {
      if (!isPlainConfig(v)) return false;
    } else if (key !== 'name') return false;
  }
  return true;
}

/** An item of `acls` that `$defs/acl` accepts as an explicit binding (`$defs/aclBinding`). */
function isPlainBinding(a: JsonValue | undefined): boolean {
  if (!isMap(a) || a['principal'] === undefined || a['resourceType'] === undefined || a['resourceName'] === undefined || a['operations'] === undefined) {
    return false;
  }
  for (const key in a) {
    const v = a[key];
    switch (key) {
      case 'principal':
      case 'resourceName':
      case 'host':
        if (!isText(v)) return false;
        break;
      case 'resourceType':
        if (!RESOURCE_TYPE_SET.has(v)) return false;
        break;
      case 'patternType':
        if (!PATTERN_TYPE_SET.has(v)) return false;
        break;
      case 'permission':
        if (!PERMISSION_SET.has(v)) return false;
        break;
      case 'operations':
        if (!Array.isArray(v) || v.length === 0) return false;
        for (let i = 0; i < v.length; i++) if (!OPERATION_SET.has(v[i])) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// One loop per kind of item: a loop shared by both, optimised for the file read first, would be
// thrown away at the first item of the other kind.
function allPlainTopics(items: JsonValue | undefined): boolean {
  if (!Array.isArray(items)) return false;
  for (let i = 0; i < items.length; i++) if (!isPlainTopic(items[i])) return false;
  return true;
}

function allPlainBindings(items: JsonValue | undefined): boolean {
  if (!Array.isArray(items)) return false;
  for (let i = 0; i < items.length; i++) if (!isPlainBinding(items[i])) return false;
  return true;
}

/**
 * What of a manifest document ajv still has to check. Generated manifests hold tens of thousands
 * of topics and ACL entries of the plainest shape, and ajv's code spends more on each (an options
 * object, a path string, cold code) than a direct test of that shape: when every item of `topics`
 * and `acls` passes those tests — each of which accepts only what the schema accepts — ajv sees the
 * document with the two lists empty, and reports exactly what it would have reported on the whole.
 * Any other item, and ajv checks the whole document as written.
 */
function forAjv(value: JsonValue): JsonValue {
  if (!isMap(value)) return value;
  const topics = value['topics'];
  const acls = value['acls'];
  if ((topics === undefined || allPlainTopics(topics)) && (acls === undefined || allPlainBindings(acls))) {
    if (topics === undefined && acls === undefined) return value;
    const rest: JsonMap = { ...value };
    if (topics !== undefined) rest['topics'] = [];
    if (acls !== undefined) rest['acls'] = [];
    return rest;
  }
  return value;
}

/** Locates nodes of the value being validated. */
export type Locate = (path: string, part?: 'key' | 'value') => SourceLocation;

/**
 * Validates `value` against the manifest schema (or one of its `$defs`, e.g. `#/$defs/topicFields`)
 * and returns every problem, deduplicated and each placed with `locate`. `basePath` prefixes the
 * paths (for values that sit inside a larger document).
 */
export function checkSchema(
  value: JsonValue,
  locate: Locate,
  options: { def?: string; basePath?: string; severity?: Severity; prefix?: string; mentionPath?: boolean } = {},
): ManifestProblem[] {
  const validate = validator(options.def ? `${MANIFEST_SCHEMA_ID}${options.def}` : MANIFEST_SCHEMA_ID);
  if (validate(options.def ? value : forAjv(value))) return [];
  const seen = new Set<string>();
  const problems: ManifestProblem[] = [];
  for (const e of validate.errors ?? []) {
    const described = describe(e);
    if (!described) continue;
    const path = `${options.basePath ?? ''}${described.path}`;
    const key = `${path}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = locate(path, described.part);
    problems.push({
      severity: options.severity ?? 'error',
      message: `${options.prefix ?? ''}${described.message}${options.mentionPath ? ` at ${path}` : ''}`,
      file: at.file,
      line: at.line,
      column: at.column,
      path: at.path,
    });
  }
  return problems;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  null: 'null',
};

function typeList(types: string): string {
  const list = types.split(',');
  if (list.length === 1) return TYPE_NAMES[list[0] ?? ''] ?? types;
  const names = list.map((t) => (t === 'boolean' ? 'a boolean' : (TYPE_NAMES[t] ?? t)));
  return names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function lastSegment(path: string): string {
  const seg = path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  if (/^\d+$/.test(seg)) {
    const parent = path.slice(0, path.lastIndexOf('/'));
    return `${lastSegment(parent)}[${seg}]`;
  }
  return seg;
}

function subject(path: string): string {
  return path === '' ? 'the document' : `"${lastSegment(path)}"`;
}

/**
 * The known key an unknown one was probably meant to be: the closest by edit distance, else the
 * one sharing a stem of at least four letters with it (`retries` → `retry`).
 */
function suggestKey(name: string, known: readonly string[]): string | undefined {
  const near = closest(name, known);
  if (near) return near;
  const stem = (k: string): number => {
    const a = k.toLowerCase();
    const b = name.toLowerCase();
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const best = Math.max(0, ...known.map(stem));
  const matches = known.filter((k) => stem(k) === best);
  return best >= 4 && matches.length === 1 ? matches[0] : undefined;
}

/** One sentence for an ajv error, or undefined for errors that only echo a nested one. */
function describe(e: ErrorObject): { message: string; path: string; part?: 'key' | 'value' } | undefined {
  const path = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
    case 'anyOf':
      // Their branches' errors say what is wrong; these only say a branch failed.
      return undefined;
    case 'required':
      if (path === '' && p['missingProperty'] === 'apiVersion') {
        return { message: `missing required property "apiVersion" (every document starts with "apiVersion: ${API_VERSION}")`, path };
      }
      return { message: `missing required property "${String(p['missingProperty'])}"`, path };
    case 'additionalProperties': {
      const name = String(p['additionalProperty']);
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = suggestKey(name, known);
      const child = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return {
        message: `unknown property "${name}"${guess ? ` (did you mean "${guess}"?)` : known.length ? `; expected one of ${known.join(', ')}` : ''}`,
        path: child,
        part: 'key',
      };
    }
    case 'type':
      return { message: `${subject(path)} must be ${typeList(String(p['type']))}`, path };
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return {
        message:
          `${subject(path)} must be one of ${allowed.join(', ')}, not ${JSON.stringify(e.data)}` +
          (guess ? ` (did you mean "${guess}"?)` : typeof e.data === 'number' && allowed.includes(String(e.data)) ? ` (quote it: "${e.data}")` : ''),
        path,
      };
    }
    case 'const':
      if (path === '/apiVersion') {
        return { message: `unknown apiVersion ${JSON.stringify(e.data)} (did you mean "${API_VERSION}"?)`, path };
      }
      return { message: `${subject(path)} must be ${JSON.stringify(p['allowedValue'])}`, path };
    case 'minimum':
      return { message: `${subject(path)} must be at least ${String(p['limit'])}`, path };
    case 'maximum':
      return { message: `${subject(path)} must be at most ${String(p['limit'])}`, path };
    case 'minItems':
      return { message: `${subject(path)} must not be empty`, path };
    case 'minLength':
      return { message: `${subject(path)} must not be empty`, path };
    default:
      return { message: `${subject(path)} ${e.message ?? 'is invalid'}`, path };
  }
}
