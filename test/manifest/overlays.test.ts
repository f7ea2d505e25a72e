import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredState } from '../../src/model.js';
import { HEAD, load, problems, show, tree } from './helpers.js';

const BASE = `${HEAD}clusters:
  dev: { type: snapshot, path: dev.json }
  stage: { type: snapshot, path: stage.json }
  prod: { type: snapshot, path: prod.json }
topicDefaults:
  partitions: 6
  replicationFactor: 3
  config: { min.insync.replicas: 2, compression.type: zstd }
topics:
  - name: orders.created.v1
    partitions: 12
    config: { retention.ms: 7d }
  - name: orders.audit.v1
    config: { retention.ms: 30d, cleanup.policy: compact }
`;

function topics(d: DesiredState): Record<string, string> {
  return Object.fromEntries(
    d.topics.map((t) => [t.name, `p=${t.partitions} rf=${t.replicationFactor} ${JSON.stringify(t.config)} @${t.source.line}`]),
  );
}

describe('overlays', () => {
  it('leave clusters without an overlay, and undeclared names, on the shared manifests', async () => {
    const root = tree({ 'base.yaml': BASE });
    const m = await load([root]);
    assert.deepEqual(m.desiredFor('prod'), m.desiredFor('dev'));
    assert.deepEqual(m.desiredFor('prod'), m.desiredFor('no-such-cluster'));
    assert.deepEqual(topics(m.desiredFor('prod')), {
      'orders.audit.v1': 'p=6 rf=3 {"cleanup.policy":"compact","compression.type":"zstd","min.insync.replicas":"2","retention.ms":"2592000000"} @14',
      'orders.created.v1': 'p=12 rf=3 {"compression.type":"zstd","min.insync.replicas":"2","retention.ms":"604800000"} @11',
    });
  });

  it('override defaults and topics per cluster; null removes a config key', async () => {
    const root = tree({
      'base.yaml': BASE,
      'overlays.yaml': `${HEAD}overlays:
  dev:
    topicDefaults: { replicationFactor: 1, config: { min.insync.replicas: 1, compression.type: null } }
    topics:
      orders.created.v1: { partitions: 2, config: { retention.ms: 1d } }
  stage:
    topics:
      orders.audit.v1: { config: { cleanup.policy: null } }
`,
    });
    const m = await load([root]);
    assert.deepEqual(topics(m.desiredFor('dev')), {
      'orders.audit.v1': 'p=6 rf=1 {"cleanup.policy":"compact","min.insync.replicas":"1","retention.ms":"2592000000"} @14',
      'orders.created.v1': 'p=2 rf=1 {"min.insync.replicas":"1","retention.ms":"86400000"} @11',
    });
    assert.deepEqual(topics(m.desiredFor('stage')), {
      'orders.audit.v1': 'p=6 rf=3 {"compression.type":"zstd","min.insync.replicas":"2","retention.ms":"2592000000"} @14',
      'orders.created.v1': 'p=12 rf=3 {"compression.type":"zstd","min.insync.replicas":"2","retention.ms":"604800000"} @11',
    });
    assert.deepEqual(topics(m.desiredFor('prod')), topics(m.desiredFor('unknown')));
  });

  it('remove and add config keys of topics when no topicDefaults apply, the result in key order', async () => {
    const root = tree({
      'base.yaml': `${HEAD}clusters:
  dev: { type: snapshot, path: dev.json }
topics:
  - { name: t, partitions: 1, replicationFactor: 1, config: { retention.ms: 1d, segment.ms: 1h } }
`,
      'o.yaml': `${HEAD}overlays:
  dev:
    topics:
      t: { config: { cleanup.policy: compact, retention.ms: null } }
`,
    });
    const m = await load([root]);
    const config = m.desiredFor('dev').topics[0]?.config ?? {};
    assert.deepEqual(Object.entries(config), [
      ['cleanup.policy', 'compact'],
      ['segment.ms', '3600000'],
    ]);
    assert.deepEqual(Object.keys(m.desiredFor('other').topics[0]?.config ?? {}), ['retention.ms', 'segment.ms']);
  });

  it('apply RFC 6902 patches to the by-name view after overrides: add, remove, replace, move, test', async () => {
    const root = tree({
      'base.yaml': BASE,
      'o.yaml': `${HEAD}overlays:
  dev:
    topics:
      orders.audit.v1: { partitions: 1 }
    patch:
      - { op: test, path: /topics/orders.audit.v1/partitions, value: 1 }
      - { op: replace, path: /topicDefaults/replicationFactor, value: 1 }
      - { op: replace, path: /topicDefaults/config/min.insync.replicas, value: 1 }
      - { op: add, path: /topics/orders.created.v1/config/segment.bytes, value: 256MiB }
      - { op: remove, path: /topics/orders.created.v1/config/retention.ms }
      - { op: move, from: /topics/orders.audit.v1, path: /topics/orders.audit.v2 }
      - { op: add, path: /topics/dev.scratch, value: { partitions: 1, config: { retention.ms: 1h } } }
`,
    });
    const m = await load([root]);
    assert.deepEqual(topics(m.desiredFor('dev')), {
      'dev.scratch': 'p=1 rf=1 {"compression.type":"zstd","min.insync.replicas":"1","retention.ms":"3600000"} @13',
      'orders.audit.v2': 'p=1 rf=1 {"cleanup.policy":"compact","compression.type":"zstd","min.insync.replicas":"1","retention.ms":"2592000000"} @12',
      'orders.created.v1': 'p=12 rf=1 {"compression.type":"zstd","min.insync.replicas":"1","segment.bytes":"268435456"} @11',
    });
    assert.equal(m.desiredFor('prod').topics.length, 2);
  });

  it('check what overlays produce with the same rules, reporting only what the overlay adds', async () => {
    const root = tree({
      'base.yaml': BASE,
      'o.yaml': `${HEAD}overlays:
  dev:
    topicDefaults: { replicationFactor: 1 }
    topics:
      orders.created.v1: { config: { retention.ms: 7x, retention.msec: 1 } }
      orders.creatd.v1: { partitions: 1 }
  stage:
    patch:
      - { op: replace, path: /topics/orders.audit.v1/partitions, value: 3 }
  prd:
    patch:
      - { op: add, path: /topics/orders.audit.v1/partitions, value: "three" }
`,
    });
    assert.deepEqual(await problems([root], root), [
      'o.yaml:4:41 error on cluster dev, topic "orders.audit.v1": min.insync.replicas 2 is above its replication factor 1; every write with acks=all would fail (/overlays/dev/topicDefaults/replicationFactor)',
      'o.yaml:4:41 error on cluster dev, topic "orders.created.v1": min.insync.replicas 2 is above its replication factor 1; every write with acks=all would fail (/overlays/dev/topicDefaults/replicationFactor)',
      'o.yaml:6:52 error retention.ms: "7x" expected a number of milliseconds, -1, or a duration such as 500ms, 30s, 15m, 12h, 7d, 1w (/overlays/dev/topics/orders.created.v1/config/retention.ms)',
      'o.yaml:6:56 error unknown topic config "retention.msec" (did you mean "retention.ms"?) (/overlays/dev/topics/orders.created.v1/config/retention.msec)',
      'o.yaml:7:7 error overlay dev overrides topic "orders.creatd.v1", which no manifest declares (did you mean "orders.created.v1"?) (/overlays/dev/topics/orders.creatd.v1)',
      'o.yaml:10:9 error overlay stage: patch operation 0 (replace /topics/orders.audit.v1/partitions) failed: the path does not exist (use "add" to set a field a topic does not write itself) (/overlays/stage/patch/0)',
      'o.yaml:11:3 warning overlay for cluster "prd", which no manifest declares (did you mean "prod"?) (/overlays/prd)',
      'o.yaml:13:9 error overlay prd: after the patch, "partitions" must be a whole number at /topics/orders.audit.v1/partitions (/overlays/prd/patch/0)',
    ]);
  });

  it('check topic names a patch adds or renames', async () => {
    const root = tree({
      'base.yaml': BASE,
      'o.yaml': `${HEAD}overlays:
  dev:
    patch:
      - { op: move, from: /topics/orders.audit.v1, path: /topics/orders audit }
`,
    });
    assert.deepEqual(await problems([root], root), [
      'o.yaml:5:9 error overlay dev: topic name "orders audit" contains " "; Kafka allows only letters, digits, ".", "_" and "-" (/overlays/dev/patch/0)',
    ]);
  });

  it('merge across files, and report the same override declared twice', async () => {
    const root = tree({
      'base.yaml': BASE,
      'a.yaml': `${HEAD}overlays:\n  dev:\n    topics:\n      orders.audit.v1: { partitions: 1 }\n`,
      'b.yaml': `${HEAD}overlays:\n  dev:\n    topicDefaults: { replicationFactor: 3 }\n    topics:\n      orders.audit.v1: { partitions: 2 }\n`,
    });
    const found = await problems([root], root);
    assert.deepEqual(found, [
      `b.yaml:6:7 error overlay dev overrides topic "orders.audit.v1" twice: here and at ${root}/a.yaml:5:7 (/overlays/dev/topics/orders.audit.v1)`,
    ]);
  });

  it('warn about an overlay for an undeclared cluster without failing', async () => {
    const root = tree({ 'base.yaml': BASE, 'o.yaml': `${HEAD}overlays:\n  qa: { topicDefaults: { partitions: 1 } }\n` });
    const m = await load([root]);
    assert.deepEqual(m.warnings.map((p) => show(p, root)), [
      'o.yaml:3:3 warning overlay for cluster "qa", which no manifest declares (/overlays/qa)',
    ]);
    assert.equal(m.desiredFor('qa').topics.find((t) => t.name === 'orders.audit.v1')?.partitions, 1);
  });
});

