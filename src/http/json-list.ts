/**
 * Streaming parse of a list response: a JSON object one of whose members is a (possibly huge)
 * array, such as REST v3's `{kind, metadata, data: [...]}`. The config listing of a 50,000-topic
 * cluster is about a gigabyte of JSON: more than V8 can hold in one string, and several times the
 * memory once parsed whole. Here the body is scanned as it arrives; each array element is cut out
 * and parsed on its own (by the caller's JSON parser, so lossless parsers still apply) and handed
 * to `onItem` at once, so only what `onItem` keeps stays in memory. Other members are small and
 * parsed whole. Malformed input throws `SyntaxError`, like `JSON.parse`.
 *
 * A caller that knows the elements' shape can also read them straight from the bytes (`read`, see
 * `JsonBytes`); an element that reader does not handle is cut out and parsed as above.
 */
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  JsonBytes,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  ReadStop,
  isSpace,
} from './json-bytes.js';

/** What the scanner expects next. */
const enum State {
  Start,
  FirstKeyOrEnd,
  /** After a comma between members: a member name must follow. */
  NextKey,
  Key,
  Colon,
  ValueStart,
  Value,
  AfterValue,
  ArrayStart,
  /** After a comma between elements: an element must follow. */
  NextElement,
  Element,
  /** An element being read by the caller's reader. */
  Read,
  AfterElement,
  Done,
}

/** The result: the mapped elements of the array member, and every other member parsed. */
export interface StreamedList<T> {
  items: T[];
  /** Whether the array member was present as an array (otherwise it is among `members`). */
  found: boolean;
  members: Record<string, unknown>;
  /** Set when the body is valid JSON but not an object: the whole value, parsed. */
  other?: { value: unknown };
}

/**
 * Cuts one JSON value out of a byte stream: containers by depth, strings by their closing quote,
 * literals by the delimiter after them (which is left for the caller).
 */
class ValueCutter {
  #parts: Uint8Array[] = [];
  #depth = 0;
  #inString = false;
  #escaped = false;
  #literal = false;
  /** The next backslash at or after the last search in `#bsChunk` (-1: none left there). */
  #bsChunk: Uint8Array | undefined;
  #bsAt = -1;

  /** Starts a value whose first byte is `b` (already known not to be whitespace). */
  begin(b: number): void {
    this.#parts = [];
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
    this.#literal = false;
    if (b === QUOTE) this.#inString = true;
    else if (b !== OPEN_BRACE && b !== OPEN_BRACKET) this.#literal = true;
  }

  /**
   * Scans `chunk` from `from` (the value's first byte on the first call); returns the index just
   * past the value's end, or -1 when the value continues in the next chunk.
   */
  scan(chunk: Buffer, from: number, first: boolean): number {
    let i = from;
    if (first && !this.#literal) {
      // The opening byte: a quote starts the string, a bracket the first level.
      if (!this.#inString) this.#depth = 1;
      i++;
    }
    const n = chunk.length;
    if (this.#literal) {
      for (; i < n; i++) {
        const b = chunk[i] as number;
        if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b)) return i;
      }
      return -1;
    }
    for (; i < n; i++) {
      if (this.#inString) {
        if (this.#escaped) {
          this.#escaped = false;
          continue;
        }
        // Most of a listing's bytes are inside strings: jump to the next quote or backslash with
        // native searches instead of looking at every byte.
        const quote = chunk.indexOf(QUOTE, i);
        const backslash = this.#nextBackslash(chunk, i);
        if (backslash >= 0 && (quote < 0 || backslash < quote)) {
          if (backslash + 1 >= n) {
            this.#escaped = true;
            return -1;
          }
          i = backslash + 1; // the loop's i++ steps over the escaped byte
          continue;
        }
        if (quote < 0) return -1;
        i = quote;
        this.#inString = false;
        if (this.#depth === 0) return i + 1;
        continue;
      }
      const b = chunk[i] as number;
      if (b === QUOTE) {
        this.#inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        this.#depth++;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.#depth--;
        if (this.#depth === 0) return i + 1;
      }
    }
    return -1;
  }

  #nextBackslash(chunk: Buffer, from: number): number {
    if (chunk !== this.#bsChunk || (this.#bsAt >= 0 && this.#bsAt < from)) {
      this.#bsChunk = chunk;
      this.#bsAt = chunk.indexOf(BACKSLASH, from);
    }
    return this.#bsAt;
  }

