// Terminal and file safety through the real binary: names and values a cluster reports (snapshot
// files with random hostile strings, and the Confluent simulator) that hold control characters,
// ANSI/OSC sequences or bidi overrides are shown escaped by plan, drift, export and apply, never
// interpreted; files written stay parseable; exported manifests round-trip.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse } from 'yaml';
import { safe } from '../../src/render/index.js';
import { hostileString } from '../support/arbitraries.js';
import { V3Simulator } from '../support/v3-simulator.js';
import { check, soakFactor, Tally } from '../properties/runner.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin', 'kafkaform.js');
const BUILT = existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'));
const SKIP = !BUILT && 'dist/ is missing: run `npm run build` first (npm test does)';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What a terminal may interpret (C0 except newline, DEL, C1, bidi, separators, BOM, lone surrogates). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

function assertSafe(what: string, text: string): void {
  const m = UNSAFE.exec(text);
  assert.equal(m, null, m ? `${what}: raw ${JSON.stringify(m[0])} near ${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 20))}` : '');
}

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkaform-terminal-'));
  dirs.push(d);
  return d;
}

const MANIFEST = [
  'apiVersion: kafkaform/v1',
  'clusters:',
  '  live:',
  '    type: snapshot',
  '    path: ./live.json',
  'scope:',
  '  topics: ["orders."]',
  '  principals: ["User:orders-svc"]',
  'topics:',
  '  - { name: orders.keep, partitions: 3, replicationFactor: 3 }',
  '  - { name: orders.new, partitions: 1, replicationFactor: 3 }',
  'acls:',
  '  - { principal: User:orders-svc, resourceType: TOPIC, resourceName: orders.new, operations: [READ] }',
  '',
].join('\n');

/** Hostile snapshots per default run (each spawns seven processes). */
const CASES = 4;

/** The snapshot schema wants non-empty strings. */
const hostile = hostileString.filter((s) => s.length > 0);

/** A snapshot whose every server-side string is hostile. */
const hostileSnapshot = fc
  .record({
    suffixes: fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 }),
    key: hostile,
    value: hostile,
    principal: hostile,
    host: hostile,
    resourceName: hostile,
    clusterId: hostile,
  })
  .map((h) => ({
    formatVersion: 1,
    source: { type: 'snapshot' },
    clusterId: `c${h.clusterId}`,
    topics: [
      {
        name: 'orders.keep',
        partitions: 3,
        replicationFactor: 3,
        internal: false,
        configs: {
          [`x.${h.key}`]: { value: h.value, setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: false },
          'retention.ms': { value: h.value, setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: false },
        },
      },
      ...h.suffixes.map((s) => ({ name: `orders.${s}`.slice(0, 249), partitions: 1, replicationFactor: 1, internal: false, configs: {} })),
      { name: `other.${h.suffixes[0]}`.slice(0, 249), partitions: 1, replicationFactor: 1, internal: false, configs: {} },
    ],
    acls: [
      { principal: 'User:orders-svc', host: h.host, resourceType: 'TOPIC', resourceName: h.resourceName, patternType: 'LITERAL', operation: 'READ', permission: 'ALLOW' },
      { principal: `User:${h.principal}`, host: '*', resourceType: 'GROUP', resourceName: h.resourceName, patternType: 'PREFIXED', operation: 'READ', permission: 'DENY' },
    ],
  }))
  // The snapshot schema caps names at 249 characters; UTF-16 length, as the schema counts.
  .filter((s) => s.topics.every((t) => t.name.length >= 1 && t.name.length <= 249) && new Set(s.topics.map((t) => t.name)).size === s.topics.length);

