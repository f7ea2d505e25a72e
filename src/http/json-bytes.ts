/**
 * Reading JSON of a known shape straight from bytes, without `JSON.parse`: for list entries read
 * by the hundred thousand (a big cluster's config listing), where cutting each entry out, decoding
 * it to a string and parsing every field cost more than the download. The reader handles a strict
 * subset of JSON: objects, arrays, `true`/`false`/`null`, and strings without escapes or control
 * characters (kept strings also without non-ASCII bytes). Everything else — numbers, escapes,
 * malformed input, and shapes the caller does not expect — stops it with `ReadStop.unsupported`,
 * and the caller leaves that entry to `JSON.parse`: what the reader accepts it reads exactly as
 * `JSON.parse` would, and what it does not accept gets the value or error `JSON.parse` gives. It
 * never reads a number, so a caller's lossless JSON parser keeps every number it would have had.
 */

/** JSON's structural bytes. */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

/** Whether `b` is JSON whitespace. */
export function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Why the reader stopped before the end of a value. */
export class ReadStop {
  private constructor(readonly reason: 'need-more' | 'unsupported') {}

  /** The value runs past the end of the bytes given. */
  static readonly needMore = new ReadStop('need-more');
  /** The value uses JSON the reader leaves to `JSON.parse`, or is not of the expected shape. */
  static readonly unsupported = new ReadStop('unsupported');
}

/** Deeper containers in a skipped value are left to `JSON.parse`. */
const MAX_SKIP_DEPTH = 32;

/**
 * A cursor over one buffer. Its methods throw `ReadStop.needMore` or `ReadStop.unsupported` (not
 * errors: they carry no stack and only say "read this another way"); the caller catches them.
 */
export class JsonBytes {
  bytes: Buffer = Buffer.alloc(0);
  pos = 0;
  /** Span of the last string read by `string()`: `bytes[start..end)`, without the quotes. */
  start = 0;
  end = 0;
  /** Whether that string is ASCII (as bytes, so also as UTF-16). */
  ascii = true;

  /** Starts reading `bytes` at `pos`. */
  reset(bytes: Buffer, pos: number): void {
    this.bytes = bytes;
    this.pos = pos;
  }

  /** The next byte after JSON whitespace, not consumed. */
  peek(): number {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = this.pos;
    for (; i < n; i++) {
      const b = bytes[i] as number;
      if (!isSpace(b)) {
        this.pos = i;
        return b;
      }
    }
    this.pos = i;
    throw ReadStop.needMore;
  }

  /** Consumes `byte` (after whitespace), or stops: the input is not the expected shape. */
  expect(byte: number): void {
    if (this.peek() !== byte) throw ReadStop.unsupported;
    this.pos++;
  }

