import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LosslessNumber, stringify } from 'lossless-json';
import { ApiError, ApplyError } from '../../../src/errors.js';
import type { AclBinding, LiveState, Phase, PlanAction, PlanChange } from '../../../src/model.js';
import { DigitalOceanTarget } from '../../../src/targets/digitalocean/target.js';
import { parseDigitalOceanSettings } from '../../../src/targets/digitalocean/settings.js';
import { DoSimulator } from '../../support/do-simulator.js';

interface Opened {
  sim: DoSimulator;
  target: DigitalOceanTarget;
  logs: string[];
  close(): Promise<void>;
}

async function open(setup: (sim: DoSimulator) => void = () => {}, overrides: Record<string, unknown> = {}, token?: string): Promise<Opened> {
  const sim = new DoSimulator();
  setup(sim);
  await sim.start();
  const logs: string[] = [];
  const settings = parseDigitalOceanSettings(
    {
      databaseId: sim.databaseId,
      token: token ?? sim.token,
      apiUrl: sim.url,
      retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 25 },
      topicCreation: { pollIntervalMs: 1, timeoutMs: 5000 },
      ...(overrides as Record<string, never>),
    },
    'do-test',
  );
  const target = new DigitalOceanTarget(settings, { log: (l) => logs.push(l), debug: false });
  return {
    sim,
    target,
    logs,
    async close() {
      await target.close();
      await sim.close();
    },
  };
}

function topicAction(phase: Phase, action: PlanAction['action'], name: string, changes: PlanChange[]): PlanAction {
  return { phase, action, resource: { kind: 'topic', name }, changes, patch: [] };
}

function aclAction(phase: Phase, binding: AclBinding): PlanAction {
  return { phase, action: phase === 4 ? 'create' : 'delete', resource: { kind: 'acl', ...binding }, changes: [], patch: [] };
}

function topicAcl(user: string, resourceName: string, operation: AclBinding['operation'], patternType: AclBinding['patternType'] = 'LITERAL'): AclBinding {
  return { principal: `User:${user}`, host: '*', resourceType: 'TOPIC', resourceName, patternType, operation, permission: 'ALLOW' };
}

async function run(t: DigitalOceanTarget, actions: PlanAction[], live: LiveState): Promise<void> {
  for (const phase of [1, 2, 3, 4, 5, 6] as Phase[]) {
    const mine = actions.filter((a) => a.phase === phase);
    if (mine.length === 0) continue;
    for (const unit of t.units(phase, mine, live)) await unit.run();
  }
}

test('read: one list per collection plus one read per topic, Kafka names and canonical values, no secrets', async () => {
  const o = await open((sim) => {
    sim.addTopic('orders', 6, 3, { cleanup_policy: 'compact_delete', retention_ms: 86400000, max_compaction_lag_ms: new LosslessNumber('9223372036854775806') });
    sim.addTopic('payments');
    sim.addUser('billing', [{ topic: 'orders', permission: 'consume' }, { topic: 'payments.*', permission: 'produce' }]);
  });
  try {
    const live = await o.target.read();
    assert.equal(o.sim.requests.length, 4);
    assert.equal(o.sim.count('GET', /\/topics\/[^/]+$/), 2);
    assert.equal(live.clusterId, o.sim.databaseId);
    assert.deepEqual(live.topics.map((t) => [t.name, t.partitions, t.replicationFactor]), [['orders', 6, 3], ['payments', 3, 2]]);
    const orders = live.topics[0]!.configs;
    assert.deepEqual(orders['cleanup.policy'], {
      value: 'compact,delete',
      setOnTopic: true,
      source: 'DYNAMIC_TOPIC_CONFIG',
      inheritedValue: 'delete',
      readOnly: false,
      sensitive: false,
    });
    assert.equal(orders['max.compaction.lag.ms']!.value, '9223372036854775806');
    assert.equal(orders['flush.ms']!.value, '9223372036854775807');
    assert.equal(orders['flush.ms']!.setOnTopic, false);
    assert.equal(orders['message.downconversion.enable']!.value, 'true');
    assert.equal(orders['message.timestamp.type']!.value, 'CreateTime');
    assert.equal(orders['segment.index.bytes']!.readOnly, true);
    assert.equal(live.principals?.join(','), 'User:billing,User:doadmin');
    assert.deepEqual(
      live.acls.map((b) => `${b.principal} ${b.resourceName} ${b.patternType} ${b.operation}`),
      ['User:billing orders LITERAL DESCRIBE', 'User:billing orders LITERAL READ', 'User:billing payments. PREFIXED DESCRIBE', 'User:billing payments. PREFIXED WRITE'],
    );
    const text = JSON.stringify(live);
    for (const secret of o.sim.secrets()) assert.ok(!text.includes(secret));
    assert.ok(!text.includes('BEGIN'));
  } finally {
    await o.close();
  }
});

