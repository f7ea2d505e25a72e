// ACL roles end to end: kafkaform applies a role for User:alice on the real broker (Kafka with the
// StandardAuthorizer, test/broker/brokers.mjs), and a real client authenticated as alice shows that
// the role's bindings are enough for what the role is for, and that taking away one of them breaks
// it. This is the evidence behind the role table (src/manifest/roles.ts) for the producer shapes.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { kafkaform, scratch, type Run } from '../cli/helpers.js';
import { brokerSkip, requireBrokers, singleClientOptions } from '../support/broker.js';

/** One project directory as the admin user; `apply(body)` writes the manifest and applies it. */
function project(): { apply: (body: string) => Promise<Run> } {
  const dir = scratch();
  const { single } = requireBrokers();
  writeFileSync(
    join(dir, 'clusters.yaml'),
    'apiVersion: kafkaform/v1\nclusters:\n  dev:\n    type: kafka\n    bootstrapServers: ["${KAFKA_BOOTSTRAP}"]\n' +
      '    sasl: { mechanism: PLAIN, username: "${KAFKA_USER}", password: "${KAFKA_PASSWORD}" }\n',
  );
  const env = { KAFKA_BOOTSTRAP: single.sasl, KAFKA_USER: 'admin', KAFKA_PASSWORD: single.users.admin };
  return {
    apply: async (body) => {
      writeFileSync(join(dir, 'acls.yaml'), `apiVersion: kafkaform/v1\n${body}`);
      const r = await kafkaform(['apply', '--auto-approve'], { cwd: dir, env });
      assert.equal(r.code, 0, `apply exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
      return r;
    },
  };
}

/** The number of alice's bindings on resources named `name` (any type), as the broker reports them. */
async function aliceBindings(admin: Admin, name: string): Promise<number> {
  const resources: Awaited<ReturnType<Admin['describeAcls']>> = await admin.describeAcls({
    filter: { resourceType: 1, resourceName: name, resourcePatternType: 1, principal: 'User:alice', host: null, operation: 1, permissionType: 1 },
  });
  return resources.reduce((n, r) => n + r.acls.length, 0);
}

/**
 * Waits until the broker's authorizer holds `count` of alice's bindings on `name`: kafkaform's apply
 * returns when the controller has accepted them, and the broker applies the metadata after that.
 */
async function settled(admin: Admin, name: string, count: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await aliceBindings(admin, name)) === count) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`alice's bindings on ${name} never reached ${count}`);
}

/**
 * Makes the producer send AddPartitionsToTxn as a client, at version 3 at most. Kafka reserves
 * versions 4 and above for brokers (AddPartitionsToTxnRequest.json, KIP-890) and answers them with
 * CLUSTER_AUTHORIZATION_FAILED unless the caller has CLUSTER_ACTION; @platformatic/kafka 1.35.0
 * picks the highest version the broker lists, so without this cap no transaction of an ordinary
 * principal could pass, whatever its ACLs. The Java client never sends more than version 3.
 */
async function clientVersionsOnly(producer: Producer<string, string, string, string>): Promise<void> {
  const apis = await producer.listApis();
  const key = Object.getOwnPropertySymbols(producer).find((s) => s.description === 'plt.kafka.base.apis');
  assert.ok(key, "@platformatic/kafka's API version cache moved: update clientVersionsOnly");
  (producer as unknown as Record<symbol, unknown>)[key] = apis.map((api) =>
    api.name === 'AddPartitionsToTxn' ? { ...api, maxVersion: Math.min(api.maxVersion, 3) } : api,
  );
}

/** Produces one record as alice in a transaction, and commits it. */
async function transactionalProduce(topic: string, transactionalId: string): Promise<void> {
  const producer = new Producer({
    clientId: 'kafkaform-roles-test',
    ...singleClientOptions('alice'),
    transactionalId,
    idempotent: true,
    retries: 0,
    serializers: stringSerializers,
  });
  try {
    await clientVersionsOnly(producer);
    const transaction = await producer.beginTransaction();
    await transaction.send({ messages: [{ topic, key: 'k', value: 'v' }] });
    await transaction.commit();
  } finally {
    await producer.close();
  }
}

/** Produces one record as alice with an idempotent producer (a producer id, no transaction). */
async function idempotentProduce(topic: string): Promise<void> {
  const producer = new Producer({
    clientId: 'kafkaform-roles-test',
    ...singleClientOptions('alice'),
    idempotent: true,
    retries: 0,
    serializers: stringSerializers,
  });
  try {
    await producer.send({ messages: [{ topic, key: 'k', value: 'v' }] });
  } finally {
    await producer.close();
  }
}

/** The message of what `work` threw, every nested cause included; fails when it did not throw. */
async function failure(work: () => Promise<void>): Promise<string> {
  try {
    await work();
  } catch (e) {
    const parts: string[] = [];
    const walk = (x: unknown): void => {
      if (!(x instanceof Error)) return;
      parts.push(x.message);
      for (const inner of (x as Error & { errors?: unknown[] }).errors ?? []) walk(inner);
      walk(x.cause);
    };
    walk(e);
    return parts.join(' / ');
  }
  assert.fail('the produce succeeded without the binding');
}

describe('ACL roles on a real broker, used by a real client', { skip: brokerSkip() }, () => {
  const admins: Admin[] = [];
  after(async () => {
    await Promise.all(admins.map((a) => a.close()));
  });
  const admin = (): Admin => {
    const a = new Admin({ clientId: 'kafkaform-roles-test', ...singleClientOptions('admin') });
    admins.push(a);
    return a;
  };

  test('transactional-producer: its bindings let alice commit a transaction; without WRITE on the transactional id or the topic she cannot', async () => {
    const p = `r${randomBytes(4).toString('hex')}.`;
    const topic = `${p}payments`;
    const txId = `${p}tx`;
    const { apply } = project();
    const head = `scope:\n  topics: ["${p}"]\n  transactionalIds: ["${p}"]\ntopics:\n  - { name: ${topic}, partitions: 1, replicationFactor: 1 }\nacls:\n`;
    const role = `  - { principal: User:alice, role: transactional-producer, topics: ["${topic}"], transactionalIds: ["${txId}"] }\n`;
    const binding = (type: string, name: string, ops: string): string =>
      `  - { principal: User:alice, resourceType: ${type}, resourceName: "${name}", operations: [${ops}] }\n`;

    const applied = await apply(head + role);
    assert.match(applied.stdout, /Apply complete: 5 created/);
    const a = admin();
    await settled(a, topic, 2);
    await settled(a, txId, 2);
    await transactionalProduce(topic, txId);

    // The same bindings but WRITE on the transactional id: the producer cannot get its id.
    await apply(head + binding('TOPIC', topic, 'WRITE, DESCRIBE') + binding('TRANSACTIONAL_ID', txId, 'DESCRIBE'));
    await settled(a, txId, 1);
    assert.match(await failure(() => transactionalProduce(topic, txId)), /InitProducerId.*Transactional Id authorization failed/);

    // WRITE on the transactional id back, WRITE on the topic gone: the transaction cannot take the topic.
    await apply(head + binding('TOPIC', topic, 'DESCRIBE') + binding('TRANSACTIONAL_ID', txId, 'WRITE, DESCRIBE'));
    await settled(a, topic, 1);
    await settled(a, txId, 2);
    assert.match(await failure(() => transactionalProduce(topic, txId)), /AddPartitionsToTxn.*Topic authorization failed/);

    // The role again: the broker grants the transaction once more.
    await apply(head + role);
    await settled(a, topic, 2);
    await transactionalProduce(topic, txId);
    await apply('scope:\n  topics: ["' + p + '"]\n  transactionalIds: ["' + p + '"]\n');
  });

  test('idempotent-producer: WRITE on the topic is enough on Kafka 2.8 and later (no IDEMPOTENT_WRITE on the cluster); without it alice cannot produce', async () => {
    const p = `r${randomBytes(4).toString('hex')}.`;
    const topic = `${p}events`;
    const { apply } = project();
    const head = `scope:\n  topics: ["${p}"]\ntopics:\n  - { name: ${topic}, partitions: 1, replicationFactor: 1 }\nacls:\n`;
    const applied = await apply(`${head}  - { principal: User:alice, role: idempotent-producer, topics: ["${topic}"] }\n`);
    assert.match(applied.stdout, /Apply complete: 3 created/);
    const a = admin();
    await settled(a, topic, 2);
    assert.equal(await aliceBindings(a, 'kafka-cluster'), 0, 'the role grants nothing on the cluster');
    await idempotentProduce(topic);

    await apply(`${head}  - { principal: User:alice, resourceType: TOPIC, resourceName: "${topic}", operations: [DESCRIBE] }\n`);
    await settled(a, topic, 1);
    assert.match(await failure(() => idempotentProduce(topic)), /Produce.*Topic authorization failed/);
    await apply(`scope:\n  topics: ["${p}"]\n`);
  });
});
