// Which live ACL bindings the planner may delete (src/plan/ownership.ts, the README's "Who owns an
// ACL binding"): one case per rule and per edge of it. Each case lists every undeclared live
// binding once: either deleted or listed as unmanaged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AclBinding, DesiredState, PlanResource } from '../../src/model.js';
import { plan } from '../../src/plan/index.js';
import { expandRole } from '../../src/manifest/roles.js';
import { acl, desired, live, options } from './builders.js';

/** `User:a ALLOW READ TOPIC:orders.x` with `*` after a PREFIXED name and `@host` when not `*`. */
function label(r: PlanResource | AclBinding): string {
  if ('kind' in r && r.kind === 'topic') return `topic ${r.name}`;
  const b = r as AclBinding;
  return `${b.principal} ${b.permission} ${b.operation} ${b.resourceType}:${b.resourceName}${b.patternType === 'PREFIXED' ? '*' : ''}${b.host === '*' ? '' : `@${b.host}`}`;
}

interface Case {
  name: string;
  desired: DesiredState;
  /** Live bindings besides the declared ones (which the cluster also holds). */
  others: AclBinding[];
  deleted: string[];
  unmanaged: string[];
}

const cluster = (principal: string, operation: AclBinding['operation'], over: Partial<AclBinding> = {}): AclBinding =>
  acl(principal, operation, 'kafka-cluster', { resourceType: 'CLUSTER', ...over });
const group = (principal: string, operation: AclBinding['operation'], name: string, over: Partial<AclBinding> = {}): AclBinding =>
  acl(principal, operation, name, { resourceType: 'GROUP', ...over });
const prefixed = { patternType: 'PREFIXED' } as const;

// The manifests of the issue: User:analytics-etl reads the team's topics, nothing more.
const etl = desired({ acls: [acl('User:analytics-etl', 'READ', 'analytics.', prefixed)], topicPrefixes: ['analytics.'] });

