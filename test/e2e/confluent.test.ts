// End to end: the real binary (`node bin/kafkaform.js`, built by `npm run build`) against the REST
// v3 simulator on 127.0.0.1, as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { V3Simulator, type V3SimulatorOptions } from '../support/v3-simulator.js';
import { kafkaform as kafkaformAsync, type Run } from '../cli/helpers.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'kafkaform-e2e-confluent-'));
}

const KEY = 'SIMKEY7Q';
const SECRET = 'sim-secret-3c9f1e';
const SECRET_B64 = Buffer.from(`${KEY}:${SECRET}`).toString('base64');

/** Manifests for one cluster on the simulator; credentials only through the environment. */
function manifests(dir: string, body: string, cluster = ''): void {
  writeFileSync(
    join(dir, 'clusters.yaml'),
    `apiVersion: kafkaform/v1
clusters:
  sim:
    type: confluent
    restUrl: "\${SIM_URL}"
    auth: { type: basic, username: "\${KAFKA_API_KEY}", password: "\${KAFKA_API_SECRET}" }
    retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 10 }
${cluster}`,
  );
  writeFileSync(join(dir, 'topics.yaml'), `apiVersion: kafkaform/v1\n${body}`);
}

const ORDERS = `scope:
  topics: ["orders."]
topicDefaults: { partitions: 3, replicationFactor: 3 }
topics:
  - name: orders.created.v1
    partitions: 6
    config: { retention.ms: 7d, cleanup.policy: compact }
  - name: orders.shipped.v1
    config: { retention.ms: 1d }
  - name: orders.paid.v1
acls:
  - principal: User:orders-svc
    role: producer
    topics: ["orders.*"]
  - principal: User:billing
    role: consumer
    topics: [orders.paid.v1]
    groups: [billing]
`;

async function setup(
  t: { after(fn: () => Promise<void>): void },
  options: V3SimulatorOptions = {},
  body = ORDERS,
  cluster = '',
): Promise<{ sim: V3Simulator; run: (...args: string[]) => Promise<Run>; dir: string }> {
  const sim = await V3Simulator.start({ auth: { type: 'basic', username: KEY, password: SECRET }, ...options });
  t.after(() => sim.close());
  const dir = scratch();
  manifests(dir, body, cluster);
  const env = { SIM_URL: sim.cloudUrl, KAFKA_API_KEY: KEY, KAFKA_API_SECRET: SECRET };
  return { sim, dir, run: (...args: string[]) => kafkaformAsync(args, { cwd: dir, env }) };
}

function noSecrets(r: Run): void {
  const all = r.stdout + r.stderr;
  for (const s of [SECRET, SECRET_B64, KEY]) assert.ok(!all.includes(s), `output contains ${s === KEY ? 'the API key' : 'a secret'}`);
}

function seed(sim: V3Simulator, n: number): void {
  for (let i = 0; i < n; i++) sim.addTopic({ name: `legacy.t${String(i).padStart(4, '0')}`, partitions: 1 });
}

