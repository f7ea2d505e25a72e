/**
 * YAML → plain JSON values, with a way back from any JSON pointer to where it was written. The
 * walk is ours rather than `toJS()` so that aliases are expanded under a budget (alias bombs end
 * in an error, quickly), nesting depth is bounded, and integers too large for a double survive
 * exactly.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { ManifestProblem } from '../errors.js';
import type { JsonValue, SourceLocation } from '../model.js';
import { parseSimpleYaml } from './yaml-fast.js';

/** Nesting deeper than this is not a manifest; stop before it costs anything. */
export const MAX_DEPTH = 64;
/** Nodes produced by expanding aliases, per document; legitimate reuse stays far below. */
export const MAX_ALIAS_NODES = 250_000;

/** JSON pointer escaping (RFC 6901). */
export function pointer(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}/${key}`;
  if (!key.includes('~') && !key.includes('/')) return `${parent}/${key}`;
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** One parsed YAML document with a way back to its source positions. */
export interface ParsedDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  value: JsonValue;
  /** Where the node at `path` (a JSON pointer) was written; `key` points at its map key. */
  locate(path: string, part?: 'key' | 'value'): SourceLocation;
  /**
   * Source text of a decimal number whose value prints differently (`3.0`), for config values
   * whose meaning is the text (`message.format.version: 3.0`); undefined otherwise.
   */
  decimalSource(path: string): string | undefined;
}

/** The outcome of parsing one file. */
export interface ParseResult {
  documents: ParsedDocument[];
  problems: ManifestProblem[];
}

class WalkError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * Offset where `[`/`{` nesting first exceeds `MAX_DEPTH`, or -1. A rough scan (quotes and
 * comments approximated) that lets absurd nesting fail fast instead of exhausting the parser's
 * stack; real manifests nest a handful of levels, so an approximation cannot misfire on them.
 */
function flowDepthExceeded(text: string): number {
  let depth = 0;
  let quote = '';
  let comment = false;
  // Last significant character: a bracket opens a collection only where a value can start, so
  // brackets inside plain scalars (`pattern: a[b`) are not counted.
  let last = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (comment) {
      if (c === '\n') {
        comment = false;
        last = c;
      }
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (text[i + 1] === '#') comment = true;
      continue;
    }
    const valueStart = last === '\n' || last === ':' || last === '-' || last === ',' || last === '[' || last === '{' || last === '?';
    if (c === '#' && last === '\n') comment = true;
    else if ((c === '"' || c === "'") && valueStart) quote = c;
    else if ((c === '[' || c === '{') && valueStart) {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    last = c;
  }
  return -1;
}

/** Finds where a path was written, for locations resolved late. */
interface Locator {
  locate(path: string, part?: 'key' | 'value'): SourceLocation;
}

/**
 * A place found only when something reads its line or column: a message about it. Until then it
 * holds the path and what can find it.
 */
class LazyLocation implements SourceLocation {
  #found: SourceLocation | undefined;
  readonly #locator: Locator;
  readonly #part: 'key' | 'value' | undefined;

  constructor(
    readonly file: string,
    readonly path: string,
    part: 'key' | 'value' | undefined,
    locator: Locator,
  ) {
    this.#part = part;
    this.#locator = locator;
  }

  get line(): number {
    return (this.#found ??= this.#locator.locate(this.path, this.#part)).line;
  }

  get column(): number {
    return (this.#found ??= this.#locator.locate(this.path, this.#part)).column;
  }
}

/**
 * Parses every document of `text`; YAML syntax errors come back as problems, never thrown.
 * Text in the fast path's subset (`yaml-fast.ts`) is read without the library; its positions come
 * from the library, on the first message that needs one in the file.
 */
export function parseYaml(file: string, text: string): ParseResult {
  const simple = parseSimpleYaml(text);
  if (simple === undefined) return parseYamlFully(file, text);
  let full: ParsedDocument[] | undefined;
  // Locations live as long as the desired state: they keep the text, never the values read.
  const count = simple.length;
  const fullDocument = (k: number): ParsedDocument => {
    full ??= parseYamlFully(file, text).documents;
    const doc = full[k];
    // Both parsers see the same documents; a mismatch is a bug in the fast path.
    if (doc === undefined || full.length !== count) throw new Error(`${file}: the YAML fast path and the library disagree`);
    return doc;
  };
  return {
    documents: simple.map((d, k) => {
      const locator: Locator = { locate: (path, part) => fullDocument(k).locate(path, part) };
      return {
        file,
        index: d.index,
        value: d.value,
        locate: (path, part) => new LazyLocation(file, path, part, locator),
        decimalSource: d.oddDecimals ? (path) => fullDocument(k).decimalSource(path) : () => undefined,
      };
    }),
    problems: [],
  };
}

/**
 * Parses with the `yaml` library alone: any YAML, every syntax error, positions at hand. The fast
 * path's reference (its tests compare the two).
 */
export function parseYamlFully(file: string, text: string): ParseResult {
  const lines = new LineCounter();
  const tooDeep = flowDepthExceeded(text);
  if (tooDeep !== -1) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < tooDeep; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const { line, col } = lines.linePos(tooDeep);
    return {
      documents: [],
      problems: [{ severity: 'error', message: `nesting is deeper than ${MAX_DEPTH} levels`, file, line, column: col, path: '' }],
    };
  }
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    merge: true,
    intAsBigInt: true,
    // The library's own duplicate-key check is quadratic in the size of a map; the walk does it
    // with a set instead.
    uniqueKeys: false,
    prettyErrors: false,
  });
  const at = (offset: number, path: string): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, path };
  };
  const problems: ManifestProblem[] = [];
  const problem = (message: string, offset: number, path: string): void => {
    problems.push({ severity: 'error', message, ...at(offset, path) });
  };
  const documents: ParsedDocument[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const yamlErrors = [...doc.errors];
    for (const e of yamlErrors) {
      // The parser recurses per nesting level; block nesting deep enough to exhaust the stack
      // surfaces as this error.
      const message = /Maximum call stack size exceeded/.test(e.message)
        ? `nesting is too deep to parse (at most ${MAX_DEPTH} levels are allowed)`
        : `invalid YAML: ${firstLine(e.message)}`;
      problem(message, e.pos[0], '');
    }
    if (yamlErrors.length > 0 || doc.contents === null) return;
    if (isScalar(doc.contents) && doc.contents.value === null) return;
    try {
      const { soft, ...walked } = walk(doc as Document, at);
      for (const e of soft) problem(e.message, e.offset, e.path);
      documents.push({ file, index, ...walked });
    } catch (e) {
      if (!(e instanceof WalkError)) throw e;
      problem(e.message, e.offset, e.path);
    }
  });
  return { documents, problems };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** RFC 6901 unescaping of one pointer segment. */
function unescapeSegment(segment: string): string {
  return segment.includes('~') ? segment.replace(/~1/g, '/').replace(/~0/g, '~') : segment;
}

/**
 * Budget overruns (depth, alias expansion) abort the document; other structural problems are
 * `soft`: reported, the offending node left out, and the rest of the document still checked.
 * Positions are not recorded while walking: `locate` finds a path's node in the syntax tree when a
 * message needs it, which keeps large manifests cheap.
 */
function walk(
  doc: Document,
  at: (offset: number, path: string) => SourceLocation,
): Omit<ParsedDocument, 'file' | 'index'> & { soft: WalkError[] } {
  const soft: WalkError[] = [];
  const resolved = new Map<object, unknown>();
  const segments: (string | number)[] = [];
  const here = (): string => segments.reduce<string>((p, s) => pointer(p, s), '');
  let aliasNodes = 0;

  const visit = (node: unknown, depth: number, viaAlias: boolean): JsonValue => {
    const offset = rangeStart(node);
    if (depth > MAX_DEPTH) throw new WalkError(`nesting is deeper than ${MAX_DEPTH} levels`, offset, here());
    if (viaAlias && ++aliasNodes > MAX_ALIAS_NODES) {
      throw new WalkError(
        `aliases expand to more than ${MAX_ALIAS_NODES} nodes (an alias bomb?); refusing to expand them`,
        offset,
        here(),
      );
    }
    if (isAlias(node)) {
      // Resolving searches the whole document; an alias node is resolved once, however often
      // it is expanded.
      let target = resolved.get(node);
      if (target === undefined && !resolved.has(node)) {
        target = node.resolve(doc);
        resolved.set(node, target);
      }
      if (target === undefined) {
        soft.push(new WalkError(`unresolved alias *${node.source}`, offset, here()));
        return null;
      }
      return visit(target, depth + 1, true);
    }
    if (isScalar(node)) {
      const v = scalar(node.value, node.source);
      if (v === undefined) soft.push(new WalkError('unsupported YAML scalar', offset, here()));
      return v ?? null;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        segments.push(i);
        const v = visit(item, depth + 1, viaAlias);
        segments.pop();
        return v;
      });
    }
    if (isMap(node) || isPair(node)) {
      // A bare pair is a single-pair map (`!!pairs`, `!!omap` items).
      const items = isPair(node) ? [node] : node.items;
      const out: Record<string, JsonValue> = {};
      const merged: Record<string, JsonValue>[] = [];
      for (const pair of items) {
        if (!isPair(pair)) continue;
        const k = pair.key;
        if (isScalar(k) && typeof k.value === 'symbol') {
          // `<<: *base` merge key: explicit keys of this map win over merged ones.
          const src = visit(pair.value, depth + 1, viaAlias);
          for (const m of Array.isArray(src) ? src : [src]) {
            if (m === null || typeof m !== 'object' || Array.isArray(m)) {
              soft.push(new WalkError('a merge key (<<) must refer to a map or a list of maps', rangeStart(pair.value), here()));
            } else {
              merged.push(m);
            }
          }
          continue;
        }
        if (!isScalar(k) || k.value === null || typeof k.value === 'object') {
          soft.push(new WalkError('map keys must be plain strings', rangeStart(k), here()));
          continue;
        }
        const key = String(k.value);
        if (key === '__proto__') {
          soft.push(new WalkError('"__proto__" is not allowed as a key', rangeStart(k), here()));
          continue;
        }
        if (Object.hasOwn(out, key)) {
          soft.push(new WalkError(`map keys must be unique: "${key}" appears again`, rangeStart(k), here()));
          continue;
        }
        segments.push(key);
        out[key] = pair.value === null ? null : visit(pair.value, depth + 1, viaAlias);
        segments.pop();
      }
      for (const m of merged.reverse()) {
        for (const [key, v] of Object.entries(m)) if (!Object.hasOwn(out, key)) out[key] = v;
      }
      return out;
    }
    soft.push(new WalkError('unsupported YAML node', offset, here()));
    return null;
  };

  const value = visit(doc.contents, 0, false);

  // Large maps (overlay topics) get an index on first lookup, so many lookups stay linear overall;
  // small ones are scanned.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairIn = (items: readonly unknown[], owner: object, key: string): Pair | undefined => {
    const matches = (pair: unknown): pair is Pair =>
      isPair(pair) && isScalar(pair.key) && pair.key.value !== null && typeof pair.key.value !== 'object' && String(pair.key.value) === key;
    if (items.length <= 16) return items.find(matches);
    let index = indexes.get(owner);
    if (!index) {
      index = new Map();
      for (const pair of items) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.value !== null && typeof pair.key.value !== 'object') {
          const k = String(pair.key.value);
          if (!index.has(k)) index.set(k, pair);
        }
      }
      indexes.set(owner, index);
    }
    return index.get(key);
  };
  /**
   * The syntax node at `path`, or the deepest written node on the way (an alias, or the map a
   * merge key filled), with the key node when the last step was a map key.
   */
  const nodeAt = (path: string): { node: unknown; key: unknown; complete: boolean } => {
    let node: unknown = doc.contents;
    let key: unknown;
    for (const raw of path === '' ? [] : path.split('/').slice(1)) {
      const segment = unescapeSegment(raw);
      let next: unknown;
      let nextKey: unknown;
      if (isMap(node) || isPair(node)) {
        const pair = isPair(node) ? pairIn([node], node, segment) : pairIn(node.items, node, segment);
        // `key:` with nothing after it has no value node; its key is where it was written.
        if (pair) [next, nextKey] = [pair.value ?? pair.key, pair.key];
      } else if (isSeq(node)) {
        const i = Number(segment);
        if (Number.isInteger(i) && i >= 0) next = node.items[i];
      }
      if (next === undefined || next === null) return { node, key, complete: false };
      [node, key] = [next, nextKey];
    }
    return { node, key, complete: true };
  };
  const locate = (path: string, part: 'key' | 'value' = 'value'): SourceLocation => {
    const { node, key, complete } = nodeAt(path);
    const target = complete && part === 'key' && key !== undefined ? key : node;
    return at(rangeStart(target), path);
  };
  const decimalSource = (path: string): string | undefined => {
    const { node, complete } = nodeAt(path);
    if (!complete || !isScalar(node) || typeof node.value !== 'number' || node.source === undefined) return undefined;
    return /^[+-]?\d+\.\d+$/.test(node.source) && String(node.value) !== node.source ? node.source : undefined;
  };
  return { value, locate, decimalSource, soft };
}

function rangeStart(node: unknown): number {
  const range = (node as YamlNode | null)?.range;
  return range ? range[0] : 0;
}

function scalar(value: unknown, source: string | undefined): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    // Beyond 2^53 a double would silently change the number; keep the digits instead.
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return source ?? String(value);
    return value;
  }
  if (value instanceof Date || value instanceof Uint8Array) return source ?? String(value);
  return undefined;
}
