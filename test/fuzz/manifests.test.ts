// Hostile manifests: random edits of the example manifests, YAML edge cases, deep nesting, huge
// strings, unicode, alias bombs and non-UTF-8 bytes, fed to the loader in-process and to
// `kafkaform validate` through the real binary. Every input ends in success or a clear error with a
// location: no crash, no stack trace, no raw control character echoed back, and bounded memory
// (the binary runs under a small heap limit, so a blow-up is a crash, not a slow test).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ManifestError } from '../../src/errors.js';
import { loadManifests } from '../../src/manifest/index.js';
import { formatProblem } from '../../src/commands/exit.js';
import { validate } from '../../src/commands/index.js';
import { check, soakFactor, Tally } from '../properties/runner.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'kafkaform-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every YAML manifest under examples/, as the seeds mutations start from. */
function exampleManifests(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && !p.includes(`${join('examples', 'github')}`)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'examples'));
  return out;
}
const SEEDS = exampleManifests();

/** Fragments that stress YAML parsers and our schema: tags, anchors, merges, 1.1 booleans, odd numbers. */
const YAML_FRAGMENTS = [
  '!!binary aGVsbG8=',
  '!!js/function "function(){}"',
  '!custom {a: 1}',
  '&a [1, 2]',
  '*a',
  '*undefined_anchor',
  '<<: *a',
  '<<: {partitions: 3}',
  '? complex\n: key',
  'yes',
  'off',
  '0o17',
  '0x1F',
  '1e999',
  '-.inf',
  '.nan',
  '~',
  'null',
  '""',
  "'unterminated",
  '"unterminated',
  '[unclosed',
  '{unclosed: 1',
  '|\n  block\n  scalar',
  '>-\n  folded',
  '---',
  '...',
  '%YAML 1.1\n---',
  '%TAG ! tag:example.com,2000:\n---',
  '\t',
  '- - - -',
  ': :',
  '9223372036854775808',
  '-9223372036854775809',
  '${UNSET_VARIABLE}',
  '${A:-${B}}',
  '"\\u0000\\x1b[31m"',
  '\u001b[2J\u001b]0;pwned\u0007',
  '\u202eevil',
  '\ufeff',
  '😀🏳️‍🌈',
  'naïve-ñame',
  'orders.created.v1',
  '__proto__: {polluted: true}',
  'constructor: {prototype: {x: 1}}',
];

/** One random edit of a text. */
const edit: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, len]) => (t: string) => t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + len)),
  fc.tuple(fc.nat(), fc.constantFrom(...YAML_FRAGMENTS)).map(([at, frag]) => (t: string) => t.slice(0, at % (t.length + 1)) + frag + t.slice(at % (t.length + 1))),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 12 })).map(([at, s]) => (t: string) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (t: string) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    const j = b % lines.length;
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([a, shift]) => (t: string) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    const line = lines[i] as string;
    lines[i] = shift >= 0 ? ' '.repeat(shift) + line : line.replace(new RegExp(`^ {0,${-shift}}`), '');
    return lines.join('\n');
  }),
  fc.nat().map((a) => (t: string) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    lines.splice(i, 0, lines[i] as string);
    return lines.join('\n');
  }),
  fc.nat().map((at) => (t: string) => t.slice(0, at % (t.length + 1))),
);

const mutated: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 6 }))
  .map(([seed, edits]) => edits.reduce((t, e) => e(t), seed));

/** Raw bytes: valid YAML re-encoded, or not text at all. */
const bytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.constantFrom(...SEEDS).map((s) => Buffer.from(s, 'latin1')),
  fc.constantFrom(...SEEDS).map((s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])),
  fc.tuple(fc.constantFrom(...SEEDS), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([s, at, junk]) => {
    const b = Buffer.from(s, 'utf8');
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from(junk.map((x) => x | 0x80)), b.subarray(i)]);
  }),
);

