// Random fault schedules against the Confluent REST v3 simulator, through the real `apply` command:
// 429 (HTML body, Retry-After), 503, 500/50003, non-retriable 500 and 403, connections dropped
// before or after the request took effect, bodies cut off, and slow responses, on every endpoint.
// Each run ends converged or with exit 1 and a report; in every case the cluster holds nothing the
// manifests did not ask for and nothing out of scope changed; a second apply without faults converges.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { apply, plan as planCommand, type Io } from '../../src/commands/index.js';
import { canonicalConfigValue } from '../../src/kafka/configs.js';
import { V3Simulator, type FaultKind, type FaultRule, type SimAcl, type SimTopicInit } from '../support/v3-simulator.js';
import { check, Tally } from '../properties/runner.js';

const USER = 'sim-key';
const PASSWORD = 'sim-secret-Xy7!';
const CLUSTER_ID = 'lkc-sim001';

/** The live state every schedule starts from. */
const INITIAL_TOPICS: (SimTopicInit & { partitions: number; configs: Record<string, string> })[] = [
  { name: 'orders.grow', partitions: 3, configs: { 'retention.ms': '3600000' } },
  { name: 'orders.cfg', partitions: 6, configs: { 'cleanup.policy': 'compact', 'segment.bytes': '104857600', 'retention.ms': '1000' } },
  { name: 'orders.old', partitions: 1, configs: {} },
  { name: 'other.keep', partitions: 2, configs: { 'retention.ms': '5000' } },
  { name: '_internal.metrics', partitions: 1, configs: {}, internal: true },
];
const acl = (principal: string, resource_name: string, operation: string, extra: Partial<SimAcl> = {}): SimAcl => ({
  resource_type: 'TOPIC',
  resource_name,
  pattern_type: 'LITERAL',
  principal,
  host: '*',
  operation,
  permission: 'ALLOW',
  ...extra,
});
const INITIAL_ACLS: SimAcl[] = [
  acl('User:orders-svc', 'orders.old', 'READ'),
  acl('User:orders-svc', 'orders.cfg', 'WRITE'),
  acl('User:stranger', 'orders.', 'READ', { pattern_type: 'PREFIXED' }),
];

/** What the manifests ask for (canonical config values), to check the cluster against. */
const DESIRED_TOPICS: Record<string, { partitions: number; config: Record<string, string> }> = {
  'orders.new1': { partitions: 3, config: { 'retention.ms': '86400000', 'cleanup.policy': 'compact' } },
  'orders.new2': { partitions: 2, config: {} },
  'orders.grow': { partitions: 6, config: { 'retention.ms': '3600000' } },
  'orders.cfg': { partitions: 6, config: { 'cleanup.policy': 'compact,delete', 'retention.ms': '604800000' } },
};
const DESIRED_ACLS: SimAcl[] = [
  acl('User:orders-svc', 'orders.cfg', 'WRITE'),
  acl('User:orders-svc', 'orders.cfg', 'DESCRIBE'),
  acl('User:billing', 'orders.new1', 'READ'),
  acl('User:billing', 'orders.new1', 'DESCRIBE'),
  acl('User:billing', 'billing', 'READ', { resource_type: 'GROUP' }),
];

function manifest(restUrl: string, withClusterId: boolean): string {
  return stringify({
    apiVersion: 'kafkaform/v1',
    clusters: {
      sim: {
        type: 'confluent',
        restUrl,
        ...(withClusterId ? { clusterId: CLUSTER_ID } : {}),
        auth: { type: 'basic', username: '${SIM_USER}', password: '${SIM_PASSWORD}' },
        retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
      },
    },
    scope: { topics: ['orders.'], principals: ['User:orders-svc'] },
    topicDefaults: { replicationFactor: 3 },
    topics: [
      { name: 'orders.new1', partitions: 3, config: { 'retention.ms': '1d', 'cleanup.policy': 'compact' } },
      { name: 'orders.new2', partitions: 2 },
      { name: 'orders.grow', partitions: 6, config: { 'retention.ms': '1h' } },
      { name: 'orders.cfg', partitions: 6, config: { 'cleanup.policy': ['delete', 'compact'], 'retention.ms': '7d' } },
    ],
    acls: [
      { principal: 'User:orders-svc', resourceType: 'TOPIC', resourceName: 'orders.cfg', operations: ['WRITE', 'DESCRIBE'] },
      { principal: 'User:billing', role: 'consumer', topics: ['orders.new1'], groups: ['billing'] },
    ],
  });
}

