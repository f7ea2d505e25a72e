// End to end: the real binary (`node bin/kafkaform.js`) against real Apache Kafka brokers started
// by test/run.mjs (test/broker/brokers.mjs), as a user runs it. Every test uses topic names and
// principals of its own, so the tests share the brokers.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { kafkaform, scratch, type Run } from '../cli/helpers.js';
import { brokerSkip, requireBrokers, singleClientOptions, unsecuredJwt } from '../support/broker.js';

/** A prefix of its own for each test: `k1a2b3c.` */
function uniquePrefix(): string {
  return `k${randomBytes(4).toString('hex')}.`;
}

interface Cluster {
  bootstrap: string;
  sasl?: { mechanism: string; user: 'admin' | 'alice' | 'nobody' } | { mechanism: 'OAUTHBEARER'; token: string };
  /** Extra YAML lines under the cluster (indented by four spaces). */
  extra?: string;
}

/** A directory with a cluster file and a topics file; credentials only through the environment. */
function project(cluster: Cluster, body: string): { dir: string; run: (...args: string[]) => Promise<Run>; write: (body: string) => void } {
  const dir = scratch();
  const brokers = requireBrokers();
  const sasl =
    cluster.sasl === undefined
      ? ''
      : 'token' in cluster.sasl
        ? '    sasl: { mechanism: OAUTHBEARER, token: "${KAFKA_TOKEN}" }\n'
        : `    sasl: { mechanism: ${cluster.sasl.mechanism}, username: "\${KAFKA_USER}", password: "\${KAFKA_PASSWORD}" }\n`;
  writeFileSync(
    join(dir, 'clusters.yaml'),
    `apiVersion: kafkaform/v1\nclusters:\n  dev:\n    type: kafka\n    bootstrapServers: ["\${KAFKA_BOOTSTRAP}"]\n${sasl}${cluster.extra ?? ''}`,
  );
  const write = (text: string): void => writeFileSync(join(dir, 'topics.yaml'), `apiVersion: kafkaform/v1\n${text}`);
  write(body);
  const env: Record<string, string> = { KAFKA_BOOTSTRAP: cluster.bootstrap };
  if (cluster.sasl !== undefined && 'token' in cluster.sasl) {
    env['KAFKA_TOKEN'] = cluster.sasl.token;
  } else if (cluster.sasl !== undefined) {
    env['KAFKA_USER'] = cluster.sasl.user;
    env['KAFKA_PASSWORD'] = brokers.single.users[cluster.sasl.user];
  }
  return { dir, write, run: (...args: string[]) => kafkaform(args, { cwd: dir, env }) };
}

function admin(): Admin {
  return new Admin({ clientId: 'kafkaform-test', ...singleClientOptions('admin') });
}

function asAdmin(body: string): ReturnType<typeof project> {
  return project({ bootstrap: requireBrokers().single.sasl, sasl: { mechanism: 'PLAIN', user: 'admin' } }, body);
}

/**
 * Waits until `check` holds: brokers apply metadata changes asynchronously, so a change made here
 * is awaited before the CLI is run once against it.
 */
async function visible(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the broker never showed the change');
}