test('a wrong token is one clear sentence that does not contain the token', async () => {
  const o = await open(() => {}, {}, 'dop_v1_wrong_token_abcdef');
  try {
    await assert.rejects(o.target.read(), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.match(err.message, /DigitalOcean rejected the API token .*HTTP 401 unauthorized/);
      assert.ok(!err.message.includes('dop_v1_wrong_token_abcdef'));
      return true;
    });
  } finally {
    await o.close();
  }
});

test('create waits through 404 and configuring, then later phases carry earlier changes', async () => {
  const o = await open((sim) => {
    sim.addTopic('orders', 3, 2, { retention_ms: 86400000, flush_ms: new LosslessNumber('9223372036854775806') });
  });
  try {
    const sim = o.sim;
    const live = await o.target.read();
    sim.requests.length = 0;
    const actions = [
      topicAction(1, 'create', 'events', [
        { field: 'partitions', from: null, to: 6 },
        { field: 'replicationFactor', from: null, to: 3 },
        { field: 'config.cleanup.policy', from: null, to: 'compact,delete' },
        { field: 'config.flush.messages', from: null, to: '9223372036854775806' },
      ]),
      topicAction(2, 'update', 'orders', [{ field: 'partitions', from: 3, to: 12 }, { field: 'replicationFactor', from: 2, to: 3 }]),
      topicAction(3, 'update', 'orders', [
        { field: 'config.retention.ms', from: '86400000', to: null },
        { field: 'config.message.timestamp.type', from: 'CreateTime', to: 'LogAppendTime' },
      ]),
    ];
    assert.deepEqual(await o.target.preflight(actions, live), []);
    await run(o.target, actions, live);

    const create = sim.requests.find((r) => r.method === 'POST');
    assert.equal(
      stringify(create?.body),
      '{"name":"events","partition_count":6,"replication_factor":3,"config":{"cleanup_policy":"compact_delete","flush_messages":9223372036854775806}}',
    );
    assert.ok(sim.requests.some((r) => r.method === "GET" && r.path.endsWith("/topics/events") && r.status === 404));
    assert.ok(o.logs.some((l) => /waiting for topic events to become active on DigitalOcean \(not visible yet, 0 s\)/.test(l)));
    assert.ok(o.logs.some((l) => /waiting for topic events to become active on DigitalOcean \(configuring, 0 s\)/.test(l)));

    const events = sim.topics.get('events')!;
    assert.equal(events.partitions, 6);
    assert.equal(events.config.cleanup_policy, 'compact_delete');

    const orders = sim.topics.get('orders')!;
    assert.equal(orders.partitions, 12, 'the config PUT of phase 3 must not revert the partitions of phase 2');
    assert.equal(orders.replicationFactor, 3);
    assert.equal(String(orders.config.retention_ms), '604800000', 'a reset writes the default');
    assert.equal(orders.config.message_timestamp_type, 'log_append_time');
    assert.equal(String(orders.config.flush_ms), '9223372036854775806', 'keys the plan does not touch are carried, losslessly');

    const puts = sim.requests.filter((r) => r.method === 'PUT');
    assert.equal(puts.length, 2);
    for (const put of puts) {
      const config = (put.body as { config: Record<string, unknown> }).config;
      assert.equal(Object.keys(config).length, 21, 'every PUT carries the complete config');
    }
  } finally {
    await o.close();
  }
});