const cases: Case[] = [
  // The issue, and the principal's other bindings ----------------------------------------------
  {
    name: "naming a principal does not own its CLUSTER bindings: another team's DESCRIBE stays (the issue)",
    desired: etl,
    others: [cluster('User:analytics-etl', 'DESCRIBE')],
    deleted: [],
    unmanaged: ['User:analytics-etl ALLOW DESCRIBE CLUSTER:kafka-cluster'],
  },
  {
    name: "nor its bindings on topics outside scope.topics that the manifests do not grant it",
    desired: etl,
    others: [acl('User:analytics-etl', 'READ', 'payments.settled'), acl('User:analytics-etl', 'READ', 'payments.', prefixed)],
    deleted: [],
    unmanaged: ['User:analytics-etl ALLOW READ TOPIC:payments.*', 'User:analytics-etl ALLOW READ TOPIC:payments.settled'],
  },
  {
    name: 'its ALLOW bindings inside scope.topics are owned: LITERAL names and PREFIXED patterns as narrow as the prefix or narrower',
    desired: etl,
    others: [
      acl('User:analytics-etl', 'WRITE', 'analytics.', prefixed),
      acl('User:analytics-etl', 'READ', 'analytics.raw.', prefixed),
      acl('User:analytics-etl', 'READ', 'analytics.daily'),
    ],
    deleted: [
      'User:analytics-etl ALLOW READ TOPIC:analytics.daily',
      'User:analytics-etl ALLOW READ TOPIC:analytics.raw.*',
      'User:analytics-etl ALLOW WRITE TOPIC:analytics.*',
    ],
    unmanaged: [],
  },
  {
    name: 'a PREFIXED pattern wider than the prefix reaches topics outside the scope: not owned',
    desired: etl,
    others: [acl('User:analytics-etl', 'READ', 'analytics', prefixed), acl('User:analytics-etl', 'READ', 'a', prefixed)],
    deleted: [],
    unmanaged: ['User:analytics-etl ALLOW READ TOPIC:a*', 'User:analytics-etl ALLOW READ TOPIC:analytics*'],
  },
  {
    name: 'the wildcard * is inside no prefix, even one every name starts with',
    desired: desired({ acls: [acl('User:a', 'READ', 'orders.x')], topicPrefixes: [''] }),
    others: [acl('User:a', 'READ', '*'), acl('User:a', 'DESCRIBE', 'anything')],
    deleted: ['User:a ALLOW DESCRIBE TOPIC:anything'],
    unmanaged: ['User:a ALLOW READ TOPIC:*'],
  },
  {
    name: 'the host does not matter: a binding from one host inside the scope is owned',
    desired: etl,
    others: [acl('User:analytics-etl', 'READ', 'analytics.x', { host: '10.0.0.1' })],
    deleted: ['User:analytics-etl ALLOW READ TOPIC:analytics.x@10.0.0.1'],
    unmanaged: [],
  },
  {
    name: 'DENY bindings inside a prefix scope are not owned: lifting one grants access',
    desired: etl,
    others: [acl('User:analytics-etl', 'WRITE', 'analytics.x', { permission: 'DENY' })],
    deleted: [],
    unmanaged: ['User:analytics-etl DENY WRITE TOPIC:analytics.x'],
  },
  // Resources the manifests grant the principal (rule 2c) -----------------------------------------
  {
    name: 'without any scope, the resources the manifests grant a principal are owned for it (a role changed from consumer to producer)',
    desired: desired({ acls: [acl('User:a', 'WRITE', 'shared.events'), acl('User:a', 'DESCRIBE', 'shared.events')] }),
    others: [acl('User:a', 'READ', 'shared.events'), acl('User:a', 'READ', 'shared.events', { host: '10.0.0.1' })],
    deleted: ['User:a ALLOW READ TOPIC:shared.events', 'User:a ALLOW READ TOPIC:shared.events@10.0.0.1'],
    unmanaged: [],
  },
  {
    name: 'a granted resource is owned with its pattern type and name exactly: another pattern or name is not',
    desired: desired({ acls: [acl('User:a', 'READ', 'shared.events')] }),
    others: [acl('User:a', 'READ', 'shared.events', prefixed), acl('User:a', 'READ', 'shared.events.v2'), group('User:a', 'READ', 'shared.events')],
    deleted: [],
    unmanaged: ['User:a ALLOW READ GROUP:shared.events', 'User:a ALLOW READ TOPIC:shared.events*', 'User:a ALLOW READ TOPIC:shared.events.v2'],
  },
  {
    name: 'a granted resource owns bindings of its own permission: ALLOW owns ALLOW, DENY owns DENY',
    desired: desired({ acls: [acl('User:a', 'READ', 't'), acl('User:a', 'WRITE', 'u', { permission: 'DENY' })] }),
    others: [acl('User:a', 'WRITE', 't', { permission: 'DENY' }), acl('User:a', 'READ', 'u', { permission: 'DENY' }), acl('User:a', 'READ', 'u')],
    deleted: ['User:a DENY READ TOPIC:u'],
    unmanaged: ['User:a ALLOW READ TOPIC:u', 'User:a DENY WRITE TOPIC:t'],
  },
  {
    name: 'a granted wildcard * owns that principal’s other bindings on *',
    desired: desired({ acls: [acl('User:a', 'DESCRIBE', '*')] }),
    others: [acl('User:a', 'READ', '*')],
    deleted: ['User:a ALLOW READ TOPIC:*'],
    unmanaged: [],
  },
  {
    name: 'a granted resource is owned for that principal only',
    desired: desired({ acls: [acl('User:a', 'READ', 't'), acl('User:b', 'READ', 'u')] }),
    others: [acl('User:b', 'WRITE', 't'), acl('User:c', 'WRITE', 't')],
    deleted: [],
    unmanaged: ['User:b ALLOW WRITE TOPIC:t', 'User:c ALLOW WRITE TOPIC:t'],
  },
  // CLUSTER, groups, transactional ids, delegation tokens --------------------------------------
  {
    name: 'granting on CLUSTER claims nothing: the cluster resource is shared by every team',
    desired: desired({ acls: [cluster('User:orders-svc', 'IDEMPOTENT_WRITE')] }),
    others: [cluster('User:orders-svc', 'DESCRIBE')],
    deleted: [],
    unmanaged: ['User:orders-svc ALLOW DESCRIBE CLUSTER:kafka-cluster'],
  },
  {
    name: 'scope.cluster owns the named principals’ ALLOW bindings on CLUSTER, not their DENY ones, not other principals’',
    desired: desired({ acls: [cluster('User:orders-svc', 'DESCRIBE')], cluster: true }),
    others: [cluster('User:orders-svc', 'ALTER'), cluster('User:orders-svc', 'ALTER_CONFIGS', { permission: 'DENY' }), cluster('User:ops', 'ALTER')],
    deleted: ['User:orders-svc ALLOW ALTER CLUSTER:kafka-cluster'],
    unmanaged: ['User:ops ALLOW ALTER CLUSTER:kafka-cluster', 'User:orders-svc DENY ALTER_CONFIGS CLUSTER:kafka-cluster'],
  },
  {
    name: 'GROUP bindings are owned inside scope.groups or when granted, not by scope.topics',
    desired: desired({ acls: [group('User:a', 'READ', 'billing')], topicPrefixes: ['billing'], groupPrefixes: ['orders-'] }),
    others: [group('User:a', 'DESCRIBE', 'billing'), group('User:a', 'READ', 'orders-app'), group('User:a', 'READ', 'billing-v2')],
    deleted: ['User:a ALLOW DESCRIBE GROUP:billing', 'User:a ALLOW READ GROUP:orders-app'],
    unmanaged: ['User:a ALLOW READ GROUP:billing-v2'],
  },
  {
    name: 'TRANSACTIONAL_ID bindings are owned inside scope.transactionalIds or when granted',
    desired: desired({ acls: [acl('User:a', 'WRITE', 'orders-tx-1', { resourceType: 'TRANSACTIONAL_ID' })], transactionalIdPrefixes: ['orders-'] }),
    others: [
      acl('User:a', 'DESCRIBE', 'orders-tx-2', { resourceType: 'TRANSACTIONAL_ID' }),
      acl('User:a', 'WRITE', 'payments-tx', { resourceType: 'TRANSACTIONAL_ID' }),
      acl('User:a', 'WRITE', 'orders-', { resourceType: 'TRANSACTIONAL_ID', patternType: 'PREFIXED' }),
    ],
    deleted: ['User:a ALLOW DESCRIBE TRANSACTIONAL_ID:orders-tx-2', 'User:a ALLOW WRITE TRANSACTIONAL_ID:orders-*'],
    unmanaged: ['User:a ALLOW WRITE TRANSACTIONAL_ID:payments-tx'],
  },
  {
    name: 'a role owns what it grants: the streams role owns its group and its transactional-id and internal-topic prefixes (2c), not the cluster',
    desired: desired({
      acls: expandRole({ principal: 'User:s', role: 'streams', applicationId: 'app', inputs: ['in'], exactlyOnce: true }).map(({ path: _path, ...b }) => b),
    }),
    others: [
      acl('User:s', 'ALL', 'app-', { resourceType: 'TRANSACTIONAL_ID', patternType: 'PREFIXED' }),
      group('User:s', 'DESCRIBE', 'app'),
      acl('User:s', 'ALTER_CONFIGS', 'app-', prefixed),
      acl('User:s', 'WRITE', 'app-other', { resourceType: 'TRANSACTIONAL_ID' }),
      cluster('User:s', 'IDEMPOTENT_WRITE'),
    ],
    deleted: ['User:s ALLOW ALL TRANSACTIONAL_ID:app-*', 'User:s ALLOW ALTER_CONFIGS TOPIC:app-*', 'User:s ALLOW DESCRIBE GROUP:app'],
    unmanaged: ['User:s ALLOW IDEMPOTENT_WRITE CLUSTER:kafka-cluster', 'User:s ALLOW WRITE TRANSACTIONAL_ID:app-other'],
  },
  {
    name: 'DELEGATION_TOKEN bindings of a named principal are not owned',
    desired: desired({ acls: [acl('User:a', 'READ', 't')], topicPrefixes: [''] }),
    others: [acl('User:a', 'DESCRIBE', 'User:a', { resourceType: 'DELEGATION_TOKEN' })],
    deleted: [],
    unmanaged: ['User:a ALLOW DESCRIBE DELEGATION_TOKEN:User:a'],
  },
  // Whole principals and unnamed ones ----------------------------------------------------------
  {
    name: 'scope.principals owns every binding of the principal, cluster-wide: CLUSTER, DENY, *, any topic, tokens',
    desired: desired({ principals: ['User:legacy'] }),
    others: [
      cluster('User:legacy', 'DESCRIBE'),
      acl('User:legacy', 'READ', 'x', { permission: 'DENY' }),
      acl('User:legacy', 'READ', '*'),
      acl('User:legacy', 'DESCRIBE', 'User:legacy', { resourceType: 'DELEGATION_TOKEN' }),
    ],
    deleted: [
      'User:legacy ALLOW DESCRIBE CLUSTER:kafka-cluster',
      'User:legacy ALLOW DESCRIBE DELEGATION_TOKEN:User:legacy',
      'User:legacy ALLOW READ TOPIC:*',
      'User:legacy DENY READ TOPIC:x',
    ],
    unmanaged: [],
  },
  {
    name: 'bindings of principals the manifests do not name are never owned, even on topics in scope',
    desired: desired({ acls: [acl('User:a', 'READ', 'orders.x')], topicPrefixes: ['orders.'], cluster: true }),
    others: [acl('User:b', 'READ', 'orders.x'), cluster('User:b', 'DESCRIBE')],
    deleted: [],
    unmanaged: ['User:b ALLOW DESCRIBE CLUSTER:kafka-cluster', 'User:b ALLOW READ TOPIC:orders.x'],
  },
  // The sorted walk: a principal is found on either side of the binding -----------------------
  {
    name: 'a binding sorting before or after every declared binding of its principal is still its own; a longer principal name is another principal',
    desired: desired({ acls: [acl('User:a', 'READ', 'orders.m'), acl('User:ab', 'READ', 'x')], topicPrefixes: ['orders.'] }),
    others: [
      acl('User:a', 'READ', 'orders.a'),
      acl('User:a', 'READ', 'orders.z'),
      acl('User:a', 'READ', 'orders.b', { host: '0.0.0.0' }),
      acl('User:a', 'READ', 'orders.y', { host: '9.9.9.9' }),
      acl('User:aa', 'READ', 'orders.m'),
      acl('User:abc', 'READ', 'orders.m'),
      acl('User:ab', 'READ', 'orders.m'),
    ],
    deleted: [
      'User:a ALLOW READ TOPIC:orders.a',
      'User:a ALLOW READ TOPIC:orders.b@0.0.0.0',
      'User:a ALLOW READ TOPIC:orders.y@9.9.9.9',
      'User:a ALLOW READ TOPIC:orders.z',
      'User:ab ALLOW READ TOPIC:orders.m',
    ],
    unmanaged: ['User:aa ALLOW READ TOPIC:orders.m', 'User:abc ALLOW READ TOPIC:orders.m'],
  },
];

describe('ownership of live ACL bindings', () => {
  for (const c of cases) {
    it(c.name, () => {
      const declared = c.desired.acls.map(({ source: _, ...binding }) => binding);
      const p = plan(c.desired, live({ acls: [...declared, ...c.others] }), options({ allowDelete: true }));
      assert.equal(c.deleted.length + c.unmanaged.length, c.others.length, 'each other binding is listed once');
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.actions.filter((a) => a.action !== 'delete'), [], 'the declared bindings exist already');
      // Compared as sets: the plan's own order is tested elsewhere.
      assert.deepEqual(p.actions.map((a) => label(a.resource)).sort(), [...c.deleted].sort());
      assert.deepEqual(p.unmanaged.map(label).sort(), [...c.unmanaged].sort());
    });
  }
});
