// Two repositories sharing one cluster (issue 12, defect 3): random pairs of manifests with
// disjoint scopes — topic, group and transactional id prefixes, the CLUSTER resource, whole
// principals, and the resources each grants — that name the same principals, applied one after
// the other, in both orders, to a random cluster (the model cluster of test/support). Neither ever
// removes anything the other declared; after both, both plan no changes; what neither owns is
// untouched. Replay a failure with the KAFKAFORM_SEED / KAFKAFORM_PATH line printed with it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AclBinding, AclOperation, DesiredAcl, DesiredState, DesiredTopic, PatternType, Plan, ResourceType } from '../../src/model.js';
import { plan, type PlanOptions } from '../../src/plan/index.js';
import { renderJson } from '../../src/render/index.js';
import { executeModelPlan, observe, type ModelCluster, type ModelTopic } from '../support/model-executor.js';
import { ownedByManifests } from '../support/ownership-oracle.js';
import { check, Tally } from './runner.js';

const SOURCE = { file: 'repo.yaml', line: 1, column: 1, path: '' };

/** Principals both repositories grant, and ones only one of them ever names. */
const SHARED_PRINCIPALS = ['User:svc-1', 'User:svc-2'];
const THIRD_PARTY = 'User:other';

/**
 * What one repository may claim. The two territories are disjoint by construction: no prefix of
 * one is a prefix of a name or prefix of the other, and the literal names differ.
 */
interface Territory {
  own: string;
  topicPrefixes: string[];
  /** Topic names and PREFIXED patterns, inside the prefixes or (`ext.`) outside every scope. */
  topics: string[];
  topicPatterns: string[];
  groupPrefixes: string[];
  groups: string[];
  transactionalIdPrefixes: string[];
  transactionalIds: string[];
}

const TERRITORIES: Record<'A' | 'B', Territory> = {
  A: {
    own: 'User:a-legacy',
    topicPrefixes: ['a.', 'a.x.', 'shared.a'],
    topics: ['a.1', 'a.x.2', 'shared.a3', 'ext.a1'],
    topicPatterns: ['a.', 'a.x.', 'shared.a', 'ext.a'],
    groupPrefixes: ['a-', 'ga'],
    groups: ['a-app', 'ga', 'ext-a'],
    transactionalIdPrefixes: ['a-tx'],
    transactionalIds: ['a-tx-1', 'ext-a-tx'],
  },
  B: {
    own: 'User:b-legacy',
    topicPrefixes: ['b.', 'b.y.', 'shared.b'],
    topics: ['b.1', 'b.y.2', 'shared.b3', 'ext.b1'],
    topicPatterns: ['b.', 'b.y.', 'shared.b', 'ext.b'],
    groupPrefixes: ['b-', 'gb'],
    groups: ['b-app', 'gb', 'ext-b'],
    transactionalIdPrefixes: ['b-tx'],
    transactionalIds: ['b-tx-1', 'ext-b-tx'],
  },
};

/** Resources nobody's scope contains: wider patterns, the wildcard, other teams' names. */
const UNCLAIMED: { type: ResourceType; name: string; pattern: PatternType }[] = [
  { type: 'TOPIC', name: 'shared.', pattern: 'PREFIXED' },
  { type: 'TOPIC', name: 'a', pattern: 'PREFIXED' },
  { type: 'TOPIC', name: '*', pattern: 'LITERAL' },
  { type: 'TOPIC', name: 'c.1', pattern: 'LITERAL' },
  { type: 'GROUP', name: '*', pattern: 'LITERAL' },
  { type: 'GROUP', name: 'g', pattern: 'PREFIXED' },
  { type: 'DELEGATION_TOKEN', name: 'User:svc-1', pattern: 'LITERAL' },
];

const OPERATIONS: AclOperation[] = ['ALL', 'DESCRIBE', 'READ', 'WRITE'];

