// Concurrency and crashes on the snapshot target, through the real binary (the unit-level lock,
// atomic-replace and killed-writer tests live in test/targets/snapshot; these race and kill whole
// `kafkaform apply` processes): two applies with different manifests racing on one file end with
// the file holding one apply's complete result, never a mix; an apply killed at a random moment
// leaves the previous file or the new one, and the next apply converges.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseSnapshot } from '../../src/targets/snapshot/file.js';
import { check, soakFactor, Tally } from '../properties/runner.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin', 'kafkaform.js');
const SKIP = !existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs')) && 'dist/ is missing: run `npm run build` first (npm test does)';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], cwd: string): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const topic = (name: string, partitions: number): object => ({ name, partitions, replicationFactor: 3, internal: false, configs: {} });

/** The file every run starts from: one in-scope topic, one out of scope, many ACLs so writes take a moment. */
function initialSnapshot(): object {
  return {
    formatVersion: 1,
    source: { type: 'snapshot' },
    clusterId: 'race',
    topics: [topic('orders.old', 1), topic('other.keep', 2), ...Array.from({ length: 400 }, (_, i) => topic(`bulk.${String(i).padStart(4, '0')}`, 1))],
    acls: [],
  };
}

/** A manifest directory owning `orders.` and wanting exactly `want` (name → partitions). */
function manifestDir(root: string, name: string, want: Record<string, number>): string {
  const d = join(root, name);
  mkdirSync(d);
  writeFileSync(
    join(d, 'kafka.yaml'),
    [
      'apiVersion: kafkaform/v1',
      'clusters:',
      '  live: { type: snapshot, path: ../live.json }',
      'scope: { topics: ["orders."] }',
      'topics:',
      ...Object.entries(want).map(([n, p]) => `  - { name: ${n}, partitions: ${p}, replicationFactor: 3 }`),
      '',
    ].join('\n'),
  );
  return d;
}

/** The `orders.` topics of the file, as name:partitions; the file must parse and match the schema. */
function ordersIn(file: string): string {
  const snapshot = parseSnapshot(readFileSync(file, 'utf8'), file);
  assert.ok(snapshot.topics.some((t) => t.name === 'other.keep') && snapshot.topics.filter((t) => t.name.startsWith('bulk.')).length === 400, 'out-of-scope topics lost');
  return snapshot.topics
    .filter((t) => t.name.startsWith('orders.'))
    .map((t) => `${t.name}:${t.partitions}`)
    .sort()
    .join(',');
}

/** Races and kills per default run (each spawns a few processes). */
const RUNS = 5;

const A = { 'orders.a': 3, 'orders.shared': 2 };
const B = { 'orders.b': 5, 'orders.shared': 4 };
const STATE = { initial: 'orders.old:1', a: 'orders.a:3,orders.shared:2', b: 'orders.b:5,orders.shared:4' };

describe('snapshot target under concurrent and killed applies', { skip: SKIP }, () => {
  it('two applies racing on one file: one complete result, never a mix; the loser says why and changes nothing', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'racing applies',
      RUNS,
      fc.asyncProperty(fc.nat({ max: 60 }), async (staggerMs) => {
        const root = mkdtempSync(join(tmpdir(), 'kafkaform-race-'));
        dirs.push(root);
        const file = join(root, 'live.json');
        writeFileSync(file, JSON.stringify(initialSnapshot()));
        const a = manifestDir(root, 'a', A);
        const b = manifestDir(root, 'b', B);
        const first = start(['apply', '.', '--auto-approve', '--allow-delete', '--quiet'], a);
        await new Promise((r) => setTimeout(r, staggerMs));
        const second = start(['apply', '.', '--auto-approve', '--allow-delete', '--quiet'], b);
        const [ra, rb] = await Promise.all([first.done, second.done]);
        for (const r of [ra, rb]) {
          assert.ok(r.code === 0 || r.code === 1, `exit ${r.code} ${r.signal}: ${r.stderr}`);
          assert.doesNotMatch(r.stderr, /\n\s+at /, 'stack trace');
          // Refused by the lock, by the changed-file check, or — when it read the other's result —
          // by its own plan (orders.shared cannot shrink from 4 to 2 partitions).
          if (r.code === 1) assert.match(r.stderr, /locked by another kafkaform apply|changed since|the plan has \d+ errors?/, r.stderr);
        }
        const final = ordersIn(file);
        assert.ok(ra.code === 0 || rb.code === 0, `both applies failed:\n${ra.stderr}\n${rb.stderr}`);
        if (ra.code === 0 && rb.code !== 0) assert.equal(final, STATE.a);
        else if (rb.code === 0 && ra.code !== 0) assert.equal(final, STATE.b);
        else assert.ok(final === STATE.a || final === STATE.b, `a mix: ${final}`);
        assert.ok(!existsSync(`${file}.lock`), 'a lock was left behind');
        tally.bump(ra.code === 0 && rb.code === 0 ? 'both applied, one after the other' : 'one applied, one refused');
      }),
      tally,
      { shrink: false },
    );
  });

  it('an apply killed at a random moment leaves the old file or the new one, and the next apply converges', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'killed applies',
      RUNS,
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.nat({ max: 25 }), async (afterUnit, killAfterMs) => {
        const root = mkdtempSync(join(tmpdir(), 'kafkaform-kill-'));
        dirs.push(root);
        const file = join(root, 'live.json');
        writeFileSync(file, JSON.stringify(initialSnapshot()));
        const a = manifestDir(root, 'a', A);
        const run = start(['apply', '.', '--auto-approve', '--allow-delete'], a);
        // The three units run in memory and the file is written when the target closes: killing a
        // few milliseconds after the k-th progress line lands before, during or after the write.
        let timer: NodeJS.Timeout | undefined;
        let progress = '';
        run.child.stderr!.on('data', (d: string) => {
          progress += d;
          if (timer === undefined && progress.includes(`[${afterUnit}/3]`)) timer = setTimeout(() => run.child.kill('SIGKILL'), killAfterMs);
        });
        const r = await run.done;
        clearTimeout(timer);
        const state = ordersIn(file);
        assert.ok(state === STATE.initial || state === STATE.a, `a torn file: ${state}`);
        tally.bump(r.signal === 'SIGKILL' ? `killed, file ${state === STATE.initial ? 'old' : 'new'}` : 'finished before the kill');

        // A lock left by the dead process is taken over; the re-run converges.
        const again = start(['apply', '.', '--auto-approve', '--allow-delete', '--quiet'], a);
        const rr = await again.done;
        assert.equal(rr.code, 0, rr.stderr);
        assert.equal(ordersIn(file), STATE.a);
        const plan = await start(['plan', '.', '--detailed-exitcode', '--allow-delete'], a).done;
        assert.equal(plan.code, 0, plan.stdout);
      }),
      tally,
      { shrink: false },
    );
    t.diagnostic(`snapshot: ${RUNS * soakFactor()} races and ${RUNS * soakFactor()} random kills`);
  });
});