const ACLS = `${HEAD}scope:
  topics: ["orders."]
  principals: [User:orders-admin]
acls:
  - principal: User:orders-svc
    role: producer
    topics: ["orders.*"]
  - principal: User:billing
    role: consumer
    topics: [orders.created.v1]
  - principal: User:billing-batch
    resourceType: TOPIC
    resourceName: orders.created.v1
    operations: [READ]
`;

/** The desired bindings as `principal OPERATION name[*]`, in order, and the scope. */
function access(d: DesiredState): { acls: string[]; scope: DesiredState['scope'] } {
  return {
    acls: d.acls.map((b) => `${b.principal} ${b.operation} ${b.resourceName}${b.patternType === 'PREFIXED' ? '*' : ''} @${b.source.file.slice(b.source.file.lastIndexOf('/') + 1)}:${b.source.line}`),
    scope: d.scope,
  };
}

describe('overlays of ACLs and scope', () => {
  it('rename principals in acls and scope.principals; two principals standing for one keep one binding each', async () => {
    const root = tree({
      'base.yaml': BASE,
      'acls.yaml': ACLS,
      'dev.yaml': `${HEAD}overlays:
  dev:
    principals:
      User:billing: User:sa-dev-batch
      User:billing-batch: User:sa-dev-batch
      User:orders-admin: User:sa-dev-admin
`,
    });
    const m = await load([root]);
    assert.deepEqual(access(m.desiredFor('dev')), {
      acls: [
        'User:orders-svc DESCRIBE orders.* @acls.yaml:8',
        'User:orders-svc WRITE orders.* @acls.yaml:8',
        'User:sa-dev-batch DESCRIBE orders.created.v1 @acls.yaml:11',
        'User:sa-dev-batch READ orders.created.v1 @acls.yaml:11',
      ],
      scope: { topicPrefixes: ['orders.'], groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: ['User:sa-dev-admin'] },
    });
    assert.deepEqual(access(m.desiredFor('prod')).acls, [
      'User:billing DESCRIBE orders.created.v1 @acls.yaml:11',
      'User:billing READ orders.created.v1 @acls.yaml:11',
      'User:billing-batch READ orders.created.v1 @acls.yaml:15',
      'User:orders-svc DESCRIBE orders.* @acls.yaml:8',
      'User:orders-svc WRITE orders.* @acls.yaml:8',
    ]);
  });

  it("replace the shared entries of the principals an overlay's acls name (after renaming), add the others, and replace scope fields", async () => {
    const root = tree({
      'base.yaml': BASE,
      'acls.yaml': ACLS,
      'dev.yaml': `${HEAD}overlays:
  dev:
    principals:
      User:billing: User:sa-dev-billing
    acls:
      - principal: User:sa-dev-billing
        role: consumer
        topics: ["orders.*"]
      - principal: User:dev-tools
        resourceType: TOPIC
        resourceName: orders.
        patternType: PREFIXED
        operations: [ALL]
    scope:
      topics: ["orders.", "dev."]
      cluster: true
`,
    });
    const m = await load([root]);
    assert.deepEqual(access(m.desiredFor('dev')), {
      acls: [
        'User:billing-batch READ orders.created.v1 @acls.yaml:15',
        'User:dev-tools ALL orders.* @dev.yaml:14',
        'User:orders-svc DESCRIBE orders.* @acls.yaml:8',
        'User:orders-svc WRITE orders.* @acls.yaml:8',
        'User:sa-dev-billing DESCRIBE orders.* @dev.yaml:9',
        'User:sa-dev-billing READ orders.* @dev.yaml:9',
      ],
      // principals were not set by the overlay: the shared ones stay.
      scope: { topicPrefixes: ['dev.', 'orders.'], groupPrefixes: [], transactionalIdPrefixes: [], cluster: true, principals: ['User:orders-admin'] },
    });
  });

  it('report what an overlay names wrongly, each at its line, and check its entries as the shared ones', async () => {
    const root = tree({
      'base.yaml': BASE,
      'acls.yaml': ACLS,
      'dev.yaml': `${HEAD}overlays:
  dev:
    principals:
      User:biling: User:sa-dev
      User:orders-svc: orders-svc
    acls:
      - principal: User:x
        role: consumer
        topics: [orders.created.v1]
      - { principal: User:x, resourceType: TOPIC, resourceName: orders.created.v1, operations: [READ] }
    scope:
      topic: ["orders."]
`,
      'more.yaml': `${HEAD}overlays:\n  dev:\n    principals:\n      User:orders-svc: User:other\n`,
    });
    assert.deepEqual(await problems([root], root), [
      'dev.yaml:5:7 error overlay dev maps principal User:biling, which no shared acls entry or scope.principals names (did you mean "User:billing"?) (/overlays/dev/principals/User:biling)',
      'dev.yaml:6:24 error principal "orders-svc" must be written as Type:name, e.g. User:orders-svc (/overlays/dev/principals/User:orders-svc)',
      `dev.yaml:11:97 error ACL binding ALLOW READ for User:x on TOPIC LITERAL "orders.created.v1" from host * is declared twice: here and at line 10:18 (/overlays/dev/acls/1/operations/0)`,
      'dev.yaml:13:7 error unknown property "topic" (did you mean "topics"?) (/overlays/dev/scope/topic)',
      `more.yaml:5:7 error overlay dev maps principal User:orders-svc to User:other here and to orders-svc at ${root}/dev.yaml:6:7 (/overlays/dev/principals/User:orders-svc)`,
    ]);
  });
});

