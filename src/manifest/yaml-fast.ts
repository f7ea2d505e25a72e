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

// YAML 1.2 core schema, as the `yaml` library resolves plain scalars (`src/schema/core`); its
// null and booleans are spelled out in `plain`.
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

// Sticky patterns for the shapes generated manifests are made of, tried before the general,
// character by character readers: the regular expression engine runs compiled code from the first
// line on, while JavaScript starts out interpreted. `test` allocates nothing; `lastIndex` then says
// where the match ended. Each accepts only text the general readers read the same way.
/**
 * A plain key that can only be a string (unless it starts with n, t or f: checked), followed by
 * `:` and a space or the line's end.
 */
const SIMPLE_KEY = /[A-Za-z_][0-9A-Za-z_.-]*:(?![^ \n])/y;
/** A plain value filling the rest of its line, of characters with no meaning in YAML. */
const SIMPLE_VALUE = /[0-9A-Za-z_./][0-9A-Za-z_./-]*(?![^\n])/y;
/** The same in a flow sequence, up to the spaces before its `,` or `]`. */
const SIMPLE_ITEM = /[0-9A-Za-z_./][0-9A-Za-z_./-]*(?= *[,\]])/y;
/**
 * The commonest lines in one match: the indentation, an optional `- `, an optional key as
 * `SIMPLE_KEY` reads it, an optional value — plain as `SIMPLE_VALUE` reads it, double-quoted
 * without escapes, or a flow sequence of such plain scalars — and the line's end. `tokens`
 * reads the others. It captures nothing: it runs on every line the line cache does not hold,
 * and `test` then allocates nothing (a match array and its captures were most of what reading
 * a file allocated); `Reader.line` finds the parts again from their first characters.
 */
const LINE =
  / *(?=[^ \n])(?:- +)?(?:[A-Za-z_][0-9A-Za-z_.-]*:(?: +|(?=\n)))?(?:[0-9A-Za-z_./][0-9A-Za-z_./-]*|"[^"\\\n]*"|\[ *(?:[0-9A-Za-z_./][0-9A-Za-z_./-]* *(?:, *[0-9A-Za-z_./][0-9A-Za-z_./-]* *)*)?\])?\n/y;
/** Quoted scalars without escapes or doubled quotes. */
const SIMPLE_DOUBLE = /"[^"\\\n]*"/y;
const SIMPLE_SINGLE = /'[^'\n]*'(?!')/y;

