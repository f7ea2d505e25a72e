import { test } from 'node:test';
import assert from 'node:assert/strict';
import { V3Simulator } from '../../support/v3-simulator.js';
import { ApiError, ConfigError } from '../../../src/errors.js';
import { executePlan, ApplyStoppedError, PreflightRefusedError } from '../../../src/apply/executor.js';
import type { LiveState, Plan } from '../../../src/model.js';
import type { Target } from '../../../src/targets/target.js';
import { acl, desired, openTarget, planFor, topic } from './helpers.js';

async function sim(t: { after(fn: () => Promise<void> | void): void }, options: Parameters<typeof V3Simulator.start>[0] = {}): Promise<V3Simulator> {
  const s = await V3Simulator.start(options);
  t.after(() => s.close());
  return s;
}

function target(t: { after(fn: () => Promise<void> | void): void }, settings: Parameters<typeof openTarget>[0], debug = false) {
  const opened = openTarget(settings, { debug });
  t.after(() => opened.target.close());
  return opened;
}

async function apply(tg: Target, p: Plan, live: LiveState, replan: () => Promise<Plan>) {
  return executePlan(p, tg, live, { concurrency: 4, replan });
}

test('read maps topics, inherited and topic-level configs with synonyms, and ACLs', async (t) => {
  const s = await sim(t, { brokerConfigs: { 'log.cleaner.delete.retention.ms': '3600000' } });
  s.addTopic({ name: 'orders.v1', partitions: 12, configs: { 'retention.ms': '86400000', 'cleanup.policy': 'delete,compact' } });
  s.addTopic({ name: '__consumer_offsets', partitions: 50, internal: true });
  s.addAcl({ resource_type: 'TOPIC', resource_name: 'orders.', pattern_type: 'PREFIXED', principal: 'User:CN=svc,OU=x', host: '*', operation: 'READ', permission: 'ALLOW' });
  const { target: tg } = target(t, { restUrl: s.cloudUrl, clusterId: s.clusterId });
  const live = await tg.read();

  assert.equal(live.clusterId, s.clusterId);
  assert.deepEqual(live.topics.map((x) => [x.name, x.partitions, x.replicationFactor, x.internal]), [
    ['__consumer_offsets', 50, 3, true],
    ['orders.v1', 12, 3, false],
  ]);
  const c = live.topics[1]!.configs;
  assert.equal(Object.keys(c).length, 29);
  // Set on the topic; a reset falls back to Kafka's default, reported as 168 hours.
  assert.deepEqual(c['retention.ms'], { value: '86400000', setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', inheritedValue: '604800000', readOnly: false, sensitive: false });
  // Canonical list order.
  assert.equal(c['cleanup.policy']!.value, 'compact,delete');
  assert.equal(c['cleanup.policy']!.inheritedValue, 'delete');
  // Cloud's static broker config and a dynamic broker default.
  assert.deepEqual(c['min.insync.replicas'], { value: '2', setOnTopic: false, source: 'STATIC_BROKER_CONFIG', inheritedValue: '2', readOnly: false, sensitive: false });
  assert.equal(c['delete.retention.ms']!.source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
  assert.equal(c['delete.retention.ms']!.value, '3600000');
  assert.equal(c['flush.ms']!.readOnly, true);
  assert.equal(c['compression.type']!.source, 'DEFAULT_CONFIG');
  assert.deepEqual(live.acls, [
    { principal: 'User:CN=svc,OU=x', host: '*', resourceType: 'TOPIC', resourceName: 'orders.', patternType: 'PREFIXED', operation: 'READ', permission: 'ALLOW' },
  ]);
  // Three listings, nothing per topic.
  assert.equal(s.requests.length, 3);
  assert.equal(s.count('GET', /\/topics\/-\/configs$/), 1);
});

test('reads cost the same number of requests for 5 or 300 topics, and follow metadata.next pages', async (t) => {
  const counts: number[] = [];
  for (const n of [5, 300]) {
    const s = await sim(t);
    for (let i = 0; i < n; i++) s.addTopic({ name: `orders.t${String(i).padStart(4, '0')}` });
    const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId });
    const live = await tg.read();
    assert.equal(live.topics.length, n);
    counts.push(s.requests.length);
  }
  assert.deepEqual(counts, [3, 3]);

  const s = await sim(t, { pageSize: 40 });
  for (let i = 0; i < 30; i++) s.addTopic({ name: `orders.p${String(i).padStart(3, '0')}`, configs: { 'segment.ms': String(3_600_000 + i) } });
  for (let i = 0; i < 45; i++) {
    s.addAcl({ resource_type: 'TOPIC', resource_name: `orders.p${i}`, pattern_type: 'LITERAL', principal: 'User:a', host: '*', operation: 'READ', permission: 'ALLOW' });
  }
  const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId });
  const live = await tg.read();
  assert.equal(live.topics.length, 30);
  assert.equal(live.acls.length, 45);
  // A topic's 29 configs straddle page boundaries and are all kept.
  for (const x of live.topics) assert.equal(Object.keys(x.configs).length, 29);
  assert.equal(live.topics[7]!.configs['segment.ms']!.value, String(3_600_000 + 7));
  // 30 topics: 1 page; 870 configs: 22 pages; 45 ACLs: 2 pages.
  assert.equal(s.count('GET', /\/topics$/), 1);
  assert.equal(s.count('GET', '/topics/-/configs'), 22);
  assert.equal(s.count('GET', /\/acls$/), 2);
});

