// Interrupts, the confirmation at a terminal, hung servers and retries, through the real binary:
// at a pseudo-terminal (python3's pty module), against the REST v3 simulator, and against a
// server that accepts connections and never answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { V3Simulator } from '../support/v3-simulator.js';
import { copyExample, HAS_PTY, kafkaform, kafkaformAtTerminal, newTopicsOnSimulator, read, scratch, startKafkaform } from './helpers.js';

const PROMPT = 'Only "yes" is accepted: ';
const CANCELLED = 'Apply cancelled; nothing was changed.';
const noPty = HAS_PTY ? false : 'python3 with its pty module is not installed: no pseudo-terminal to test with';

describe('the confirmation at a terminal', { skip: noPty }, () => {
  const cases: Array<{ name: string; answer: (run: ReturnType<typeof kafkaformAtTerminal>) => void }> = [
    { name: 'Ctrl+D', answer: (run) => run.type('\u0004') },
    { name: 'Ctrl+C', answer: (run) => run.type('\u0003') },
    { name: 'SIGINT', answer: (run) => run.signal('SIGINT') },
    { name: 'SIGTERM', answer: (run) => run.signal('SIGTERM') },
  ];
  for (const { name, answer } of cases) {
    it(`answered by ${name}: "${CANCELLED}", exit 130, the snapshot unchanged`, async () => {
      const dir = copyExample('quickstart');
      const before = read(join(dir, 'live-state.json'));
      const run = kafkaformAtTerminal(['apply'], { cwd: dir, env: { NO_COLOR: '1' } });
      await run.shows(PROMPT);
      answer(run);
      const r = await run.done;
      assert.equal(r.code, 130, r.screen);
      assert.ok(r.screen.includes(`${CANCELLED}\r\n`), r.screen);
      assert.ok(!r.screen.includes('error'), r.screen);
      assert.equal(read(join(dir, 'live-state.json')), before);
    });
  }

  it('asks with stdout piped (apply | tee log) and applies on "yes"', async () => {
    const dir = copyExample('quickstart');
    const before = read(join(dir, 'live-state.json'));
    const run = kafkaformAtTerminal(['apply'], { cwd: dir, env: { NO_COLOR: '1' }, pipeStdout: true });
    await run.shows(PROMPT);
    run.type('yes\r');
    const r = await run.done;
    assert.equal(r.code, 0, r.screen);
    // The plan and the result go down the pipe; the question stays on the terminal.
    assert.match(r.stdout, /Plan: 5 to create, 2 to update, 1 to delete\.\n/);
    assert.match(r.stdout, /Apply complete: 5 created, 2 updated, 1 deleted\.\n$/);
    assert.ok(!r.stdout.includes(PROMPT));
    assert.ok(!r.screen.includes('Plan: '), 'the plan went to the pipe, not the terminal');
    assert.notEqual(read(join(dir, 'live-state.json')), before);
  });
});

/** Manifests declaring six topics on the simulator, which holds none of them. */
async function sixTopics(t: { after(fn: () => Promise<void> | void): void }): Promise<{ sim: V3Simulator; dir: string }> {
  const { sim, dir } = await newTopicsOnSimulator(t, ['a', 'b', 'c', 'd', 'e', 'f']);
  // Preflight dry-runs the six creates first; the first two real creates are held.
  sim.inject({ fault: 'hold', method: 'POST', path: /\/topics$/, skip: 6, times: 2 });
  return { sim, dir };
}

/** Resolves once `n` requests are held; rejects if kafkaform ends before that. */
function held(sim: V3Simulator, n: number, run: { done: Promise<{ code: number; stderr: string }> }): Promise<void> {
  return Promise.race([
    sim.whenHeld(n),
    run.done.then((r) => Promise.reject(new Error(`kafkaform ended (exit ${r.code}) before ${n} requests were held:\n${r.stderr}`))),
  ]);
}

/** Real (not dry-run) topic creates the simulator received. */
function creates(sim: V3Simulator): number {
  return sim.requests.filter((r) => r.method === 'POST' && /\/topics$/.test(r.path) && !(r.body as { validate_only?: boolean }).validate_only).length;
}

describe('an interrupt during apply', () => {
  it('lets the requests in flight finish, starts nothing new, reports and exits 130', async (t) => {
    const { sim, dir } = await sixTopics(t);
    const run = startKafkaform(['apply', '--auto-approve', '--concurrency', '2'], { cwd: dir });
    await held(sim, 2, run);
    run.signal('SIGINT');
    await run.stderrShows('Interrupted: starting nothing new');
    sim.release();
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.ok(
      r.stderr.endsWith(
        [
          'Apply interrupted: 2 done, 0 failed, 4 not attempted; running apply again continues from here.',
          'Done (2):',
          '  create topic orders.a',
          '  create topic orders.b',
          'Not attempted (4):',
          '  create topic orders.c',
          '  create topic orders.d',
          '  create topic orders.e',
          '  create topic orders.f',
          '',
        ].join('\n'),
      ),
      r.stderr,
    );
    assert.ok(!r.stderr.includes('error'), r.stderr);
    assert.equal(creates(sim), 2, 'nothing new started after the interrupt');
    assert.deepEqual([...sim.topics.keys()].sort(), ['orders.a', 'orders.b'], 'the requests in flight finished');
    assert.ok(!r.stdout.includes('Apply complete'));
  });

  it('before the first change, ends what waits at once: nothing was changed', async (t) => {
    const { sim, dir } = await sixTopics(t);
    sim.clearFaults();
    sim.inject({ fault: 'hold', method: 'GET', path: /\/topics$/ });
    const run = startKafkaform(['apply', '--auto-approve'], { cwd: dir });
    await held(sim, 1, run);
    run.signal('SIGINT');
    // The read is still held: the interrupt does not wait for it.
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.stderr, 'reading cluster sim\nInterrupted; nothing was changed.\n');
    assert.equal(sim.requests.filter((q) => q.method !== 'GET').length, 0);
  });

  it('a second interrupt exits at once, without waiting for the requests in flight', async (t) => {
    const { sim, dir } = await sixTopics(t);
    const run = startKafkaform(['apply', '--auto-approve', '--concurrency', '2'], { cwd: dir });
    await held(sim, 2, run);
    run.signal('SIGTERM');
    await run.stderrShows('Interrupted: starting nothing new');
    run.signal('SIGINT');
    // The held requests are never answered before the process is gone.
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /Interrupted again \(SIGINT\): exiting at once; operations in flight may or may not have taken effect, run plan to see\.\n$/);
    assert.equal(sim.topics.size, 0);
    assert.equal(creates(sim), 2);
  });
});

