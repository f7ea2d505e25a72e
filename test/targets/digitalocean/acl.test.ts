import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AclOperation, DesiredAcl, DesiredState, PatternType, ResourceType } from '../../../src/model.js';
import {
  adaptDesiredAcls,
  bindingsToUserAcls,
  patternToResource,
  permissionFor,
  resourceToPattern,
  userAclsToBindings,
} from '../../../src/targets/digitalocean/acl.js';
import { expandRole } from '../../../src/manifest/roles.js';

let line = 0;
function acl(
  principal: string,
  resourceType: ResourceType,
  resourceName: string,
  operation: AclOperation,
  patternType: PatternType = 'LITERAL',
  extra: Partial<DesiredAcl> = {},
): DesiredAcl {
  line += 1;
  return {
    principal,
    host: '*',
    resourceType,
    resourceName,
    patternType,
    operation,
    permission: 'ALLOW',
    source: { file: 'acls.yaml', line, column: 5, path: `/acls/${line}` },
    ...extra,
  };
}

function state(acls: DesiredAcl[]): DesiredState {
  return { topics: [], acls, scope: { topicPrefixes: [], groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: [] } };
}

/** Bindings as compact strings for readable assertions. */
function short(bindings: readonly { principal: string; resourceType: string; resourceName: string; patternType: string; operation: string }[]): string[] {
  return bindings.map((b) => `${b.principal} ${b.resourceType} ${b.resourceName} ${b.patternType} ${b.operation}`);
}

test('patterns: literal, trailing * is a prefix, * alone is every topic', () => {
  assert.deepEqual(patternToResource('orders'), { resourceName: 'orders', patternType: 'LITERAL' });
  assert.deepEqual(patternToResource('orders.*'), { resourceName: 'orders.', patternType: 'PREFIXED' });
  assert.deepEqual(patternToResource('*'), { resourceName: '*', patternType: 'LITERAL' });
  for (const p of ['orders', 'orders.*', '*', 'a*']) {
    const r = patternToResource(p);
    assert.equal(resourceToPattern(r.resourceName, r.patternType), p);
  }
});

test('permissions match operation sets exactly; ALL absorbs the rest', () => {
  assert.equal(permissionFor(['READ', 'DESCRIBE']), 'consume');
  assert.equal(permissionFor(['DESCRIBE', 'WRITE']), 'produce');
  assert.equal(permissionFor(['WRITE', 'READ', 'DESCRIBE']), 'produceconsume');
  assert.equal(permissionFor(['ALL']), 'admin');
  assert.equal(permissionFor(['ALL', 'READ']), 'admin');
  assert.equal(permissionFor(['READ']), undefined);
  assert.equal(permissionFor(['DESCRIBE']), undefined);
  assert.equal(permissionFor(['READ', 'WRITE']), undefined);
});

test('a user\'s ACL list expands to bindings, merging entries on one pattern', () => {
  const { bindings, unknown } = userAclsToBindings('app', [
    { topic: 'customer-events', permission: 'produceconsume' },
    { topic: 'customer-events', permission: 'consume' },
    { topic: 'customer-events.*', permission: 'produce' },
    { topic: '*', permission: 'admin' },
    { topic: 'x', permission: 'superuser' },
  ]);
  assert.deepEqual(short(bindings), [
    'User:app TOPIC * LITERAL ALL',
    'User:app TOPIC customer-events LITERAL DESCRIBE',
    'User:app TOPIC customer-events LITERAL READ',
    'User:app TOPIC customer-events LITERAL WRITE',
    'User:app TOPIC customer-events. PREFIXED DESCRIBE',
    'User:app TOPIC customer-events. PREFIXED WRITE',
  ]);
  assert.deepEqual(unknown, ['superuser on x']);
  assert.deepEqual(bindingsToUserAcls(bindings), [
    { topic: '*', permission: 'admin' },
    { topic: 'customer-events', permission: 'produceconsume' },
    { topic: 'customer-events.*', permission: 'produce' },
  ]);
});

test('bindings that no permission matches cannot be written', () => {
  const [read] = userAclsToBindings('app', [{ topic: 'x', permission: 'consume' }]).bindings.filter((b) => b.operation === 'READ');
  assert.throws(() => bindingsToUserAcls([read!]), /no permission granting exactly READ on x/);
});

