// The YAML fast path against the `yaml` library: whenever the fast path accepts a text, it must
// read exactly the documents and values the library (and our walk) reads, and the library must
// find no problem in it. Texts are generated near the edge of the fast path's subset, so both
// outcomes (accepted, left to the library) are exercised.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { writeManifests } from '../../bench/manifests.js';
import type { JsonValue } from '../../src/model.js';
import { parseSimpleYaml } from '../../src/manifest/yaml-fast.js';
import { parseYaml, parseYamlFully } from '../../src/manifest/yaml.js';
import { check, Tally } from '../properties/runner.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** JSON pointers of the numbers in `v`. */
function numberPaths(v: JsonValue, at = ''): string[] {
  if (typeof v === 'number') return [at];
  if (v === null || typeof v !== 'object') return [];
  const entries: [string, JsonValue][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
  return entries.flatMap(([k, x]) => numberPaths(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
}

/** Asserts the fast path agrees with the library on `text`; true when it accepted the text. */
function agrees(text: string): boolean {
  const fast = parseSimpleYaml(text);
  if (fast === undefined) return false;
  const full = parseYamlFully('x.yaml', text);
  assert.deepEqual(full.problems, [], `the fast path accepted text the library rejects:\n${text}`);
  assert.deepEqual(
    fast.map((d) => [d.index, d.value]),
    full.documents.map((d) => [d.index, d.value]),
    `different values for:\n${text}`,
  );
  // A decimal written differently from how it prints (`3.0`) must send its reader to the source.
  fast.forEach((d, k) => {
    const odd = numberPaths(d.value).some((path) => full.documents[k]?.decimalSource(path) !== undefined);
    if (odd) assert.ok(d.oddDecimals, `oddDecimals not set for:\n${text}`);
  });
  return true;
}

/** Scalars the fast path reads itself (typed or not), and ones at or past its edge. */
const SCALARS = [
  'a', 'orders.v1', 'orders.*', '7d', '1MiB', '3.0', '0.5', '.5', '5.', '1.10', '1e3', '1.5E-3', '-1', '+5', '007', '0o17',
  '0x1F', '0x', '9007199254740993', '-9223372036854775809', '1_000', 'true', 'True', 'TRUE', 'tRue', 'yes', 'off', 'null',
  'Null', 'NULL', 'nULL', '~', '.inf', '-.inf', '+.INF', '.nan', '.NaN', '${VAR}', '${A:-b}', 'a b', 'a:b', 'a#b', '-a',
  '-1.5', 'a[b', 'a,b', '...', 'é', '日本', "it's", 'x"y', 'User:alice', 'User:CN=svc,OU=x', '1.0.0', '0', '-0', '+0.0',
  // Integers read without BigInt up to 15 digits, and their neighbours.
  '000', '0007', '123456789012345', '1234567890123456', '9007199254740991', '9007199254740992', '99999999999999999999',
  '+1', '+0', '-007', '0o0', '0x0', '0xFFFFFFFFFFFFFFFFF', '0b1', '1e400', '-.5', '.5e3', '10.50', '6', '3d',
  // Words near the core schema's null and booleans.
  'TOPIC', 'Truex', 'nul', 'NULLx', 'n', 'f', 'T', 'on', 'No', 'READ', 'a-b', 'a/b', 'x.-y', '_x', 'bench.orders.000001',
];
const EDGE_SCALARS = ['a: b', 'a:', 'a #b', '-', '- a', '[a]', '{a}', '---', '@x', '`x', '*', '&a', '!x', '|', '>', '%x', '?x', '? x', ':x'];
const KEYS = ['name', 'a', 'b.c', 'retention.ms', 'k-1', '$k', 'a:b', 'x.y.z', '_k', 'Type', 'nameX'];
const EDGE_KEYS = [
  'x y', '1', 'true', 'null', '~', '<<', '__proto__', '-k', '0x1', 'a', 'k'.repeat(1023), 'k'.repeat(1024), 'k'.repeat(1025),
  'True', 'FALSE', 'Null', 'n', 'tRUE', 'k/x', 'a#b', 'é', 'constructor', 'a.-b', '.k', '+k',
];

type Tree = string | { seq: Tree[] } | { map: [string, Tree][] };

const pick = (usual: string[], edge: string[]): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 12 }, { arbitrary: fc.constantFrom(...edge), weight: 1 });
const scalarText = fc.tuple(pick(SCALARS, EDGE_SCALARS), fc.constantFrom('plain', 'plain', 'plain', 'single', 'double'));
const quote = ([s, style]: [string, string]): string =>
  style === 'single' ? `'${s.replace(/'/g, "''")}'` : style === 'double' ? JSON.stringify(s) : s;
const keyText = fc.tuple(pick(KEYS, EDGE_KEYS), fc.constantFrom('plain', 'plain', 'plain', 'single', 'double')).map(quote);

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText.map(quote),
    fc.array(tie('tree'), { maxLength: 4 }).map((seq): Tree => ({ seq })),
    fc.uniqueArray(fc.tuple(keyText, tie('tree')), { maxLength: 4, selector: ([k]) => k }).map((map): Tree => ({ map })),
  ),
}));

