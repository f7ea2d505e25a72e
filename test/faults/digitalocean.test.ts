// Random fault schedules against the DigitalOcean simulator, through the real `apply` command:
// 429 with Retry-After and a server-side rate limit with ratelimit-* headers, 503, non-retriable
// 500/403, connections dropped before the request or after it was carried out, slow responses and
// slow asynchronous topic creation, on every endpoint. Each run ends converged or with exit 1 and a
// report; the cluster never holds anything unasked, users the manifests do not name are never
// touched, no secret is printed, and a second apply without faults converges.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { apply, plan as planCommand, type Io } from '../../src/commands/index.js';
import { DoSimulator, type SimFault, type SimTopic, type SimValue } from '../support/do-simulator.js';
import { check, Tally } from '../properties/runner.js';

/** Schedules per default run (times KAFKAFORM_SOAK's factor). */
const SCHEDULES = 20;

const INITIAL_TOPICS: { name: string; partitions: number; rf: number; config: Record<string, number | string> }[] = [
  { name: 'orders.grow', partitions: 3, rf: 2, config: { retention_ms: 3600000 } },
  { name: 'orders.cfg', partitions: 6, rf: 3, config: { cleanup_policy: 'compact', segment_bytes: 104857600, retention_ms: 1000 } },
  { name: 'orders.old', partitions: 3, rf: 2, config: {} },
  { name: 'other.keep', partitions: 4, rf: 2, config: { retention_ms: 5000 } },
];
const INITIAL_USERS: Record<string, { topic: string; permission: string }[]> = {
  'orders-svc': [{ topic: 'orders.old', permission: 'consume' }],
  billing: [],
  stranger: [{ topic: 'orders.*', permission: 'consume' }],
};

/** Declared topics with the DigitalOcean values they must end with (others keep their defaults). */
const DESIRED_TOPICS: Record<string, { partitions: number; rf: number; config: Record<string, string> }> = {
  'orders.new1': { partitions: 3, rf: 2, config: { retention_ms: '86400000', cleanup_policy: 'compact' } },
  'orders.grow': { partitions: 6, rf: 2, config: { retention_ms: '3600000' } },
  'orders.cfg': { partitions: 6, rf: 3, config: { cleanup_policy: 'compact_delete', retention_ms: '604800000' } },
};
const DESIRED_USERS: Record<string, { topic: string; permission: string }[]> = {
  'orders-svc': [{ topic: 'orders.cfg', permission: 'produce' }],
  billing: [{ topic: 'orders.new1', permission: 'consume' }],
};

function manifest(sim: DoSimulator): string {
  return stringify({
    apiVersion: 'kafkaform/v1',
    clusters: {
      do: {
        type: 'digitalocean',
        databaseId: sim.databaseId,
        token: '${DIGITALOCEAN_TOKEN}',
        apiUrl: sim.url,
        // Waits are capped just above the simulator's rate-limit window, so honouring Retry-After
        // and ratelimit-reset (seconds on the real service) takes milliseconds here.
        retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 25 },
        topicCreation: { pollIntervalMs: 1, timeoutMs: 10000 },
      },
    },
    scope: { topics: ['orders.'] },
    topics: [
      { name: 'orders.new1', partitions: 3, replicationFactor: 2, config: { 'retention.ms': '1d', 'cleanup.policy': 'compact' } },
      { name: 'orders.grow', partitions: 6, replicationFactor: 2, config: { 'retention.ms': '1h' } },
      { name: 'orders.cfg', partitions: 6, replicationFactor: 3, config: { 'cleanup.policy': 'delete,compact', 'retention.ms': '7d' } },
    ],
    acls: [
      { principal: 'User:orders-svc', role: 'producer', topics: ['orders.cfg'] },
      { principal: 'User:billing', role: 'consumer', topics: ['orders.new1'], groups: ['billing'] },
    ],
  });
}