/** Every endpoint kafkaform calls, as the simulator sees its path (after the base). */
const ENDPOINTS: { method: string; path: RegExp }[] = [
  { method: 'GET', path: /^\/clusters$/ },
  { method: 'GET', path: /^\/clusters\/[^/]+\/topics$/ },
  { method: 'GET', path: /^\/clusters\/[^/]+\/topics\/-\/configs$/ },
  { method: 'GET', path: /^\/clusters\/[^/]+\/acls$/ },
  { method: 'POST', path: /^\/clusters\/[^/]+\/topics$/ },
  { method: 'PATCH', path: /^\/clusters\/[^/]+\/topics\/[^/]+$/ },
  { method: 'POST', path: /^\/clusters\/[^/]+\/topics\/[^/]+\/configs:alter$/ },
  { method: 'POST', path: /^\/clusters\/[^/]+\/acls:batch$/ },
  { method: 'DELETE', path: /^\/clusters\/[^/]+\/acls$/ },
  { method: 'DELETE', path: /^\/clusters\/[^/]+\/topics\/[^/]+$/ },
];

/** Schedules per default run (times KAFKAFORM_SOAK's factor). */
const SCHEDULES = 20;

const RETRIABLE: FaultKind[] = ['rate-limit', 'unavailable', 'retriable', 'drop', 'drop-after', 'truncate'];
const FATAL: FaultKind[] = ['server-error', 'forbidden'];

const faultRule: fc.Arbitrary<FaultRule> = fc.record({
  fault: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...RETRIABLE) }, { weight: 1, arbitrary: fc.constantFrom(...FATAL) }),
  endpoint: fc.constantFrom(...ENDPOINTS),
  skip: fc.nat({ max: 3 }),
  times: fc.integer({ min: 1, max: 3 }),
  retryAfter: fc.constantFrom('1', '0', 'Wed, 21 Oct 2015 07:28:00 GMT'),
}).map(({ endpoint, ...rest }) => ({ ...rest, method: endpoint.method, path: endpoint.path }));

const schedule = fc.record({
  faults: fc.array(faultRule, { minLength: 1, maxLength: 6 }),
  latencyMs: fc.constantFrom(0, 0, 1, 3),
  allowDelete: fc.boolean(),
  withClusterId: fc.boolean(),
  pageSize: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  concurrency: fc.constantFrom(1, 2, 8),
});

function capture(env: Record<string, string>): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    env,
    isTTY: false,
    prompt: async () => 'no',
  };
}

const bindingKey = (a: SimAcl): string => JSON.stringify([a.principal, a.host, a.resource_type, a.resource_name, a.pattern_type, a.operation, a.permission]);

/** The invariants that hold after any apply, faulted or not. */
function checkCluster(sim: V3Simulator, allowDelete: boolean): void {
  const initial = new Map(INITIAL_TOPICS.map((t) => [t.name, t]));
  for (const [name, topic] of sim.topics) {
    const want = DESIRED_TOPICS[name];
    const was = initial.get(name);
    assert.ok(want !== undefined || was !== undefined, `topic ${name} was never asked for`);
    const overrides = Object.fromEntries([...topic.configs].map(([k, v]) => [k, canonicalConfigValue(k, v)]));
    if (want === undefined) {
      // Not declared: untouched (out of scope, internal, or held back without --allow-delete).
      assert.equal(topic.partitions, was!.partitions, `${name} resized`);
      assert.deepEqual(overrides, was!.configs, `${name} reconfigured`);
      continue;
    }
    if (was === undefined) {
      // Created: all or nothing, exactly as declared.
      assert.equal(topic.partitions, want.partitions, `${name} created with the wrong size`);
      assert.deepEqual(overrides, want.config, `${name} created with the wrong configs`);
      continue;
    }
    assert.ok(topic.partitions === was.partitions || topic.partitions === want.partitions, `${name} has ${topic.partitions} partitions`);
    for (const [key, value] of Object.entries(overrides)) {
      const wasValue = (was.configs as Record<string, string>)[key];
      assert.ok(value === wasValue || value === want.config[key], `${name} ${key}=${value} was never asked for`);
    }
  }
  for (const t of INITIAL_TOPICS) {
    if (sim.topics.has(t.name)) continue;
    assert.ok(allowDelete && t.name === 'orders.old', `topic ${t.name} deleted`);
  }
  const allowed = new Set([...INITIAL_ACLS, ...DESIRED_ACLS].map(bindingKey));
  for (const a of sim.acls) assert.ok(allowed.has(bindingKey(a)), `ACL ${bindingKey(a)} was never asked for`);
  assert.ok(sim.acls.some((a) => a.principal === 'User:stranger'), 'an unowned principal lost its binding');
  for (const a of sim.acls.filter((x) => !DESIRED_ACLS.some((d) => bindingKey(d) === bindingKey(x)))) {
    assert.ok(INITIAL_ACLS.some((i) => bindingKey(i) === bindingKey(a)));
  }
}

