/**
 * A fast path for the plain block YAML that manifests are made of: block maps and sequences,
 * single-line plain and quoted scalars, one-line flow sequences of scalars, comments and `---`.
 * It reads such text at tens of MB/s into the same values the `yaml` library and our walk produce
 * (YAML 1.2 core schema). Anything else — anchors, aliases, tags, block or multi-line scalars,
 * flow maps, escapes, tabs, duplicate or non-string keys, errors of any kind — makes it give up
 * on the whole file (`undefined`), and the caller parses it with the library, which reports
 * problems and positions as before. It records no positions: they are found with the library
 * when a message needs one.
 */
import type { JsonValue } from '../model.js';

/** A document read by the fast path. */
export interface SimpleDocument {
  /** 0-based position of the document in its file, as the library counts it. */
  index: number;
  value: JsonValue;
  /**
   * True when a decimal's text differs from its value's (`3.0`): its source text is then read
   * with the full parser (see `ParsedDocument.decimalSource`).
   */
  oddDecimals: boolean;
}

/** Nesting the fast path handles; deeper text goes to the library, which enforces the limit. */
const MAX_FAST_DEPTH = 32;

/** Tabs, CR, BOM, control characters: left to the library and its rules. */
const UNSUPPORTED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufeff]/;

// YAML 1.2 core schema, as the `yaml` library resolves plain scalars (`src/schema/core`).
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Decimals whose text `decimalSource` keeps when it prints differently. */
const DECIMAL = /^[+-]?\d+\.\d+$/;

/** Thrown inside the parser when the text leaves the subset; never escapes this module. */
class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

const NL = 10;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** A content line: where it starts, its indentation and its first character. */
interface Line {
  start: number;
  indent: number;
  at: number;
}

class Reader {
  oddDecimals = false;
  private readonly end: number;

  constructor(private readonly text: string) {
    this.end = text.length;
  }

  /** Every non-empty document, or `Unsupported`. */
  stream(): SimpleDocument[] {
    const docs: SimpleDocument[] = [];
    let p = 0;
    let index = 0;
    let started = false;
    for (;;) {
      const line = this.content(p);
      if (line.at >= this.end) return docs;
      if (line.indent !== 0) unsupported();
      if (this.marker(line.at)) {
        // `---` starts a document; only the first one, before any content, starts the first.
        if (started) index++;
        started = true;
        p = this.lineAfter(line.at + 3);
        continue;
      }
      started = true;
      this.oddDecimals = false;
      const { value, next } = this.map(line.at, 0, 1);
      docs.push({ index, value, oddDecimals: this.oddDecimals });
      const after = this.content(next);
      // A document ends at the end of the text or at `---`; anything else left the subset.
      if (after.at < this.end && !this.marker(after.at)) unsupported();
      p = next;
    }
  }

  /** The next line with content at or after line start `p` (blank and comment lines skipped). */
  private content(p: number): Line {
    const t = this.text;
    for (;;) {
      let i = p;
      while (i < this.end && t.charCodeAt(i) === SPACE) i++;
      if (i >= this.end) return { start: this.end, indent: 0, at: this.end };
      const c = t.charCodeAt(i);
      if (c === NL) {
        p = i + 1;
      } else if (c === HASH) {
        const nl = t.indexOf('\n', i);
        if (nl === -1) return { start: this.end, indent: 0, at: this.end };
        p = nl + 1;
      } else {
        return { start: p, indent: i - p, at: i };
      }
    }
  }

  /** `---` at `i` (column 0) followed by nothing but a comment. */
  private marker(i: number): boolean {
    const t = this.text;
    if (!t.startsWith('---', i)) {
      if (t.startsWith('...', i)) unsupported();
      return false;
    }
    const c = t.charCodeAt(i + 3);
    if (i + 3 < this.end && c !== NL && c !== SPACE) return false;
    return true;
  }

  /** The start of the line after position `i`, which must hold only spaces and a comment. */
  private lineAfter(i: number): number {
    const t = this.text;
    const from = i;
    while (i < this.end && t.charCodeAt(i) === SPACE) i++;
    if (i >= this.end) return this.end;
    const c = t.charCodeAt(i);
    if (c === HASH && i > from) {
      const nl = t.indexOf('\n', i);
      return nl === -1 ? this.end : nl + 1;
    }
    if (c !== NL) unsupported();
    return i + 1;
  }

  private isDash(i: number): boolean {
    if (this.text.charCodeAt(i) !== DASH) return false;
    const c = this.text.charCodeAt(i + 1);
    return i + 1 >= this.end || c === SPACE || c === NL;
  }

  /** A block value on the lines after `p` (a line start), more indented than `indent`. */
  private nested(p: number, indent: number, depth: number, seqAtSameIndent: boolean): { value: JsonValue; next: number } {
    const line = this.content(p);
    if (line.at < this.end && !(line.indent === 0 && this.marker(line.at))) {
      const dash = this.isDash(line.at);
      if (line.indent > indent || (seqAtSameIndent && line.indent === indent && dash)) {
        if (dash) return this.seq(line.at, line.indent, depth + 1);
        // A scalar or flow sequence may sit alone on the next line too.
        return this.key(line.at) === undefined ? this.inline(line.at) : this.map(line.at, line.indent, depth + 1);
      }
    }
    return { value: null, next: p };
  }