const DB = '[^/]+';
const ENDPOINTS: { method: string; path: RegExp }[] = [
  { method: 'GET', path: new RegExp(`^/v2/databases/${DB}/topics$`) },
  { method: 'GET', path: new RegExp(`^/v2/databases/${DB}/topics/[^/]+$`) },
  { method: 'POST', path: new RegExp(`^/v2/databases/${DB}/topics$`) },
  { method: 'PUT', path: new RegExp(`^/v2/databases/${DB}/topics/[^/]+$`) },
  { method: 'DELETE', path: new RegExp(`^/v2/databases/${DB}/topics/[^/]+$`) },
  { method: 'GET', path: new RegExp(`^/v2/databases/${DB}/users$`) },
  { method: 'GET', path: new RegExp(`^/v2/databases/${DB}/users/[^/]+$`) },
  { method: 'PUT', path: new RegExp(`^/v2/databases/${DB}/users/[^/]+$`) },
];

const faultRule: fc.Arbitrary<SimFault> = fc
  .record({
    status: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<SimFault['status']>(429, 503, 502, 'drop', 'lose-response') },
      { weight: 1, arbitrary: fc.constantFrom<SimFault['status']>(500, 403) },
    ),
    endpoint: fc.constantFrom(...ENDPOINTS),
    times: fc.integer({ min: 1, max: 3 }),
    retryAfterSeconds: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  })
  .map(({ endpoint, retryAfterSeconds, ...rest }) => ({
    ...rest,
    method: endpoint.method,
    path: endpoint.path,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  }));

const schedule = fc.record({
  faults: fc.array(faultRule, { minLength: 1, maxLength: 6 }),
  latencyMs: fc.constantFrom(0, 0, 1, 3),
  createNotFoundReads: fc.nat({ max: 3 }),
  createConfiguringReads: fc.nat({ max: 3 }),
  rateLimit: fc.option(fc.integer({ min: 2, max: 6 }), { nil: undefined }),
  allowDelete: fc.boolean(),
  concurrency: fc.constantFrom(1, 2, 8),
});

function capture(env: Record<string, string>): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env, isTTY: false, prompt: async () => 'no' };
}

function text(v: SimValue | undefined): string {
  return v === undefined ? 'undefined' : String(v);
}

function aclSet(acl: { topic: string; permission: string }[] | undefined): string {
  return JSON.stringify((acl ?? []).map((a) => `${a.topic} ${a.permission}`).sort());
}

/** The invariants that hold after any apply, faulted or not. */
function checkCluster(sim: DoSimulator, defaults: Record<string, SimValue>, allowDelete: boolean): void {
  const initial = new Map(INITIAL_TOPICS.map((t) => [t.name, t]));
  for (const [name, topic] of sim.topics as Map<string, SimTopic>) {
    const want = DESIRED_TOPICS[name];
    const was = initial.get(name);
    assert.ok(want !== undefined || was !== undefined, `topic ${name} was never asked for`);
    for (const [key, value] of Object.entries(topic.config)) {
      const options = new Set<string>([text(defaults[key])]);
      if (was) options.add(String(was.config[key] ?? text(defaults[key])));
      if (want?.config[key] !== undefined) options.add(want.config[key]);
      if (was && !want) assert.equal(text(value), String(was.config[key] ?? text(defaults[key])), `${name} ${key} changed`);
      else assert.ok(options.has(text(value)), `${name} ${key}=${text(value)} was never asked for`);
    }
    if (!want) {
      assert.equal(topic.partitions, was!.partitions, `${name} resized`);
    } else {
      assert.ok(topic.partitions === want.partitions || topic.partitions === was?.partitions, `${name} has ${topic.partitions} partitions`);
      assert.ok(topic.replicationFactor === want.rf || topic.replicationFactor === was?.rf);
    }
  }
  for (const t of INITIAL_TOPICS) {
    if (!sim.topics.has(t.name)) assert.ok(allowDelete && t.name === 'orders.old', `topic ${t.name} deleted`);
  }
  // Grants (phase 4) and revocations (phase 5) are separate replacements of a user's ACLs, so a
  // run stopped between them leaves old and new side by side: never anything else.
  for (const [name, user] of sim.users) {
    if (name === 'doadmin') continue;
    const allowed = new Set([...(INITIAL_USERS[name] ?? []), ...(DESIRED_USERS[name] ?? [])].map((a) => `${a.topic} ${a.permission}`));
    for (const a of user.acl ?? []) assert.ok(allowed.has(`${a.topic} ${a.permission}`), `user ${name} was granted ${a.topic} ${a.permission}, never asked for`);
  }
  assert.equal(aclSet(sim.users.get('stranger')?.acl), aclSet(INITIAL_USERS['stranger']), 'an unnamed user was touched');
}

