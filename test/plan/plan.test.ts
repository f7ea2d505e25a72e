import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import jsonpatch from 'fast-json-patch';
import type { DesiredState, LiveState, Plan, PlanAction, PlanResource } from '../../src/model.js';
import { DEFAULT_MAX_ACL_DELETES, desiredDigest, fingerprint, plan, REDACTED, type PlanOptions } from '../../src/plan/index.js';
import { renderJson } from '../../src/render/index.js';
import { acl, desired, inherited, KAFKA, live, liveTopic, onTopic, options, topic } from './builders.js';

function label(r: PlanResource): string {
  if (r.kind === 'topic') return `topic ${r.name}`;
  const pattern = r.patternType === 'PREFIXED' ? '*' : '';
  return `acl ${r.principal} ${r.permission} ${r.operation} ${r.resourceType}:${r.resourceName}${pattern}@${r.host}`;
}

/** One line per action: `3 update topic t config.k:"a"->null`. */
function compact(a: PlanAction): string {
  const changes = a.changes.map(
    (c) => ` ${c.field}:${JSON.stringify(c.from)}->${JSON.stringify(c.to)}${c.sensitive ? '(sensitive)' : ''}${c.inherited !== undefined ? `(default ${c.inherited})` : ''}`,
  );
  return `${a.phase} ${a.action} ${label(a.resource)}${changes.join('')}`;
}

interface Case {
  name: string;
  desired: DesiredState;
  live: LiveState;
  options?: Partial<PlanOptions>;
  actions?: string[];
  /** Each entry: `<resource label>: <regex on the reason>`, or a bare regex for plan-wide errors. */
  errors?: [string | undefined, RegExp][];
  heldBack?: string[];
  unmanaged?: string[];
  warnings?: RegExp[];
  summary?: Plan['summary'];
}

