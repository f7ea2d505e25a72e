import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseStreamedList } from '../../src/http/index.js';

/** The bytes of `text` as a stream cut at the given offsets. */
async function* chunks(text: string, cuts: number[]): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function parse(text: string, cuts: number[] = []): Promise<{ items: unknown[]; found: boolean; members: Record<string, unknown>; other?: { value: unknown } }> {
  return parseStreamedList(chunks(text, cuts), 'data', JSON.parse, (x) => x);
}

/** What the streamed parse must equal: JSON.parse of the whole text, split the same way. */
function expected(text: string): { items: unknown[]; members: Record<string, unknown> } {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const { data, ...members } = doc;
  return { items: data as unknown[], members };
}

describe('parseStreamedList', () => {
  it('equals JSON.parse for any list page, however the body is cut into chunks', async () => {
    const page = fc.record({
      kind: fc.string(),
      metadata: fc.record({ self: fc.string(), next: fc.option(fc.string(), { nil: null }) }),
      data: fc.array(fc.jsonValue()),
    });
    await fc.assert(
      fc.asyncProperty(page, fc.array(fc.nat({ max: 400 }), { maxLength: 12 }), fc.boolean(), async (doc, cuts, pretty) => {
        const text = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
        const got = await parse(text, cuts);
        assert.equal(got.found, true);
        assert.deepEqual({ items: got.items, members: got.members }, expected(text));
      }),
      { numRuns: 300 },
    );
  });

  it('cuts strings with escapes, quotes, brackets and multi-byte characters at every byte', async () => {
    const text = JSON.stringify({
      metadata: { next: null },
      data: [{ a: 'x\\"]}[{,:' }, 'é€😀\\', [1, [2, { b: -3.5e2 }]], true, null, 12, { '': '' }],
      kind: 'K',
    });
    const bytes = Buffer.byteLength(text);
    for (let cut = 1; cut < bytes; cut++) {
      for (const second of [cut + 1, cut + 7]) {
        const got = await parse(text, [cut, second]);
        assert.deepEqual({ items: got.items, members: got.members }, expected(text), `cut at ${cut},${second}`);
      }
    }
  });

  it('hands every element to onItem as it is read and returns what onItem made of it', async () => {
    const seen: unknown[] = [];
    const got = await parseStreamedList(chunks('{"data":[{"n":1},{"n":2}],"metadata":{}}', [3, 11]), 'data', JSON.parse, (x) => {
      seen.push(x);
      return (x as { n: number }).n * 10;
    });
    assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(got.items, [10, 20]);
  });

  it('uses the given JSON parser for every element and member', async () => {
    const texts: string[] = [];
    const spy = (t: string): unknown => {
      texts.push(t);
      return JSON.parse(t);
    };
    await parseStreamedList(chunks('{"metadata":{"next":null},"data":[9223372036854775807]}', []), 'data', spy, (x) => x);
    assert.deepEqual(texts, ['{"next":null}', '9223372036854775807']);
  });

  it('reports a missing or non-array list member, and a body that is not an object', async () => {
    assert.equal((await parse('{"metadata":{}}')).found, false);
    const notArray = await parse('{"data":{"a":1}}');
    assert.equal(notArray.found, false);
    assert.deepEqual(notArray.members, { data: { a: 1 } });
    assert.deepEqual((await parse(' [1,2]', [2])).other, { value: [1, 2] });
    assert.deepEqual((await parse('{}')).members, {});
  });

  it('throws SyntaxError on malformed JSON, wherever the chunks are cut', async () => {
    const bad = [
      '',
      '{',
      '{"data":[1,2}',
      '{"data":[1,]}',
      '{"data":[,1]}',
      '{"a":1,}',
      '{"a" 1}',
      '{"a":}',
      '{"data":[1] "b":2}',
      '{"data":[{"x":1]}]}',
      '{"data":[1]} x',
      '{"data":["unterminated]}',
      '{"a":tru}',
      '[1,',
    ];
    for (const text of bad) {
      for (const cut of [0, 1, 3, 6]) {
        await assert.rejects(parse(text, [cut]), SyntaxError, `${JSON.stringify(text)} cut at ${cut}`);
      }
    }
  });
});
