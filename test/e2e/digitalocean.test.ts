/**
 * End to end through the real CLI (`node bin/kafkaform.js`, built by `npm run build`) against the
 * DigitalOcean simulator on a random loopback port.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LosslessNumber } from 'lossless-json';
import { DoSimulator } from '../support/do-simulator.js';
import { kafkaform, type Run } from '../cli/helpers.js';

const LONG_MAX_MINUS_1 = '9223372036854775806';

/** The cluster declaration every test uses; the token comes from the environment. */
function clusterYaml(sim: DoSimulator): string {
  return [
    'apiVersion: kafkaform/v1',
    'clusters:',
    '  do-prod:',
    '    type: digitalocean',
    `    databaseId: ${sim.databaseId}`,
    '    token: "${DIGITALOCEAN_TOKEN}"',
    `    apiUrl: ${sim.url}`,
    '    retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 20 }',
    '    topicCreation: { pollIntervalMs: 1, timeoutMs: 10000 }',
    '',
  ].join('\n');
}

/** Topics and ACLs as a platform team writes them: Kafka names, units, roles. */
const MANIFEST = [
  'apiVersion: kafkaform/v1',
  'scope:',
  '  topics: ["orders."]',
  'topics:',
  '  - name: orders.created',
  '    partitions: 6',
  '    replicationFactor: 3',
  '    config:',
  '      retention.ms: 1d',
  '      cleanup.policy: delete,compact',
  '      message.timestamp.type: LogAppendTime',
  `      max.compaction.lag.ms: ${LONG_MAX_MINUS_1}`,
  '      min.cleanable.dirty.ratio: 0.25',
  '  - name: orders.shipped',
  '    partitions: 3',
  '    replicationFactor: 2',
  '    config:',
  '      retention.bytes: 1GiB',
  '      flush.ms: 9223372036854775807',
  'acls:',
  '  - principal: User:billing',
  '    role: consumer',
  '    topics: ["orders.*"]',
  '    groups: [billing]',
  '  - principal: User:orders-svc',
  '    role: producer',
  '    topics: [orders.created]',
  '  - principal: User:ops',
  '    role: admin',
  '    topics: ["*"]',
  '',
].join('\n');

/** A simulator whose state is exactly what MANIFEST declares, in DigitalOcean's terms. */
function matchingSimulator(): DoSimulator {
  const sim = new DoSimulator();
  sim.addTopic('orders.created', 6, 3, {
    retention_ms: 86400000,
    cleanup_policy: 'compact_delete',
    message_timestamp_type: 'log_append_time',
    max_compaction_lag_ms: new LosslessNumber(LONG_MAX_MINUS_1),
    min_cleanable_dirty_ratio: new LosslessNumber(String(Math.fround(0.25))),
  });
  sim.addTopic('orders.shipped', 3, 2, { retention_bytes: 1073741824 });
  sim.addTopic('analytics.clicks', 3, 2);
  sim.addUser('billing', [{ topic: 'orders.*', permission: 'consume' }]);
  sim.addUser('orders-svc', [{ topic: 'orders.created', permission: 'produce' }]);
  sim.addUser('ops', [{ topic: '*', permission: 'admin' }]);
  sim.addUser('analytics', [{ topic: 'analytics.*', permission: 'produceconsume' }]);
  return sim;
}

async function withSim<T>(sim: DoSimulator, fn: (dir: string, run: (...args: string[]) => Promise<Run>) => Promise<T>): Promise<T> {
  await sim.start();
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-do-'));
  const outputs: Run[] = [];
  const run = async (...args: string[]): Promise<Run> => {
    const r = await kafkaform(args, { cwd: dir, env: { DIGITALOCEAN_TOKEN: sim.token, NO_COLOR: '1' } });
    outputs.push(r);
    return r;
  };
  try {
    writeFileSync(join(dir, 'cluster.yaml'), clusterYaml(sim));
    return await fn(dir, run);
  } finally {
    await sim.close();
    // Whatever the test did, no run may have printed the token, a password or a client key.
    for (const r of outputs) {
      for (const secret of sim.secrets()) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'a secret was printed');
      }
      assert.doesNotMatch(r.stdout + r.stderr, /PRIVATE KEY|BEGIN CERTIFICATE/);
    }
  }
}