test('ACLs: each user is replaced as a whole, phase 5 keeps what phase 4 granted, other users untouched', async () => {
  const o = await open((sim) => {
    sim.addUser('billing', [{ topic: 'orders', permission: 'produce' }]);
    sim.addUser('other', [{ topic: 'x', permission: 'admin' }]);
  });
  try {
    const live = await o.target.read();
    const actions = [
      aclAction(4, topicAcl('billing', 'orders', 'READ')),
      aclAction(4, topicAcl('billing', 'payments.', 'ALL', 'PREFIXED')),
      aclAction(5, topicAcl('billing', 'orders', 'WRITE')),
    ];
    assert.deepEqual(await o.target.preflight(actions, live), []);
    await run(o.target, actions, live);
    const acl = o.sim.users.get('billing')!.acl!.map((a) => [a.topic, a.permission]);
    assert.deepEqual(acl, [['orders', 'consume'], ['payments.*', 'admin']]);
    assert.deepEqual(o.sim.users.get('other')!.acl!.map((a) => [a.topic, a.permission]), [['x', 'admin']]);
    assert.equal(o.sim.count('PUT', /\/users\/other$/), 0);
    assert.equal(o.sim.count('PUT', /\/users\/billing$/), 2);
  } finally {
    await o.close();
  }
});

test('preflight re-reads and refuses what DigitalOcean would reject, changing nothing', async () => {
  const o = await open((sim) => {
    sim.addTopic('orders', 6);
  });
  try {
    const live = await o.target.read();
    o.sim.addTopic('late');
    const actions = [
      topicAction(1, 'create', 'late', [{ field: 'partitions', from: null, to: 3 }]),
      topicAction(1, 'create', 'tiny', [{ field: 'partitions', from: null, to: 1 }, { field: 'replicationFactor', from: null, to: 1 }]),
      topicAction(3, 'update', 'orders', [{ field: 'config.compression.type', from: 'producer', to: 'brotli' }]),
      topicAction(3, 'update', 'orders', [{ field: 'config.unclean.leader.election.enable', from: null, to: 'true' }]),
      aclAction(4, topicAcl('ghost', 'orders', 'ALL')),
    ];
    const before = o.sim.count('POST') + o.sim.count('PUT');
    const findings = (await o.target.preflight(actions, live)).map((f) => f.message);
    assert.equal(o.sim.count('POST') + o.sim.count('PUT'), before);
    assert.deepEqual(findings, [
      'Topic late already exists on DigitalOcean (state active); the plan is out of date, plan again.',
      'Topic tiny: DigitalOcean topics have 3 to 2048 partitions, not 1.',
      'Topic tiny: DigitalOcean topics have a replication factor of at least 2, not 1.',
      'Topic orders: compression.type (DigitalOcean compression_type) must be one of producer, gzip, snappy, lz4, zstd, uncompressed, not "brotli".',
      `Topic orders: DigitalOcean's API cannot set topic config unclean.leader.election.enable; it accepts cleanup.policy, compression.type, delete.retention.ms, file.delete.delay.ms, flush.messages, flush.ms, index.interval.bytes, max.compaction.lag.ms, max.message.bytes, message.downconversion.enable, message.format.version, message.timestamp.type, min.cleanable.dirty.ratio, min.compaction.lag.ms, min.insync.replicas, preallocate, retention.bytes, retention.ms, segment.bytes, segment.jitter.ms, segment.ms.`,
      'Database user ghost does not exist on DigitalOcean; create it there first (kafkaform manages ACLs, not users).',
    ]);
  } finally {
    await o.close();
  }
});

test('server rejections carry DigitalOcean\'s id, message and request id', async () => {
  const o = await open((sim) => {
    sim.addTopic('orders', 6);
  });
  try {
    const live = await o.target.read();
    const shrink = topicAction(2, 'update', 'orders', [{ field: 'partitions', from: 6, to: 4 }]);
    const [unit] = o.target.units(2, [shrink], live);
    await assert.rejects(unit!.run(), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.match(err.message, /^Cannot update topic orders on DigitalOcean: HTTP 422 Unprocessable Entity unprocessable_entity: partition_count can only be increased \(currently 6\)\. \(request id [0-9a-f-]{36}\)\.$/);
      assert.equal(err.details.errorCode, 'unprocessable_entity');
      return true;
    });
  } finally {
    await o.close();
  }
});

