/**
 * The config listing's entries are read straight from the bytes (`readTopicConfig` through
 * `parseStreamedList`'s reader) instead of cut out and `JSON.parse`d. These tests hold the reader
 * to the old path: for any page — plain entries, escapes, non-ASCII and astral characters, nulls,
 * reordered, repeated, unknown and missing fields, wrong types, any whitespace — and any way of
 * cutting its bytes into chunks, both give the same entries or the same error. Malformed pages
 * (random edits of a valid one) too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteStrings, parseStreamedList } from '../../../src/http/index.js';
import { readTopicConfig, toTopicConfig, type V3TopicConfig } from '../../../src/targets/confluent/wire.js';
import { V3Simulator } from '../../support/v3-simulator.js';

/** The bytes of `bytes` as a stream cut at the given offsets. */
async function* chunks(bytes: Buffer, cuts: readonly number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    // A copy, so a reader that kept reading past a chunk's end would see no further bytes.
    yield Uint8Array.prototype.slice.call(bytes, at, cut);
    at = cut;
  }
  yield Uint8Array.prototype.slice.call(bytes, at);
}

type Outcome = { items: V3TopicConfig[]; members: Record<string, unknown>; found: boolean; other?: { value: unknown } } | { error: string };

/** A page read the old way (every entry cut out and parsed) or with the reader. */
async function outcome(bytes: Buffer, cuts: readonly number[], reader: false | { slots: number; spy?: () => void }): Promise<Outcome> {
  const strings = new ByteStrings(reader === false ? 1 : reader.slots);
  const topics = new ByteStrings(reader === false ? 1 : Math.min(reader.slots, 16));
  try {
    const page = await parseStreamedList(
      chunks(bytes, cuts),
      'data',
      JSON.parse,
      (raw) => {
        if (reader !== false) reader.spy?.();
        return toTopicConfig(raw);
      },
      reader === false ? undefined : (r) => readTopicConfig(r, strings, topics),
    );
    return { items: page.items, members: page.members, found: page.found, ...(page.other !== undefined ? { other: page.other } : {}) };
  } catch (err) {
    return { error: `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
}

/** A small deterministic PRNG, so a failing case shrinks and replays from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JSON text of a value, written with random whitespace, and `\uXXXX` or `\/` escapes in a share `escapes` of its strings. */
type Json = null | boolean | number | string | Json[] | { members: Array<[string, Json]> };

function write(value: Json, rnd: () => number, escapes: number): string {
  const ws = (): string => (rnd() < 0.8 ? '' : [' ', '\n', '\t', '\r', '  '][Math.floor(rnd() * 5)] as string);
  if (typeof value === 'string') return writeString(value, rnd, escapes);
  if (Array.isArray(value)) return `[${ws()}${value.map((v) => `${ws()}${write(v, rnd, escapes)}${ws()}`).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${ws()}${value.members.map(([k, v]) => `${ws()}${writeString(k, rnd, escapes)}${ws()}:${ws()}${write(v, rnd, escapes)}${ws()}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function writeString(s: string, rnd: () => number, escapes: number): string {
  const inner = JSON.stringify(s).slice(1, -1);
  if (rnd() >= escapes) return `"${inner}"`;
  let out = '"';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\') {
      // An escape JSON.stringify wrote: kept whole.
      const length = inner[i + 1] === 'u' ? 6 : 2;
      out += inner.slice(i, i + length);
      i += length - 1;
    } else if (rnd() < 0.3) {
      out += ch === '/' ? '\\/' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

const plainText = fc.constantFrom('retention.ms', 'cleanup.policy', 'delete', 'compact,delete', '604800000', 'DEFAULT_CONFIG', 'DYNAMIC_TOPIC_CONFIG', 'STATIC_BROKER_CONFIG', '', 'orders.a');
const anyText = fc.oneof(
  { weight: 30, arbitrary: plainText },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
);
/** Any JSON, as the writer takes it. */
const anyJson: fc.Arbitrary<Json> = fc.jsonValue().map(function toJson(v: unknown): Json {
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === 'object') return { members: Object.entries(v).map(([k, x]) => [k, toJson(x)]) };
  return v as Json;
});
/** One of `names` with one character upper-cased: a name the reader must tell from the real one. */
function nearMiss(names: string[]): fc.Arbitrary<string> {
  return fc.constantFrom(...names).chain((n) => fc.nat({ max: n.length - 1 }).map((i) => `${n.slice(0, i)}${n.charAt(i).toUpperCase()}${n.slice(i + 1)}`));
}

/**
 * An entry's arbitraries. Clean ones have every field of the right type (still with escapes,
 * unknown and repeated fields, any order); dirty ones also wrong types, nulls and missing fields,
 * which fail the whole page, so they are the rarer.
 */
function entryOf(dirty: boolean): fc.Arbitrary<Json> {
  const field = (right: fc.Arbitrary<Json>): fc.Arbitrary<Json> =>
    dirty ? fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyJson }) : right;
  /** An object with the given fields, maybe repeated (or absent when dirty), with unknown fields among them, in any order. */
  const object = (fields: Record<string, fc.Arbitrary<Json>>): fc.Arbitrary<Json> => {
    const known = Object.entries(fields).map(([k, arb]) =>
      fc.oneof(
        { weight: 60, arbitrary: arb.map((v): Array<[string, Json]> => [[k, v]]) },
        { weight: dirty ? 2 : 0, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.tuple(arb, arb).map(([a, b]): Array<[string, Json]> => [[k, a], [k, b]]) },
      ),
    );
    const unknownValue = fc.oneof(fc.constantFrom<Json>('KafkaTopicConfig', { members: [['self', 'http://x/y']] }, [], true, null), anyJson);
    const unknown = fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom('kind', 'metadata', 'cluster_id', 'nam', 'names', '__proto__'), nearMiss(Object.keys(fields)), fc.string()), unknownValue), { maxLength: 2 }) },
    );
    return fc.tuple(fc.tuple(...known), unknown, fc.integer()).map(([fs, extra, seed]) => {
      const members = [...fs.flat(), ...extra];
      const rnd = prng(seed);
      if (rnd() < 0.5) members.sort(() => rnd() - 0.5);
      return { members };
    });
  };
  const nullableText = field(fc.option(anyText, { nil: null }));
  const synonym = object({ name: field(anyText), value: nullableText, source: field(anyText) });
  return object({
    kind: fc.constant('KafkaTopicConfig'),
    metadata: fc.constant<Json>({ members: [['self', 'http://x/kafka/v3/clusters/c/topics/t/configs/n'], ['resource_name', 'crn:///kafka=c/topic=t/config=n']] }),
    cluster_id: fc.constant('lkc-1'),
    topic_name: field(anyText),
    name: field(anyText),
    value: nullableText,
    is_default: field(fc.boolean()),
    is_read_only: field(fc.boolean()),
    is_sensitive: field(fc.boolean()),
    source: field(anyText),
    synonyms: field(fc.array(dirty ? fc.oneof({ weight: 6, arbitrary: synonym }, { weight: 1, arbitrary: anyJson }) : synonym, { maxLength: 4 })),
  });
}

const entry = fc.oneof({ weight: 30, arbitrary: entryOf(false) }, { weight: 3, arbitrary: entryOf(true) }, { weight: 1, arbitrary: anyJson });

const page = fc.record({ entries: fc.array(entry, { maxLength: 6 }), seed: fc.integer(), dataFirst: fc.boolean(), escapes: fc.constantFrom(0, 0, 0, 0.02, 0.2) }).map(({ entries, seed, dataFirst, escapes }) => {
  const rnd = prng(seed);
  const metadata: Array<[string, Json]> = [['metadata', { members: [['self', 'http://x'], ['next', null]] }], ['kind', 'KafkaTopicConfigList']];
  const data: [string, Json] = ['data', entries];
  return Buffer.from(write({ members: dataFirst ? [data, ...metadata] : [...metadata, data] }, rnd, escapes), 'utf8');
});

/** Cut offsets anywhere in the body, many of them in the small bodies fast-check shrinks to. */
const cuts = fc.array(fc.nat({ max: 2000 }), { maxLength: 20 });

describe('REST v3 config entries read from the bytes', () => {
  it('give exactly what JSON.parse and toTopicConfig give, or the same error, for any page and any chunks', async () => {
    let read = 0;
    let fellBack = 0;
    await fc.assert(
      fc.asyncProperty(page, cuts, fc.constantFrom(1, 2, 64, 4096), async (bytes, at, slots) => {
        const old = await outcome(bytes, at, false);
        let spied = 0;
        const got = await outcome(bytes, at, { slots, spy: () => spied++ });
        assert.deepStrictEqual(got, old);
        if ('items' in got) {
          read += got.items.length - spied;
          fellBack += spied;
        }
      }),
      { numRuns: 1500 },
    );
    // Not vacuous: both ways were taken many times.
    assert.ok(read > 500 && fellBack > 100, `read ${read}, fell back ${fellBack}`);
  });

  it('agree on malformed pages: random edits of a valid page, cut anywhere', async () => {
    let failed = 0;
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('delete', 'insert', 'replace', 'truncate'),
      byte: fc.oneof(fc.constantFrom(...Buffer.from('"{}[],:\\ \t\nturefalsn0-e.')), fc.integer({ min: 0, max: 255 })),
    });
    await fc.assert(
      fc.asyncProperty(page, fc.array(edit, { minLength: 1, maxLength: 3 }), cuts, async (valid, edits, at) => {
        let bytes = valid;
        for (const e of edits) {
          const i = e.at % (bytes.length + 1);
          if (e.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          else if (e.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i)]);
          else if (e.kind === 'replace' && i < bytes.length) bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i + 1)]);
          else bytes = bytes.subarray(0, i);
        }
        const old = await outcome(bytes, at, false);
        assert.deepStrictEqual(await outcome(bytes, at, { slots: 64 }), old);
        if ('error' in old) failed++;
      }),
      { numRuns: 1500 },
    );
    // Most edits break the page; some leave valid JSON (an edit inside a string, say).
    assert.ok(failed > 500 && failed < 1500, `${failed} of 1500 pages refused`);
  });

  it('agree on malformed or unusual values in any field, known or not, and on broken separators', async () => {
    const tokens = ['01', '1.', '.5', '-', '1e', '1e+', '+1', '--1', '0x1', 'Infinity', 'NaN', '1', '-0.5e-3', 'tru', 'True', 'nul', 'falsey', 'true1', 'trux', 'falsE', 'nulL', '"a\u0001b"', '"\n"', '"\u007f"', '"a', "'a'", '"\\x"', '"\\u12"', '"\\u1234"', '[1,]', '{"a"}', '{,}', '[', '{}', '[]', ''];
    /** Fields named like `fields` but for their first or last letter, which the reader must skip. */
    const nearMisses = (fields: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(fields).flatMap(([k, v]) => [
          [`${k.charAt(0).toUpperCase()}${k.slice(1)}`, v],
          [`${k.slice(0, -1)}${k.charAt(k.length - 1).toUpperCase()}`, v],
        ]),
      );
    const base = {
      kind: 'KafkaTopicConfig',
      metadata: { self: 'x' },
      topic_name: 't',
      name: 'n',
      value: 'v',
      is_default: false,
      is_read_only: false,
      is_sensitive: false,
      source: 'S',
      synonyms: [{ name: 'n', value: 'v', source: 'S', x: true, ...nearMisses({ name: 'w', value: 'w', source: 'w' }) }],
      ...nearMisses({ topic_name: 'w', name: 'w', value: 'w', is_default: true, is_read_only: true, is_sensitive: true, source: 'w', synonyms: [] }),
    };
    const template = JSON.stringify({ metadata: { next: null }, data: [base, base] });
    const slots = ['"KafkaTopicConfig"', '{"self":"x"}', '"t"', '"n"', '"v"', 'false', '"S"', 'true'];
    let spied = 0;
    await outcome(Buffer.from(template), [], { slots: 64, spy: () => spied++ });
    assert.equal(spied, 0, 'the unbroken entries are read from the bytes');
    let refused = 0;
    for (const slot of slots) {
      const at = template.indexOf(slot);
      for (const token of tokens) {
        const bytes = Buffer.from(template.slice(0, at) + token + template.slice(at + slot.length));
        for (const cuts of [[], [at + 1], [at + 2, at + 3]]) {
          const old = await outcome(bytes, cuts, false);
          assert.deepStrictEqual(await outcome(bytes, cuts, { slots: 64 }), old, `${token} for ${slot}`);
          if ('error' in old) refused++;
        }
      }
    }
    // Every separator and bracket of the first entry replaced by another byte.
    const entryEnd = template.indexOf('},{"kind"') + 1;
    for (let at = template.indexOf('[') + 1; at < entryEnd; at++) {
      if (!',:{}[]"'.includes(template.charAt(at))) continue;
      for (const token of [';', 'x', ' ', ',', ':', '}', ']']) {
        if (token === template.charAt(at)) continue;
        const bytes = Buffer.from(template.slice(0, at) + token + template.slice(at + 1));
        const old = await outcome(bytes, [], false);
        assert.deepStrictEqual(await outcome(bytes, [], { slots: 64 }), old, `${token} at ${at}`);
        if ('error' in old) refused++;
      }
    }
    assert.ok(refused > 600, `${refused} refused`);
  });

  it('read escapes, multi-byte and astral characters and surrogate pairs alike, cut at every byte', async () => {
    const text = JSON.stringify({
      metadata: { next: null },
      data: [
        { topic_name: 'a', name: 'n😀', value: 'é€', is_default: false, is_read_only: false, is_sensitive: false, source: 'X', synonyms: [] },
        { topic_name: 'a', name: 'n', value: 'q"\\\n\u0001\ud83d', is_default: true, is_read_only: false, is_sensitive: false, source: 'S', synonyms: [{ name: '😀', source: 'D' }] },
        { kind: '😀😀', metadata: { self: 'é' }, topic_name: 'b', name: 'n', value: null, is_default: true, is_read_only: true, is_sensitive: true, source: 'S', synonyms: [{ name: 'x', value: null, source: 'D', extra: ['😀'] }] },
      ],
    });
    const bytes = Buffer.from(`${text.slice(0, -2)},"\\u0041":1}`.replace('"is_default":true', '"is_default" :\ttrue'), 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      for (const second of [cut + 1, cut + 2, cut + 3]) {
        assert.deepStrictEqual(await outcome(bytes, [cut, second], { slots: 16 }), await outcome(bytes, [cut, second], false), `cut at ${cut},${second}`);
      }
    }
  });

  it('read entries longer than a chunk alike (by JSON.parse: read again with every chunk, they would cost quadratic time)', async () => {
    const entryWith = (extra: string): Record<string, unknown> => ({
      topic_name: 't',
      extra,
      name: 'n',
      value: 'v',
      is_default: true,
      is_read_only: false,
      is_sensitive: false,
      source: 'S',
      synonyms: [],
    });
    // [extra bytes, chunk size, read from the bytes]: an entry spanning at most two chunks is.
    const cases: Array<[number, number, boolean]> = [
      [3000, 65536, true],
      [40_000, 65536, true],
      [3000, 1000, false],
      [200_000, 65536, false],
    ];
    for (const [length, size, read] of cases) {
      for (const tail of ['', '\\"']) {
        const bytes = Buffer.from(JSON.stringify({ metadata: {}, data: [entryWith('x'.repeat(length) + tail), entryWith('y')] }));
        const at = Array.from({ length: Math.ceil(bytes.length / size) }, (_, k) => k * size + 7);
        let spied = 0;
        const got = await outcome(bytes, at, { slots: 64, spy: () => spied++ });
        assert.deepStrictEqual(got, await outcome(bytes, at, false), `${length} ${tail} ${size}`);
        assert.equal(spied, read && tail === '' ? 0 : 1, `${length} ${tail} ${size}`);
      }
    }
  });

  it('read a Confluent-shaped listing alike in chunks of any size, without JSON.parse once a chunk holds an entry', async (t) => {
    const sim = await V3Simulator.start({ brokerConfigs: { 'log.retention.ms': '172800000' } });
    t.after(() => sim.close());
    for (let i = 0; i < 5; i++) sim.addTopic({ name: `app.${i}.events`, configs: i % 2 === 0 ? { 'retention.ms': String(1000 * (i + 1)), 'cleanup.policy': 'compact' } : {} });
    const res = await fetch(`${sim.cloudUrl}/clusters/${sim.clusterId}/topics/-/configs`);
    const bytes = Buffer.from(await res.arrayBuffer());
    for (const size of [1, 7, 1000, 65536]) {
      const at = Array.from({ length: Math.ceil(bytes.length / size) }, (_, k) => k * size);
      let spied = 0;
      const got = await outcome(bytes, at, { slots: 4096, spy: () => spied++ });
      // Entries spanning more than two chunks are JSON.parse's.
      if (size >= 1000) assert.equal(spied, 0, `chunks of ${size}: no entry left to JSON.parse`);
      assert.deepStrictEqual(got, await outcome(bytes, at, false));
      assert.equal('items' in got && got.items.length, 5 * 29);
    }
  });
});