test('plan, drift and export read paginated lists; an exported manifest plans as no change', async (t) => {
  const { sim, run, dir } = await setup(t, { pageSize: 4 });
  seed(sim, 9);
  sim.addTopic({ name: 'orders.created.v1', partitions: 3, configs: { 'retention.ms': '86400000' } });
  sim.addTopic({ name: 'orders.stale.v0' });
  sim.addAcl({ resource_type: 'TOPIC', resource_name: 'orders.stale.v0', pattern_type: 'LITERAL', principal: 'User:billing', host: '*', operation: 'READ', permission: 'ALLOW' });

  const plan = await run('plan', '-o', 'json');
  assert.equal(plan.code, 0, plan.stderr);
  noSecrets(plan);
  const p = JSON.parse(plan.stdout) as { actions: Array<{ phase: number; action: string; resource: { name?: string; resourceName?: string }; changes: Array<{ field: string; from: unknown; to: unknown }> }>; heldBack: unknown[]; unmanaged: unknown[] };
  const summary = p.actions.map((a) => `${a.phase} ${a.action} ${a.resource.name ?? a.resource.resourceName}`);
  assert.deepEqual(summary.filter((s) => s.includes('topic') || /^[1236] /.test(s)), [
    '1 create orders.paid.v1',
    '1 create orders.shipped.v1',
    '2 update orders.created.v1',
    '3 update orders.created.v1',
  ]);
  const alter = p.actions.find((a) => a.phase === 3)!;
  assert.deepEqual(alter.changes, [
    { field: 'config.cleanup.policy', from: 'delete', to: 'compact' },
    { field: 'config.retention.ms', from: '86400000', to: '604800000' },
  ]);
  assert.ok(p.actions.some((a) => a.phase === 5 && a.resource.resourceName === 'orders.stale.v0'));
  assert.equal(p.heldBack.length, 1); // orders.stale.v0 without --allow-delete
  assert.equal(p.unmanaged.length, 9);
  // Every list was paged: 11 topics (3 pages), 319 configs (80 pages), 1 ACL (1 page).
  assert.equal(sim.count('GET', /\/topics$/), 3);
  assert.equal(sim.count('GET', '/topics/-/configs'), 80);

  const text = await run('plan');
  assert.match(text.stdout, /Plan: 7 to create, 1 to update, 1 to delete\.\n$/);

  const drift = await run('drift');
  assert.equal(drift.code, 2, drift.stderr);

  const snap = await run('export', '--cluster', 'sim', '-o', 'snapshot');
  assert.equal(snap.code, 0, snap.stderr);
  const exported = JSON.parse(snap.stdout) as { source: { type: string }; topics: Array<{ name: string; configs: Record<string, { value: string }> }> };
  assert.equal(exported.source.type, 'confluent');
  assert.equal(exported.topics.length, 11);
  assert.equal(exported.topics.find((x) => x.name === 'orders.created.v1')!.configs['retention.ms']!.value, '86400000');

  const man = await run('export', '--cluster', 'sim', '-o', 'manifest');
  assert.equal(man.code, 0, man.stderr);
  noSecrets(man);
  // The exported manifest, with our cluster declaration, plans as no change.
  const other = scratch();
  manifests(other, man.stdout.replace(/^apiVersion: kafkaform\/v1\n/m, ''));
  const again = await kafkaformAsync(['plan', '--detailed-exitcode'], {
    cwd: other,
    env: { SIM_URL: sim.cloudUrl, KAFKA_API_KEY: KEY, KAFKA_API_SECRET: SECRET },
  });
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /No changes|0 to create, 0 to update, 0 to delete/i);
  void dir;
});

test('reads cost a constant number of requests whatever the number of topics', async (t) => {
  const counts: number[] = [];
  for (const n of [10, 400]) {
    const { sim, run } = await setup(t);
    seed(sim, n);
    const r = await run('plan');
    assert.equal(r.code, 0, r.stderr);
    counts.push(sim.requests.length);
  }
  // GET /clusters (no clusterId), topics, every topic's configs, ACLs.
  assert.deepEqual(counts, [4, 4]);
});

test('a manifest error stops apply first, even when the cluster read started meanwhile fails', async (t) => {
  // The clusters are known before the topics are checked, so reading may have started when the
  // topic error is found: the error is reported, the read's own failure is not, nothing is written.
  const body = `topics:
  - name: orders.created.v1
    partitions: 3
    replicationFactor: 3
    config: { retention.mss: 7d }
`;
  const { sim, run, dir } = await setup(t, {}, body);
  const wrongKey = await kafkaformAsync(['apply', '--auto-approve'], {
    cwd: dir,
    env: { SIM_URL: sim.cloudUrl, KAFKA_API_KEY: KEY, KAFKA_API_SECRET: 'not-the-secret' },
  });
  assert.equal(wrongKey.code, 1, wrongKey.stderr);
  assert.match(wrongKey.stderr, /unknown topic config "retention\.mss" \(did you mean "retention\.ms"\?\)/);
  assert.doesNotMatch(wrongKey.stderr, /401|credentials|authenticat/i);
  assert.deepEqual(sim.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), []);

  sim.resetRequests();
  const r = await run('apply', '--auto-approve');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /retention\.mss/);
  assert.deepEqual(sim.requests.filter((x) => x.method !== 'GET').map((x) => `${x.method} ${x.path}`), []);
  assert.equal(sim.topics.size, 0);
});

