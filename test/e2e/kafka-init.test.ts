// End to end: `kafkaform init` through the real binary against a real Apache Kafka broker (started by
// test/run.mjs), then `plan` of the written folder. The broker is shared with other tests, so the
// adoption is limited to this test's own prefix with --prefix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaform, scratch, type Run } from '../cli/helpers.js';
import { brokerSkip, requireBrokers } from '../support/broker.js';

function ok(r: Run, what: string): void {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

describe('kafkaform init against a real broker', { skip: brokerSkip() }, () => {
  test('adopts topics with inherited configs and role-shaped ACLs; plan after init shows no change', async () => {
    const p = `k${randomBytes(4).toString('hex')}.`;
    const brokers = requireBrokers();
    const password = brokers.single.users.admin;
    const dir = scratch();
    const env = { KAFKA_BOOTSTRAP: brokers.single.sasl, KAFKA_USER: 'admin' };
    writeFileSync(
      join(dir, 'clusters.yaml'),
      'apiVersion: kafkaform/v1\nclusters:\n  dev:\n    type: kafka\n    bootstrapServers: ["${KAFKA_BOOTSTRAP}"]\n    sasl: { mechanism: PLAIN, username: "${KAFKA_USER}", password: "${KAFKA_PASSWORD}" }\n',
    );
    writeFileSync(
      join(dir, 'topics.yaml'),
      `apiVersion: kafkaform/v1
scope:
  topics: ["${p}"]
topicDefaults: { partitions: 2, replicationFactor: 1 }
topics:
  - name: ${p}orders
    config: { retention.ms: 1d, segment.bytes: 100MiB }
  - name: ${p}shipped
    config: { retention.ms: 1d }
  - name: ${p}audit
    partitions: 1
acls:
  - principal: User:${p}billing
    role: consumer
    topics: [${p}orders]
    groups: [${p}billing]
  - principal: User:${p}svc
    role: producer
    topics: ["${p}*"]
  - principal: User:${p}svc
    resourceType: TOPIC
    resourceName: ${p}audit
    operations: [READ]
`,
    );
    ok(await kafkaform(['apply', '--auto-approve'], { cwd: dir, env: { ...env, KAFKA_PASSWORD: password } }), 'apply');

    const r = await kafkaform(
      [
        'init', 'adopted', '--cluster', 'dev', '--prefix', p, '--type', 'kafka',
        '--set', 'bootstrapServers=${KAFKA_BOOTSTRAP}', '--set', 'sasl.mechanism=PLAIN', '--set', 'sasl.username=${KAFKA_USER}', '--set', `sasl.password=${password}`,
      ],
      { cwd: dir, env },
    );
    ok(r, 'init');
    assert.match(r.stdout, /^Adopted 3 topics and 6 ACL bindings of cluster dev into adopted:\n/);
    assert.match(r.stdout, /\n {2}DEV_SASL_PASSWORD \(sasl\.password\)\n/);
    const text = ['clusters.yaml', 'kafkaform.yaml', 'topics.yaml', 'acls.yaml'].map((f) => readFileSync(join(dir, 'adopted', f), 'utf8')).join('\n');
    assert.ok(!text.includes(password) && !(r.stdout + r.stderr).includes(password), 'the password was written');
    assert.match(text, /password: \$\{DEV_SASL_PASSWORD\}\n/);
    // Two of three topics set retention.ms: a default; the third gets the broker's value written out.
    assert.match(text, /topicDefaults:\n {2}partitions: 2\n {2}replicationFactor: 1\n {2}config:\n {4}retention\.ms: 1d\n/);
    assert.match(text, new RegExp(`- name: ${p.replace('.', '\\.')}audit\\n {4}partitions: 1\\n {4}config:\\n {6}retention\\.ms: 7d\\n`));
    assert.match(text, /segment\.bytes: 100MiB\n/);
    assert.match(text, new RegExp(`role: consumer\\n {4}topics: \\[${p.replace('.', '\\.')}orders\\]\\n {4}groups: \\[${p.replace('.', '\\.')}billing\\]\\n`));
    assert.match(text, new RegExp(`role: producer\\n {4}topics: \\[${p.replace('.', '\\.')}\\*\\]\\n`));

    const planned = await kafkaform(['plan', 'adopted', '--detailed-exitcode', '--allow-delete'], { cwd: dir, env: { ...env, DEV_SASL_PASSWORD: password } });
    ok(planned, 'plan after init');
    assert.match(planned.stdout, /No changes\./);
  });
});
