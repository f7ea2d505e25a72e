// End to end: `kafkaform init` through the real binary against the REST v3 and DigitalOcean
// simulators on 127.0.0.1, then `plan` of the written folder: no change, and no credential in
// any file or output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DoSimulator } from '../support/do-simulator.js';
import { V3Simulator } from '../support/v3-simulator.js';
import { kafkaform, type Run } from '../cli/helpers.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'kafkaform-e2e-init-'));
}

function ok(r: Run, what: string): void {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

/** Every file under `dir`, as text. */
function written(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((p) => statSync(p).isFile())
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
}

describe('kafkaform init against the simulators', { concurrency: true }, () => {
  it('REST v3: a literal secret given on the command line becomes a ${VAR}; plan after init shows no change', async (t) => {
    const key = 'SIMKEY7Q';
    const secret = 'sim-secret-3c9f1e';
    const sim = await V3Simulator.start({ auth: { type: 'basic', username: key, password: secret } });
    t.after(() => sim.close());
    for (const [name, partitions, configs] of [
      ['orders.created.v1', 6, { 'retention.ms': '604800000', 'segment.bytes': '104857600' }],
      ['orders.shipped.v1', 6, { 'retention.ms': '604800000' }],
      ['orders.audit.v1', 3, { 'cleanup.policy': 'compact' }],
      ['payments.settled.v1', 6, {}],
    ] as const) {
      sim.addTopic({ name, partitions, configs });
    }
    const acl = (principal: string, resource_type: string, resource_name: string, operation: string, pattern_type = 'LITERAL'): void =>
      sim.addAcl({ principal, resource_type, resource_name, pattern_type, operation, host: '*', permission: 'ALLOW' });
    acl('User:billing', 'TOPIC', 'orders.created.v1', 'READ');
    acl('User:billing', 'TOPIC', 'orders.created.v1', 'DESCRIBE');
    acl('User:billing', 'GROUP', 'billing', 'READ');
    acl('User:orders-svc', 'TOPIC', 'orders.', 'WRITE', 'PREFIXED');
    acl('User:orders-svc', 'TOPIC', 'orders.', 'DESCRIBE', 'PREFIXED');
    acl('User:orders-svc', 'TOPIC', 'payments.settled.v1', 'READ');

    const dir = scratch();
    const env = { KAFKA_API_KEY: key };
    const r = await kafkaform(
      ['init', 'adopted', '-c', 'sim', '--type', 'confluent', '--set', `restUrl=${sim.cloudUrl}`, '--set', 'auth.type=basic', '--set', 'auth.username=${KAFKA_API_KEY}', '--set', `auth.password=${secret}`, '--set', 'retry.baseDelayMs=1'],
      { cwd: dir, env },
    );
    ok(r, 'init');
    assert.match(r.stdout, /^Adopted 4 topics and 6 ACL bindings of cluster sim into adopted:\n/);
    assert.match(r.stdout, /Credentials are read from the environment when the cluster is used; set:\n {2}SIM_AUTH_PASSWORD \(auth\.password\)\n/);
    const files = written(join(dir, 'adopted'));
    assert.ok(!files.includes(secret) && !(r.stdout + r.stderr).includes(secret), 'the secret was written');
    const clusters = readFileSync(join(dir, 'adopted/clusters.yaml'), 'utf8');
    assert.match(clusters, /auth:\n {6}type: basic\n {6}username: \$\{KAFKA_API_KEY\}\n {6}password: \$\{SIM_AUTH_PASSWORD\}\n/);
    assert.match(clusters, /retry:\n {6}baseDelayMs: 1\n/);
    const kafkaform_ = readFileSync(join(dir, 'adopted/kafkaform.yaml'), 'utf8');
    assert.match(kafkaform_, /topicDefaults:\n {2}partitions: 6\n {2}replicationFactor: 3\n/);
    assert.match(files, /- principal: User:orders-svc\n {4}role: producer\n {4}topics: \[orders\.\*\]\n/);
    assert.match(files, /segment\.bytes: 100MiB\n/);

    const planned = await kafkaform(['plan', 'adopted', '--detailed-exitcode', '--allow-delete'], { cwd: dir, env: { ...env, SIM_AUTH_PASSWORD: secret } });
    ok(planned, 'plan after init');
    assert.match(planned.stdout, /No changes\./);
    assert.ok(!(planned.stdout + planned.stderr).includes(secret));
  });

  it('DigitalOcean: adopts the cluster a clusters file declares, split by prefix; plan after init shows no change', async () => {
    const sim = new DoSimulator();
    sim.addTopic('orders.created', 6, 3, { retention_ms: 86400000 });
    sim.addTopic('orders.shipped', 6, 3, { retention_ms: 86400000 });
    sim.addTopic('analytics.clicks', 3, 2);
    sim.addUser('billing', [{ topic: 'orders.*', permission: 'consume' }]);
    sim.addUser('orders-svc', [{ topic: 'orders.created', permission: 'produce' }]);
    sim.addUser('analytics', [{ topic: 'analytics.*', permission: 'produceconsume' }]);
    await sim.start();
    try {
      const dir = scratch();
      writeFileSync(
        join(dir, 'cluster.yaml'),
        [
          'apiVersion: kafkaform/v1',
          'clusters:',
          '  do-prod:',
          '    type: digitalocean',
          `    databaseId: ${sim.databaseId}`,
          '    token: "${DIGITALOCEAN_TOKEN}"',
          `    apiUrl: ${sim.url}`,
          '    retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 20 }',
          '',
        ].join('\n'),
      );
      const env = { DIGITALOCEAN_TOKEN: sim.token };
      const r = await kafkaform(['init', 'adopted', 'cluster.yaml', '--split-by-prefix'], { cwd: dir, env });
      ok(r, 'init');
      // Already a reference: kept, and named among the variables to set.
      assert.match(r.stdout, /set:\n {2}DIGITALOCEAN_TOKEN \(token\)\n/);
      assert.match(readFileSync(join(dir, 'adopted/clusters.yaml'), 'utf8'), /token: \$\{DIGITALOCEAN_TOKEN\}\n/);
      assert.deepEqual(readdirSync(join(dir, 'adopted/topics')).sort(), ['analytics.yaml', 'orders.yaml']);
      assert.deepEqual(readdirSync(join(dir, 'adopted/acls')).sort(), ['analytics.yaml', 'billing.yaml', 'orders-svc.yaml']);
      assert.match(readFileSync(join(dir, 'adopted/acls/billing.yaml'), 'utf8'), /role: consumer\n {4}topics: \[orders\.\*\]\n/);
      for (const s of sim.secrets()) assert.ok(!written(join(dir, 'adopted')).includes(s), 'a secret was written');
      const planned = await kafkaform(['plan', 'adopted', '--detailed-exitcode', '--allow-delete'], { cwd: dir, env });
      ok(planned, 'plan after init');
      assert.match(planned.stdout, /No changes\./);
    } finally {
      await sim.close();
    }
  });
});