describe('kafkaform against DigitalOcean', () => {
  it('plans a cluster that already matches as no change, at one list each plus one read per topic', async () => {
    const sim = matchingSimulator();
    await withSim(sim, async (dir, run) => {
      writeFileSync(join(dir, 'topics.yaml'), MANIFEST);
      const r = await run('plan', '--detailed-exitcode');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /No changes\. The cluster matches the manifests\./);
      assert.match(r.stderr, /warning: cluster do-prod: ALLOW GROUP READ on billing \(LITERAL\) for User:billing is not enforced on DigitalOcean/);
      assert.match(r.stderr, /^topics\.yaml:24:\d+: warning/m);
      assert.equal(sim.requests.length, 2 + 3);
      assert.ok(sim.requests.every((x) => x.method === 'GET'));

      const drift = await run('drift', '--debug');
      assert.equal(drift.code, 0, drift.stderr);
      assert.match(drift.stderr, /http: GET http:\/\/127\.0\.0\.1:\d+\/v2\/databases\/[^ ]+\/users -> 200/);
    });
  });

  it('applies topic creates, updates and user ACLs under rate limiting and 429s, then plans as no change', async () => {
    const sim = new DoSimulator({ createNotFoundReads: 2, createConfiguringReads: 2 });
    sim.addTopic('orders.created', 3, 2, { retention_ms: 3600000, preallocate: true });
    sim.addUser('billing', [{ topic: 'orders.created', permission: 'produce' }]);
    sim.addUser('orders-svc', []);
    sim.addUser('ops', []);
    sim.addUser('analytics', [{ topic: 'analytics.*', permission: 'produceconsume' }]);
    sim.setRateLimit(4, 150);
    sim.injectFault({ method: 'PUT', status: 429, times: 2, retryAfterSeconds: 1 });
    await withSim(sim, async (dir, run) => {
      writeFileSync(join(dir, 'topics.yaml'), MANIFEST);
      const plan = await run('plan', '--detailed-exitcode');
      assert.equal(plan.code, 2, plan.stderr);
      assert.match(plan.stdout, /\n      - preallocate +\= "true" +-> \(default "false"\)\n/);
      assert.match(plan.stdout, /Plan: 6 to create, 1 to update, 2 to delete\.\n$/);

      const r = await run('apply', '--auto-approve', '--debug');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Apply complete/);
      assert.match(r.stderr, /waiting for topic orders\.shipped to become active on DigitalOcean \(configuring/);
      assert.match(r.stderr, /\[\d+\/\d+\] created topic orders\.shipped/);

      const created = sim.topics.get('orders.created')!;
      assert.equal(created.partitions, 6);
      assert.equal(created.replicationFactor, 3);
      assert.equal(String(created.config.retention_ms), '86400000');
      assert.equal(created.config.preallocate, false, 'a key the manifest does not set is reset to the default');
      assert.equal(created.config.cleanup_policy, 'compact_delete');
      assert.equal(String(created.config.max_compaction_lag_ms), LONG_MAX_MINUS_1);
      const shipped = sim.topics.get('orders.shipped')!;
      assert.equal(String(shipped.config.retention_bytes), '1073741824');
      assert.equal(String(shipped.config.flush_ms), '9223372036854775807');
      const acl = (name: string) => sim.users.get(name)!.acl!.map((a) => `${a.topic}:${a.permission}`).join(' ');
      assert.equal(acl('billing'), 'orders.*:consume');
      assert.equal(acl('orders-svc'), 'orders.created:produce');
      assert.equal(acl('ops'), '*:admin');
      assert.equal(acl('analytics'), 'analytics.*:produceconsume', 'a user the manifests do not name is never touched');
      assert.equal(sim.count('PUT', /\/users\/analytics$/), 0);
      assert.ok(sim.requests.filter((x) => x.status === 429).length >= 2);

      const after = await run('plan', '--detailed-exitcode');
      assert.equal(after.code, 0, after.stderr);
      assert.match(after.stdout, /No changes\./);
    });
  });

  it('fails a plan that grants access to a user that does not exist, naming it', async () => {
    const sim = matchingSimulator();
    sim.users.delete('orders-svc');
    await withSim(sim, async (dir, run) => {
      writeFileSync(join(dir, 'topics.yaml'), MANIFEST);
      const r = await run('plan');
      assert.equal(r.code, 1);
      assert.match(r.stdout + r.stderr, /User:orders-svc does not exist/);
      const apply = await run('apply', '--auto-approve');
      assert.equal(apply.code, 1);
      assert.equal(sim.count('PUT') + sim.count('POST') + sim.count('DELETE'), 0);
    });
  });

  it('rejects offline, at the binding, what DigitalOcean cannot express', async () => {
    const sim = new DoSimulator();
    await withSim(sim, async (dir, run) => {
      writeFileSync(
        join(dir, 'acls.yaml'),
        ['apiVersion: kafkaform/v1', 'acls:', '  - principal: User:billing', '    resourceType: TOPIC', '    resourceName: orders', '    operations: [READ]', ''].join('\n'),
      );
      const r = await run('validate');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^acls\.yaml:\d+:\d+: cluster do-prod: DigitalOcean cannot express TOPIC READ on orders \(LITERAL\) for User:billing: DigitalOcean grants consume \(TOPIC READ\+DESCRIBE\)/m);
      assert.equal(sim.requests.length, 0, 'validate needs no cluster');
    });
  });

  it('exports a manifest that plans as no change against the cluster it came from', async () => {
    const sim = matchingSimulator();
    await withSim(sim, async (dir, run) => {
      const exported = await run('export', '-o', 'manifest', '--out', 'exported.yaml', '--debug');
      assert.equal(exported.code, 0, exported.stderr);
      const text = readFileSync(join(dir, 'exported.yaml'), 'utf8');
      assert.match(text, /max\.compaction\.lag\.ms: "9223372036854775806"/);
      assert.match(text, /cleanup\.policy: compact,delete/);
      assert.match(text, /min\.cleanable\.dirty\.ratio: 0\.25\n/);
      const r = await run('plan', 'cluster.yaml', 'exported.yaml', '--detailed-exitcode');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /No changes\./);

      const snapshot = await run('export', '-o', 'snapshot', '--out', 'live.json', '--debug');
      assert.equal(snapshot.code, 0, snapshot.stderr);
      const live = readFileSync(join(dir, 'live.json'), 'utf8');
      assert.match(live, /"type": "digitalocean"/);
      for (const secret of sim.secrets()) assert.ok(!live.includes(secret), 'a secret was written to the snapshot');
    });
  });
});