test('apply stops at preflight when the server rejects a dry run; nothing is written', async (t) => {
  const body = `topics:
  - name: orders.big.v1
    partitions: 3
    replicationFactor: 5
  - name: orders.fine.v1
    partitions: 3
    replicationFactor: 3
  - name: orders.huge-messages.v1
    partitions: 3
    replicationFactor: 3
    config: { max.message.bytes: 20MiB }
acls:
  - { principal: "User:x", resourceType: TOPIC, resourceName: orders.fine.v1, operations: [READ] }
`;
  const { sim, run } = await setup(t, {}, body);
  const r = await run('apply', '--auto-approve');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  noSecrets(r);
  assert.match(r.stderr, /Replication factor: 5 larger than available brokers: 3\./);
  assert.match(r.stderr, /Invalid value 20971520 for configuration max\.message\.bytes/);
  assert.match(r.stderr, /nothing was changed/i);
  assert.equal(sim.topics.size, 0);
  assert.equal(sim.acls.length, 0);
  for (const req of sim.requests.filter((x) => x.method !== 'GET')) {
    assert.equal((req.body as { validate_only?: boolean }).validate_only, true, `${req.method} ${req.path} was not a dry run`);
  }
});

test('apply under 429s (HTML, Retry-After), 50003, dropped connections and cut-off pages converges', async (t) => {
  const { sim, run } = await setup(t, { pageSize: 25 }, ORDERS, '    clusterId: lkc-sim001\n');
  sim.addTopic({ name: 'orders.created.v1', partitions: 3 });
  sim.inject({ fault: 'rate-limit', method: 'POST', path: /\/topics$/, times: 3, retryAfter: '1' });
  sim.inject({ fault: 'retriable', method: 'PATCH', times: 2 });
  sim.inject({ fault: 'drop-after', method: 'POST', path: 'configs:alter', skip: 1 });
  sim.inject({ fault: 'unavailable', method: 'POST', path: 'acls:batch' });
  sim.inject({ fault: 'drop', method: 'GET', path: /\/acls$/ });
  sim.inject({ fault: 'truncate', method: 'GET', path: '/topics/-/configs', skip: 3 });
  const r = await run('apply', '--auto-approve');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  noSecrets(r);
  assert.match(r.stderr, /\[\d+\/\d+\] created topic orders\.paid\.v1/);
  for (const f of sim.faults) assert.equal(f.fired, f.times ?? 1, `fault ${f.fault} did not fire`);
  assert.equal(sim.topics.get('orders.created.v1')!.partitions, 6);
  assert.equal(sim.topics.get('orders.created.v1')!.configs.get('cleanup.policy'), 'compact');

  const plan = await run('plan', '--detailed-exitcode');
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
});

test('a permanent failure mid-apply exits 1 with a clear report; the next apply converges', async (t) => {
  const { sim, run } = await setup(t);
  sim.addTopic({ name: 'orders.created.v1', partitions: 6 });
  // The dry run passes; the real alter is refused every time.
  sim.inject({ fault: 'forbidden', method: 'POST', path: '/topics/orders.created.v1/configs:alter', skip: 1, times: Infinity });
  const r = await run('apply', '--auto-approve', '--concurrency', '1');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  noSecrets(r);
  assert.match(r.stderr, /Not authorized to alter the configs of topic orders\.created\.v1 \(HTTP 403, error_code 40301, server: "Request is not authorized"\)/);
  assert.match(r.stderr, /created topic orders\.paid\.v1/);
  assert.match(r.stderr, /not attempted/i);
  assert.equal(sim.acls.length, 0); // phase 4 never started
  assert.ok(sim.topics.has('orders.shipped.v1'));

  sim.clearFaults();
  const again = await run('apply', '--auto-approve');
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.equal(sim.topics.get('orders.created.v1')!.configs.get('cleanup.policy'), 'compact');
  const plan = await run('plan', '--detailed-exitcode');
  assert.equal(plan.code, 0, plan.stdout);
});