function checkConverged(sim: DoSimulator, defaults: Record<string, SimValue>, allowDelete: boolean): void {
  checkCluster(sim, defaults, allowDelete);
  for (const [name, want] of Object.entries(DESIRED_TOPICS)) {
    const topic = sim.topics.get(name);
    assert.ok(topic, `${name} missing`);
    assert.equal(topic.partitions, want.partitions);
    for (const [key, value] of Object.entries(want.config)) assert.equal(text(topic.config[key]), value, `${name} ${key}`);
  }
  assert.equal(sim.topics.has('orders.old'), !allowDelete);
  for (const [name, acl] of Object.entries(DESIRED_USERS)) assert.equal(aclSet(sim.users.get(name)?.acl), aclSet(acl), `user ${name}`);
}

describe('fault schedules: DigitalOcean', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafkaform-faults-do-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every schedule converges or stops with a report, never leaves anything unasked, and a clean re-run converges', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'digitalocean fault schedules',
      SCHEDULES,
      fc.asyncProperty(schedule, async (s) => {
        const sim = new DoSimulator({
          latencyMs: s.latencyMs,
          createNotFoundReads: s.createNotFoundReads,
          createConfiguringReads: s.createConfiguringReads,
        });
        await sim.start();
        try {
          const defaults = { ...sim.addTopic('probe').config };
          sim.topics.delete('probe');
          for (const topic of INITIAL_TOPICS) sim.addTopic(topic.name, topic.partitions, topic.rf, topic.config);
          for (const [name, acl] of Object.entries(INITIAL_USERS)) sim.addUser(name, acl);
          writeFileSync(join(dir, 'kafka.yaml'), manifest(sim));
          const env = { DIGITALOCEAN_TOKEN: sim.token };
          const secrets = sim.secrets();
          for (const f of s.faults) sim.injectFault(f);
          if (s.rateLimit !== undefined) sim.setRateLimit(s.rateLimit, 20);

          const io = capture(env);
          const options = { paths: [dir], cluster: 'do', autoApprove: true, allowDelete: s.allowDelete, concurrency: s.concurrency };
          const code = await apply(options, io);
          const output = io.out.join('') + io.err.join('');
          assert.ok(code === 0 || code === 1, `exit ${code}`);
          for (const secret of secrets) assert.ok(!output.includes(secret), 'a secret was printed');
          assert.doesNotMatch(output, /\n\s+at .+:\d+:\d+\)?\n/, 'a stack trace was printed without --debug');
          if (code === 0) {
            assert.match(io.out.join(''), /Apply complete|No changes/);
            tally.bump('converged under faults');
          } else {
            assert.match(io.err.join(''), /error|failed|stopped|refused/i, io.err.join(''));
            tally.bump('stopped with a report');
          }
          // Faults left over (not reached) must not leak into the clean run.
          sim.setRateLimit(undefined);
          sim.clearFaults();
          checkCluster(sim, defaults, s.allowDelete);

          const again = capture(env);
          const second = await apply(options, again);
          assert.equal(second, 0, `second apply without faults failed:\n${again.err.join('')}`);
          checkConverged(sim, defaults, s.allowDelete);
          const verify = capture(env);
          assert.equal(await planCommand({ paths: [dir], cluster: 'do', detailedExitcode: true, allowDelete: s.allowDelete }, verify), 0, verify.out.join(''));
          tally.bump('clean re-run converged');
        } finally {
          await sim.close();
        }
      }),
      tally,
    );
    t.diagnostic(`digitalocean: ${tally.get('converged under faults') + tally.get('stopped with a report')} schedules run; ${tally.get('converged under faults')} converged under faults, ${tally.get('stopped with a report')} stopped with exit 1 and a report, ${tally.get('clean re-run converged')} converged on the clean re-run`);
  });
});