  /** Keeps the part of a chunk the value spans when it continues in the next chunk. */
  keep(part: Uint8Array): void {
    this.#parts.push(part);
  }

  /** The value's text, given its part in the current chunk. */
  text(last: Uint8Array): string {
    if (this.#parts.length === 0) return Buffer.from(last.buffer, last.byteOffset, last.byteLength).toString('utf8');
    const whole = Buffer.concat([...this.#parts, last]);
    this.#parts = [];
    return whole.toString('utf8');
  }
}

/**
 * Reads one array element from `r` (positioned at its first byte), leaving `r.pos` just past it,
 * and returns what `onItem(parseJson(text))` would; or throws a `ReadStop` to have it parsed so.
 */
export type ElementReader<T> = (r: JsonBytes) => T;

/** Bytes of the next chunk first tried to finish an element begun in the previous one. */
const RESUME_BYTES = 2048;
const NEED_MORE = -1;
const UNSUPPORTED = -2;

/**
 * Parses a JSON object from `body`, streaming the elements of its `arrayKey` member through
 * `onItem` (or `read`) as they are read. Throws `SyntaxError` on malformed JSON.
 */
export async function parseStreamedList<T>(
  body: AsyncIterable<Uint8Array>,
  arrayKey: string,
  parseJson: (text: string) => unknown,
  onItem: (raw: unknown) => T,
  read?: ElementReader<T>,
): Promise<StreamedList<T>> {
  const out: StreamedList<T> = { items: [], found: false, members: {} };
  const cutter = new ValueCutter();
  const keyCutter = new ValueCutter();
  const reader = new JsonBytes();
  /** The start of an element `read` ran out of bytes on, read again with the next chunk. */
  let carried: Buffer | undefined;
  let state: State = State.Start;
  let key = '';
  /** Whether the value being cut started in the current chunk (its first byte not yet scanned). */
  let startAt = -1;
  const fail = (what: string): never => {
    throw new SyntaxError(`Malformed JSON list: ${what}`);
  };
  /** Reads the element at `bytes[at]` with `read` into the items: its end, or NEED_MORE or UNSUPPORTED. */
  const readAt = (bytes: Buffer, at: number): number => {
    reader.reset(bytes, at);
    try {
      out.items.push((read as ElementReader<T>)(reader));
    } catch (stop) {
      if (!(stop instanceof ReadStop)) throw stop;
      return stop === ReadStop.needMore ? NEED_MORE : UNSUPPORTED;
    }
    return reader.pos;
  };

  const it = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await it.next();
      if (next.done === true) {
        finished = true;
        break;
      }
      let chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      let i = 0;
      if (carried !== undefined) {
        // The element the reader ran out of bytes on, read again with as little of this chunk as
        // it needs: copying every chunk whole behind it cost more than reading it.
        const head = carried;
        carried = undefined;
        for (let take = Math.min(chunk.length, RESUME_BYTES); ; take = chunk.length) {
          const end = readAt(Buffer.concat([head, chunk.subarray(0, take)]), 0);
          if (end >= 0) {
            i = end - head.length;
            state = State.AfterElement;
          } else if (end === NEED_MORE && take < chunk.length) {
            continue;
          } else {
            // Not for the reader, or longer than a chunk (read again with every further chunk,
            // it would cost quadratic time): cut out and parsed as any element.
            chunk = Buffer.concat([head, chunk]);
            cutter.begin(head[0] as number);
            startAt = 0;
            state = State.Element;
          }
          break;
        }
      }
      const n = chunk.length;
      while (i < n) {
        const b = chunk[i] as number;
        switch (state) {
          case State.Start:
            if (isSpace(b)) break;
            if (b !== OPEN_BRACE) {
              // Not a list page at all (an error object would be one): small, parse it whole.
              const text = await rest(chunk.subarray(i), it);
              finished = true;
              return { ...out, other: { value: parseJson(text) } };
            }
            state = State.FirstKeyOrEnd;
            break;
          case State.FirstKeyOrEnd:
          case State.NextKey:
            if (isSpace(b)) break;
            if (b === CLOSE_BRACE && state === State.FirstKeyOrEnd) {
              state = State.Done;
              break;
            }
            if (b !== QUOTE) fail('expected a member name');
            keyCutter.begin(b);
            startAt = i;
            state = State.Key;
            continue;
          case State.Key: {
            const end = keyCutter.scan(chunk, i, startAt === i);
            if (end < 0) {
              keyCutter.keep(chunk.subarray(Math.max(startAt, 0)));
              startAt = -1;
              i = n;
              continue;
            }
            const parsed: unknown = JSON.parse(keyCutter.text(chunk.subarray(Math.max(startAt, 0), end)));
            key = parsed as string;
            startAt = -1;
            state = State.Colon;
            i = end;
            continue;
          }
          case State.Colon:
            if (isSpace(b)) break;
            if (b !== COLON) fail("expected ':'");
            state = State.ValueStart;
            break;
          case State.ValueStart:
            if (isSpace(b)) break;
            if (key === arrayKey && b === OPEN_BRACKET) {
              out.found = true;
              state = State.ArrayStart;
              break;
            }
            if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE || b === COLON) fail('expected a value');
            cutter.begin(b);
            startAt = i;
            state = State.Value;
            continue;
          case State.Value:
          case State.Element: {
            const end = cutter.scan(chunk, i, startAt === i);
            if (end < 0) {
              cutter.keep(chunk.subarray(Math.max(startAt, 0)));
              startAt = -1;
              i = n;
              continue;
            }
            const value = parseJson(cutter.text(chunk.subarray(Math.max(startAt, 0), end)));
            startAt = -1;
            if (state === State.Value) {
              out.members[key] = value;
              state = State.AfterValue;
            } else {
              out.items.push(onItem(value));
              state = State.AfterElement;
            }
            i = end;
            continue;
          }
          case State.AfterValue:
            if (isSpace(b)) break;
            if (b === CLOSE_BRACE) state = State.Done;
            else if (b === COMMA) state = State.NextKey;
            else fail("expected ',' or '}'");
            break;
          case State.ArrayStart:
          case State.NextElement:
            if (isSpace(b)) break;
            if (b === CLOSE_BRACKET && state === State.ArrayStart) {
              state = State.AfterValue;
              break;
            }
            if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE || b === COLON) fail('expected an array element');
            if (read !== undefined) {
              state = State.Read;
              continue;
            }
            cutter.begin(b);
            startAt = i;
            state = State.Element;
            continue;
          case State.Read: {
            const end = readAt(chunk, i);
            if (end >= 0) {
              state = State.AfterElement;
              i = end;
            } else if (end === NEED_MORE) {
              carried = chunk.subarray(i);
              i = n;
            } else {
              // Not for the reader: cut out and parsed like any element, with the same result or error.
              cutter.begin(b);
              startAt = i;
              state = State.Element;
            }
            continue;
          }
          case State.AfterElement:
            if (isSpace(b)) break;
            if (b === CLOSE_BRACKET) {
              state = State.AfterValue;
              break;
            }
            if (b !== COMMA) fail("expected ',' or ']'");
            state = State.NextElement;
            break;
          case State.Done:
            if (!isSpace(b)) fail('unexpected data after the end');
            break;
        }
        i++;
      }
    }
  } finally {
    // Stops the body on a parse error, so the connection is not left with unread data.
    if (!finished) await it.return?.();
  }
  if (state !== State.Done) fail('unexpected end of input');
  return out;
}

/** The rest of a body as text, from a chunk already taken out of the stream. */
async function rest(first: Uint8Array, it: AsyncIterator<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [first];
  for (let next = await it.next(); next.done !== true; next = await it.next()) parts.push(next.value);
  return Buffer.concat(parts).toString('utf8');
}