  /** A block map whose first key is at `at`, its keys at column `indent`. */
  private map(at: number, indent: number, depth: number): { value: JsonValue; next: number } {
    if (depth > MAX_FAST_DEPTH) unsupported();
    const out: Record<string, JsonValue> = {};
    for (;;) {
      const k = this.key(at) ?? unsupported();
      if (k.key === '__proto__' || k.key === '<<' || Object.hasOwn(out, k.key)) unsupported();
      const v = this.after(k.after, indent, depth, true);
      out[k.key] = v.value;
      const line = this.content(v.next);
      if (line.at >= this.end || line.indent < indent || (line.indent === 0 && this.marker(line.at))) {
        return { value: out, next: line.start };
      }
      if (line.indent > indent) unsupported();
      at = line.at;
    }
  }

  /** A block sequence whose first `-` is at `at`, at column `indent`. */
  private seq(at: number, indent: number, depth: number): { value: JsonValue; next: number } {
    if (depth > MAX_FAST_DEPTH) unsupported();
    const out: JsonValue[] = [];
    for (;;) {
      let i = at + 1;
      while (i < this.end && this.text.charCodeAt(i) === SPACE) i++;
      const c = this.text.charCodeAt(i);
      let v: { value: JsonValue; next: number };
      if (i < this.end && c !== NL && c !== HASH && this.key(i) !== undefined) {
        // `- name: x`: a map whose keys line up with this first one.
        v = this.map(i, indent + (i - at), depth + 1);
      } else {
        if (this.isDash(i)) unsupported();
        v = this.after(at + 1, indent, depth, false);
      }
      out.push(v.value);
      const line = this.content(v.next);
      if (line.at >= this.end || line.indent < indent || (line.indent === 0 && this.marker(line.at))) {
        return { value: out, next: line.start };
      }
      if (line.indent > indent) unsupported();
      // A key at the sequence's own column ends a sequence written at its parent key's column.
      if (!this.isDash(line.at)) return { value: out, next: line.start };
      at = line.at;
    }
  }