function ok(r: Run, what: string): void {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

describe('the kafka target against a real broker', { skip: brokerSkip() }, () => {
  const admins: Admin[] = [];
  after(async () => {
    await Promise.all(admins.map((a) => a.close()));
  });
  const client = (): Admin => {
    const a = admin();
    admins.push(a);
    return a;
  };

  test('plan, apply, a second apply, drift, export and export → plan with no change', async () => {
    const p = uniquePrefix();
    const body = `scope:
  topics: ["${p}"]
topics:
  - name: ${p}orders
    partitions: 3
    replicationFactor: 1
    config: { retention.ms: 1d, cleanup.policy: compact }
  - name: ${p}payments
    partitions: 1
    replicationFactor: 1
acls:
  - principal: User:${p}svc
    resourceType: TOPIC
    resourceName: ${p}
    patternType: PREFIXED
    operations: [READ, DESCRIBE]
`;
    const { dir, run } = asAdmin(body);
    const planned = await run('plan', '--detailed-exitcode');
    assert.equal(planned.code, 2, planned.stderr);
    assert.match(planned.stdout, new RegExp(`\\+ topic ${p.replace('.', '\\.')}orders`));
    assert.match(planned.stdout, /Plan: 4 to create, 0 to update, 0 to delete\./);
    // A few requests (Metadata, DescribeConfigs when there are topics, DescribeAcls), and their bytes.
    assert.match(planned.stderr, /^reading cluster dev\nreading cluster dev: [23] requests, [\d.]+ K?i?B, done in [\d.]+ s\n$/);

    const applied = await run('apply', '--auto-approve');
    ok(applied, 'apply');
    assert.match(applied.stdout, /Apply complete: 4 created, 0 updated, 0 deleted\./);
    // Two topics in one CreateTopics, two bindings in one CreateAcls.
    assert.match(applied.stderr, /created 2 topics/);
    assert.match(applied.stderr, /created 2 ACL bindings/);

    const again = await run('apply', '--auto-approve');
    ok(again, 'second apply');
    assert.match(again.stdout, /No changes/);
    ok(await run('drift'), 'drift');

    // Out of band: someone changes a config; drift sees it and apply puts it back.
    await client().incrementalAlterConfigs({
      resources: [{ resourceType: 2, resourceName: `${p}orders`, configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }],
    });
    await visible(async () => {
      const [d] = await client().describeConfigs({ resources: [{ resourceType: 2, resourceName: `${p}orders`, configurationKeys: ['retention.ms'] }] });
      return d?.configs.find((c) => c.name === 'retention.ms')?.value === '1000';
    });
    const drift = await run('drift');
    assert.equal(drift.code, 2, drift.stderr);
    assert.match(drift.stdout, /retention\.ms = "1000" \(1s\) -> "86400000" \(1d\)/);
    ok(await run('apply', '--auto-approve'), 'apply after drift');

    const snapshot = await run('export', '-o', 'snapshot', '--out', 'live.json');
    ok(snapshot, 'export snapshot');
    const saved = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as { source: { type: string }; topics: { name: string }[] };
    assert.equal(saved.source.type, 'kafka');
    assert.ok(saved.topics.some((t) => t.name === `${p}orders`));
    const offline = project({ bootstrap: 'unused:1' }, body);
    writeFileSync(join(offline.dir, 'clusters.yaml'), 'apiVersion: kafkaform/v1\nclusters:\n  dev:\n    type: snapshot\n    path: live.json\n');
    writeFileSync(join(offline.dir, 'live.json'), readFileSync(join(dir, 'live.json')));
    const offlinePlan = await offline.run('plan', '--detailed-exitcode');
    ok(offlinePlan, 'plan against the exported snapshot');
    assert.match(offlinePlan.stdout, /No changes/);

    const manifest = await run('export', '-o', 'manifest', '--out', 'exported.yaml');
    ok(manifest, 'export manifest');
    const exported = project({ bootstrap: requireBrokers().single.sasl, sasl: { mechanism: 'PLAIN', user: 'admin' } }, '');
    writeFileSync(join(exported.dir, 'topics.yaml'), readFileSync(join(dir, 'exported.yaml')));
    const replanned = await exported.run('plan', '--detailed-exitcode');
    ok(replanned, 'plan of the exported manifest');
    assert.match(replanned.stdout, /No changes/);
  });

  test('preflight lists every rejection with the broker\'s message and changes nothing', async () => {
    const p = uniquePrefix();
    const { run } = asAdmin(`scope:
  topics: ["${p}"]
topics:
  - name: ${p}fine
    partitions: 1
    replicationFactor: 1
  - name: ${p}three-replicas
    partitions: 1
    replicationFactor: 3
  - name: ${p}two-replicas
    partitions: 1
    replicationFactor: 2
`);
    const applied = await run('apply', '--auto-approve');
    assert.equal(applied.code, 1, applied.stderr);
    assert.match(applied.stderr, /preflight found 2 problem\(s\); nothing was changed/);
    for (const [name, rf] of [['three-replicas', 3], ['two-replicas', 2]] as const) {
      assert.match(applied.stderr, new RegExp(`create topic ${p.replace('.', '\\.')}${name}: Unable to replicate the partition ${rf} time\\(s\\): The target replication factor of ${rf} cannot be reached because only 1 broker\\(s\\) are registered.* \\(INVALID_REPLICATION_FACTOR, error_code 38\\)\n`));
    }
    const planned = await run('plan');
    assert.match(planned.stdout, /Plan: 3 to create/, 'nothing was created');
  });

  test('the broker\'s config listing is the catalog of record: a key it does not report is a plan error', async () => {
    const p = uniquePrefix();
    const { run } = asAdmin(`scope:
  topics: ["${p}"]
topics:
  - name: ${p}existing
    partitions: 1
    replicationFactor: 1
`);
    ok(await run('apply', '--auto-approve'), 'apply');
    // Offline, confluent.* keys pass (they belong to Confluent's platform); Apache Kafka knows none.
    const { run: replan } = asAdmin(`scope:
  topics: ["${p}"]
topics:
  - name: ${p}existing
    partitions: 1
    replicationFactor: 1
    config: { confluent.placement.constraints: "x" }
  - name: ${p}new
    partitions: 1
    replicationFactor: 1
    config: { confluent.placement.constraints: "x" }
`);
    const planned = await replan('plan');
    assert.equal(planned.code, 1, planned.stderr);
    for (const name of ['existing', 'new']) {
      assert.match(planned.stdout + planned.stderr, new RegExp(`${p.replace('.', '\\.')}${name}[^\n]*config\\.confluent\\.placement\\.constraints is not a topic config of cluster \\S+: its Kafka does not report it for topics`));
    }
    const applied = await replan('apply', '--auto-approve');
    assert.equal(applied.code, 1, applied.stderr);
    assert.match(applied.stderr, /the plan has 2 errors; fix the manifests before applying/);
  });

  test('a user without rights gets one sentence naming the operation', async (t) => {
    const p = uniquePrefix();
    const nobody = project({ bootstrap: requireBrokers().single.sasl, sasl: { mechanism: 'PLAIN', user: 'nobody' } }, `topics:
  - name: ${p}x
    partitions: 1
    replicationFactor: 1
`);
    const planned = await nobody.run('plan');
    assert.equal(planned.code, 1);
    assert.match(planned.stderr, /^reading cluster dev\nerror: Not authorized to list ACLs \(CLUSTER_AUTHORIZATION_FAILED\)[^\n]*\n$/);

    // alice may read everything but create nothing: the dry run is refused per topic.
    const describeCluster = { resourceType: 4, resourceName: 'kafka-cluster', resourcePatternType: 3, principal: 'User:alice', host: '*', operation: 8, permissionType: 3 } as const;
    await client().createAcls({ creations: [describeCluster] });
    // alice has no ACLs for the other tests sharing the broker.
    t.after(() => client().deleteAcls({ filters: [describeCluster] }).then(() => undefined));
    const alice = project({ bootstrap: requireBrokers().single.sasl, sasl: { mechanism: 'PLAIN', user: 'alice' } }, `topics:
  - name: ${p}x
    partitions: 1
    replicationFactor: 1
`);
    await visible(async () => {
      const found = await client().describeAcls({
        filter: { resourceType: 4, resourceName: null, resourcePatternType: 1, principal: 'User:alice', host: null, operation: 1, permissionType: 1 },
      });
      return found.length > 0;
    });
    const applied = await alice.run('apply', '--auto-approve');
    assert.equal(applied.code, 1, applied.stderr);
    assert.match(applied.stderr, /preflight found 1 problem\(s\); nothing was changed/);
    assert.match(applied.stderr, new RegExp(`create topic ${p.replace('.', '\\.')}x: Not authorized to create topic ${p.replace('.', '\\.')}x \\(TOPIC_AUTHORIZATION_FAILED\\)`));
  });

  test('ACLs: LITERAL and PREFIXED, ALLOW and DENY; a removed binding is deleted alone', async () => {
    const p = uniquePrefix();
    const acls = (withDeny: boolean): string => `scope:
  topics: ["${p}"]
  principals: ["User:${p}app"]
acls:
  - principal: User:${p}app
    resourceType: TOPIC
    resourceName: ${p}orders
    operations: [WRITE]
  - principal: User:${p}app
    resourceType: GROUP
    resourceName: ${p}
    patternType: PREFIXED
    operations: [READ]
${withDeny ? `  - principal: User:${p}app
    resourceType: TOPIC
    resourceName: ${p}secret
    permission: DENY
    operations: [READ]
` : ''}`;
    const { run, write } = asAdmin(acls(true));
    // Someone else's binding on the same topic is never touched.
    const others = { resourceType: 2 as const, resourceName: `${p}orders`, resourcePatternType: 3 as const, principal: `User:${p}other`, host: '*', operation: 3 as const, permissionType: 3 as const };
    await client().createAcls({ creations: [others] });
    ok(await run('apply', '--auto-approve'), 'apply');
    const listed = await client().describeAcls({
      filter: { resourceType: 1, resourceName: null, resourcePatternType: 1, principal: `User:${p}app`, host: null, operation: 1, permissionType: 1 },
    });
    const bindings = listed.flatMap((r) => r.acls.map((a) => `${r.resourceType}/${r.resourceName}/${r.resourcePatternType}/${a.operation}/${a.permissionType}`)).sort();
    assert.deepEqual(bindings, [`2/${p}orders/3/4/3`, `2/${p}secret/3/3/2`, `3/${p}/4/3/3`].sort());

    write(acls(false));
    const planned = await run('plan');
    assert.match(planned.stdout, new RegExp(`- acl User:${p.replace('.', '\\.')}app DENY READ on TOPIC ${p.replace('.', '\\.')}secret`));
    assert.match(planned.stdout, /Plan: 0 to create, 0 to update, 1 to delete\./);
    ok(await run('apply', '--auto-approve'), 'apply of the deletion');
    const after = await client().describeAcls({
      filter: { resourceType: 2, resourceName: null, resourcePatternType: 1, principal: null, host: null, operation: 1, permissionType: 1 },
    });
    const left = after.filter((r) => r.resourceName.startsWith(p)).flatMap((r) => r.acls.map((a) => `${a.principal}/${r.resourceName}`)).sort();
    assert.deepEqual(left, [`User:${p}app/${p}orders`, `User:${p}other/${p}orders`]);
  });

  test('partitions increase; a decrease is refused by the plan', async () => {
    const p = uniquePrefix();
    const topic = (partitions: number): string => `topics:
  - name: ${p}events
    partitions: ${partitions}
    replicationFactor: 1
`;
    const { run, write } = asAdmin(topic(2));
    ok(await run('apply', '--auto-approve'), 'create');
    write(topic(5));
    const grown = await run('apply', '--auto-approve');
    ok(grown, 'increase');
    assert.match(grown.stderr, /increased|updated/);
    const md = await client().metadata({ topics: [`${p}events`], forceUpdate: true });
    assert.equal(md.topics.get(`${p}events`)?.partitionsCount, 5);
    write(topic(3));
    const shrink = await run('plan');
    assert.equal(shrink.code, 1);
    assert.match(shrink.stdout + shrink.stderr, /partitions cannot decrease from 5 to 3/);
  });

  test('a topic in scope that the manifests drop is deleted only with --allow-delete', async () => {
    const p = uniquePrefix();
    const topics = (names: string[]): string => `scope:
  topics: ["${p}"]
topics:
${names.map((n) => `  - name: ${p}${n}
    partitions: 1
    replicationFactor: 1
`).join('')}`;
    const { run, write } = asAdmin(topics(['keep', 'drop']));
    ok(await run('apply', '--auto-approve'), 'create');
    write(topics(['keep']));
    const held = await run('apply', '--auto-approve');
    ok(held, 'apply without --allow-delete');
    assert.match(held.stdout, /deleting a topic needs --allow-delete/);
    const deleted = await run('apply', '--auto-approve', '--allow-delete');
    ok(deleted, 'apply --allow-delete');
    assert.match(deleted.stdout, /Apply complete: 0 created, 0 updated, 1 deleted\./);
    const left = (await client().listTopics()).filter((t) => t.startsWith(p));
    assert.deepEqual(left, [`${p}keep`]);
  });

  test('a saved plan is refused once the cluster changed', async () => {
    const p = uniquePrefix();
    const { run } = asAdmin(`topics:
  - name: ${p}a
    partitions: 1
    replicationFactor: 1
`);
    ok(await run('plan', '-o', 'json', '--out', 'plan.json'), 'plan --out');
    await client().createTopics({ topics: [`${p}b`], partitions: 1, replicas: 1 });
    await visible(async () => (await client().listTopics()).includes(`${p}b`));
    const applied = await run('apply', '--auto-approve', '--plan', 'plan.json');
    assert.equal(applied.code, 1, applied.stderr);
    assert.match(applied.stderr, /changed since/);
    assert.ok(!(await client().listTopics()).includes(`${p}a`), 'nothing was created');
  });

  test('SCRAM-SHA-256, SCRAM-SHA-512 and SASL_SSL connections; TLS is verified', async () => {
    const { single } = requireBrokers();
    const body = 'topics: []\n';
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const r = await project({ bootstrap: single.sasl, sasl: { mechanism, user: 'admin' } }, body).run('plan');
      ok(r, mechanism);
    }
    const tls = await project({ bootstrap: single.ssl, sasl: { mechanism: 'SCRAM-SHA-512', user: 'admin' }, extra: `    tls: { caFile: "${single.caFile}" }\n` }, body).run('plan');
    ok(tls, 'SASL_SSL with the CA');
    const insecure = await project({ bootstrap: single.ssl, sasl: { mechanism: 'PLAIN', user: 'admin' }, extra: '    tls: true\n    insecureSkipTlsVerify: true\n' }, body).run('plan');
    ok(insecure, 'SASL_SSL without verification');
    assert.match(insecure.stderr, /^WARNING: TLS certificate verification is disabled for cluster dev \(insecureSkipTlsVerify\); credentials can be intercepted\.$/m);
    const unverified = await project({ bootstrap: single.ssl, sasl: { mechanism: 'PLAIN', user: 'admin' }, extra: '    tls: true\n' }, body).run('plan');
    assert.equal(unverified.code, 1);
    assert.match(unverified.stderr, /^error: Cannot connect to cluster dev: no broker answered \([^)]*TLS: [^\n]*certificate/);
    const wrong = await project({ bootstrap: single.sasl, sasl: { mechanism: 'SCRAM-SHA-512', user: 'admin' } }, body);
    const denied = await kafkaform(['plan'], { cwd: wrong.dir, env: { KAFKA_BOOTSTRAP: single.sasl, KAFKA_USER: 'admin', KAFKA_PASSWORD: 'not-the-password' } });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /^error: Authentication failed at 127\.0\.0\.1:\d+ \(SASL_AUTHENTICATION_FAILED\): check the sasl credentials configured for this cluster/);
    assert.doesNotMatch(denied.stderr + denied.stdout, /not-the-password/);
  });

  test("OAUTHBEARER: the token's subject is the principal the broker authorizes", async () => {
    const { single } = requireBrokers();
    const p = uniquePrefix();
    const ops = `${p}ops`;
    const intruder = `${p}intruder`;
    // Both subjects may read the cluster's ACLs (plan lists them); only ops may create topics here.
    const grants = asAdmin(`scope:
  principals: ["User:${ops}", "User:${intruder}"]
acls:
  - principal: User:${ops}
    resourceType: CLUSTER
    resourceName: kafka-cluster
    operations: [DESCRIBE]
  - principal: User:${intruder}
    resourceType: CLUSTER
    resourceName: kafka-cluster
    operations: [DESCRIBE]
  - principal: User:${ops}
    resourceType: TOPIC
    resourceName: ${p}
    patternType: PREFIXED
    operations: [CREATE, DESCRIBE, DESCRIBE_CONFIGS]
`);
    ok(await grants.run('apply', '--auto-approve'), 'granting the rights');

    const body = `scope:
  topics: ["${p}"]
topics:
  - name: ${p}orders
    partitions: 1
    replicationFactor: 1
`;
    const as = (subject: string): { token: string; run: (...args: string[]) => Promise<Run> } => {
      const token = unsecuredJwt(subject);
      return { token, run: project({ bootstrap: single.sasl, sasl: { mechanism: 'OAUTHBEARER', token } }, body).run };
    };
    const name = p.replace('.', '\\.');

    const refused = as(intruder);
    const denied = await refused.run('apply', '--auto-approve');
    assert.equal(denied.code, 1, denied.stderr);
    assert.match(denied.stderr, new RegExp(`create topic ${name}orders: Not authorized to create topic ${name}orders \\(TOPIC_AUTHORIZATION_FAILED\\)`));
    assert.ok(!(await client().listTopics()).includes(`${p}orders`), 'nothing was created');

    const allowed = as(ops);
    const applied = await allowed.run('apply', '--auto-approve');
    ok(applied, 'apply as ops');
    assert.match(applied.stdout, /Apply complete: 1 created, 0 updated, 0 deleted\./);
    assert.ok((await client().listTopics()).includes(`${p}orders`));

    // An expired token: the broker's refusal, in one sentence.
    const late = project({ bootstrap: single.sasl, sasl: { mechanism: 'OAUTHBEARER', token: unsecuredJwt(ops, { exp: 1 }) } }, body);
    const expired = await late.run('plan');
    assert.equal(expired.code, 1);
    assert.match(
      expired.stderr,
      /^error: Authentication failed at 127\.0\.0\.1:\d+: the broker refused the OAUTHBEARER token \(invalid_token\); check the token configured for this cluster \(sasl\.token\)\n$/,
    );
    for (const r of [denied, applied]) assert.ok(![refused.token, allowed.token].some((t) => (r.stdout + r.stderr).includes(t)), 'no token in the output');
  });

  test('a cluster without an authorizer plans topics and makes ACLs in the manifests an error', async () => {
    const { trio } = requireBrokers();
    const p = uniquePrefix();
    const topics = `topics:
  - name: ${p}t
    partitions: 1
    replicationFactor: 1
`;
    const plain = project({ bootstrap: trio.bootstrap[0] as string }, topics);
    const planned = await plain.run('plan', '--detailed-exitcode');
    assert.equal(planned.code, 2, planned.stderr);
    assert.match(planned.stderr, /the cluster has no authorizer \(SECURITY_DISABLED\)/);
    assert.match(planned.stdout, /Plan: 1 to create/);
    plain.write(`${topics}acls:
  - principal: User:${p}x
    resourceType: TOPIC
    resourceName: ${p}t
    operations: [READ]
`);
    const refused = await plain.run('plan');
    assert.equal(refused.code, 1);
    assert.match(refused.stdout + refused.stderr, /the cluster has no authorizer \(SECURITY_DISABLED\), so it has no ACLs: the 1 ACL binding\(s\) in the manifests cannot be applied to it/);
  });
});