test('a saved plan is refused once the cluster changed', async (t) => {
  const { sim, run, dir } = await setup(t);
  const saved = await run('plan', '-o', 'json', '--out', 'plan.json');
  assert.equal(saved.code, 0, saved.stderr);
  assert.ok(readFileSync(join(dir, 'plan.json'), 'utf8').includes('orders.paid.v1'));
  sim.addTopic({ name: 'orders.surprise.v1' });
  const before = sim.requests.length;
  const r = await run('apply', '--plan', 'plan.json', '--auto-approve');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /changed since plan plan\.json was made; nothing was changed/);
  assert.ok(sim.requests.slice(before).every((x) => x.method === 'GET'));
  assert.equal(sim.topics.size, 1);

  sim.topics.delete('orders.surprise.v1');
  const ok = await run('apply', '--plan', 'plan.json', '--auto-approve');
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
});

test('a saved plan edited to delete a topic outside the scope is refused with only reads sent', async (t) => {
  const { sim, run, dir } = await setup(t);
  sim.addTopic({ name: 'billing.invoices.v1' });
  const saved = await run('plan', '-o', 'json', '--out', 'plan.json');
  assert.equal(saved.code, 0, saved.stderr);
  const text = readFileSync(join(dir, 'plan.json'), 'utf8');
  for (const secret of [SECRET, SECRET_B64, KEY]) assert.ok(!text.includes(secret), 'the plan file holds no credential');
  const plan = JSON.parse(text) as { actions: unknown[]; summary: { delete: number } };
  plan.actions.push({ phase: 6, action: 'delete', resource: { kind: 'topic', name: 'billing.invoices.v1' }, changes: [], patch: [{ op: 'remove', path: '' }] });
  plan.summary.delete += 1;
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
  const before = sim.requests.length;
  const r = await run('apply', '--plan', 'plan.json', '--auto-approve');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^reading cluster sim\n.*\nerror: plan plan\.json is not the plan these manifests give for cluster sim: the file was edited/);
  assert.ok(sim.requests.slice(before).every((x) => x.method === 'GET'));
  assert.ok(sim.topics.has('billing.invoices.v1'));
  assert.equal(sim.topics.size, 1);
});

test('no secret is printed, even with --debug and failing credentials', async (t) => {
  const { sim, run, dir } = await setup(t);
  sim.addTopic({ name: 'orders.created.v1', partitions: 6 });
  const debug = await run('plan', '--debug');
  assert.equal(debug.code, 0, debug.stderr);
  assert.match(debug.stderr, /http: GET http:\/\/127\.0\.0\.1:\d+\/kafka\/v3\/clusters -> 200/);
  noSecrets(debug);
  const applied = await run('apply', '--auto-approve', '--debug');
  assert.equal(applied.code, 0, applied.stderr);
  noSecrets(applied);

  const wrong = await kafkaformAsync(['plan', '--debug'], {
    cwd: dir,
    env: { SIM_URL: sim.cloudUrl, KAFKA_API_KEY: KEY, KAFKA_API_SECRET: `${SECRET}-wrong` },
  });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /Authentication failed while trying to list clusters: check the credentials \(auth\) configured for this cluster \(HTTP 401, error_code 40101, server: "Authentication failed"\)/);
  assert.ok(!(wrong.stdout + wrong.stderr).includes(`${SECRET}-wrong`));
  assert.ok(!(wrong.stdout + wrong.stderr).includes(Buffer.from(`${KEY}:${SECRET}-wrong`).toString('base64')));
  noSecrets(wrong);
});