  /**
   * The value after a `key:` or `-` ending at `i`: on the same line, or a block on the lines
   * below; `next` is the start of the line after it.
   */
  private after(i: number, indent: number, depth: number, seqAtSameIndent: boolean): { value: JsonValue; next: number } {
    const t = this.text;
    const from = i;
    while (i < this.end && t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (i >= this.end || c === NL || (c === HASH && i > from)) {
      return this.nested(this.lineAfter(from), indent, depth, seqAtSameIndent);
    }
    // `key:value` is not a pair, and `-value` not an item: the caller checked the separator.
    if (i === from && i < this.end) unsupported();
    return this.inline(i);
  }

  /** A value written on the rest of the line from `i` (not a comment, not empty). */
  private inline(i: number): { value: JsonValue; next: number } {
    const t = this.text;
    const c = t[i];
    if (c === '[') return this.flowSeq(i);
    if (c === '{') {
      if (t.charCodeAt(i + 1) !== 125) unsupported();
      return { value: {}, next: this.lineAfter(i + 2) };
    }
    if (c === '"' || c === "'") {
      const q = this.quoted(i);
      return { value: q.value, next: this.lineAfter(q.end) };
    }
    this.plainStart(i);
    let nl = t.indexOf('\n', i);
    if (nl === -1) nl = this.end;
    // A comment starts at ` #`; searched within the line only, which keeps the scan linear.
    let e = i;
    while (e < nl && !(t.charCodeAt(e) === HASH && t.charCodeAt(e - 1) === SPACE)) e++;
    while (e > i && t.charCodeAt(e - 1) === SPACE) e--;
    const s = t.slice(i, e);
    // `a: b: c` is an error, and `a: b:` is a map key: both for the library to say.
    if (s.includes(': ') || s.charCodeAt(s.length - 1) === COLON) unsupported();
    return { value: this.plain(s), next: nl === this.end ? this.end : nl + 1 };
  }

  /** Plain scalars starting with an indicator are the library's business. */
  private plainStart(i: number): void {
    const c = this.text[i] ?? '';
    if ('?:,[]{}#&*!|>\'"%@`'.includes(c)) unsupported();
    if (c === '-' && !/[0-9A-Za-z.]/.test(this.text[i + 1] ?? '')) unsupported();
  }

  /** `[a, "b", 3]` on one line: scalars only. */
  private flowSeq(i: number): { value: JsonValue; next: number } {
    const t = this.text;
    const out: JsonValue[] = [];
    i++;
    const skip = (): void => {
      while (i < this.end && t.charCodeAt(i) === SPACE) i++;
    };
    skip();
    if (t[i] === ']') return { value: out, next: this.lineAfter(i + 1) };
    for (;;) {
      const c = t[i];
      if (c === '"' || c === "'") {
        const q = this.quoted(i);
        out.push(q.value);
        i = q.end;
      } else {
        this.plainStart(i);
        let e = i;
        for (; e < this.end; e++) {
          const ch = t[e];
          if (ch === ',' || ch === ']') break;
          if (ch === '\n' || ch === '[' || ch === '{' || ch === '}' || ch === ':' || ch === '#') unsupported();
        }
        let s = e;
        while (s > i && t.charCodeAt(s - 1) === SPACE) s--;
        if (s === i) unsupported();
        out.push(this.plain(t.slice(i, s)));
        i = e;
      }
      skip();
      if (t[i] === ']') return { value: out, next: this.lineAfter(i + 1) };
      if (t[i] !== ',') unsupported();
      i++;
      skip();
      if (t[i] === ']' || t[i] === ',') unsupported();
    }
  }

  /** A quoted scalar on one line, without escapes; `end` is just past the closing quote. */
  private quoted(i: number): { value: string; end: number } {
    const t = this.text;
    const q = t[i] as string;
    let value = '';
    let from = i + 1;
    for (;;) {
      const close = t.indexOf(q, from);
      const nl = t.indexOf('\n', from);
      if (close === -1 || (nl !== -1 && nl < close)) unsupported();
      const part = t.slice(from, close);
      if (q === '"' && part.includes('\\')) unsupported();
      value += part;
      if (q === "'" && t[close + 1] === "'") {
        value += "'";
        from = close + 2;
        continue;
      }
      return { value, end: close + 1 };
    }
  }

  /** A map key at `i` followed by `:` and a space or line end; undefined when there is none. */
  private key(i: number): { key: string; after: number } | undefined {
    if (this.lastKey !== undefined && this.lastKeyAt === i) return this.lastKey;
    const k = this.readKey(i);
    this.lastKeyAt = i;
    this.lastKey = k;
    return k;
  }

  private lastKeyAt = -1;
  private lastKey: { key: string; after: number } | undefined;

  private readKey(i: number): { key: string; after: number } | undefined {
    const t = this.text;
    const c = t[i];
    let key: string;
    let colon: number;
    if (c === '"' || c === "'") {
      const nl = t.indexOf('\n', i);
      const close = t.indexOf(c, i + 1);
      if (close === -1 || (nl !== -1 && close > nl) || t.charCodeAt(close + 1) !== COLON) return undefined;
      const q = this.quoted(i);
      key = q.value;
      colon = q.end;
    } else {
      let e = i;
      let odd = false;
      for (; e < this.end; e++) {
        const ch = t.charCodeAt(e);
        if (ch === COLON) {
          const n = t.charCodeAt(e + 1);
          if (e + 1 >= this.end || n === SPACE || n === NL) break;
        } else if (ch === NL || ch === SPACE) {
          return undefined;
        } else if (ch < 48 && ch !== 36 && ch !== 43 && ch !== 45 && ch !== 46 && ch !== 47) {
          // Punctuation below '0' other than $ + - . / may be YAML syntax: the library decides.
          odd = true;
        } else if (ch === 62 || ch === 64 || ch === 91 || ch === 93 || ch === 96 || ch === 123 || ch === 124 || ch === 125) {
          odd = true; // > @ [ ] ` { | }
        }
      }
      if (e >= this.end || e === i) return undefined;
      if (odd) unsupported();
      this.plainStart(i);
      key = t.slice(i, e);
      if (typeof this.plain(key) !== 'string') unsupported();
      colon = e;
    }
    const n = t.charCodeAt(colon + 1);
    if (colon + 1 < this.end && n !== SPACE && n !== NL) return undefined;
    // YAML limits an implicit key to 1024 characters; the library reports longer ones.
    if (colon - i > 1024) unsupported();
    return { key, after: colon + 1 };
  }

  /** A plain scalar's value (YAML 1.2 core schema), as our walk turns it into JSON. */
  private plain(s: string): JsonValue {
    const c = s.charCodeAt(0);
    // Only these first characters can start anything but a string.
    if (c === 110 || c === 78 || c === 126) return NULL.test(s) ? null : s; // n N ~
    if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL.test(s) ? c === 116 || c === 84 : s; // t T f F
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s; // digits + - .
    if (INT.test(s)) {
      const big = BigInt(s);
      // Beyond 2^53 a double would change the number: the walk keeps the digits.
      return Number.isSafeInteger(Number(big)) ? Number(big) : big.toString();
    }
    if (FLOAT_SPECIAL.test(s)) return s;
    if (FLOAT.test(s)) {
      const v = parseFloat(s);
      if (!Number.isFinite(v)) return s;
      if (DECIMAL.test(s) && String(v) !== s) this.oddDecimals = true;
      return v;
    }
    return s;
  }
}

/**
 * The documents of `text` when all of it is in the fast path's subset, else undefined. The
 * values equal what the full parser and walk produce for the same text.
 */
export function parseSimpleYaml(text: string): SimpleDocument[] | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new Reader(text).stream();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