const cases: Case[] = [
  // Topics ------------------------------------------------------------------------------------
  {
    name: 'creates a missing topic with partitions, replication factor, then configs in key order',
    desired: desired({ topics: [topic('orders', { partitions: 12, config: { 'retention.ms': '604800000', 'cleanup.policy': 'compact' } })] }),
    live: live(),
    actions: [
      '1 create topic orders partitions:null->12 replicationFactor:null->3 config.cleanup.policy:null->"compact" config.retention.ms:null->"604800000"',
    ],
    summary: { create: 1, update: 0, delete: 0, errors: 0 },
  },
  {
    name: 'a cluster that reports every topic config is the catalog of record: a key it does not report is an error, not a change',
    desired: desired({
      topics: [
        topic('orders', { config: { 'retention.ms': '1000', 'remote.copy.lag.ms': '600000' } }),
        topic('payments', { config: { 'message.format.version': '3.0' } }),
      ],
    }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': inherited('604800000') } })] }),
    options: { capabilities: { ...KAFKA, reportsAllTopicConfigs: true } },
    actions: ['3 update topic orders config.retention.ms:"604800000"->"1000"'],
    errors: [
      ['topic orders', /^config\.remote\.copy\.lag\.ms is not a topic config of cluster test: its Kafka does not report it for topics/],
      ['topic payments', /^config\.message\.format\.version is not a topic config of cluster test/],
    ],
  },
  {
    name: 'without that capability an unreported key is an ordinary change',
    desired: desired({ topics: [topic('orders', { config: { 'remote.copy.lag.ms': '600000' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': inherited('604800000') } })] }),
    actions: ['3 update topic orders config.remote.copy.lag.ms:null->"600000"'],
  },
  {
    name: 'increases partitions in phase 2',
    desired: desired({ topics: [topic('orders', { partitions: 12 })] }),
    live: live({ topics: [liveTopic('orders', { partitions: 6 })] }),
    actions: ['2 update topic orders partitions:6->12'],
  },
  {
    name: 'fewer partitions is an error naming the field, never an action',
    desired: desired({ topics: [topic('orders', { partitions: 3 })] }),
    live: live({ topics: [liveTopic('orders', { partitions: 6 })] }),
    actions: [],
    errors: [['topic orders', /^partitions cannot decrease from 6 to 3/]],
    summary: { create: 0, update: 0, delete: 0, errors: 1 },
  },
  {
    name: 'a replication-factor change the target cannot make is an error naming the field',
    desired: desired({ topics: [topic('orders', { replicationFactor: 2 })] }),
    live: live({ topics: [liveTopic('orders', { replicationFactor: 3 })] }),
    actions: [],
    errors: [['topic orders', /^replicationFactor cannot change from 3 to 2/]],
  },
  {
    name: 'a replication-factor change is planned in phase 2 where the target can make it',
    desired: desired({ topics: [topic('orders', { partitions: 6, replicationFactor: 2 })] }),
    live: live({ topics: [liveTopic('orders', { partitions: 3, replicationFactor: 3 })] }),
    options: { capabilities: { ...KAFKA, replicationFactorChange: true } },
    actions: ['2 update topic orders partitions:3->6 replicationFactor:3->2'],
  },
  {
    name: 'a valid change is still planned next to an impossible one on the same topic',
    desired: desired({ topics: [topic('orders', { partitions: 1, config: { 'retention.ms': '1000' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': onTopic('2000') } })] }),
    actions: ['3 update topic orders config.retention.ms:"2000"->"1000"'],
    errors: [['topic orders', /^partitions cannot decrease/]],
  },
  // Configs -----------------------------------------------------------------------------------
  {
    name: 'sets a config whose desired value differs from the value set on the topic',
    desired: desired({ topics: [topic('orders', { config: { 'retention.ms': '86400000' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': onTopic('604800000') } })] }),
    actions: ['3 update topic orders config.retention.ms:"604800000"->"86400000"'],
  },
  {
    name: 'sets a config whose desired value differs from the inherited effective value',
    desired: desired({ topics: [topic('orders', { config: { 'retention.ms': '86400000' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': inherited('604800000') } })] }),
    actions: ['3 update topic orders config.retention.ms:"604800000"->"86400000"'],
  },
  {
    name: 'sets a config the cluster does not report at all',
    desired: desired({ topics: [topic('orders', { config: { 'retention.ms': '86400000' } })] }),
    live: live({ topics: [liveTopic('orders')] }),
    actions: ['3 update topic orders config.retention.ms:null->"86400000"'],
  },
  {
    name: 'phantom diff: desired equal to the inherited effective value is no change',
    desired: desired({ topics: [topic('orders', { config: { 'retention.ms': '604800000' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': inherited('604800000') } })] }),
    actions: [],
    summary: { create: 0, update: 0, delete: 0, errors: 0 },
  },
  {
    name: 'phantom diff: desired equal to the value set on the topic is no change',
    desired: desired({ topics: [topic('orders', { config: { 'segment.bytes': '1073741824' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'segment.bytes': onTopic('1073741824') } })] }),
    actions: [],
  },
  {
    name: 'phantom diff: list order of cleanup.policy does not matter',
    desired: desired({ topics: [topic('orders', { config: { 'cleanup.policy': 'compact,delete' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'cleanup.policy': onTopic('delete,compact') } })] }),
    actions: [],
  },
  {
    name: 'phantom diff: enum and boolean spelling does not matter',
    desired: desired({ topics: [topic('orders', { config: { 'compression.type': 'lz4', 'unclean.leader.election.enable': 'false' } })] }),
    live: live({
      topics: [liveTopic('orders', { configs: { 'compression.type': onTopic('LZ4'), 'unclean.leader.election.enable': onTopic('FALSE') } })],
    }),
    actions: [],
  },
  {
    name: 'a key set on the topic but absent from the manifest is reset (to: null)',
    desired: desired({ topics: [topic('orders')] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': onTopic('1000', { inheritedValue: '604800000' }) } })] }),
    actions: ['3 update topic orders config.retention.ms:"1000"->null(default 604800000)'],
  },
  {
    name: 'inherited keys absent from the manifest are left alone',
    desired: desired({ topics: [topic('orders')] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'retention.ms': inherited('604800000'), 'segment.bytes': inherited('1') } })] }),
    actions: [],
  },
  {
    name: 'keys under an ignored prefix are not reset',
    desired: desired({ topics: [topic('orders')] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'platform.tier': onTopic('gold'), 'retention.ms': onTopic('1') } })] }),
    options: { ignoreConfigPrefixes: ['platform.'] },
    actions: ['3 update topic orders config.retention.ms:"1"->null'],
  },
  {
    name: "keys under the target's managed prefixes are not reset",
    desired: desired({ topics: [topic('orders')] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'confluent.placement': onTopic('x') } })] }),
    options: { capabilities: { ...KAFKA, managedConfigPrefixes: ['confluent.'] } },
    actions: [],
  },
  {
    name: 'a managed key the manifest names is compared like any other',
    desired: desired({ topics: [topic('orders', { config: { 'confluent.tier': 'y' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'confluent.tier': onTopic('x') } })] }),
    options: { capabilities: { ...KAFKA, managedConfigPrefixes: ['confluent.'] } },
    actions: ['3 update topic orders config.confluent.tier:"x"->"y"'],
  },
  {
    name: 'a desired change to a read-only key is an error naming the key',
    desired: desired({ topics: [topic('orders', { config: { 'message.format.version': '3.0' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'message.format.version': inherited('2.8', { readOnly: true }) } })] }),
    actions: [],
    errors: [['topic orders', /^config\.message\.format\.version is read-only/]],
  },
  {
    name: 'a read-only key equal to the desired value is no change',
    desired: desired({ topics: [topic('orders', { config: { 'message.format.version': '2.8' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'message.format.version': onTopic('2.8', { readOnly: true }) } })] }),
    actions: [],
  },
  {
    name: 'a read-only key set on the topic but absent from the manifest is not reset',
    desired: desired({ topics: [topic('orders')] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'message.format.version': onTopic('2.8', { readOnly: true }) } })] }),
    actions: [],
  },
  {
    name: 'sensitive values are redacted in set and reset changes',
    desired: desired({ topics: [topic('orders', { config: { 'secret.a': 'hunter2' } })] }),
    live: live({
      topics: [
        liveTopic('orders', {
          configs: { 'secret.a': onTopic('old-secret', { sensitive: true }), 'secret.b': onTopic('other-secret', { sensitive: true }) },
        }),
      ],
    }),
    actions: [
      `3 update topic orders config.secret.a:"${REDACTED}"->"${REDACTED}"(sensitive) config.secret.b:"${REDACTED}"->null(sensitive)`,
    ],
  },
  {
    name: 'a sensitive value the cluster hides is left unchanged, with a warning',
    desired: desired({ topics: [topic('orders', { config: { 'secret.a': 'hunter2' } })] }),
    live: live({ topics: [liveTopic('orders', { configs: { 'secret.a': { ...onTopic('x', { sensitive: true }), value: null } } })] }),
    actions: [],
    warnings: [/^topic orders: config\.secret\.a is sensitive and the cluster hides its value/],
  },
  // Deletion, scope, internal topics ---------------------------------------------------------
  {
    name: 'a topic in scope but not in the manifests is held back without allowDelete',
    desired: desired({ topicPrefixes: ['orders.'] }),
    live: live({ topics: [liveTopic('orders.old')] }),
    actions: [],
    heldBack: ['topic orders.old: deleting a topic needs --allow-delete'],
    summary: { create: 0, update: 0, delete: 0, errors: 0 },
  },
  {
    name: 'a topic in scope is deleted in phase 6 with allowDelete',
    desired: desired({ topicPrefixes: ['orders.'] }),
    live: live({ topics: [liveTopic('orders.old')] }),
    options: { allowDelete: true },
    actions: ['6 delete topic orders.old'],
    heldBack: [],
    summary: { create: 0, update: 0, delete: 1, errors: 0 },
  },
  {
    name: 'topics outside the scope are listed as unmanaged and never deleted',
    desired: desired({ topicPrefixes: ['orders.'] }),
    live: live({ topics: [liveTopic('payments.v1'), liveTopic('orders.old')] }),
    options: { allowDelete: true },
    actions: ['6 delete topic orders.old'],
    unmanaged: ['topic payments.v1'],
  },
  {
    name: 'with no scope no topic is deleted, even with allowDelete; undeclared topics are unmanaged',
    desired: desired({ topics: [topic('orders')] }),
    live: live({ topics: [liveTopic('orders'), liveTopic('legacy')] }),
    options: { allowDelete: true },
    actions: [],
    heldBack: [],
    unmanaged: ['topic legacy'],
  },
  {
    name: 'internal topics are never touched and never listed, even in scope with allowDelete',
    desired: desired({ topicPrefixes: ['', '_'] }),
    live: live({ topics: [liveTopic('__consumer_offsets', { internal: true }), liveTopic('_schemas'), liveTopic('looks-normal', { internal: true })] }),
    options: { allowDelete: true },
    actions: [],
    heldBack: [],
    unmanaged: [],
  },
  {
    name: 'a manifest declaring an internal topic is an error, not a change',
    desired: desired({ topics: [topic('_schemas', { partitions: 6 }), topic('__consumer_offsets')] }),
    live: live({ topics: [liveTopic('__consumer_offsets', { internal: true, partitions: 50 })] }),
    actions: [],
    errors: [
      ['topic __consumer_offsets', /internal topic/],
      ['topic _schemas', /internal topic/],
    ],
  },
  // ACLs ---------------------------------------------------------------------------------------
  {
    name: 'creates each missing binding in phase 4, one action per binding',
    desired: desired({ acls: [acl('User:a', 'WRITE', 'orders'), acl('User:a', 'DESCRIBE', 'orders'), acl('User:a', 'READ', 'orders')] }),
    live: live({ acls: [acl('User:a', 'READ', 'orders')] }),
    actions: ['4 create acl User:a ALLOW DESCRIBE TOPIC:orders@*', '4 create acl User:a ALLOW WRITE TOPIC:orders@*'],
    summary: { create: 2, update: 0, delete: 0, errors: 0 },
  },
  {
    name: 'bindings that differ only in pattern type, host or permission are different bindings',
    desired: desired({ acls: [acl('User:a', 'READ', 'orders', { patternType: 'PREFIXED' }), acl('User:a', 'READ', 'orders', { host: '10.0.0.1' })], principals: ['User:a'] }),
    live: live({ acls: [acl('User:a', 'READ', 'orders'), acl('User:a', 'READ', 'orders', { permission: 'DENY', patternType: 'PREFIXED' })] }),
    actions: [
      '4 create acl User:a ALLOW READ TOPIC:orders*@*',
      '4 create acl User:a ALLOW READ TOPIC:orders@10.0.0.1',
      '5 delete acl User:a ALLOW READ TOPIC:orders@*',
      '5 delete acl User:a DENY READ TOPIC:orders*@*',
    ],
  },
  {
    name: 'bindings whose fields hold NULs stay distinct (no key collision)',
    desired: desired({ acls: [acl('User:a\u0000h', 'READ', 'x', { host: 'i' }), acl('User:a', 'READ', 'x', { host: 'h\u0000i' })] }),
    live: live(),
    actions: ['4 create acl User:a ALLOW READ TOPIC:x@h\u0000i', '4 create acl User:a\u0000h ALLOW READ TOPIC:x@i'],
  },
  {
    name: 'the same binding declared twice (overlapping roles) is created once',
    desired: desired({ acls: [acl('User:a', 'DESCRIBE', 'orders'), acl('User:a', 'DESCRIBE', 'orders')] }),
    live: live(),
    actions: ['4 create acl User:a ALLOW DESCRIBE TOPIC:orders@*'],
  },
  {
    name: 'deletes, in phase 5, an operation the manifests no longer grant on a resource they still grant the principal',
    desired: desired({ acls: [acl('User:a', 'READ', 'orders')] }),
    live: live({ acls: [acl('User:a', 'READ', 'orders'), acl('User:a', 'WRITE', 'orders')] }),
    actions: ['5 delete acl User:a ALLOW WRITE TOPIC:orders@*'],
    summary: { create: 0, update: 0, delete: 1, errors: 0 },
  },
  {
    name: 'deletes bindings of principals listed in scope.principals, without allowDelete',
    desired: desired({ principals: ['User:gone'] }),
    live: live({ acls: [acl('User:gone', 'READ', 'orders')] }),
    actions: ['5 delete acl User:gone ALLOW READ TOPIC:orders@*'],
  },
  {
    name: 'bindings of principals outside the scope are unmanaged and never deleted',
    desired: desired({ acls: [acl('User:a', 'READ', 'orders')] }),
    live: live({ acls: [acl('User:a', 'READ', 'orders'), acl('User:other', 'READ', 'orders')] }),
    options: { allowDelete: true },
    actions: [],
    unmanaged: ['acl User:other ALLOW READ TOPIC:orders@*'],
  },
  {
    name: 'a binding for a principal missing on a cluster whose principals must exist is an error naming it',
    desired: desired({ acls: [acl('User:ghost', 'READ', 'orders'), acl('User:real', 'READ', 'orders')] }),
    live: live({ principals: ['User:real'] }),
    options: { capabilities: { ...KAFKA, principalsMustExist: true } },
    actions: ['4 create acl User:real ALLOW READ TOPIC:orders@*'],
    errors: [['acl User:ghost ALLOW READ TOPIC:orders@*', /^principal User:ghost does not exist on this cluster/]],
  },
  {
    name: 'a cluster whose principals must exist but that reports none has none',
    desired: desired({ acls: [acl('User:ghost', 'READ', 'orders')] }),
    live: live(),
    options: { capabilities: { ...KAFKA, principalsMustExist: true } },
    actions: [],
    errors: [['acl User:ghost ALLOW READ TOPIC:orders@*', /^principal User:ghost does not exist on this cluster/]],
  },
  {
    name: 'a cluster without ACLs (no authorizer) plans topics; ACLs in the manifests are one plan-wide error, never creates',
    desired: desired({ topics: [topic('orders')], acls: [acl('User:a', 'READ', 'orders'), acl('User:b', 'READ', 'orders')] }),
    live: live({ aclsUnavailable: 'the cluster has no authorizer (SECURITY_DISABLED), so it has no ACLs' }),
    actions: ['1 create topic orders partitions:null->3 replicationFactor:null->3'],
    errors: [[undefined, /^the cluster has no authorizer \(SECURITY_DISABLED\), so it has no ACLs: the 2 ACL binding\(s\) in the manifests cannot be applied to it$/]],
  },
  {
    name: 'a cluster without ACLs and manifests without ACLs plan as usual',
    desired: desired({ topics: [topic('orders')], principals: ['User:a'] }),
    live: live({ aclsUnavailable: 'no authorizer' }),
    actions: ['1 create topic orders partitions:null->3 replicationFactor:null->3'],
  },
  {
    name: 'principals need not exist on clusters without that rule',
    desired: desired({ acls: [acl('User:ghost', 'READ', 'orders')] }),
    live: live({ principals: [] }),
    actions: ['4 create acl User:ghost ALLOW READ TOPIC:orders@*'],
  },
  {
    name: 'deleting more ACL bindings than the limit is a plan-wide error naming the count and the flag',
    desired: desired({ principals: ['User:a'] }),
    live: live({ acls: [acl('User:a', 'READ', 't1'), acl('User:a', 'READ', 't2'), acl('User:a', 'READ', 't3')] }),
    options: { maxAclDeletes: 2 },
    actions: ['5 delete acl User:a ALLOW READ TOPIC:t1@*', '5 delete acl User:a ALLOW READ TOPIC:t2@*', '5 delete acl User:a ALLOW READ TOPIC:t3@*'],
    errors: [[undefined, /^the plan deletes 3 ACL bindings, more than the limit of 2; .*--max-acl-deletes 3$/]],
  },
  {
    name: 'deleting exactly the limit is allowed',
    desired: desired({ principals: ['User:a'] }),
    live: live({ acls: [acl('User:a', 'READ', 't1'), acl('User:a', 'READ', 't2')] }),
    options: { maxAclDeletes: 2 },
    actions: ['5 delete acl User:a ALLOW READ TOPIC:t1@*', '5 delete acl User:a ALLOW READ TOPIC:t2@*'],
    errors: [],
  },
  // Ordering and summary --------------------------------------------------------------------
  {
    name: 'actions run in phase order and are sorted inside a phase; summary counts distinct resources',
    desired: desired({
      topics: [
        topic('b.new'),
        topic('a.new'),
        topic('grow', { partitions: 6, config: { 'retention.ms': '1' } }),
      ],
      acls: [acl('User:z', 'READ', 'x'), acl('User:a', 'READ', 'x')],
      topicPrefixes: ['old.'],
    }),
    live: live({
      topics: [liveTopic('old.b'), liveTopic('old.a'), liveTopic('grow')],
      acls: [acl('User:a', 'WRITE', 'x')],
    }),
    options: { allowDelete: true },
    actions: [
      '1 create topic a.new partitions:null->3 replicationFactor:null->3',
      '1 create topic b.new partitions:null->3 replicationFactor:null->3',
      '2 update topic grow partitions:3->6',
      '3 update topic grow config.retention.ms:null->"1"',
      '4 create acl User:a ALLOW READ TOPIC:x@*',
      '4 create acl User:z ALLOW READ TOPIC:x@*',
      '5 delete acl User:a ALLOW WRITE TOPIC:x@*',
      '6 delete topic old.a',
      '6 delete topic old.b',
    ],
    summary: { create: 4, update: 1, delete: 3, errors: 0 },
  },
];

describe('plan()', () => {
  for (const c of cases) {
    it(c.name, () => {
      const p = plan(c.desired, c.live, options(c.options));
      if (c.actions) assert.deepEqual(p.actions.map(compact), c.actions);
      if (c.errors) {
        assert.equal(p.errors.length, c.errors.length, `errors: ${JSON.stringify(p.errors)}`);
        c.errors.forEach(([resource, reason], i) => {
          const e = p.errors[i];
          assert.ok(e);
          assert.equal(e.resource ? label(e.resource) : undefined, resource);
          assert.match(e.reason, reason);
        });
      } else {
        assert.deepEqual(p.errors, []);
      }
      if (c.heldBack) assert.deepEqual(p.heldBack.map((h) => `${label(h.resource)}: ${h.reason}`), c.heldBack);
      if (c.unmanaged) assert.deepEqual(p.unmanaged.map(label), c.unmanaged);
      assert.equal(p.warnings.length, c.warnings?.length ?? 0, `warnings: ${JSON.stringify(p.warnings)}`);
      c.warnings?.forEach((w, i) => assert.match(p.warnings[i] ?? '', w));
      if (c.summary) assert.deepEqual(p.summary, c.summary);
      assert.equal(p.summary.errors, p.errors.length);
    });
  }

  it('defaults the ACL-deletion limit to DEFAULT_MAX_ACL_DELETES', () => {
    const bindings = (n: number) => Array.from({ length: n }, (_, i) => acl('User:a', 'READ', `t${String(i).padStart(3, '0')}`));
    const within = plan(desired({ principals: ['User:a'] }), live({ acls: bindings(DEFAULT_MAX_ACL_DELETES) }), options());
    assert.deepEqual(within.errors, []);
    const over = plan(desired({ principals: ['User:a'] }), live({ acls: bindings(DEFAULT_MAX_ACL_DELETES + 1) }), options());
    assert.equal(over.errors.length, 1);
    assert.match(over.errors[0]?.reason ?? '', new RegExp(`deletes ${DEFAULT_MAX_ACL_DELETES + 1} ACL bindings, more than the limit of ${DEFAULT_MAX_ACL_DELETES}`));
  });

  it('never puts a sensitive value anywhere in the plan', () => {
    const p = plan(
      desired({ topics: [topic('orders', { config: { 'secret.a': 'hunter2' } })] }),
      live({
        topics: [
          liveTopic('orders', {
            configs: {
              'secret.a': onTopic('old-secret', { sensitive: true }),
              'secret.b': onTopic('other-secret', { sensitive: true, inheritedValue: 'inherited-secret' }),
            },
          }),
        ],
      }),
      options(),
    );
    const json = renderJson(p);
    for (const secret of ['hunter2', 'old-secret', 'other-secret', 'inherited-secret']) assert.ok(!json.includes(secret), `${secret} leaked`);
    assert.ok(json.includes('"sensitive": true'));
    // Both sides redact to the same marker, yet the patch must still carry the change.
    assert.deepEqual(p.actions[0]?.patch, [
      { op: 'replace', path: '/config/secret.a', value: REDACTED },
      { op: 'remove', path: '/config/secret.b' },
    ]);
  });

  it('records the cluster, its options, the digest of the desired state and the fingerprint of the live state', () => {
    const l = live({ topics: [liveTopic('a')] });
    const d = desired({ topics: [topic('a')] });
    const p = plan(d, l, options({ cluster: { name: 'prod', type: 'confluent' }, ignoreConfigPrefixes: ['mycorp.'] }));
    assert.deepEqual(p.cluster, { name: 'prod', type: 'confluent' });
    assert.deepEqual(p.options, { allowDelete: false, maxAclDeletes: 50 });
    assert.deepEqual(plan(d, l, options({ allowDelete: true, maxAclDeletes: 3 })).options, { allowDelete: true, maxAclDeletes: 3 });
    assert.equal(p.desiredDigest, desiredDigest(d, ['mycorp.']));
    assert.equal(p.fingerprint, fingerprint(l));
    assert.equal(p.formatVersion, 2);
  });
});

describe('plan() patches', () => {
  const liveState = live({
    topics: [
      liveTopic('t', {
        partitions: 3,
        configs: {
          'retention.ms': onTopic('1000'),
          'segment.bytes': onTopic('2000'),
          'max.message.bytes': inherited('1048588'),
          'a/b~c': onTopic('x'),
        },
      }),
    ],
  });
  const want = desired({
    topics: [topic('t', { partitions: 6, config: { 'retention.ms': '5000', 'max.message.bytes': '2097152', 'a/b~c': 'y' } }), topic('new', { config: { 'retention.ms': '1' } })],
    acls: [acl('User:a', 'READ', 't')],
  });
  const p = plan(want, liveState, options());

  it('turns the live view into the desired view (RFC 6902, escaped pointers)', () => {
    const config = p.actions.find((a) => a.phase === 3);
    assert.ok(config);
    assert.deepEqual(config.patch, [
      { op: 'replace', path: '/config/a~1b~0c', value: 'y' },
      { op: 'add', path: '/config/max.message.bytes', value: '2097152' },
      { op: 'replace', path: '/config/retention.ms', value: '5000' },
      { op: 'remove', path: '/config/segment.bytes' },
    ]);
    const liveView = { config: { 'retention.ms': '1000', 'segment.bytes': '2000', 'a/b~c': 'x' } };
    const after = jsonpatch.applyPatch(liveView, jsonpatch.deepClone(config.patch), true, false).newDocument;
    assert.deepEqual(after, { config: { 'retention.ms': '5000', 'max.message.bytes': '2097152', 'a/b~c': 'y' } });

    const size = p.actions.find((a) => a.phase === 2);
    assert.deepEqual(size?.patch, [{ op: 'replace', path: '/partitions', value: 6 }]);
  });

  it('creates whole resources and removes them whole', () => {
    const create = p.actions.find((a) => a.phase === 1);
    assert.deepEqual(create?.patch, [
      { op: 'add', path: '', value: { config: { 'retention.ms': '1' }, name: 'new', partitions: 3, replicationFactor: 3 } },
    ]);
    const aclCreate = p.actions.find((a) => a.phase === 4);
    assert.deepEqual(aclCreate?.patch, [{ op: 'add', path: '', value: acl('User:a', 'READ', 't') }]);
    const del = plan(desired({ topicPrefixes: ['t'] }), liveState, options({ allowDelete: true })).actions;
    assert.deepEqual(del.map((a) => a.patch), [[{ op: 'remove', path: '' }]]);
  });
});

/** Mulberry32: a tiny seeded PRNG so the shuffles are reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function shuffledRecord<T>(record: Record<string, T>, rand: () => number): Record<string, T> {
  return Object.fromEntries(shuffled(Object.entries(record), rand));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('plan() determinism and purity', () => {
  const baseDesired = desired({
    topics: [
      topic('orders.a', { partitions: 6, config: { 'retention.ms': '1000', 'cleanup.policy': 'compact', 'segment.bytes': '1048576' } }),
      topic('orders.b', { config: { 'max.message.bytes': '2097152' } }),
      topic('orders.c'),
      topic('orders.d', { partitions: 1 }),
    ],
    acls: [
      acl('User:a', 'READ', 'orders.', { patternType: 'PREFIXED' }),
      acl('User:a', 'DESCRIBE', 'orders.', { patternType: 'PREFIXED' }),
      acl('User:b', 'WRITE', 'orders.a'),
      acl('User:b', 'READ', 'grp', { resourceType: 'GROUP' }),
    ],
    topicPrefixes: ['orders.'],
    principals: ['User:c'],
  });
  const baseLive = live({
    topics: [
      liveTopic('orders.a', { configs: { 'retention.ms': onTopic('2000'), 'flush.ms': onTopic('5'), 'cleanup.policy': inherited('delete') } }),
      liveTopic('orders.d', { partitions: 4 }),
      liveTopic('orders.old1'),
      liveTopic('orders.old2'),
      liveTopic('payments'),
      liveTopic('__consumer_offsets', { internal: true }),
    ],
    acls: [acl('User:c', 'READ', 'x'), acl('User:c', 'WRITE', 'x'), acl('User:z', 'READ', 'x'), acl('User:b', 'WRITE', 'orders.a')],
  });

  it('gives byte-identical JSON whatever order the inputs come in', () => {
    const expected = renderJson(plan(baseDesired, baseLive, options({ allowDelete: true })));
    for (let seed = 1; seed <= 25; seed++) {
      const rand = prng(seed);
      const d: DesiredState = {
        topics: shuffled(baseDesired.topics, rand).map((t) => ({ ...t, config: shuffledRecord(t.config, rand) })),
        acls: shuffled(baseDesired.acls, rand),
        scope: {
          ...baseDesired.scope,
          topicPrefixes: shuffled(baseDesired.scope.topicPrefixes, rand),
          groupPrefixes: shuffled(baseDesired.scope.groupPrefixes, rand),
          principals: shuffled(baseDesired.scope.principals, rand),
        },
      };
      const l: LiveState = {
        ...baseLive,
        topics: shuffled(baseLive.topics, rand).map((t) => ({ ...t, configs: shuffledRecord(t.configs, rand) })),
        acls: shuffled(baseLive.acls, rand),
      };
      assert.equal(renderJson(plan(d, l, options({ allowDelete: true }))), expected, `seed ${seed}`);
    }
  });

  it('does not modify its inputs', () => {
    const d = deepFreeze(structuredClone(baseDesired));
    const l = deepFreeze(structuredClone(baseLive));
    const p = plan(d, l, options({ allowDelete: true }));
    assert.ok(p.actions.length > 0);
    assert.deepEqual(d, baseDesired);
    assert.deepEqual(l, baseLive);
  });

  it('plans nothing once the live state matches (exported manifest round trip)', () => {
    const p = plan(
      desired({ topics: [topic('t', { partitions: 6, config: { 'retention.ms': '1000' } })], acls: [acl('User:a', 'READ', 't')] }),
      live({
        topics: [liveTopic('t', { partitions: 6, configs: { 'retention.ms': onTopic('1000'), 'segment.bytes': inherited('1') } })],
        acls: [acl('User:a', 'READ', 't')],
      }),
      options(),
    );
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.summary, { create: 0, update: 0, delete: 0, errors: 0 });
  });
});

describe('fingerprint()', () => {
  const base = live({
    topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b')],
    acls: [acl('User:a', 'READ', 'a'), acl('User:b', 'READ', 'b')],
    principals: ['User:a', 'User:b'],
  });

  it('is sha256 hex, independent of list and key order', () => {
    const fp = fingerprint(base);
    assert.match(fp, /^sha256:[0-9a-f]{64}$/);
    const reordered: LiveState = {
      principals: ['User:b', 'User:a'],
      acls: [...base.acls].reverse(),
      topics: [...base.topics].reverse().map((t) => ({ ...t, configs: Object.fromEntries(Object.entries(t.configs).reverse()) })),
      clusterId: base.clusterId,
    };
    assert.equal(fingerprint(reordered), fp);
  });

  it('is the sha256 of the documented encoding (format 3), written here independently', () => {
    // A plain transcription of the grammar in src/plan/fingerprint.ts: sorted lists, entries equal
    // to the previous topic's at the same position as runs, other inherited entries numbered by
    // content on first use, no sharing tricks.
    const str = (s: string): string => (/[\ud800-\udfff]/.test(s) ? JSON.stringify(s) : `${s.length}:${s}`);
    const opt = (s: string | null | undefined): string => (s === null ? '~' : s === undefined ? '-' : str(s));
    const bit = (b: boolean): string => (b ? '1' : '0');
    const encode = (state: LiveState): string => {
      const fields = ['principal', 'host', 'resourceType', 'resourceName', 'patternType', 'operation', 'permission'] as const;
      const acls = [...state.acls].sort((a, b) => {
        for (const f of fields) if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
        return 0;
      });
      let text = `kafkaform-live/3\nc${str(state.clusterId)}`;
      text += state.principals === undefined ? 'p-' : `p${state.principals.length}:${[...state.principals].sort().map(str).join('')}`;
      text += `a${acls.length}:`;
      acls.forEach((b, i) => {
        let same = 0;
        while (i > 0 && same < fields.length && b[fields[same]!] === acls[i - 1]![fields[same]!]) same++;
        text += `${same}${fields.slice(same).map((f) => str(b[f])).join('')}`;
      });
      const topics = [...state.topics].sort((a, b) => (a.name < b.name ? -1 : 1));
      text += `t${topics.length}:`;
      const numbers = new Map<string, number>();
      let previous: string[] = [];
      for (const t of topics) {
        const keys = Object.keys(t.configs).sort();
        text += `${str(t.name)}${t.partitions},${t.replicationFactor},${bit(t.internal)}${keys.length}:`;
        const entries = keys.map((k) => {
          const c = t.configs[k]!;
          return `+${str(k)}${opt(c.value)}${bit(c.setOnTopic)}${bit(c.readOnly)}${bit(c.sensitive)}${opt(c.inheritedValue)}${opt(c.source)}`;
        });
        let run = 0;
        entries.forEach((full, i) => {
          if (full === previous[i]) {
            run++;
            return;
          }
          if (run > 0) text += `=${run},`;
          run = 0;
          if (t.configs[keys[i]!]!.setOnTopic) text += full;
          else if (numbers.has(full)) text += `#${numbers.get(full)},`;
          else {
            numbers.set(full, numbers.size);
            text += full;
          }
        });
        if (run > 0) text += `=${run},`;
        previous = entries;
      }
      return text;
    };
    const shared = inherited('2');
    const state = live({
      topics: [
        liveTopic('b', { configs: { y: shared, x: onTopic('1', { inheritedValue: null }) } }),
        liveTopic('c', { configs: { x: onTopic('1', { inheritedValue: null }), y: inherited('2') } }),
        liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2'), z: shared } }),
        liveTopic('\ud800', { internal: true, configs: { y: shared, 'w.\u00e9': onTopic('\u20ac', { sensitive: true }) } }),
      ],
      acls: [acl('User:b', 'READ', 'b'), acl('User:a', 'WRITE', 'a'), acl('User:a', 'READ', 'a'), acl('User:a', 'READ', 'a')],
      principals: ['User:b', 'User:a'],
    });
    const expected = createHash('sha256').update(encode(state)).digest('hex');
    assert.equal(fingerprint(state), `sha256:${expected}`);
    assert.equal(fingerprint(base), `sha256:${createHash('sha256').update(encode(base)).digest('hex')}`);
    // Pinned, so an accidental change of the encoding (which invalidates every saved plan) shows.
    assert.equal(fingerprint(base), 'sha256:9acd740c15cc248e67be89dd403b90847c58fec99a8d02ffd3c2d20a95c17b87');
  });

  it('does not depend on which objects a target shares between topics', () => {
    const one = inherited('2');
    const shared = live({ topics: [liveTopic('a', { configs: { y: one } }), liveTopic('b', { configs: { y: one } })] });
    const separate = live({ topics: [liveTopic('a', { configs: { y: inherited('2') } }), liveTopic('b', { configs: { y: inherited('2') } })] });
    assert.equal(fingerprint(shared), fingerprint(separate));
    const otherKey = live({ topics: [liveTopic('a', { configs: { y: one } }), liveTopic('b', { configs: { z: one } })] });
    assert.notEqual(fingerprint(otherKey), fingerprint(shared));
  });

  it('tells apart strings that UTF-8 would merge (lone surrogates)', () => {
    const a = live({ topics: [liveTopic('\ud800')] });
    const b = live({ topics: [liveTopic('\udc00')] });
    const c = live({ topics: [liveTopic('\ufffd')] });
    assert.equal(new Set([a, b, c].map(fingerprint)).size, 3);
  });

  it('covers only the live state, not extra properties such as a snapshot header', () => {
    const withExtras = { ...base, formatVersion: 1, source: { type: 'confluent' }, topics: base.topics.map((t) => ({ ...t, cache: 1 })) };
    assert.equal(fingerprint(withExtras as LiveState), fingerprint(base));
  });

  it('changes when anything in the live state changes', () => {
    const fp = fingerprint(base);
    const variants: LiveState[] = [
      { ...base, clusterId: 'other' },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('2'), y: inherited('2') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: inherited('1'), y: inherited('2') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { partitions: 4, configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b')] },
      { ...base, acls: [acl('User:a', 'READ', 'a')] },
      { ...base, principals: ['User:a'] },
      { ...base, topics: [liveTopic('a', { internal: true, configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1', { inheritedValue: '0' }), y: inherited('2') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1', { sensitive: true }), y: inherited('2') } }), liveTopic('b')] },
      { ...base, acls: [acl('User:a', 'READ', 'a', { host: '10.0.0.1' }), acl('User:b', 'READ', 'b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1', { readOnly: true }), y: inherited('2') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1', { source: 'DYNAMIC_BROKER_CONFIG' }), y: inherited('2') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2', { inheritedValue: '3' }) } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2', { setOnTopic: true }) } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { replicationFactor: 1 })] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2', { value: null }) } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1') } }), liveTopic('b')] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } })] },
      { ...base, principals: undefined },
      { ...base, principals: [] },
      // The second topic against the first, entry by entry (written as runs where they are equal).
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { configs: { x: onTopic('1'), y: inherited('2') } })] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { configs: { x: onTopic('1'), y: inherited('3') } })] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { configs: { x: onTopic('2'), y: inherited('2') } })] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { configs: { x: onTopic('1'), y: inherited('2', { source: 'DYNAMIC_BROKER_CONFIG' }) } })] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { configs: { x: onTopic('1'), z: inherited('2') } })] },
      { ...base, topics: [liveTopic('a', { configs: { x: onTopic('1'), y: inherited('2') } }), liveTopic('b', { configs: { x: onTopic('1') } })] },
    ];
    const fps = variants.map(fingerprint);
    for (const other of fps) assert.notEqual(other, fp);
    assert.equal(new Set(fps).size, fps.length);
  });
});