interface Style {
  step: number;
  flow: boolean;
  /** Separator and padding of flow sequences: `[a, b]`, `[ a ,b ]`, ... */
  flowComma: string;
  flowPad: string;
  zeroIndent: boolean;
  comments: boolean;
}

/** Block YAML lines for `t` at `indent` (a scalar renders as its text alone). */
function render(t: Tree, indent: number, s: Style): string[] {
  const pad = ' '.repeat(indent);
  const note = s.comments ? ' # c' : '';
  if (typeof t === 'string') return [`${pad}${t}`];
  if ('seq' in t) {
    if (t.seq.length === 0) return [`${pad}[]`];
    if (s.flow && t.seq.every((i) => typeof i === 'string')) return [`${pad}[${s.flowPad}${t.seq.join(s.flowComma)}${s.flowPad}]`];
    return t.seq.flatMap((item) => {
      if (typeof item === 'string') return [`${pad}- ${item}${note}`];
      if ('map' in item && item.map.length > 0) {
        // The compact form: `- key: v`, the other keys lined up under the first.
        const inner = render(item, indent + 2, s);
        return [`${pad}- ${(inner[0] ?? '').trimStart()}`, ...inner.slice(1)];
      }
      return [`${pad}-${note}`, ...render(item, indent + s.step, s)];
    });
  }
  if (t.map.length === 0) return [`${pad}{}`];
  return t.map.flatMap(([k, v]) => {
    if (typeof v === 'string') return [`${pad}${k}: ${v}${note}`];
    if ('seq' in v && v.seq.length === 0) return [`${pad}${k}: []`];
    if ('map' in v && v.map.length === 0) return [`${pad}${k}: {}`];
    const childIndent = 'seq' in v && s.zeroIndent ? indent : indent + s.step;
    return [`${pad}${k}:${note}`, ...render(v, childIndent, s)];
  });
}

const documents = fc
  .tuple(
    fc.array(fc.uniqueArray(fc.tuple(keyText, tree), { minLength: 1, maxLength: 4, selector: ([k]) => k }), { minLength: 1, maxLength: 3 }),
    fc.record({
      step: fc.integer({ min: 1, max: 4 }),
      flow: fc.boolean(),
      flowComma: fc.constantFrom(', ', ',', ' , ', ',  '),
      flowPad: fc.constantFrom('', '', ' '),
      zeroIndent: fc.boolean(),
      comments: fc.boolean(),
    }),
    fc.boolean(),
    fc.constantFrom('\n', '\n', '\n', '', '\n\n', '\n# end\n'),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('', '# note', '  # indented note', '---', '--- # doc', '...', 'x', '  y', '\t', ' ', '- z', 'k: v', '   deeper: 1', '  ~', '  - ~', '#', '   '),
      ),
      { maxLength: 1 },
    ),
  )
  .map(([docs, style, leadingMarker, ending, edits]) => {
    const lines = docs.flatMap((map, i) => [...(i > 0 || leadingMarker ? ['---'] : []), ...render({ map }, 0, style)]);
    for (const [at, line] of edits) lines.splice(at % (lines.length + 1), 0, line);
    return `${lines.join('\n')}${ending}`;
  });