test('roles adapt unchanged; consumer groups are implied by consume permissions and dropped with a warning', () => {
  const desired = state([
    acl('User:billing', 'TOPIC', 'orders.', 'READ', 'PREFIXED'),
    acl('User:billing', 'TOPIC', 'orders.', 'DESCRIBE', 'PREFIXED'),
    acl('User:billing', 'GROUP', 'billing', 'READ'),
    acl('User:ops', 'TOPIC', '*', 'ALL'),
    acl('User:ops', 'GROUP', '*', 'ALL'),
    acl('User:svc', 'TOPIC', 'orders.created', 'WRITE'),
    acl('User:svc', 'TOPIC', 'orders.created', 'DESCRIBE'),
  ]);
  const { desired: adapted, problems } = adaptDesiredAcls(desired);
  assert.deepEqual(short(adapted.acls), [
    'User:billing TOPIC orders. PREFIXED DESCRIBE',
    'User:billing TOPIC orders. PREFIXED READ',
    'User:ops TOPIC * LITERAL ALL',
    'User:svc TOPIC orders.created LITERAL DESCRIBE',
    'User:svc TOPIC orders.created LITERAL WRITE',
  ]);
  assert.deepEqual(
    problems.map((p) => [p.severity, p.line]),
    [
      ['warning', desired.acls[2]!.source.line],
      ['warning', desired.acls[4]!.source.line],
    ],
  );
  assert.match(problems[0]!.message, /GROUP READ on billing .* not enforced on DigitalOcean/);
});

test('what DigitalOcean cannot express is an error at the binding\'s location', () => {
  const desired = state([
    acl('User:a', 'TOPIC', 'orders', 'READ'),
    acl('User:b', 'TOPIC', 'orders', 'READ', 'LITERAL', { permission: 'DENY' }),
    acl('User:c', 'TOPIC', 'orders', 'WRITE', 'LITERAL', { host: '10.0.0.1' }),
    acl('User:d', 'CLUSTER', 'kafka-cluster', 'ALTER'),
    acl('User:e', 'TOPIC', 'orders', 'ALTER_CONFIGS'),
    acl('Group:ops', 'TOPIC', 'orders', 'ALL'),
    acl('User:f', 'GROUP', 'billing', 'READ'),
    acl('User:g', 'TOPIC', 'orders', 'READ'),
    acl('User:g', 'TOPIC', 'orders', 'DESCRIBE'),
    acl('User:g', 'GROUP', 'g', 'ALL'),
  ]);
  const { desired: adapted, problems } = adaptDesiredAcls(desired);
  const errors = problems.filter((p) => p.severity === 'error');
  const at = (i: number) => desired.acls[i]!.source.line;
  assert.deepEqual(
    errors.map((p) => p.line).sort((x, y) => x - y),
    [at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(9)],
  );
  const text = errors.map((p) => p.message).join('\n');
  assert.match(text, /TOPIC READ on orders \(LITERAL\) for User:a: DigitalOcean grants consume/);
  assert.match(text, /no DENY permissions/);
  assert.match(text, /from host 10\.0\.0\.1: its permissions apply from any host/);
  assert.match(text, /CLUSTER ALTER on kafka-cluster .* topics only/);
  assert.match(text, /User:\<name\>/);
  assert.match(text, /GROUP READ on billing .* User:f lacks/);
  assert.match(text, /GROUP ALL on g .* an admin permission/);
  assert.deepEqual(short(adapted.acls), ['User:g TOPIC orders LITERAL DESCRIBE', 'User:g TOPIC orders LITERAL READ']);
  assert.ok(errors.every((p) => p.file === 'acls.yaml' && p.column === 5 && p.path.startsWith('/acls/')));
});

test('ALL with redundant operations adapts to admin alone, so a live admin user plans as no change', () => {
  const { desired: adapted, problems } = adaptDesiredAcls(
    state([acl('User:ops', 'TOPIC', 'x', 'ALL'), acl('User:ops', 'TOPIC', 'x', 'READ'), acl('User:ops', 'TOPIC', 'x', 'DESCRIBE')]),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(short(adapted.acls), ['User:ops TOPIC x LITERAL ALL']);
  assert.deepEqual(short(userAclsToBindings('ops', [{ topic: 'x', permission: 'admin' }]).bindings), short(adapted.acls));
});

test('a role DigitalOcean cannot express fully is an error naming the role at the parameter; what it can express is kept', () => {
  const entry = { principal: 'User:pay', role: 'transactional-producer' as const, topics: ['payments'], transactionalIds: ['pay-tx'] };
  const desired = state(
    expandRole(entry).map(({ path, ...b }) => ({ ...b, role: entry.role, source: { file: 'f.yaml', line: path.startsWith('/topics') ? 5 : 6, column: 1, path } })),
  );
  const { desired: adapted, problems } = adaptDesiredAcls(desired);
  assert.deepEqual(
    problems.map((p) => `${p.severity} ${p.line} ${p.message}`),
    ['WRITE', 'DESCRIBE'].map(
      (op) => `error 6 DigitalOcean cannot express ALLOW TRANSACTIONAL_ID ${op} on pay-tx (LITERAL) for User:pay (from role transactional-producer): it grants permissions on topics only.`,
    ),
  );
  assert.deepEqual(
    adapted.acls.map((a) => `${a.resourceType} ${a.operation} ${a.role}`),
    ['TOPIC DESCRIBE transactional-producer', 'TOPIC WRITE transactional-producer'],
  );
});