test('the cluster id is discovered when absent, and a missing listing asks for clusterId', async (t) => {
  const s = await sim(t);
  const { target: tg } = target(t, { restUrl: s.url });
  assert.equal((await tg.read()).clusterId, s.clusterId);
  assert.equal(s.count('GET', /^\/clusters$/), 1);

  const cloud = await sim(t, { listClusters: false });
  const { target: tc } = target(t, { restUrl: cloud.cloudUrl });
  await assert.rejects(tc.read(), (e: unknown) => e instanceof ConfigError && /set clusterId/.test(e.message));
});

test('apply carries out every phase and converges', async (t) => {
  const s = await sim(t);
  s.addTopic({ name: 'orders.grow', partitions: 3 });
  s.addTopic({ name: 'orders.tune', configs: { 'retention.ms': '1000', 'segment.ms': '7200000' } });
  s.addTopic({ name: 'orders.old' });
  s.addAcl({ resource_type: 'TOPIC', resource_name: 'orders.old', pattern_type: 'LITERAL', principal: 'User:svc', host: '*', operation: 'WRITE', permission: 'ALLOW' });
  const { target: tg } = target(t, { restUrl: s.cloudUrl, clusterId: s.clusterId });
  const want = desired(
    [
      topic('orders.new', 4, { 'cleanup.policy': 'compact', 'retention.ms': '3600000' }),
      topic('orders.grow', 8),
      topic('orders.tune', 6, { 'retention.ms': '7200000' }),
    ],
    [acl('User:svc', 'orders.', 'READ', { patternType: 'PREFIXED' }), acl('User:svc', 'orders.new', 'WRITE'), acl('User:svc', 'kafka-cluster', 'IDEMPOTENT_WRITE', { resourceType: 'CLUSTER' })],
  );
  const live = await tg.read();
  const p = planFor(want, live);
  assert.deepEqual(p.errors, []);
  const report = await apply(tg, p, live, async () => planFor(want, await tg.read()));
  assert.equal(report.failed.length, 0);

  assert.deepEqual([...s.topics.keys()].sort(), ['orders.grow', 'orders.new', 'orders.tune']);
  const created = s.topics.get('orders.new')!;
  assert.equal(created.partitions, 4);
  assert.deepEqual(Object.fromEntries(created.configs), { 'cleanup.policy': 'compact', 'retention.ms': '3600000' });
  assert.equal(s.topics.get('orders.grow')!.partitions, 8);
  assert.deepEqual(Object.fromEntries(s.topics.get('orders.tune')!.configs), { 'retention.ms': '7200000' });
  assert.equal(s.acls.length, 3);
  assert.ok(!s.acls.some((a) => a.resource_name === 'orders.old'));
  // Preflight dry runs, then one request per action; ACL creates in one batch.
  const creates = s.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/topics'));
  assert.deepEqual(creates.map((r) => (r.body as { validate_only?: boolean }).validate_only ?? false), [true, false]);
  assert.deepEqual(creates[1]!.body, {
    topic_name: 'orders.new',
    partitions_count: 4,
    replication_factor: 3,
    configs: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'retention.ms', value: '3600000' },
    ],
  });
  const alter = s.requests.filter((r) => r.path.endsWith('/configs:alter'));
  assert.deepEqual(alter.map((r) => r.body), [
    { data: [{ name: 'retention.ms', operation: 'SET', value: '7200000' }, { name: 'segment.ms', operation: 'DELETE' }], validate_only: true },
    { data: [{ name: 'retention.ms', operation: 'SET', value: '7200000' }, { name: 'segment.ms', operation: 'DELETE' }] },
  ]);
  assert.equal(s.count('POST', 'acls:batch'), 1);
  const del = s.requests.find((r) => r.method === 'DELETE' && r.path.endsWith('/acls'))!;
  assert.deepEqual(Object.fromEntries(del.query), {
    host: '*',
    operation: 'WRITE',
    pattern_type: 'LITERAL',
    permission: 'ALLOW',
    principal: 'User:svc',
    resource_name: 'orders.old',
    resource_type: 'TOPIC',
  });
  assert.equal(s.count('PATCH'), 1);
  assert.equal(s.count('DELETE', '/topics/orders.old'), 1);
});