describe('terminal and file safety through the real binary', { skip: SKIP }, () => {
  it('hostile names and values from a snapshot are shown escaped by plan, drift, export and apply', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'hostile snapshots via the CLI',
      CASES,
      fc.asyncProperty(hostileSnapshot, async (snapshot) => {
        const dir = scratch();
        // Outside the manifest directory, or the next command would load it as a manifest.
        const exportedFile = join(scratch(), 'exported.yaml');
        writeFileSync(join(dir, 'kafka.yaml'), MANIFEST);
        writeFileSync(join(dir, 'live.json'), JSON.stringify(snapshot, null, 2));
        const [text, md, json, drift, exported, snap] = await Promise.all([
          run(['plan', '.'], dir),
          run(['plan', '.', '-o', 'markdown'], dir),
          run(['plan', '.', '-o', 'json'], dir),
          run(['drift', '.'], dir),
          run(['export', '--cluster', 'live', '-o', 'manifest', '--out', exportedFile], dir),
          run(['export', '--cluster', 'live', '-o', 'snapshot'], dir),
        ]);
        for (const [name, r] of Object.entries({ text, md, json, drift, exported, snap })) {
          assert.ok(r.code === 0 || r.code === 2, `${name} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
          assertSafe(`${name} stdout`, r.stdout);
          assertSafe(`${name} stderr`, r.stderr);
          assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: stack trace`);
        }
        // The names are there, in their escaped form (held-back topics are listed by name).
        assert.match(text.stdout, /Held back/);
        for (const topic of snapshot.topics.filter((x) => x.name.startsWith('orders.') && x.name !== 'orders.keep')) {
          assert.ok(text.stdout.includes(safe(topic.name)), `${JSON.stringify(topic.name)} not shown as ${safe(topic.name)}`);
        }
        assert.deepEqual(JSON.parse(json.stdout).fingerprint.startsWith('sha256:'), true);
        // The exported snapshot says exactly what the file said, escapes and all.
        const again = JSON.parse(snap.stdout) as typeof snapshot;
        assert.deepEqual(again.topics.map((x) => x.name).sort(), snapshot.topics.map((x) => x.name).sort());
        assert.deepEqual(again.acls.map((a) => a.host).sort(), snapshot.acls.map((a) => a.host).sort());
        // The exported file is safe to cat, is YAML, and carries the hostile strings exactly.
        const file = readFileSync(exportedFile, 'utf8');
        assertSafe('exported manifest', file);
        const doc = parse(file) as { topics?: { name: string }[] };
        assert.deepEqual(
          (doc.topics ?? []).map((x) => x.name).sort(),
          snapshot.topics.map((x) => x.name).sort(),
        );

        const applied = await run(['apply', '.', '--auto-approve', '--allow-delete'], dir);
        assert.equal(applied.code, 0, applied.stderr.slice(0, 1000));
        assertSafe('apply stdout', applied.stdout);
        assertSafe('apply stderr (progress)', applied.stderr);
        const after = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as typeof snapshot;
        // Out of scope survives, byte for byte; the unowned principal's binding too.
        assert.ok(after.topics.some((x) => x.name === snapshot.topics.at(-1)!.name));
        assert.ok(after.acls.some((a) => a.principal === snapshot.acls[1]!.principal));
        tally.bump('hostile snapshots');
      }),
      tally,
      { shrink: false },
    );
    t.diagnostic(`terminal safety: ${CASES * soakFactor()} hostile snapshots through 7 commands each`);
  });

  it('names from the Confluent simulator with escapes are shown escaped; its exported manifest plans as no change', async () => {
    const sim = await V3Simulator.start({});
    try {
      const evil = 'orders.\u001b]0;pwned\u0007\u001b[2J\u202e';
      sim.addTopic({ name: evil, partitions: 1, configs: { 'retention.ms': '1000' } });
      sim.addTopic({ name: 'orders.fine', partitions: 2, configs: { 'cleanup.policy': 'compact', 'retention.ms': '86400000' } });
      sim.addAcl({ resource_type: 'TOPIC', resource_name: evil, pattern_type: 'LITERAL', principal: 'User:\u001b[31mred', host: '*', operation: 'READ', permission: 'ALLOW' });
      sim.addAcl({ resource_type: 'TOPIC', resource_name: 'orders.fine', pattern_type: 'LITERAL', principal: 'User:fine', host: '*', operation: 'WRITE', permission: 'ALLOW' });
      const dir = scratch();
      writeFileSync(
        join(dir, 'clusters.yaml'),
        ['apiVersion: kafkaform/v1', 'clusters:', '  sim:', '    type: confluent', `    restUrl: ${sim.url}`, '    clusterId: lkc-sim001', ''].join('\n'),
      );
      writeFileSync(join(dir, 'topics.yaml'), ['apiVersion: kafkaform/v1', 'scope:', '  topics: ["orders."]', 'topics: []', ''].join('\n'));
      const plan = await run(['plan', '.'], dir);
      assert.equal(plan.code, 0, plan.stderr);
      assertSafe('plan', plan.stdout + plan.stderr);
      assert.ok(plan.stdout.includes('\\x1b]0;pwned\\x07'), plan.stdout);

      const exp = await run(['export', '--cluster', 'sim', '-o', 'manifest'], dir);
      assert.equal(exp.code, 0, exp.stderr);
      assertSafe('export', exp.stdout + exp.stderr);
      // Round trip with a Kafka-legal state: the exported manifest (names a manifest accepts) plans as no change.
      sim.topics.delete(evil);
      sim.acls.splice(0, sim.acls.length, ...sim.acls.filter((a) => a.resource_name !== evil));
      const clean = await run(['export', '--cluster', 'sim', '-o', 'manifest', '--out', 'exported.yaml'], dir);
      assert.equal(clean.code, 0, clean.stderr);
      rmSync(join(dir, 'topics.yaml'));
      const again = await run(['plan', '.', '--detailed-exitcode'], dir);
      assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}\n${readFileSync(join(dir, 'exported.yaml'), 'utf8')}`);
    } finally {
      await sim.close();
    }
  });
});