describe('forceTopicDefaults', () => {
  it("makes the overlay's topicDefaults win over topics' own values, all of them or the fields listed; per-topic overrides still win", async () => {
    const root = tree({
      'base.yaml': BASE,
      'dev.yaml': `${HEAD}overlays:
  dev:
    topicDefaults: { partitions: 1, config: { retention.ms: 1h, cleanup.policy: null } }
    forceTopicDefaults: true
    topics:
      orders.audit.v1: { partitions: 2 }
  stage:
    topicDefaults: { partitions: 1, config: { retention.ms: 1h } }
    forceTopicDefaults: [partitions]
`,
    });
    const m = await load([root]);
    assert.deepEqual(topics(m.desiredFor('dev')), {
      'orders.audit.v1': 'p=2 rf=3 {"compression.type":"zstd","min.insync.replicas":"2","retention.ms":"3600000"} @14',
      'orders.created.v1': 'p=1 rf=3 {"compression.type":"zstd","min.insync.replicas":"2","retention.ms":"3600000"} @11',
    });
    assert.deepEqual(topics(m.desiredFor('stage')), {
      'orders.audit.v1': 'p=1 rf=3 {"cleanup.policy":"compact","compression.type":"zstd","min.insync.replicas":"2","retention.ms":"2592000000"} @14',
      'orders.created.v1': 'p=1 rf=3 {"compression.type":"zstd","min.insync.replicas":"2","retention.ms":"604800000"} @11',
    });
  });

  it('refuses a field its topicDefaults do not set, and a value that is neither true nor a list', async () => {
    const root = tree({
      'base.yaml': BASE,
      'dev.yaml': `${HEAD}overlays:
  dev:
    topicDefaults: { partitions: 1, config: { retention.ms: 1h } }
    forceTopicDefaults: [retention.ms, rentention.ms]
  stage:
    forceTopicDefaults: yes
`,
    });
    assert.deepEqual(await problems([root], root), [
      'dev.yaml:5:40 error overlay dev: forceTopicDefaults names "rentention.ms", which overlays.dev.topicDefaults does not set (did you mean "retention.ms"?) (/overlays/dev/forceTopicDefaults/1)',
      'dev.yaml:7:25 error "forceTopicDefaults" must be a boolean or a list (/overlays/stage/forceTopicDefaults)',
    ]);
  });
});