test('preflight reports every server rejection and local problem, and nothing is written', async (t) => {
  const s = await sim(t);
  s.addTopic({ name: 'orders.a' });
  s.addTopic({ name: 'orders.b' });
  const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId });
  const live = await tg.read();
  const want = desired(
    [
      topic('orders.a', 6, { 'retention.ms': 'forever' as string }),
      topic('orders.b', 6, { 'flush.ms': '1000' }),
      topic('orders.c', 6, {}, 5),
      topic('orders.d', 6, { 'cleanup.policy': 'compact' }),
    ],
    [acl('User:x', 'my-cluster', 'ALTER', { resourceType: 'CLUSTER' }), acl('User:x', 'orders.', 'READ', { patternType: 'PREFIXED' })],
  );
  // The planner refuses read-only keys itself; build the plan against a live state that does not
  // know flush.ms is read-only, so the target's own check is exercised.
  const liveForPlan = structuredClone(live);
  for (const x of liveForPlan.topics) for (const c of Object.values(x.configs)) c.readOnly = false;
  const p = planFor(want, liveForPlan);
  assert.deepEqual(p.errors, []);
  s.resetRequests();
  const err = await apply(tg, p, live, async () => planFor(want, await tg.read())).catch((e: unknown) => e);
  assert.ok(err instanceof PreflightRefusedError, String(err));
  const messages = err.findings.map((f) => f.message);
  assert.deepEqual(messages, [
    'Replication factor: 5 larger than available brokers: 3. (HTTP 400, error_code 40002)',
    'Invalid value forever for configuration retention.ms: Not a number of type LONG (HTTP 400, error_code 40002)',
    'topic orders.b: config.flush.ms is read-only on this cluster and cannot be changed',
    'Altering topic configuration \'flush.ms\' is not permitted. (HTTP 400, error_code 40002)',
    'ACL User:x ALLOW ALTER on CLUSTER my-cluster (LITERAL): the only valid name for the CLUSTER resource is kafka-cluster',
  ]);
  // Only dry runs were sent.
  for (const r of s.requests) assert.equal((r.body as { validate_only?: boolean }).validate_only, true, `${r.method} ${r.path}`);
  assert.deepEqual([...s.topics.keys()].sort(), ['orders.a', 'orders.b']);
  assert.equal(s.acls.length, 0);
});

test('ACL creates fall back to POST /acls one by one when /acls:batch is missing', async (t) => {
  const s = await sim(t, { aclBatch: false });
  const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId, aclBatchSize: 2 });
  const want = desired([], [acl('User:a', 'x', 'READ'), acl('User:a', 'y', 'READ'), acl('User:a', 'z', 'READ')]);
  const live = await tg.read();
  await apply(tg, planFor(want, live), live, async () => planFor(want, await tg.read()));
  assert.equal(s.acls.length, 3);
  // One probe of the batch endpoint, then singles for every binding.
  assert.equal(s.count('POST', 'acls:batch'), 1);
  assert.equal(s.count('POST', /\/acls$/), 3);
});