describe('the YAML fast path', () => {
  it('reads what the library reads, or leaves the text to it', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'fast path = library',
      600,
      fc.property(documents, (text) => {
        tally.bump(agrees(text) ? 'accepted' : 'left to the library');
      }),
      tally,
    );
    assert.ok(tally.get('accepted') > 40, `too few texts exercised the fast path: ${tally.toString()}`);
    assert.ok(tally.get('left to the library') > 50, `too few texts fell back: ${tally.toString()}`);
  });

  it('accepts every example manifest and agrees with the library on it', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name) && !p.includes(join('examples', 'github'))) files.push(p);
      }
    };
    walk(join(ROOT, 'examples'));
    assert.ok(files.length > 5);
    for (const f of files) assert.ok(agrees(readFileSync(f, 'utf8')), `${f} left the fast path`);
  });

  it('reads generated manifests (topics, explicit bindings, roles) as the library does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yaml-fast-'));
    try {
      for (const aclStyle of ['explicit', 'roles'] as const) {
        const out = writeManifests(join(dir, aclStyle), { kind: 'v3', topics: 60, acls: 120, aclStyle });
        for (const f of ['clusters.yaml', 'topics.yaml', 'acls.yaml']) {
          assert.ok(agrees(readFileSync(join(out, f), 'utf8')), `${aclStyle}/${f} left the fast path`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with the library on shapes at the edges of its line patterns', () => {
    const accepted = [
      'a: 1\nb: -0\nc: +1\nd: 007\ne: 123456789012345\nf: 1234567890123456\ng: 9007199254740993\nh: 0x1F\ni: 0o17\n',
      'a: 3.0\nb: 1.10\nc: .5\nd: 1e3\n',
      'a: TOPIC\nb: True\nc: nul\nd: ~\ne: NULL\nf: FALSE\n',
      'a:\n  ~\nb:\n  - ~\n  -\n  - [x]\n',
      'a: [ x ,y ]\nb: [  ]\nc: []\nd: [1, 2.5, true, null]\ne: ["q", \'r\']\n',
      'a: "x y"\nb: ""\nc: \'it\'\'s\'\nd: "#x" # c\n',
      'a: b # c\nc: d#e\n# x\n   # y\n\ne: f',
      'k:\n- a\n- b: 1\n  c: 2\nl: 3\n',
      '- a\n',
      'a:\n  - - b\n',
      'a: 1\n---\nb: 2\n--- # c\n\n---\nc: 3\n',
      '---\na: 1\n',
      'a:\n    b: 1\n    c:\n      - x: 1\n        y: 2\n      -   z: 3\n',
      `${'k'.repeat(1024)}: 1\n`,
    ];
    const fellBack: string[] = [];
    for (const text of accepted) if (!agrees(text)) fellBack.push(text);
    // These few are the library's alone (a sequence at the top, `- - b`); the rest the fast path reads.
    assert.deepEqual(fellBack, ['- a\n', 'a:\n  - - b\n']);
  });

  // The fast path keeps the lines it read in a cache (`Reader.lines`) and reads a repeated line
  // from it: these texts repeat lines as generated manifests do, and where a wrong cache would
  // show it.
  it('reads repeated lines as the library does, in any parent and document', async (t) => {
    const tally = new Tally();
    const item = fc.uniqueArray(fc.tuple(pick(['name', 'partitions', 'config', 'operations', 'a'], EDGE_KEYS), tree), {
      minLength: 1,
      maxLength: 3,
      selector: ([k]) => k,
    });
    const repeated = fc
      .tuple(
        // A few items, each written many times: under one key, under another, in later documents.
        fc.array(item, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('items', 'more', 'a'), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 6 }),
        fc.record({
          step: fc.integer({ min: 1, max: 3 }),
          flow: fc.boolean(),
          flowComma: fc.constant(', '),
          flowPad: fc.constant(''),
          zeroIndent: fc.boolean(),
          comments: fc.boolean(),
        }),
      )
      .map(([items, uses, style]) => {
        const docs: string[][] = [[]];
        const seen = new Set<string>();
        for (const [n, key, copies] of uses) {
          const map = items[n % items.length] ?? [];
          // A key once per document; the next use of it starts a new document.
          if (seen.has(key)) {
            docs.push([]);
            seen.clear();
          }
          seen.add(key);
          const doc = docs[docs.length - 1] as string[];
          doc.push(...render({ map: [[key, { seq: Array.from({ length: copies }, () => ({ map })) }]] }, 0, style));
        }
        return `${docs.map((d) => d.join('\n')).join('\n---\n')}\n`;
      });
    await check(
      t,
      'fast path = library on repeated lines',
      300,
      fc.property(repeated, (text) => {
        tally.bump(agrees(text) ? 'accepted' : 'left to the library');
      }),
      tally,
    );
    assert.ok(tally.get('accepted') > 100, `too few texts exercised the fast path: ${tally.toString()}`);
  });

  it('tells apart lines that differ in one character only, wherever it is', () => {
    const base = '    resourceName: bench.orders.000042';
    const lines = [base];
    for (let i = 0; i < base.length; i++) {
      // The same length, one character changed: a letter or digit for one; spaces and `:` stay.
      const c = base[i] === ' ' || base[i] === ':' ? base[i] : base[i] === 'x' ? 'y' : 'x';
      if (c !== base[i]) lines.push(`${base.slice(0, i)}${c}${base.slice(i + 1)}`);
    }
    // Each line in an item of its own, after the base line twice, which a cache then holds.
    const text = `k:\n${[base, ...lines].map((l) => `  - a: 1\n${l}\n`).join('')}`;
    assert.ok(agrees(text));
  });

  it('reads the same line the same way at another place in the text', () => {
    const texts = [
      // One line under a map, in a sequence's item, as the item's first line, in another document.
      'a:\n  x: 1\nb:\n  - y: 2\n    x: 1\n  - x: 1\n---\nc:\n  x: 1\n',
      'a:\n  x: 1\n---\nb:\n  x: 1\n',
      'a:\n  - x\n  - x\nb:\n- x\n- x\nc:\n    - x\n',
      // No value (a block follows), null and `~`: three different things.
      'a:\n  b:\n    c: 1\n  d:\ne:\n  b:\n    c: 1\n  d: null\nf:\n  d: ~\n  g:\n',
      // A line read after a comment or blank line, then alone.
      'a:\n  # c\n  b: 1\n\n  c: 2\nd:\n  b: 1\n  c: 2\n',
    ];
    // Three times over: a line is kept from its second sighting, and read from the cache after.
    for (const text of texts) assert.ok(agrees(`${text}---\n${text}---\n${text}`), text);
  });

  it('leaves a repeated key, `__proto__` and `null:` to the library on every line that holds them', () => {
    const texts = [
      'a: 1\nb: 2\na: 1\n',
      'a:\n  b: 1\n  b: 1\n',
      'x:\n  __proto__: 1\ny:\n  __proto__: 1\n',
      'a:\n  - b: 1\n  - null: 1\n  - null: 1\n',
      'a: 1\n---\nb: 1\ntrue: 1\n',
    ];
    // Each also after its lines were read (and kept) in earlier documents.
    const ok = 'a: 1\nb: 2\nx:\n  b: 1\n  c: 1\n';
    for (const text of texts) {
      assert.equal(parseSimpleYaml(text), undefined, text);
      assert.equal(parseSimpleYaml(`${ok}---\n${ok}---\n${text}`), undefined, text);
    }
  });

  it('marks the odd decimals of every document, also on a line read before', () => {
    const docs = parseSimpleYaml('a: 3.0\nb: 1\n---\na: 3.0\n---\na: 3.0\n---\nb: 1\n');
    assert.deepEqual(
      docs?.map((d) => [d.value, d.oddDecimals]),
      [
        [{ a: 3, b: 1 }, true],
        [{ a: 3 }, true],
        [{ a: 3 }, true],
        [{ b: 1 }, false],
      ],
    );
  });

  it('hands out a new flow sequence for each line that holds one', () => {
    const text = 'a: [x, y]\nb: [x, y]\n---\nc:\n  - [x, y]\n  - [x, y]\n  - [x, y]\n  - [x, y]\n';
    const docs = parseSimpleYaml(text);
    assert.ok(docs);
    const [first, second] = docs.map((d) => d.value as Record<string, JsonValue>);
    const lists = [first?.a, first?.b, ...((second?.c ?? []) as JsonValue[])] as JsonValue[][];
    assert.equal(new Set(lists).size, 6);
    for (const list of lists) list.push('z');
    assert.deepEqual(lists, Array.from({ length: 6 }, () => ['x', 'y', 'z']));
    // A second reading of the same text is not changed by what a caller did to the first.
    assert.deepEqual(
      parseSimpleYaml(text)?.map((d) => d.value),
      [{ a: ['x', 'y'], b: ['x', 'y'] }, { c: Array.from({ length: 4 }, () => ['x', 'y']) }],
    );
  });

  it('leaves CRLF, tabs, a BOM and control characters to the library', () => {
    for (const text of ['a: 1\r\nb: 2\r\n', 'a:\t1\n', '\ufeffa: 1\n', 'a: "x\u0001"\n', 'a: 1\n\tb: 2\n', '# \r\na: 1\n']) {
      assert.equal(parseSimpleYaml(text), undefined, JSON.stringify(text));
    }
  });

  it('finds positions with the library when a message needs one', () => {
    const text = '# head\napiVersion: kafkaform/v1\ntopics:\n  - name: a\n    config:\n      retention.ms: 3.0\n';
    const [doc] = parseYaml('t.yaml', text).documents;
    assert.ok(doc);
    const at = doc.locate('/topics/0/config/retention.ms', 'key');
    assert.deepEqual([at.file, at.line, at.column, at.path], ['t.yaml', 6, 7, '/topics/0/config/retention.ms']);
    assert.equal(doc.decimalSource('/topics/0/config/retention.ms'), '3.0');
  });
});