test('a topic that never becomes active times out with a clear message', async () => {
  const sim = new DoSimulator({ createNotFoundReads: 1_000 });
  await sim.start();
  const settings = parseDigitalOceanSettings(
    { databaseId: sim.databaseId, token: sim.token, apiUrl: sim.url, topicCreation: { pollIntervalMs: 1, timeoutMs: 30 } },
    'do-test',
  );
  const target = new DigitalOceanTarget(settings, { log: () => {}, debug: false });
  try {
    const live = await target.read();
    const [unit] = target.units(1, [topicAction(1, 'create', 'slow', [{ field: 'partitions', from: null, to: 3 }])], live);
    await assert.rejects(unit!.run(), (err: unknown) => {
      assert.ok(err instanceof ApplyError);
      assert.match(err.message, /^Topic slow was created but is still not visible yet on DigitalOcean after \d+ s; run apply again once it is active\.$/);
      return true;
    });
  } finally {
    await target.close();
    await sim.close();
  }
});

test('under a rate limit, reads and writes pace themselves and every 429 is retried', async () => {
  const o = await open((sim) => {
    for (let i = 0; i < 12; i++) sim.addTopic(`t${String(i).padStart(2, '0')}`);
    sim.addUser('app', []);
    sim.setRateLimit(4, 100);
  });
  try {
    const live = await o.target.read();
    assert.equal(live.topics.length, 12);
    const actions = live.topics.map((t) => topicAction(3, 'update', t.name, [{ field: 'config.retention.ms', from: '604800000', to: '86400000' }]));
    await run(o.target, actions, live);
    for (const t of o.sim.topics.values()) assert.equal(String(t.config.retention_ms), '86400000');
    const answered = o.sim.requests.filter((r) => r.status !== 429);
    assert.equal(answered.length, 2 + 12 + 12, 'one list each, one read and one write per topic, nothing else');
  } finally {
    await o.close();
  }
});

test('a create whose response was lost is retried, answered "exists", and counts as done when the topic matches', async () => {
  const o = await open();
  try {
    const live = await o.target.read();
    o.sim.injectFault({ method: 'POST', status: 'lose-response', times: 1 });
    const create = topicAction(1, 'create', 'events', [
      { field: 'partitions', from: null, to: 6 },
      { field: 'replicationFactor', from: null, to: 2 },
      { field: 'config.retention.ms', from: null, to: '3600000' },
    ]);
    const [unit] = o.target.units(1, [create], live);
    await unit!.run();
    assert.deepEqual(o.sim.requests.filter((r) => r.method === 'POST').map((r) => r.status), [-1, 409]);
    assert.equal(String(o.sim.topics.get('events')!.config.retention_ms), '3600000');

    // A create answered "exists" by a topic that differs is an error, not silent success.
    o.sim.addTopic('other', 3);
    const other = topicAction(1, 'create', 'other', [{ field: 'partitions', from: null, to: 6 }]);
    const [unit3] = o.target.units(1, [other], live);
    await assert.rejects(unit3!.run(), /^ApplyError: Topic other already exists on DigitalOcean with partitions 3, not 6; plan again\.$/);
  } finally {
    await o.close();
  }
});

test('an unknown database id says which setting to check', async () => {
  const o = await open(() => {}, { databaseId: '00000000-0000-0000-0000-000000000000' });
  try {
    await assert.rejects(o.target.read(), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.match(err.message, /^Cannot list (topics|database users) on DigitalOcean: HTTP 404 Not Found not_found: .*; check databaseId: it must be the UUID of a Kafka database cluster\.$/);
      return true;
    });
  } finally {
    await o.close();
  }
});

test('a partition increase that the detail endpoint shows late still reads as done', async () => {
  const sim = new DoSimulator({ partitionLagReads: 3 });
  sim.addTopic('orders', 3);
  await sim.start();
  const settings = parseDigitalOceanSettings({ databaseId: sim.databaseId, token: sim.token, apiUrl: sim.url }, 'do-test');
  const target = new DigitalOceanTarget(settings, { log: () => {}, debug: false });
  try {
    const live = await target.read();
    const [unit] = target.units(2, [topicAction(2, 'update', 'orders', [{ field: 'partitions', from: 3, to: 6 }])], live);
    await unit!.run();
    const detail = await fetch(`${sim.url}/v2/databases/${sim.databaseId}/topics/orders`, { headers: { authorization: `Bearer ${sim.token}` } });
    assert.equal(((await detail.json()) as { topic: { partitions: unknown[] } }).topic.partitions.length, 3, 'the detail still lags');
    const after = await target.read();
    assert.equal(after.topics[0]!.partitions, 6);
  } finally {
    await target.close();
    await sim.close();
  }
});