test('apply converges under 429 (HTML, Retry-After), 50003, dropped connections and cut-off pages', async (t) => {
  const s = await sim(t, { pageSize: 50 });
  s.addTopic({ name: 'orders.grow', partitions: 2 });
  s.inject({ fault: 'rate-limit', method: 'POST', path: /\/topics$/, times: 2, retryAfter: '2' });
  s.inject({ fault: 'retriable', method: 'PATCH', times: 1 });
  // The partition increase takes effect but its answer is lost: the retry's 40002 counts as done.
  s.inject({ fault: 'drop-after', method: 'PATCH', times: 1 });
  s.inject({ fault: 'drop-after', method: 'POST', path: /\/topics$/, skip: 2, times: 1 });
  s.inject({ fault: 'unavailable', method: 'POST', path: 'acls:batch', times: 1 });
  s.inject({ fault: 'truncate', method: 'GET', path: '/topics/-/configs', times: 1 });
  s.inject({ fault: 'drop', method: 'GET', path: /\/acls$/, times: 1 });
  const { target: tg, sleeps } = target(t, { restUrl: s.url, clusterId: s.clusterId });
  const want = desired([topic('orders.a', 3), topic('orders.b', 3), topic('orders.grow', 4)], [acl('User:a', 'orders.a', 'READ')]);
  const live = await tg.read();
  assert.equal(live.topics[0]!.name, 'orders.grow');
  assert.equal(Object.keys(live.topics[0]!.configs).length, 29);
  const p = planFor(want, live);
  await apply(tg, p, live, async () => planFor(want, await tg.read()));
  assert.deepEqual([...s.topics.keys()].sort(), ['orders.a', 'orders.b', 'orders.grow']);
  assert.equal(s.topics.get('orders.grow')!.partitions, 4);
  assert.equal(s.count('PATCH'), 3);
  assert.equal(s.acls.length, 1);
  // Retry-After: 2 asked for 2 s; the test's maxDelayMs caps every wait at 5 ms.
  assert.ok(sleeps.length >= 6 && sleeps.every((ms) => ms <= 5));
  for (const f of s.faults) assert.equal(f.fired, f.times ?? 1, `fault ${f.fault} fired`);
});

test('a lost create response whose topic exists as planned counts as done; a different topic does not', async (t) => {
  const s = await sim(t);
  s.inject({ fault: 'drop-after', method: 'POST', path: /\/topics$/, skip: 1 });
  const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId });
  const want = desired([topic('orders.a', 3, { 'retention.ms': '60000' })]);
  const live = await tg.read();
  await apply(tg, planFor(want, live), live, async () => planFor(want, await tg.read()));
  assert.equal(s.count('POST', /\/topics$/), 3); // dry run, create (response lost), retry: already exists
  assert.equal(s.count('GET', '/topics/orders.a'), 2); // topic and its configs, to compare

  const s2 = await sim(t);
  const { target: tg2 } = target(t, { restUrl: s2.url, clusterId: s2.clusterId });
  const live2 = await tg2.read();
  const p2 = planFor(want, live2);
  s2.addTopic({ name: 'orders.a', partitions: 9 }); // created by someone else after the plan
  const err = await apply(tg2, p2, live2, async () => planFor(want, await tg2.read())).catch((e: unknown) => e);
  // The dry run already sees it.
  assert.ok(err instanceof PreflightRefusedError);
  assert.match(err.findings[0]!.message, /Topic 'orders.a' already exists/);
  // Had it appeared after preflight, the create itself refuses to count it as done.
  const [unit] = tg2.units(1, p2.actions, live2);
  await assert.rejects(unit!.run(), (e: unknown) => e instanceof ApiError && e.message === 'Cannot create topic orders.a: it already exists with 9 partitions instead of 3');
});

test('a permanent 403 stops apply with a clear report; a re-run converges', async (t) => {
  const s = await sim(t);
  s.inject({ fault: 'forbidden', method: 'POST', path: /\/topics\/orders\.b\/configs:alter$/, times: Infinity });
  s.addTopic({ name: 'orders.b' });
  const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId });
  const want = desired([topic('orders.a', 3), topic('orders.b', 6, { 'retention.ms': '60000' })], [acl('User:a', 'orders.a', 'READ')]);
  let live = await tg.read();
  // Preflight's dry run of the alter is refused too.
  let err = await apply(tg, planFor(want, live), live, async () => planFor(want, await tg.read())).catch((e: unknown) => e);
  assert.ok(err instanceof PreflightRefusedError);
  assert.deepEqual(err.findings.map((f) => f.message), [
    'Not authorized to validate the config changes of topic orders.b (HTTP 403, error_code 40301, server: "Request is not authorized")',
  ]);
  assert.equal(s.topics.size, 1);

  // Only the real alter is refused: phase 1 runs, phase 3 fails, phase 4 is not attempted.
  s.clearFaults();
  s.inject({ fault: 'forbidden', method: 'POST', path: /\/topics\/orders\.b\/configs:alter$/, skip: 1, times: Infinity });
  live = await tg.read();
  err = await apply(tg, planFor(want, live), live, async () => planFor(want, await tg.read())).catch((e: unknown) => e);
  assert.ok(err instanceof ApplyStoppedError, String(err));
  assert.deepEqual(err.report.done.map((u) => u.label), ['create topic orders.a']);
  assert.deepEqual(err.report.failed.map((u) => [u.label, (u.error as Error).message]), [
    ['alter configs of topic orders.b', 'Not authorized to alter the configs of topic orders.b'],
  ]);
  const failure = err.report.failed[0]!.error as ApiError;
  assert.equal(failure.details.status, 403);
  assert.equal(failure.details.errorCode, 40301);
  assert.equal(err.report.notAttempted.length, 1);

  s.clearFaults();
  live = await tg.read();
  const rest = planFor(want, live);
  assert.deepEqual(rest.actions.map((a) => a.phase), [3, 4]);
  await apply(tg, rest, live, async () => planFor(want, await tg.read()));
  assert.equal(s.topics.get('orders.b')!.configs.get('retention.ms'), '60000');
});