/** Inputs with a shape chosen to hit a budget: nesting, alias expansion, size, count. */
function structuralInputs(): [string, string | Uint8Array][] {
  const laughs = ['apiVersion: kafkaform/v1', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  laughs.push('topics: *a9');
  const keyBomb = ['apiVersion: kafkaform/v1', 'x0: &x0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}'];
  for (let i = 1; i < 12; i++) keyBomb.push(`x${i}: &x${i} {a: *x${i - 1}, b: *x${i - 1}, c: *x${i - 1}, d: *x${i - 1}}`);
  return [
    ['alias bomb (billion laughs)', laughs.join('\n') + '\n'],
    ['alias bomb of mappings', keyBomb.join('\n') + '\n'],
    ['deep flow nesting', `apiVersion: kafkaform/v1\ntopics: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`],
    ['deep block nesting', 'apiVersion: kafkaform/v1\ntopics:\n' + Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i * 2 + 2)}- `).join('\n') + 'x\n'],
    ['deep mapping nesting', `apiVersion: kafkaform/v1\ntopics: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`],
    ['huge string', `apiVersion: kafkaform/v1\ntopics:\n  - name: "${'x'.repeat(4 * 1024 * 1024)}"\n    partitions: 1\n`],
    ['huge key', `apiVersion: kafkaform/v1\n${'k'.repeat(2 * 1024 * 1024)}: 1\n`],
    ['many topics', 'apiVersion: kafkaform/v1\ntopics:\n' + Array.from({ length: 5000 }, (_, i) => `  - {name: t${i}, partitions: 1, replicationFactor: 1}`).join('\n') + '\n'],
    ['many documents', Array.from({ length: 2000 }, () => 'apiVersion: kafkaform/v1\n').join('---\n')],
    ['file over the size limit', Buffer.alloc(33 * 1024 * 1024, 0x61)],
    ['NUL bytes', Buffer.from('apiVersion: kafkaform/v1\u0000\u0000topics: []\n')],
    ['UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: kafkaform/v1\n', 'utf16le')])],
    ['ELF header', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0])],
    ['control characters in names', 'apiVersion: kafkaform/v1\ntopics:\n  - name: "evil\\u001b[31mred\\u0007"\n    partitions: 1\n    replicationFactor: 1\n'],
    ['empty file', ''],
  ];
}

/** The loader's verdict on one file, checked for the contract: success, or located problems. */
async function verdict(file: string): Promise<'valid' | 'rejected'> {
  try {
    await loadManifests([file], { env: {} });
    return 'valid';
  } catch (e) {
    assert.ok(e instanceof ManifestError, `not a ManifestError: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
    assert.ok(e.problems.length > 0, 'a ManifestError without problems');
    assert.ok(e.problems.some((p) => p.severity === 'error'));
    for (const p of e.problems) {
      assert.equal(resolve(p.file), resolve(file), `problem in another file: ${p.file}`);
      assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.column) && p.column >= 0, `bad location ${p.line}:${p.column}`);
      assert.ok(p.message.length > 0, 'an empty message');
      assert.doesNotMatch(p.message, /\n\s+at /, 'a stack trace in a message');
      // What the user sees: one line of bounded length, whatever the input echoed back.
      const shown = formatProblem(p);
      assert.ok(!shown.includes('\n') && shown.length < 8000 + p.file.length, `a problem shown as ${shown.length} characters`);
      assert.doesNotMatch(shown, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, `raw control character shown: ${JSON.stringify(shown)}`);
    }
    return 'rejected';
  }
}

describe('hostile manifests', () => {
  it('random edits of the examples and raw bytes: success or located problems, never a crash', async (t) => {
    assert.ok(SEEDS.length >= 3, 'the examples are the seeds');
    const tally = new Tally();
    await check(
      t,
      'mutated manifests',
      800,
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: bytes }), async (input) => {
        const file = join(dir, 'fuzz.yaml');
        writeFileSync(file, input);
        tally.bump(await verdict(file));
      }),
      tally,
    );
    t.diagnostic(`hostile manifests: ${800 * soakFactor()} mutated inputs (${tally.toString()})`);
    assert.ok(tally.get('rejected') > 0 && tally.get('valid') > 0, tally.toString());
  });

  it('structural attacks end in a clear error or success, in-process and through validate', async (t) => {
    const results: string[] = [];
    for (const [name, content] of structuralInputs()) {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, content);
      const v = await verdict(file);
      // The command as the CLI runs it: one sentence per problem, exit 1, nothing on stdout.
      const out: string[] = [];
      const err: string[] = [];
      const code = await validate({ paths: [file] }, { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env: {}, isTTY: false, prompt: async () => '' });
      assert.equal(code, v === 'valid' ? 0 : 1, name);
      if (v === 'rejected') assert.match(err.join(''), /fuzz-|\.yaml(:\d+:\d+)?: /, `${name}: no location in ${err.join('').slice(0, 300)}`);
      assert.doesNotMatch(err.join(''), /\n\s+at /, `${name}: stack trace`);
      results.push(`${name}: ${v}`);
    }
    t.diagnostic(`structural inputs: ${results.join('; ')}`);
    // The bombs must be refused, not expanded.
    assert.ok(results.includes('alias bomb (billion laughs): rejected') && results.includes('alias bomb of mappings: rejected'), results.join('\n'));
    assert.ok(results.includes('file over the size limit: rejected') && results.includes('ELF header: rejected'), results.join('\n'));
  });

  it('the real binary survives the worst inputs with a small heap and prints located, escaped errors', { skip: !existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs')) && 'dist/ is missing: run `npm run build` first (npm test does)' }, (t) => {
    const picked = new Set(['alias bomb (billion laughs)', 'alias bomb of mappings', 'deep flow nesting', 'huge string', 'file over the size limit', 'control characters in names']);
    for (const [name, content] of structuralInputs().filter(([n]) => picked.has(n))) {
      const file = join(dir, `bin-${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, content);
      // 192 MiB of heap: a parser that expands a bomb or recurses without bound dies here.
      const r = spawnSync(process.execPath, ['--max-old-space-size=192', '--stack-size=984', join(ROOT, 'bin', 'kafkaform.js'), 'validate', file], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '' },
        encoding: 'utf8',
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      assert.equal(r.signal, null, `${name}: killed by ${r.signal}`);
      assert.ok(r.status === 0 || r.status === 1, `${name}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |FATAL ERROR|heap out of memory|Maximum call stack/, `${name}: crashed\n${r.stderr.slice(0, 2000)}`);
      assert.ok(!r.stderr.includes('\u001b') && !r.stdout.includes('\u001b'), `${name}: raw ESC printed`);
      if (r.status === 1) assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+:\\d+)?: `), `${name}: no location\n${r.stderr.slice(0, 500)}`);
      t.diagnostic(`binary, ${name}: exit ${r.status}`);
    }
  });
});