/** One binding on a resource of `territory` (or on CLUSTER when `cluster` allows it). */
function territoryBinding(territory: Territory, principals: string[], cluster: boolean): fc.Arbitrary<AclBinding> {
  const resources: fc.Arbitrary<{ type: ResourceType; name: string; pattern: PatternType }>[] = [
    fc.constantFrom(...territory.topics).map((name) => ({ type: 'TOPIC' as const, name, pattern: 'LITERAL' as const })),
    fc.constantFrom(...territory.topicPatterns).map((name) => ({ type: 'TOPIC' as const, name, pattern: 'PREFIXED' as const })),
    fc.constantFrom(...territory.groups).map((name) => ({ type: 'GROUP' as const, name, pattern: 'LITERAL' as const })),
    fc.constantFrom(...territory.transactionalIds).map((name) => ({ type: 'TRANSACTIONAL_ID' as const, name, pattern: 'LITERAL' as const })),
  ];
  if (cluster) resources.push(fc.constant({ type: 'CLUSTER' as const, name: 'kafka-cluster', pattern: 'LITERAL' as const }));
  return fc
    .record({
      principal: fc.constantFrom(...principals),
      host: fc.constantFrom('*', '10.0.0.1'),
      resource: fc.oneof(...resources),
      operation: fc.constantFrom(...OPERATIONS),
      permission: fc.constantFrom('ALLOW' as const, 'DENY' as const),
    })
    .map(({ principal, host, resource, operation, permission }) => ({
      principal,
      host,
      resourceType: resource.type,
      resourceName: resource.name,
      patternType: resource.pattern,
      operation,
      permission,
    }));
}

/** Any binding the cluster may hold: either territory's, unclaimed ones, any principal. */
const anyBinding: fc.Arbitrary<AclBinding> = fc.oneof(
  territoryBinding(TERRITORIES.A, [...SHARED_PRINCIPALS, TERRITORIES.A.own, THIRD_PARTY], true),
  territoryBinding(TERRITORIES.B, [...SHARED_PRINCIPALS, TERRITORIES.B.own, THIRD_PARTY], true),
  fc
    .record({
      principal: fc.constantFrom(...SHARED_PRINCIPALS, TERRITORIES.A.own, TERRITORIES.B.own, THIRD_PARTY),
      resource: fc.constantFrom(...UNCLAIMED),
      operation: fc.constantFrom(...OPERATIONS),
      permission: fc.constantFrom('ALLOW' as const, 'DENY' as const),
    })
    .map(({ principal, resource, operation, permission }) => ({
      principal,
      host: '*',
      resourceType: resource.type,
      resourceName: resource.name,
      patternType: resource.pattern,
      operation,
      permission,
    })),
);

function sortByName<T extends { name: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One repository's desired state inside its territory; `cluster` says whether it owns CLUSTER. */
function repository(territory: Territory, ownsCluster: boolean, mayGrantOnCluster: boolean): fc.Arbitrary<DesiredState> {
  return fc
    .record({
      topicPrefixes: fc.subarray(territory.topicPrefixes),
      groupPrefixes: fc.subarray(territory.groupPrefixes),
      transactionalIdPrefixes: fc.subarray(territory.transactionalIdPrefixes),
      ownsWhole: fc.boolean(),
      acls: fc.uniqueArray(territoryBinding(territory, [...SHARED_PRINCIPALS, territory.own], mayGrantOnCluster), {
        maxLength: 8,
        selector: (b) => JSON.stringify(b),
      }),
      topics: fc.subarray(territory.topics.filter((t) => !t.startsWith('ext.'))),
    })
    .map(
      (r): DesiredState => ({
        topics: sortByName(r.topics.map((name): DesiredTopic => ({ name, partitions: 3, replicationFactor: 3, config: {}, source: SOURCE }))),
        acls: r.acls.map((b): DesiredAcl => ({ ...b, source: SOURCE })),
        scope: {
          topicPrefixes: r.topicPrefixes,
          groupPrefixes: r.groupPrefixes,
          transactionalIdPrefixes: r.transactionalIdPrefixes,
          cluster: ownsCluster,
          principals: r.ownsWhole ? [territory.own] : [],
        },
      }),
    );
}

interface Case {
  a: DesiredState;
  b: DesiredState;
  cluster: ModelCluster;
}

const modelTopic = (name: string): ModelTopic => ({ name, partitions: 3, replicationFactor: 3, internal: false, overrides: {}, readOnly: [], sensitive: [] });

/**
 * At most one repository owns the CLUSTER resource; the other grants on it only when nobody owns
 * it (then nobody ever removes a CLUSTER binding of a principal it does not own whole).
 */
const twoRepositories: fc.Arbitrary<Case> = fc.constantFrom('none' as const, 'A' as const, 'B' as const).chain((clusterOwner) =>
  fc.record({
    a: repository(TERRITORIES.A, clusterOwner === 'A', clusterOwner !== 'B'),
    b: repository(TERRITORIES.B, clusterOwner === 'B', clusterOwner !== 'A'),
    cluster: fc
      .record({
        acls: fc.uniqueArray(anyBinding, { maxLength: 12, selector: (b) => JSON.stringify(b) }),
        topics: fc.subarray([...TERRITORIES.A.topics, ...TERRITORIES.B.topics, 'c.1'].filter((t) => !t.startsWith('ext.'))),
      })
      .map((c): ModelCluster => ({ clusterId: 'shared', defaults: {}, topics: sortByName(c.topics.map(modelTopic)), acls: c.acls })),
  }),
);

const OPTIONS: PlanOptions = {
  cluster: { name: 'shared', type: 'snapshot' },
  capabilities: { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] },
  allowDelete: true,
  maxAclDeletes: 1000,
};
const OBSERVATION = { keys: 'overrides', inheritedValues: true } as const;

