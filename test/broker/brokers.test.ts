// The brokers test/run.mjs starts keep their contract (test/support/broker.ts): every user and
// mechanism the tests rely on works, rights are enforced, TLS is verified against this run's CA,
// and the three-broker cluster has racks and no authorizer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AclOperations,
  AclPermissionTypes,
  Admin,
  ResourcePatternTypes,
  ResourceTypes,
  type AdminOptions,
} from '@platformatic/kafka';
import { brokerSkip, requireBrokers, singleClientOptions, unsecuredJwt } from '../support/broker.js';

async function withAdmin<T>(options: Omit<AdminOptions, 'clientId'>, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId: 'kafkaform-broker-test', retries: false, ...options });
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}

interface Nested {
  code?: string;
  apiCode?: number;
  errors?: Nested[];
  cause?: Nested;
}

// A rejection of @platformatic/kafka and every error nested in it (its errors and causes).
function chain(error: unknown): Nested[] {
  const e = error as Nested;
  return [e, ...(e.errors ?? []).flatMap(chain), ...(e.cause ? chain(e.cause) : [])];
}

// The Kafka error codes the broker answered, found anywhere in a rejection.
function kafkaCodes(error: unknown): number[] {
  return chain(error).flatMap((e) => (typeof e.apiCode === 'number' ? [e.apiCode] : []));
}

const anyAcl = {
  resourceType: ResourceTypes.ANY,
  resourceName: null,
  resourcePatternType: ResourcePatternTypes.ANY,
  principal: null,
  host: null,
  operation: AclOperations.ANY,
  permissionType: AclPermissionTypes.ANY,
};

describe('test brokers: single (SASL, ACL authorizer)', { skip: brokerSkip() }, () => {
  it('lets admin in over SASL_PLAINTEXT with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512', async () => {
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      const md = await withAdmin(singleClientOptions('admin', { mechanism }), (a) => a.metadata({ topics: [] }));
      assert.deepEqual([...md.brokers.keys()], [1], mechanism);
    }
  });

  it('refuses a wrong password with SASL_AUTHENTICATION_FAILED (58)', async () => {
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-512'] as const) {
      const options = { ...singleClientOptions('alice'), sasl: { mechanism, username: 'alice', password: 'wrong' } };
      const failed = await withAdmin(options, (a) => a.metadata({ topics: [] })).catch((e: unknown) => e);
      assert.deepEqual(kafkaCodes(failed), [58], mechanism);
    }
  });

  it('takes an unsigned JWT over OAUTHBEARER as its subject', async () => {
    const { single } = requireBrokers();
    const options = (token: string) => ({ bootstrapBrokers: [single.sasl], sasl: { mechanism: 'OAUTHBEARER' as const, token } });
    // admin is a super user: only its subject can make describing ACLs succeed.
    const acls = await withAdmin(options(unsecuredJwt('admin')), (a) => a.describeAcls({ filter: anyAcl }));
    assert.ok(Array.isArray(acls));
    const denied = await withAdmin(options(unsecuredJwt('nobody')), (a) => a.describeAcls({ filter: anyAcl })).catch((e: unknown) => e);
    assert.deepEqual(kafkaCodes(denied), [31]);
  });

  it('serves SASL_SSL with a certificate of this run’s CA, and only that CA', async () => {
    const options = singleClientOptions('admin', { mechanism: 'SCRAM-SHA-512', tls: true });
    const md = await withAdmin(options, (a) => a.metadata({ topics: [] }));
    assert.equal(md.brokers.get(1)?.port, Number(requireBrokers().single.ssl.split(':')[1]));
    // The system CAs do not know it: the client's verification is what made the first call pass.
    const untrusted = await withAdmin({ ...options, tls: {} }, (a) => a.metadata({ topics: [] })).catch((e: unknown) => e);
    assert.ok(chain(untrusted).some((e) => e.code === 'SELF_SIGNED_CERT_IN_CHAIN'));
  });

  it('denies nobody with TOPIC_AUTHORIZATION_FAILED (29) on createTopics and CLUSTER_AUTHORIZATION_FAILED (31) on ACLs', async () => {
    const options = singleClientOptions('nobody', { mechanism: 'SCRAM-SHA-256' });
    const created = await withAdmin(options, (a) => a.createTopics({ topics: ['broker-test.denied'] })).catch((e: unknown) => e);
    assert.deepEqual(kafkaCodes(created), [29]);
    const described = await withAdmin(options, (a) => a.describeAcls({ filter: anyAcl })).catch((e: unknown) => e);
    assert.deepEqual(kafkaCodes(described), [31]);
  });

  it('has the authorizer on: admin can describe ACLs', async () => {
    const acls = await withAdmin(singleClientOptions('admin'), (a) => a.describeAcls({ filter: anyAcl }));
    assert.ok(Array.isArray(acls));
  });
});

describe('test brokers: trio (three brokers, no authorizer)', { skip: brokerSkip() }, () => {
  it('reports three brokers with ids 1-3 and racks a-c at the recorded addresses', async () => {
    const { trio } = requireBrokers();
    const md = await withAdmin({ bootstrapBrokers: trio.bootstrap }, (a) => a.metadata({ topics: [] }));
    const seen = [...md.brokers].map(([id, b]) => ({ id, rack: b.rack, address: `${b.host}:${b.port}` })).sort((x, y) => x.id - y.id);
    assert.deepEqual(seen, trio.brokers);
    assert.deepEqual(
      trio.brokers.map((b) => b.rack),
      ['a', 'b', 'c'],
    );
  });

  it('answers ACL calls with SECURITY_DISABLED (54)', async () => {
    const { trio } = requireBrokers();
    const described = await withAdmin({ bootstrapBrokers: trio.bootstrap }, (a) => a.describeAcls({ filter: anyAcl })).catch((e: unknown) => e);
    assert.deepEqual(kafkaCodes(described), [54]);
  });
});