  /** Starts an object: true when it has a first member (the reader is then at its name). */
  openObject(): boolean {
    this.expect(OPEN_BRACE);
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** Starts an array: true when it has a first element. */
  openArray(): boolean {
    this.expect(OPEN_BRACKET);
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** After an object's member: true on a comma (another member follows), false at the object's end. */
  nextMember(): boolean {
    return this.#next(CLOSE_BRACE);
  }

  /** After an array's element: true on a comma (another element follows), false at the array's end. */
  nextElement(): boolean {
    return this.#next(CLOSE_BRACKET);
  }

  #next(close: number): boolean {
    const b = this.peek();
    this.pos++;
    if (b === COMMA) return true;
    if (b === close) return false;
    throw ReadStop.unsupported;
  }

  /** Reads a member name and its colon; returns its index in `names`, or -1 for another name. */
  member(names: NameSet): number {
    this.string();
    this.expect(COLON);
    return this.ascii ? names.find(this.bytes, this.start, this.end) : -1;
  }

  /** Reads a string's span into `start`/`end`/`ascii`. */
  string(): void {
    this.expect(QUOTE);
    const bytes = this.bytes;
    const n = bytes.length;
    let ascii = true;
    let i = this.pos;
    this.start = i;
    for (; i < n; i++) {
      const b = bytes[i] as number;
      if (b === QUOTE) {
        this.end = i;
        this.pos = i + 1;
        this.ascii = ascii;
        return;
      }
      // Escapes and control characters (which JSON forbids unescaped) go to JSON.parse.
      if (b < 0x20 || b === BACKSLASH) throw ReadStop.unsupported;
      if (b >= 0x80) ascii = false;
    }
    throw ReadStop.needMore;
  }

  /** Reads a string kept as a value, through `strings`. */
  text(strings: ByteStrings): string {
    this.string();
    // Non-ASCII text is decoded by JSON.parse's path, whose UTF-8 decoding it then matches by definition.
    if (!this.ascii) throw ReadStop.unsupported;
    return strings.get(this.bytes, this.start, this.end);
  }

  /** Reads a string or `null`. */
  nullableText(strings: ByteStrings): string | null {
    if (this.peek() === 0x6e) {
      this.literal(NULL);
      return null;
    }
    return this.text(strings);
  }

  /** Reads `true` or `false`. */
  boolean(): boolean {
    const b = this.peek();
    if (b === 0x74) {
      this.literal(TRUE);
      return true;
    }
    if (b === 0x66) {
      this.literal(FALSE);
      return false;
    }
    throw ReadStop.unsupported;
  }

  /** Skips one value of any supported kind. */
  skip(depth = 0): void {
    const b = this.peek();
    if (b === QUOTE) {
      this.string();
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (depth >= MAX_SKIP_DEPTH) throw ReadStop.unsupported;
      if (b === OPEN_BRACE) {
        if (this.openObject()) {
          do {
            this.string();
            this.expect(COLON);
            this.skip(depth + 1);
          } while (this.nextMember());
        }
      } else if (this.openArray()) {
        do this.skip(depth + 1);
        while (this.nextElement());
      }
    } else if (b === 0x74) {
      this.literal(TRUE);
    } else if (b === 0x66) {
      this.literal(FALSE);
    } else if (b === 0x6e) {
      this.literal(NULL);
    } else {
      // Numbers included: their grammar is left to JSON.parse.
      throw ReadStop.unsupported;
    }
  }

  /**
   * Consumes the literal `word` at the current position. What follows it is checked by the next
   * `nextMember`/`nextElement`/`expect` (JSON.parse refuses `truex` too).
   */
  literal(word: Uint8Array): void {
    const bytes = this.bytes;
    const at = this.pos;
    for (let k = 0; k < word.length; k++) {
      if (at + k >= bytes.length) throw ReadStop.needMore;
      if (bytes[at + k] !== word[k]) throw ReadStop.unsupported;
    }
    this.pos = at + word.length;
  }
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** A fixed set of ASCII member names, found by their bytes without making a string. */
export class NameSet {
  readonly #names: Buffer[];

  constructor(names: readonly string[]) {
    this.#names = names.map((n) => Buffer.from(n, 'latin1'));
  }

  /** The index of the name `bytes[start..end)`, or -1. */
  find(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    const names = this.#names;
    outer: for (let k = 0; k < names.length; k++) {
      const name = names[k] as Buffer;
      if (name.length !== length) continue;
      for (let j = 0; j < length; j++) if (name[j] !== bytes[start + j]) continue outer;
      return k;
    }
    return -1;
  }
}

/** Strings up to this many bytes are shared; longer ones are rarely repeated. */
const MAX_SHARED_LENGTH = 64;

/**
 * Strings made from ASCII bytes, shared when the same bytes come again: a config listing repeats
 * the same few hundred names and values on every topic. A direct-mapped cache (a colliding string
 * replaces the one in its slot), so its memory is bounded whatever the input.
 */
export class ByteStrings {
  readonly #slots: Array<string | undefined>;
  readonly #mask: number;

  /** `size`: slots, a power of two. */
  constructor(size: number) {
    this.#slots = new Array<string | undefined>(size).fill(undefined);
    this.#mask = size - 1;
  }

  /** The string of the ASCII bytes `bytes[start..end)`. */
  get(bytes: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_SHARED_LENGTH) return bytes.toString('latin1', start, end);
    if (length === 0) return '';
    // A few bytes pick the slot (hashing every byte cost as much as making the string); the
    // comparison below decides. Last bytes first: names and numbers differ most at their ends.
    const h =
      Math.imul(length, 0x9e3779b1) ^
      Math.imul(bytes[end - 1] as number, 0x85ebca6b) ^
      Math.imul(bytes[end - 2 >= start ? end - 2 : start] as number, 0xc2b2ae35) ^
      Math.imul(bytes[start + (length >> 1)] as number, 0x27d4eb2f) ^
      (bytes[start] as number);
    const slot = (h ^ (h >>> 16)) & this.#mask;
    const known = this.#slots[slot];
    if (known !== undefined && known.length === length) {
      let same = true;
      for (let j = 0; j < length; j++) {
        if (known.charCodeAt(j) !== bytes[start + j]) {
          same = false;
          break;
        }
      }
      if (same) return known;
    }
    const made = bytes.toString('latin1', start, end);
    this.#slots[slot] = made;
    return made;
  }
}