/** After a clean apply: exactly the desired state (plus what is out of scope). */
function checkConverged(sim: V3Simulator, allowDelete: boolean): void {
  checkCluster(sim, allowDelete);
  for (const [name, want] of Object.entries(DESIRED_TOPICS)) {
    const topic = sim.topics.get(name);
    assert.ok(topic, `${name} missing`);
    assert.equal(topic.partitions, want.partitions);
    assert.deepEqual(Object.fromEntries([...topic.configs].map(([k, v]) => [k, canonicalConfigValue(k, v)])), want.config);
  }
  assert.equal(sim.topics.has('orders.old'), !allowDelete);
  const have = new Set(sim.acls.map(bindingKey));
  for (const d of DESIRED_ACLS) assert.ok(have.has(bindingKey(d)), `ACL ${bindingKey(d)} missing`);
  assert.equal(have.has(bindingKey(INITIAL_ACLS[0]!)), false, 'revoked binding still there');
}

describe('fault schedules: Confluent REST v3', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafkaform-faults-v3-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every schedule converges or stops with a report, never leaves anything unasked, and a clean re-run converges', async (t) => {
    const tally = new Tally();
    const env = { SIM_USER: USER, SIM_PASSWORD: PASSWORD };
    await check(
      t,
      'confluent fault schedules',
      SCHEDULES,
      fc.asyncProperty(schedule, async (s) => {
        const sim = await V3Simulator.start({
          auth: { type: 'basic', username: USER, password: PASSWORD },
          latencyMs: s.latencyMs,
          ...(s.pageSize !== undefined ? { pageSize: s.pageSize } : {}),
        });
        try {
          for (const topic of INITIAL_TOPICS) sim.addTopic({ ...topic, replicationFactor: 3 });
          for (const a of INITIAL_ACLS) sim.addAcl(a);
          writeFileSync(join(dir, 'kafka.yaml'), manifest(sim.url, s.withClusterId));
          for (const f of s.faults) sim.inject(f);

          const io = capture(env);
          const options = { paths: [dir], cluster: 'sim', autoApprove: true, allowDelete: s.allowDelete, concurrency: s.concurrency };
          const code = await apply(options, io);
          const stderr = io.err.join('');
          const stdout = io.out.join('');
          assert.ok(code === 0 || code === 1, `exit ${code}`);
          assert.ok(!stderr.includes(PASSWORD) && !stdout.includes(PASSWORD), 'the password was printed');
          assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'a stack trace was printed without --debug');
          if (code === 0) {
            assert.match(stdout, /Apply complete|No changes/);
            tally.bump('converged under faults');
          } else {
            // One clear report: what stopped it, with the server's answer or the network failure.
            assert.match(stderr, /error|failed|stopped|refused/i, stderr);
            tally.bump('stopped with a report');
          }
          for (const f of sim.faults) tally.counts.set('faults fired', tally.get('faults fired') + f.fired);
          sim.clearFaults();
          sim.options.latencyMs = 0;
          checkCluster(sim, s.allowDelete);

          const again = capture(env);
          const second = await apply(options, again);
          assert.equal(second, 0, `second apply without faults failed:\n${again.err.join('')}`);
          checkConverged(sim, s.allowDelete);
          const check = capture(env);
          assert.equal(await planCommand({ paths: [dir], cluster: 'sim', detailedExitcode: true, allowDelete: s.allowDelete }, check), 0, check.out.join(''));
          tally.bump('clean re-run converged');
        } finally {
          await sim.close();
        }
      }),
      tally,
    );
    t.diagnostic(`confluent: ${tally.get('converged under faults') + tally.get('stopped with a report')} schedules run; ${tally.get('converged under faults')} converged under faults, ${tally.get('stopped with a report')} stopped with exit 1 and a report, ${tally.get('clean re-run converged')} converged on the clean re-run`);
  });
});