function keyOf(b: AclBinding): string {
  return JSON.stringify([b.principal, b.host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission]);
}

function planFor(desired: DesiredState, cluster: ModelCluster): Plan {
  return plan(desired, observe(cluster, OBSERVATION), OPTIONS);
}

/** Plans `desired` against `cluster` and executes it; checks it removes nothing `other` declared. */
function applyRepository(name: string, desired: DesiredState, other: DesiredState, cluster: ModelCluster, tally: Tally): ModelCluster {
  const p = planFor(desired, cluster);
  assert.deepEqual(p.errors, [], `${name}: the plan has errors:\n${renderJson(p)}`);
  const otherBindings = new Set(other.acls.map(keyOf));
  const otherTopics = new Set(other.topics.map((t) => t.name));
  for (const a of p.actions) {
    if (a.action !== 'delete') continue;
    const r = a.resource;
    if (r.kind === 'acl') {
      assert.ok(!otherBindings.has(keyOf(r)), `${name} deletes a binding the other repository declared: ${keyOf(r)}`);
      tally.bump('ACL deletes');
    } else {
      assert.ok(!otherTopics.has(r.name), `${name} deletes topic ${r.name}, which the other repository declared`);
      tally.bump('topic deletes');
    }
  }
  tally.bump('unmanaged bindings listed', p.unmanaged.some((r) => r.kind === 'acl' && SHARED_PRINCIPALS.includes(r.principal)));
  return executeModelPlan(cluster, p, OPTIONS.capabilities);
}

describe('two repositories on one cluster', () => {
  it('with disjoint scopes, in either order, neither removes what the other declared, and both then plan no changes', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'two repositories',
      500,
      fc.property(twoRepositories, ({ a, b, cluster }) => {
        const repos = { A: a, B: b };
        const neitherOwns = (c: ModelCluster): string[] =>
          c.acls.filter((x) => !ownedByManifests(a, x) && !ownedByManifests(b, x)).map(keyOf).sort();
        for (const [first, second] of [['A', 'B'], ['B', 'A']] as const) {
          const middle = applyRepository(first, repos[first], repos[second], cluster, tally);
          const end = applyRepository(second, repos[second], repos[first], middle, tally);
          const held = new Set(end.acls.map(keyOf));
          for (const declared of [...a.acls, ...b.acls]) assert.ok(held.has(keyOf(declared)), `${first} then ${second}: declared ${keyOf(declared)} is missing`);
          const topics = new Set(end.topics.map((x) => x.name));
          for (const declared of [...a.topics, ...b.topics]) assert.ok(topics.has(declared.name), `${first} then ${second}: topic ${declared.name} is missing`);
          // What neither owns (and neither declared) is exactly as it was.
          const declaredKeys = new Set([...a.acls, ...b.acls].map(keyOf));
          assert.deepEqual(
            neitherOwns(end).filter((k) => !declaredKeys.has(k)),
            neitherOwns(cluster).filter((k) => !declaredKeys.has(k)),
          );
          for (const [name, desired] of Object.entries(repos)) {
            const again = planFor(desired, end);
            assert.deepEqual(again.actions, [], `${first} then ${second}: ${name} still plans changes:\n${renderJson(again)}`);
          }
        }
        tally.bump('shared principal named by both', a.acls.some((x) => b.acls.some((y) => x.principal === y.principal)));
        tally.bump('CLUSTER owned', a.scope.cluster || b.scope.cluster);
      }),
      tally,
    );
    assert.ok(tally.get('ACL deletes') > 200 && tally.get('shared principal named by both') > 150 && tally.get('unmanaged bindings listed') > 150, tally.toString());
  });
});