/** The indicators that cannot start a plain scalar the fast path reads, by character code. */
const INDICATOR = new Uint8Array(128);
for (const c of '?:,[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

/** First characters of scalars the core schema may type, digits aside: null, booleans, numbers. */
const TYPED_START = new Uint8Array(128);
for (const c of 'nN~tTfF+-.') TYPED_START[c.charCodeAt(0)] = 1;

/** The core schema's null and booleans, else the plain scalar `s` itself. */
function keyword(s: string): JsonValue {
  switch (s) {
    case 'null':
    case 'Null':
    case 'NULL':
    case '~':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    default:
      return s;
  }
}

/** Slots of the line cache (`Reader.lines`): a power of two. */
const LINE_SLOTS = 1024;
const LINE_SLOTS_MASK = LINE_SLOTS - 1;
/** A cached line's flags. */
const CACHED_DASH = 1;
const CACHED_FLOW = 2;
const CACHED_ODD = 4;

const NL = 10;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/**
 * Reads line by line, the open collections on a stack, in one loop (`document`): a cold process
 * spends most of its time before the JIT has optimised anything, and one loop over locals is
 * cheap in every tier. Readers of single values return the value and leave in `next` the start
 * of the line after it.
 */
class Reader {
  oddDecimals = false;
  private readonly end: number;
  /** Start of the line after the value just read. */
  private next = 0;
  /** The line `content` found: its start (its first character is what it returns). */
  private lineStart = 0;
  /** The value of the document `document` read. */
  private root: JsonValue = null;
  /** The key `readKey` read. */
  private keyText = '';
  /** The line `line` (or `tokens`, its dash, key and value) read. */
  private lineLast = false;
  private lineIndent = 0;
  private lineDash = false;
  private lineKey: string | undefined;
  private lineKeyAt = 0;
  private lineValue: JsonValue | undefined;
  /** Just past the closing quote of the scalar `quoted` read. */
  private quotedEnd = 0;
  /** The first ` #` at or after `hashFrom` (-1: none), reused while the reading moves forward. */
  private hashFrom: number;
  private hashAt = -1;
  /**
   * The line cache: lines `LINE` read, with their trailing newline, by slot (from a hash of the
   * line), and what it read in them. Generated manifests repeat most of their lines byte for byte
   * (`    partitions: 6`); a line found here, checked with `startsWith` (which allocates nothing),
   * is not matched and cut up again. Only the line's own text decides what it reads, so a hit is
   * exact whatever the hash looked at, and an entry is right wherever its line is.
   */
  private readonly lines: (string | undefined)[] = new Array<string | undefined>(LINE_SLOTS).fill(undefined);
  /** 1 + the start of the line last read in each slot and not kept (0: none). */
  private readonly lineSeen = new Int32Array(LINE_SLOTS);
  /** Each line's indentation, the offset of what follows its indentation and `-`, and `CACHED_*` flags. */
  private readonly lineIndents = new Int32Array(LINE_SLOTS);
  private readonly lineKeyAts = new Int32Array(LINE_SLOTS);
  private readonly lineFlags = new Uint8Array(LINE_SLOTS);
  private readonly lineKeys: (string | undefined)[] = new Array<string | undefined>(LINE_SLOTS).fill(undefined);
  /** A flow sequence read from here is a copy: callers may change the lists they get. */
  private readonly lineValues: (JsonValue | undefined)[] = new Array<JsonValue | undefined>(LINE_SLOTS).fill(undefined);

  constructor(private readonly text: string) {
    this.end = text.length;
    this.hashFrom = this.end + 1;
  }

  /** Every non-empty document, or `Unsupported`. */
  stream(): SimpleDocument[] {
    const docs: SimpleDocument[] = [];
    let p = 0;
    let index = 0;
    let started = false;
    for (;;) {
      const at = this.content(p);
      if (at >= this.end) return docs;
      if (at !== this.lineStart) unsupported();
      if (this.marker(at)) {
        // `---` starts a document; only the first one, before any content, starts the first.
        if (started) index++;
        started = true;
        p = this.lineAfter(at + 3);
        continue;
      }
      started = true;
      this.oddDecimals = false;
      p = this.document(at);
      docs.push({ index, value: this.root, oddDecimals: this.oddDecimals });
    }
  }

  /**
   * Reads the document whose first line, a key at column 0, starts at `p`, into `root`; returns
   * where it ends: at `---` or at the end of the text. (Nothing is stored at the end: a first store
   * there would throw the optimised loop away before the next document.)
   */
  private document(p: number): number {
    const t = this.text;
    const end = this.end;
    const root: Record<string, JsonValue> = {};
    this.root = root;
    // The collections open at the current line, outermost first, with the columns of their keys
    // or dashes; the innermost is also in `map` or `seq`, its column in `column`.
    const open: (Record<string, JsonValue> | JsonValue[])[] = [root];
    const columns: number[] = [0];
    let map: Record<string, JsonValue> | undefined = root;
    let seq: JsonValue[] | undefined;
    let column = 0;
    // A `key:` or `-` that ended its line: its value is a block on the lines below, else null.
    let pending = false;
    let pendingKey = '';
    let lineStart = p;
    for (;;) {
      // The line: its indentation, `-`, a key (`keyAt` its column), a value (undefined: none, a
      // block follows), the start of the next line; `last` at the document's end.
      let indent = 0;
      let dash = false;
      let key: string | undefined;
      let keyAt = 0;
      let value: JsonValue | undefined;
      let next = end;
      let last = lineStart >= end;
      if (!last) {
        const nl = t.indexOf('\n', lineStart);
        // The line's hash (its length and three characters) and slot in the line cache (`lines`).
        const hash =
          nl === -1
            ? -1
            : (nl - lineStart) * 31 + t.charCodeAt(nl - 1) * 7 + t.charCodeAt(nl - 2) * 3 + t.charCodeAt((lineStart + nl) >> 1);
        const s = hash & LINE_SLOTS_MASK;
        const cached = nl === -1 ? undefined : this.lines[s];
        if (cached !== undefined && t.startsWith(cached, lineStart)) {
          const flags = this.lineFlags[s] as number;
          indent = this.lineIndents[s] as number;
          keyAt = lineStart + (this.lineKeyAts[s] as number);
          dash = (flags & CACHED_DASH) !== 0;
          key = this.lineKeys[s];
          value = this.lineValues[s];
          if ((flags & CACHED_FLOW) !== 0) value = (value as JsonValue[]).slice();
          if ((flags & CACHED_ODD) !== 0) this.oddDecimals = true;
          next = nl + 1;
        } else {
          this.line(lineStart, hash);
          lineStart = this.lineStart;
          last = this.lineLast;
          indent = this.lineIndent;
          dash = this.lineDash;
          key = this.lineKey;
          keyAt = this.lineKeyAt;
          value = this.lineValue;
          next = this.next;
        }
      }
      let opened: Record<string, JsonValue> | JsonValue[] | undefined;
      if (pending) {
        pending = false;
        let block: JsonValue = null;
        let scalar = false;
        // A map's value may be a sequence at the map's own column; anything else is to its right.
        if (!last && (indent > column || (map !== undefined && indent === column && dash))) {
          if (dash) block = opened = [];
          else if (key !== undefined) block = opened = {};
          else {
            // A scalar or flow sequence alone on its line.
            block = value as JsonValue;
            scalar = true;
          }
        }
        if (map !== undefined) map[pendingKey] = block;
        else (seq as JsonValue[]).push(block);
        if (scalar) {
          lineStart = next;
          continue;
        }
      }
      if (last) return lineStart;
      if (opened === undefined) {
        // Close what this line is left of. A key at a sequence's own column ends a sequence written
        // at its parent key's column.
        while (indent < column || (seq !== undefined && indent === column && !dash)) {
          open.pop();
          columns.pop();
          const c = open[open.length - 1] as Record<string, JsonValue> | JsonValue[];
          column = columns[columns.length - 1] as number;
          if (Array.isArray(c)) {
            seq = c;
            map = undefined;
          } else {
            map = c;
            seq = undefined;
          }
        }
        if (indent > column) unsupported();
      } else {
        if (open.length >= MAX_FAST_DEPTH) unsupported();
        open.push(opened);
        columns.push(indent);
        column = indent;
        if (Array.isArray(opened)) {
          seq = opened;
          map = undefined;
        } else {
          map = opened;
          seq = undefined;
        }
      }
      if (seq !== undefined) {
        if (key === undefined) {
          if (value === undefined) pending = true;
          else seq.push(value);
          lineStart = next;
          continue;
        }
        // `- key: ...`: a map whose keys line up with this first one.
        if (open.length >= MAX_FAST_DEPTH) unsupported();
        const item: Record<string, JsonValue> = {};
        seq.push(item);
        open.push(item);
        column = keyAt - lineStart;
        columns.push(column);
        map = item;
        seq = undefined;
      } else if (dash || key === undefined) {
        // Only keys are at a map's column.
        unsupported();
      }
      const m = map as Record<string, JsonValue>;
      if (key === '__proto__' || key === '<<' || Object.hasOwn(m, key as string)) unsupported();
      if (value === undefined) {
        pending = true;
        pendingKey = key as string;
      } else {
        m[key as string] = value;
      }
      lineStart = next;
    }
  }

  /**
   * Reads the line at `lineStart`, which the line cache does not hold (`hash`: its hash, -1 when
   * it is not to be kept), into the fields `document` names its parts by: `lineStart` (past blank
   * and comment lines), `lineLast`, `lineIndent`, `lineDash`, `lineKey`, `lineKeyAt`, `lineValue`
   * and `next`. Kept out of `document`, whose loop is compiled while it runs, in a cold process
   * a good part of the reading: with all of this inlined it took two to three times as long to
   * compile; and a shape first met in a later file (a comment, a value `LINE` does not read),
   * which throws away the compiled code that meets it, now recompiles this method alone.
   */
  private line(lineStart: number, hash: number): void {
    const t = this.text;
    const end = this.end;
    let indent = 0;
    let dash = false;
    let key: string | undefined;
    let keyAt = 0;
    let value: JsonValue | undefined;
    let next = end;
    let last = false;
    LINE.lastIndex = lineStart;
    let matched = LINE.test(t);
    if (!matched) {
      // Blank and comment lines, `---`, and lines `LINE` does not read.
      const at = this.content(lineStart);
      lineStart = this.lineStart;
      indent = at - lineStart;
      last = at >= end || (indent === 0 && this.marker(at));
      if (!last) {
        LINE.lastIndex = lineStart;
        matched = LINE.test(t);
        if (!matched) {
          this.tokens(at);
          dash = this.lineDash;
          key = this.lineKey;
          keyAt = this.lineKeyAt;
          value = this.lineValue;
          next = this.next;
        }
      }
    }
    if (matched) {
      // What `LINE` matched, found again from its shape: `test` allocates no match array and
      // no captures. A `-` here is the dash (no value starts with one), a `:` before the
      // line's end is a key's (no value without quotes holds one; a quoted one starts with `"`).
      next = LINE.lastIndex;
      keyAt = lineStart;
      while (t.charCodeAt(keyAt) === SPACE) keyAt++;
      indent = keyAt - lineStart;
      if (t.charCodeAt(keyAt) === DASH) {
        dash = true;
        keyAt++;
        while (t.charCodeAt(keyAt) === SPACE) keyAt++;
      }
      let at = keyAt;
      const c = t.charCodeAt(keyAt);
      if (c !== LBRACKET && c !== DQUOTE) {
        const colon = t.indexOf(':', keyAt);
        if (colon !== -1 && colon < next) {
          key = t.slice(keyAt, colon);
          // `null:` or `true:` is not a string key; YAML limits a key to 1024 characters.
          if ((TYPED_START[key.charCodeAt(0)] === 1 && keyword(key) !== key) || key.length > 1024) unsupported();
          at = colon + 1;
          while (t.charCodeAt(at) === SPACE) at++;
        }
      }
      const odd = this.oddDecimals;
      this.oddDecimals = false;
      // The value ends at the newline (`next - 1`): `LINE` allows no spaces before it.
      if (at < next - 1) {
        const v = t.charCodeAt(at);
        if (v === DQUOTE) value = t.slice(at + 1, next - 2);
        else if (v === LBRACKET) value = this.flowItems(at, next - 2);
        else value = this.plain(t.slice(at, next - 1));
      }
      if (hash !== -1) {
        // Kept from its second sighting on: a line seen once, as most of those that name
        // something are, costs no string and evicts nothing. After a comment or blank line, `hash`
        // is that line's, which is harmless: the entry is right for its text, wherever it is.
        const slot = hash & LINE_SLOTS_MASK;
        const seen = (this.lineSeen[slot] as number) - 1;
        if (seen !== -1 && this.sameLine(seen, lineStart, next - lineStart)) {
          this.lines[slot] = t.slice(lineStart, next);
          this.lineIndents[slot] = indent;
          this.lineKeyAts[slot] = keyAt - lineStart;
          this.lineFlags[slot] = (dash ? CACHED_DASH : 0) | (Array.isArray(value) ? CACHED_FLOW : 0) | (this.oddDecimals ? CACHED_ODD : 0);
          this.lineKeys[slot] = key;
          this.lineValues[slot] = value;
        } else {
          this.lineSeen[slot] = lineStart + 1;
        }
      }
      this.oddDecimals ||= odd;
    }
    this.lineStart = lineStart;
    this.lineLast = last;
    this.lineIndent = indent;
    this.lineDash = dash;
    this.lineKey = key;
    this.lineKeyAt = keyAt;
    this.lineValue = value;
    this.next = next;
  }

  /**
   * Whether the `n` characters at `a` and at `b` are the same, compared from the end, where the
   * lines of a generated list differ (`name: orders.000042`).
   */
  private sameLine(a: number, b: number, n: number): boolean {
    const t = this.text;
    for (let k = n - 1; k >= 0; k--) if (t.charCodeAt(a + k) !== t.charCodeAt(b + k)) return false;
    return true;
  }

  /**
   * Reads the line whose content starts at `at` character by character, into `lineDash`,
   * `lineKey`, `lineKeyAt` and `lineValue` (as `document` names them); `next` is the next line.
   */
  private tokens(at: number): void {
    let i = at;
    this.lineDash = false;
    this.lineKey = undefined;
    this.lineKeyAt = at;
    if (this.isDash(at)) {
      this.lineDash = true;
      i = this.spaces(at + 1);
      const c = i < this.end ? this.text.charCodeAt(i) : NL;
      if (c === NL || c === HASH || this.readKey(i) === -1) {
        // `- - x` is for the library.
        if (this.isDash(i)) unsupported();
        this.lineValue = this.after(at + 1);
        return;
      }
    }
    const keyEnd = this.readKey(i);
    if (keyEnd === -1) {
      this.lineValue = this.inline(i);
      return;
    }
    this.lineKey = this.keyText;
    this.lineKeyAt = i;
    this.lineValue = this.after(keyEnd);
  }

  /** The first character of the next line with content at or after line start `p` (blank and comment lines skipped), its line in `lineStart`. */
  private content(p: number): number {
    const t = this.text;
    const end = this.end;
    let i = p;
    for (;;) {
      while (i < end && t.charCodeAt(i) === SPACE) i++;
      if (i >= end) {
        // No content: the line of the end of the text, which every caller treats as the end.
        p = end;
        break;
      }
      const c = t.charCodeAt(i);
      if (c === NL) {
        p = i + 1;
      } else if (c === HASH) {
        const nl = t.indexOf('\n', i);
        p = nl === -1 ? end : nl + 1;
      } else {
        break;
      }
      i = p;
    }
    this.lineStart = p;
    return i;
  }

  /** `---` at `i` (column 0) followed by nothing but a comment. */
  private marker(i: number): boolean {
    const t = this.text;
    if (!t.startsWith('---', i)) {
      if (t.startsWith('...', i)) unsupported();
      return false;
    }
    if (i + 3 >= this.end) return true;
    const c = t.charCodeAt(i + 3);
    return c === NL || c === SPACE;
  }

  /** The start of the line after position `i`, which must hold only spaces and a comment. */
  private lineAfter(i: number): number {
    const t = this.text;
    const from = i;
    i = this.spaces(i);
    if (i >= this.end) return this.end;
    const c = t.charCodeAt(i);
    if (c === HASH && i > from) {
      const nl = t.indexOf('\n', i);
      return nl === -1 ? this.end : nl + 1;
    }
    if (c !== NL) unsupported();
    return i + 1;
  }

  private spaces(i: number): number {
    const t = this.text;
    while (i < this.end && t.charCodeAt(i) === SPACE) i++;
    return i;
  }

  private isDash(i: number): boolean {
    if (i >= this.end || this.text.charCodeAt(i) !== DASH) return false;
    if (i + 1 >= this.end) return true;
    const c = this.text.charCodeAt(i + 1);
    return c === SPACE || c === NL;
  }

  /**
   * The value after a `key:` or `-` ending at `i` when it is on the same line; undefined when the
   * line ends there (the value is a block on the lines below). `next` is the start of the next line.
   */
  private after(i: number): JsonValue | undefined {
    const from = i;
    i = this.spaces(i);
    const c = i < this.end ? this.text.charCodeAt(i) : NL;
    if (c === NL || (c === HASH && i > from)) {
      this.next = this.lineAfter(from);
      return undefined;
    }
    // `key:value` is not a pair, and `-value` not an item: the caller checked the separator.
    if (i === from) unsupported();
    return this.inline(i);
  }

  /** A value written on the rest of the line from `i` (not a comment, not empty). */
  private inline(i: number): JsonValue {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === LBRACKET) return this.flowSeq(i);
    if (c === LBRACE) {
      if (t.charCodeAt(i + 1) !== RBRACE) unsupported();
      this.next = this.lineAfter(i + 2);
      return {};
    }
    if (c === DQUOTE || c === SQUOTE) {
      const value = this.quoted(i);
      this.next = this.lineAfter(this.quotedEnd);
      return value;
    }
    SIMPLE_VALUE.lastIndex = i;
    if (SIMPLE_VALUE.test(t)) {
      const e = SIMPLE_VALUE.lastIndex;
      this.next = e < this.end ? e + 1 : this.end;
      return this.plain(t.slice(i, e));
    }
    this.plainStart(i);
    let nl = t.indexOf('\n', i);
    if (nl === -1) nl = this.end;
    // A comment starts at ` #` (the value cannot start with `#`).
    const hash = this.commentAfter(i);
    let e = hash === -1 || hash > nl ? nl : hash + 1;
    while (e > i && t.charCodeAt(e - 1) === SPACE) e--;
    const s = t.slice(i, e);
    // `a: b: c` is an error, and `a: b:` is a map key: both for the library to say.
    if (s.includes(': ') || s.charCodeAt(s.length - 1) === COLON) unsupported();
    this.next = nl === this.end ? this.end : nl + 1;
    return this.plain(s);
  }

  /**
   * The first ` #` at or after `i`, or -1. Searching the whole text from each value would be
   * quadratic; the reading moves forward, so one search serves every value before the match.
   */
  private commentAfter(i: number): number {
    if (i < this.hashFrom || (this.hashAt !== -1 && this.hashAt < i)) {
      this.hashFrom = i;
      this.hashAt = this.text.indexOf(' #', i);
    }
    return this.hashAt;
  }

  /** Plain scalars starting with an indicator are the library's business. */
  private plainStart(i: number): void {
    if (i >= this.end) unsupported();
    const c = this.text.charCodeAt(i);
    if (c < 128 && INDICATOR[c] === 1) unsupported();
    if (c === DASH) {
      // `-` starts a plain scalar only before [0-9A-Za-z.] here.
      const d = i + 1 < this.end ? this.text.charCodeAt(i + 1) : 0;
      if (!((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 46)) unsupported();
    }
  }

  /** The items of a flow sequence of plain scalars as `LINE` matched it, from `[` to `]`. */
  private flowItems(open: number, close: number): JsonValue[] {
    const t = this.text;
    const out: JsonValue[] = [];
    let i = open + 1;
    for (;;) {
      while (t.charCodeAt(i) === SPACE) i++;
      if (i === close) return out;
      let e = t.indexOf(',', i);
      if (e === -1 || e > close) e = close;
      let s = e;
      while (t.charCodeAt(s - 1) === SPACE) s--;
      out.push(this.plain(t.slice(i, s)));
      if (e === close) return out;
      i = e + 1;
    }
  }

  /** `[a, "b", 3]` on one line: scalars only. */
  private flowSeq(i: number): JsonValue {
    const t = this.text;
    const out: JsonValue[] = [];
    i = this.spaces(i + 1);
    if (t.charCodeAt(i) === RBRACKET) {
      this.next = this.lineAfter(i + 1);
      return out;
    }
    for (;;) {
      const c = i < this.end ? t.charCodeAt(i) : NL;
      if (c === DQUOTE || c === SQUOTE) {
        out.push(this.quoted(i));
        i = this.quotedEnd;
      } else {
        SIMPLE_ITEM.lastIndex = i;
        let e: number;
        if (SIMPLE_ITEM.test(t)) {
          e = SIMPLE_ITEM.lastIndex;
          out.push(this.plain(t.slice(i, e)));
        } else {
          this.plainStart(i);
          e = i;
          for (; e < this.end; e++) {
            const ch = t.charCodeAt(e);
            if (ch === COMMA || ch === RBRACKET) break;
            if (ch === NL || ch === LBRACKET || ch === LBRACE || ch === RBRACE || ch === COLON || ch === HASH) unsupported();
          }
          let s = e;
          while (s > i && t.charCodeAt(s - 1) === SPACE) s--;
          if (s === i) unsupported();
          out.push(this.plain(t.slice(i, s)));
        }
        i = e;
      }
      i = this.spaces(i);
      const d = i < this.end ? t.charCodeAt(i) : NL;
      if (d === RBRACKET) {
        this.next = this.lineAfter(i + 1);
        return out;
      }
      if (d !== COMMA) unsupported();
      i = this.spaces(i + 1);
      const n = i < this.end ? t.charCodeAt(i) : NL;
      if (n === RBRACKET || n === COMMA) unsupported();
    }
  }

  /** A quoted scalar on one line, without escapes; `quotedEnd` is set just past the closing quote. */
  private quoted(i: number): string {
    const t = this.text;
    const simple = t.charCodeAt(i) === DQUOTE ? SIMPLE_DOUBLE : SIMPLE_SINGLE;
    simple.lastIndex = i;
    if (simple.test(t)) {
      this.quotedEnd = simple.lastIndex;
      return t.slice(i + 1, simple.lastIndex - 1);
    }
    const q = t.charAt(i);
    let value = '';
    let from = i + 1;
    for (;;) {
      const close = t.indexOf(q, from);
      const nl = t.indexOf('\n', from);
      if (close === -1 || (nl !== -1 && nl < close)) unsupported();
      const part = t.slice(from, close);
      if (q === '"' && part.includes('\\')) unsupported();
      value += part;
      if (q === "'" && t.charCodeAt(close + 1) === SQUOTE) {
        value += "'";
        from = close + 2;
        continue;
      }
      this.quotedEnd = close + 1;
      return value;
    }
  }

  /** A plain key must be a string (not `null`, `true` or `1`) of at most YAML's 1024 characters. */
  private checkKey(key: string): void {
    if (key.length > 1024 || typeof this.plain(key) !== 'string') unsupported();
  }

  /** Reads the key at `i` into `keyText`; the position after its `:`, or -1 when there is none. */
  private readKey(i: number): number {
    const t = this.text;
    SIMPLE_KEY.lastIndex = i;
    if (SIMPLE_KEY.test(t)) {
      const colon = SIMPLE_KEY.lastIndex - 1;
      const key = t.slice(i, colon);
      this.checkKey(key);
      this.keyText = key;
      return colon + 1;
    }
    const c = t.charCodeAt(i);
    let key: string;
    let colon: number;
    if (c === DQUOTE || c === SQUOTE) {
      const nl = t.indexOf('\n', i);
      const close = t.indexOf(t.charAt(i), i + 1);
      if (close === -1 || (nl !== -1 && close > nl) || t.charCodeAt(close + 1) !== COLON) return -1;
      key = this.quoted(i);
      colon = this.quotedEnd;
    } else {
      let e = i;
      let odd = false;
      for (; e < this.end; e++) {
        const ch = t.charCodeAt(e);
        if (ch === COLON) {
          if (e + 1 >= this.end) break;
          const n = t.charCodeAt(e + 1);
          if (n === SPACE || n === NL) break;
        } else if (ch === NL || ch === SPACE) {
          return -1;
        } else if (ch < 48 && ch !== 36 && ch !== 43 && ch !== 45 && ch !== 46 && ch !== 47) {
          // Punctuation below '0' other than $ + - . / may be YAML syntax: the library decides.
          odd = true;
        } else if (ch === 62 || ch === 64 || ch === 91 || ch === 93 || ch === 96 || ch === 123 || ch === 124 || ch === 125) {
          odd = true; // > @ [ ] ` { | }
        }
      }
      if (e >= this.end || e === i) return -1;
      if (odd) unsupported();
      this.plainStart(i);
      key = t.slice(i, e);
      if (typeof this.plain(key) !== 'string') unsupported();
      colon = e;
    }
    if (colon + 1 < this.end) {
      const n = t.charCodeAt(colon + 1);
      if (n !== SPACE && n !== NL) return -1;
    }
    if (colon - i > 1024) unsupported();
    this.keyText = key;
    return colon + 1;
  }

  /** A plain scalar's value (YAML 1.2 core schema), as our walk turns it into JSON. */
  private plain(s: string): JsonValue {
    const c = s.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      // Up to 15 decimal digits are exact in a double: no BigInt needed (and no sign, so no -0).
      const n = s.length;
      let k = n <= 15 ? 1 : n;
      let v = c - 48;
      for (; k < n; k++) {
        const d = s.charCodeAt(k);
        if (d < 48 || d > 57) break;
        v = v * 10 + (d - 48);
      }
      if (k === n && n <= 15) return v;
    } else if (c >= 128 || TYPED_START[c] !== 1) {
      return s;
    }
    return this.typed(s);
  }

  /**
   * `plain` for scalars that may be null, a boolean or a number. One function for all of them:
   * its branches are then known to the engine from the first of them it meets.
   */
  private typed(s: string): JsonValue {
    const k = keyword(s);
    if (k !== s) return k;
    const c = s.charCodeAt(0);
    // Numbers start with a digit, a sign or a dot.
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s;
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
 * Text with every shape manifests are made of, read twice before the first real file. The engine
 * records which shapes each part of the reader meets only once it has run a while; a shape first
 * met after the reader was optimised throws the optimised code away (the first file's `acls:` list
 * of flat entries, then the second file's nested `config:` maps, cost about 25 ms that way). Read
 * here first, every shape is known when the reader is optimised. It must stay in the fast path's
 * subset: outside it, every call would throw.
 */
const PRIMER = `apiVersion: kafkaform/v1
scope:
  topics: ["a."]
topicDefaults:
  partitions: 3
topics:
  - name: a.x
    partitions: 6
    replicationFactor: 3
    config:
      cleanup.policy: delete
      retention.ms: 3d
      x.y: [a, b]
      z: "q"
  - name: a.y
    partitions: 6
    replicationFactor: 3
    config:
      cleanup.policy: delete
      retention.ms: 3d
acls:
  - principal: "User:a"
    resourceType: TOPIC
    resourceName: a.x
    operations: [DESCRIBE, WRITE]
  - principal: "User:a"
    resourceType: TOPIC
    resourceName: a.y
    operations: [DESCRIBE, WRITE]
  - principal: User:b
    role: consumer
    topics:
      - a.x
      - a.y
---
apiVersion: kafkaform/v1
`;

let primed = false;

/**
 * The documents of `text` when all of it is in the fast path's subset, else undefined. The
 * values equal what the full parser and walk produce for the same text.
 */
export function parseSimpleYaml(text: string): SimpleDocument[] | undefined {
  if (!primed) {
    primed = true;
    for (let i = 0; i < 2; i++) new Reader(PRIMER).stream();
  }
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new Reader(text).stream();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