test('authentication failures name the problem and never the credentials', async (t) => {
  const s = await sim(t, { auth: { type: 'basic', username: 'KEY123', password: 'right-secret' } });
  const { target: ok } = target(t, { restUrl: s.url, clusterId: s.clusterId, auth: { type: 'basic', username: 'KEY123', password: 'right-secret' } });
  await ok.read();
  const { target: tg, logs } = target(t, { restUrl: s.url, clusterId: s.clusterId, auth: { type: 'basic', username: 'KEY123', password: 'wrong-secret-42' } }, true);
  const err = await tg.read().catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.match(err.message, /^Authentication failed while trying to list (topics|topic configs|ACLs): check the credentials/);
  const all = [err.message, JSON.stringify(err.details), String(err.stack), ...logs].join('\n');
  for (const secret of ['wrong-secret-42', 'KEY123', Buffer.from('KEY123:wrong-secret-42').toString('base64')]) {
    assert.ok(!all.includes(secret), `leaked ${secret}`);
  }

  const b = await sim(t, { auth: { type: 'bearer', token: 'tok-abcdef-123' } });
  const { target: bt } = target(t, { restUrl: b.cloudUrl, clusterId: b.clusterId, auth: { type: 'bearer', token: 'tok-abcdef-123' } });
  await bt.read();
});

test('unknown topics, deletes of what is gone, and cluster mismatches', async (t) => {
  const s = await sim(t);
  s.addTopic({ name: 'orders.x' });
  s.addAcl({ resource_type: 'TOPIC', resource_name: 'orders.x', pattern_type: 'LITERAL', principal: 'User:a', host: '*', operation: 'READ', permission: 'ALLOW' });
  const { target: tg } = target(t, { restUrl: s.url, clusterId: s.clusterId });
  const want = desired([], [], ['orders.']);
  const live = await tg.read();
  const p = planFor(want, live);
  // Someone else already removed both, and the first delete's answer is lost as well.
  s.topics.clear();
  s.acls.length = 0;
  s.inject({ fault: 'drop-after', method: 'DELETE', path: '/topics/' });
  await apply(tg, planFor({ ...want, scope: { ...want.scope, principals: ['User:a'] } }, live), live, async () =>
    planFor({ ...want, scope: { ...want.scope, principals: ['User:a'] } }, await tg.read()),
  );
  assert.equal(p.actions.length, 1);
  assert.equal(s.count('DELETE'), 3);

  // Partitions of a topic deleted after the plan: unknown topic.
  s.addTopic({ name: 'orders.y', partitions: 1 });
  const live2 = await tg.read();
  const want2 = desired([topic('orders.y', 2)]);
  const p2 = planFor(want2, live2);
  s.topics.delete('orders.y');
  const err = await apply(tg, p2, live2, async () => planFor(want2, await tg.read())).catch((e: unknown) => e);
  assert.ok(err instanceof ApplyStoppedError);
  assert.equal((err.report.failed[0]!.error as Error).message, 'Unknown topic orders.y: cannot increase the partitions of topic orders.y');

  const { target: wrong } = target(t, { restUrl: s.url, clusterId: 'lkc-nope' });
  await assert.rejects(wrong.read(), (e: unknown) => e instanceof ConfigError && e.message === `${s.url} has no Kafka cluster lkc-nope (Cluster lkc-nope cannot be found.): check clusterId and restUrl`);
});