/** A server that accepts connections and never answers; returns its port. */
async function hungServer(t: { after(fn: () => Promise<void>): void }): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

function hungCluster(port: number, settings: string): string {
  const dir = scratch();
  writeFileSync(
    join(dir, 'kafkaform.yaml'),
    `apiVersion: kafkaform/v1
clusters:
  hung:
    type: confluent
    restUrl: http://127.0.0.1:${port}/kafka/v3
    auth: { type: basic, username: "\${KEY}", password: "\${SECRET}" }
${settings}
scope: { topics: ["orders."] }
topics:
  - { name: orders.a, partitions: 1, replicationFactor: 3 }
`,
  );
  return dir;
}

const CREDENTIALS = { KEY: 'HUNGKEY1', SECRET: 'hung-secret-9d2' };

describe('a server that accepts connections and never answers', () => {
  it('every retry is announced, and the last failure names the host and the read timeout', async (t) => {
    const port = await hungServer(t);
    const dir = hungCluster(port, '    timeouts: { readMs: 100 }\n    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }');
    const r = await kafkaform(['plan'], { cwd: dir, env: CREDENTIALS });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 4, r.stderr);
    assert.equal(lines[0], 'reading cluster hung');
    assert.match(lines[1]!, /^retrying GET \/kafka\/v3\/clusters in [01] ms after no response within 100 ms \(timeouts\.readMs\) \(attempt 2 of 3\)$/);
    assert.match(lines[2]!, /^retrying GET \/kafka\/v3\/clusters in [01] ms after no response within 100 ms \(timeouts\.readMs\) \(attempt 3 of 3\)$/);
    assert.equal(lines[3], `error: Cannot list clusters: no response within 100 ms (timeouts.readMs) (GET http://127.0.0.1:${port}/kafka/v3/clusters)`);
    for (const secret of Object.values(CREDENTIALS)) assert.ok(!r.stderr.includes(secret));
  });

  for (const command of [['plan'], ['apply', '--auto-approve'], ['drift'], ['export', '-o', 'snapshot']]) {
    it(`${command[0]} gives up at the --timeout deadline with one sentence naming the host and the deadline`, async (t) => {
      const port = await hungServer(t);
      // The read timeout (30 s by default) is far beyond the deadline: the deadline ends the wait.
      const dir = hungCluster(port, '');
      const r = await kafkaform([...command, '--timeout', '1s'], { cwd: dir, env: CREDENTIALS });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        `reading cluster hung\nerror: GET http://127.0.0.1:${port}/kafka/v3/clusters: no answer from 127.0.0.1:${port} within the command's 1 s deadline; raise it with --timeout\n`,
      );
    });
  }

  it('--timeout needs a duration with a unit', async () => {
    const r = await kafkaform(['plan', '--timeout', '30'], { cwd: scratch() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--timeout <duration>' argument '30' is invalid: must be a duration with a unit, such as 90s, 10m or 1h; see kafkaform plan --help\n$/);
  });
});

it('a retry after HTTP 503 is announced without --debug, with the path but never the query or credentials', async (t) => {
  const sim = await V3Simulator.start({ auth: { type: 'basic', username: 'SIMKEY7Q', password: 'sim-secret-3c9f1e' } });
  t.after(() => sim.close());
  sim.inject({ fault: 'unavailable', method: 'GET', path: /\/acls$/ });
  const dir = scratch();
  writeFileSync(
    join(dir, 'kafkaform.yaml'),
    `apiVersion: kafkaform/v1
clusters:
  sim:
    type: confluent
    restUrl: "${sim.cloudUrl}"
    clusterId: ${sim.clusterId}
    auth: { type: basic, username: "\${KEY}", password: "\${SECRET}" }
    retry: { baseDelayMs: 1, maxDelayMs: 1 }
scope: { topics: ["orders."] }
topics: []
`,
  );
  const r = await kafkaform(['plan'], { cwd: dir, env: { KEY: 'SIMKEY7Q', SECRET: 'sim-secret-3c9f1e' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^reading cluster sim\\nretrying GET /kafka/v3/clusters/${sim.clusterId}/acls in [01] ms after HTTP 503 \\(attempt 2 of 6\\)\\nreading cluster sim: 4 requests, \\d+ B, done in [\\d.]+ s\\n$`,
    ),
  );
});
