// The pure pieces of adoption: values in units, topicDefaults factoring, ACL bindings grouped into
// roles, name prefixes, and the files a folder is laid out in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { writtenConfigValue } from '../../src/adopt/values.js';
import { factorDefaults, majority, type TopicFacts } from '../../src/adopt/defaults.js';
import { aclEntries, roleName } from '../../src/adopt/roles.js';
import { fileStem, namePrefix, prefixesOf } from '../../src/adopt/scope.js';
import { adopt, adoptedFiles } from '../../src/adopt/index.js';
import { bindingKey, expandAcl } from '../../src/manifest/acls.js';
import { ACL_ROLES, type WrittenAcl } from '../../src/manifest/written.js';
import { normalizeConfigValue } from '../../src/kafka/configs.js';
import type { AclBinding, LiveConfig, LiveState, SourceLocation } from '../../src/model.js';

const NOWHERE: SourceLocation = { file: '', line: 0, column: 0, path: '' };

function expanded(entries: readonly WrittenAcl[]): string[] {
  return entries.flatMap((e) => expandAcl(e, '', () => NOWHERE)).map(bindingKey).sort();
}

function keys(bindings: readonly AclBinding[]): string[] {
  return bindings.map(bindingKey).sort();
}

function binding(principal: string, resourceType: AclBinding['resourceType'], resourceName: string, operation: AclBinding['operation'], extra: Partial<AclBinding> = {}): AclBinding {
  return { principal, host: '*', resourceType, resourceName, patternType: 'LITERAL', operation, permission: 'ALLOW', ...extra };
}

describe('config values in human units', () => {
  it('writes whole units, numbers and booleans, and nothing that reads back differently', () => {
    assert.equal(writtenConfigValue('retention.ms', '604800000'), '7d');
    assert.equal(writtenConfigValue('retention.ms', '86400000'), '1d');
    assert.equal(writtenConfigValue('segment.ms', '3600000'), '1h');
    assert.equal(writtenConfigValue('segment.bytes', '104857600'), '100MiB');
    assert.equal(writtenConfigValue('segment.bytes', '1073741824'), '1GiB');
    // Not a whole unit, a sentinel, below a second: numbers.
    assert.equal(writtenConfigValue('retention.ms', '604800001'), 604800001);
    assert.equal(writtenConfigValue('retention.ms', '-1'), -1);
    assert.equal(writtenConfigValue('flush.ms', '999'), 999);
    // A long beyond 2^53 stays a string: a YAML number would lose digits.
    assert.equal(writtenConfigValue('flush.ms', '9223372036854775807'), '9223372036854775807');
    assert.equal(writtenConfigValue('min.insync.replicas', '2'), 2);
    assert.equal(writtenConfigValue('min.cleanable.dirty.ratio', '0.5'), 0.5);
    assert.equal(writtenConfigValue('unclean.leader.election.enable', 'true'), true);
    assert.equal(writtenConfigValue('cleanup.policy', 'delete,compact'), 'compact,delete');
    assert.equal(writtenConfigValue('compression.type', 'zstd'), 'zstd');
  });

  it('reads back to exactly the value it came from', () => {
    const cases: [string, string][] = [
      ['retention.ms', '172800000'], ['retention.ms', '1'], ['segment.bytes', '536870912'], ['max.message.bytes', '1048588'],
      ['local.retention.bytes', '-2'], ['segment.jitter.ms', '0'], ['min.compaction.lag.ms', '90000'], ['index.interval.bytes', '4096'],
    ];
    for (const [key, value] of cases) {
      const back = normalizeConfigValue(key, writtenConfigValue(key, value));
      assert.ok(back.ok && back.value === value, `${key}=${value} → ${JSON.stringify(writtenConfigValue(key, value))}`);
    }
  });
});

describe('topicDefaults factoring', () => {
  const topic = (name: string, partitions: number, own: Record<string, string> = {}, inherited: Record<string, string> = {}): TopicFacts => ({
    name, partitions, replicationFactor: 3, own, inherited,
  });

  it('needs more than half of the topics and at least two', () => {
    assert.equal(majority([6, 6, 3]), 6);
    assert.equal(majority([6, 3]), undefined);
    assert.equal(majority([6]), undefined);
    assert.equal(majority([6, 6, 3, 3]), undefined);
    assert.equal(majority(['a', 'a'], 4), undefined);
  });

  it('factors sizes and config values most topics share; topics keep what differs', () => {
    const f = factorDefaults([
      topic('a', 6, { 'retention.ms': '604800000' }),
      topic('b', 6, { 'retention.ms': '604800000' }),
      topic('c', 3, { 'retention.ms': '86400000' }),
    ]);
    assert.deepEqual(f.defaults, { partitions: 6, replicationFactor: 3, config: { 'retention.ms': '604800000' } });
    assert.deepEqual(f.topics, [
      { name: 'a', config: {} },
      { name: 'b', config: {} },
      { name: 'c', partitions: 3, config: { 'retention.ms': '86400000' } },
    ]);
  });

  it('writes the inherited value on topics that do not set a factored key, unless it equals the default', () => {
    const f = factorDefaults([
      topic('a', 1, { 'retention.ms': '604800000' }),
      topic('b', 1, { 'retention.ms': '604800000' }),
      topic('c', 1, { 'retention.ms': '604800000' }),
      topic('d', 1, {}, { 'retention.ms': '86400000' }),
      topic('e', 1, {}, { 'retention.ms': '604800000' }),
    ]);
    assert.deepEqual(f.defaults.config, { 'retention.ms': '604800000' });
    assert.deepEqual(f.topics.map((t) => t.config), [{}, {}, {}, { 'retention.ms': '86400000' }, {}]);
  });

  it('counts only values set on topics: values every topic inherits stay with the broker', () => {
    const inherits = { 'retention.ms': '604800000' };
    const f = factorDefaults([topic('a', 1, {}, inherits), topic('b', 1, {}, inherits), topic('c', 1, { 'retention.ms': '604800000' }, {})]);
    assert.deepEqual(f.defaults.config, {});
  });

  it('does not factor a key when a topic that lacks it has no known effective value', () => {
    const f = factorDefaults([
      topic('a', 1, { 'retention.ms': '604800000' }),
      topic('b', 1, { 'retention.ms': '604800000' }),
      topic('c', 1),
    ]);
    assert.deepEqual(f.defaults.config, {});
    assert.deepEqual(f.topics.map((t) => t.config), [{ 'retention.ms': '604800000' }, { 'retention.ms': '604800000' }, {}]);
  });
});

describe('ACL bindings grouped into roles', () => {
  it('groups exact matches of the roles and leaves the rest explicit', () => {
    const live = [
      binding('User:billing', 'TOPIC', 'orders.created', 'READ'),
      binding('User:billing', 'TOPIC', 'orders.created', 'DESCRIBE'),
      binding('User:billing', 'GROUP', 'billing', 'READ'),
      // READ without DESCRIBE matches no role.
      binding('User:billing', 'TOPIC', 'orders.shipped', 'READ'),
      binding('User:svc', 'TOPIC', 'orders.', 'WRITE', { patternType: 'PREFIXED' }),
      binding('User:svc', 'TOPIC', 'orders.', 'DESCRIBE', { patternType: 'PREFIXED' }),
      binding('User:svc', 'TOPIC', 'audit', 'WRITE', { permission: 'DENY' }),
      binding('User:svc', 'TOPIC', 'audit', 'DESCRIBE', { permission: 'DENY' }),
    ];
    const entries = aclEntries(live);
    assert.deepEqual(entries, [
      { principal: 'User:billing', role: 'consumer', topics: ['orders.created'], groups: ['billing'] },
      { principal: 'User:billing', resourceType: 'TOPIC', resourceName: 'orders.shipped', operations: ['READ'] },
      { principal: 'User:svc', role: 'producer', topics: ['orders.*'] },
      { principal: 'User:svc', role: 'producer', topics: ['audit'], permission: 'DENY' },
    ]);
    assert.deepEqual(expanded(entries), keys(live));
  });

  it('never declares a binding twice, where roles overlap', () => {
    // READ, WRITE and DESCRIBE: consumer and producer would both give DESCRIBE.
    const live = ['READ', 'WRITE', 'DESCRIBE'].map((op) => binding('User:x', 'TOPIC', 't', op as AclBinding['operation']));
    const entries = aclEntries(live);
    assert.equal(entries.filter((e) => 'role' in e).length, 1);
    const all = entries.flatMap((e) => expandAcl(e, '', () => NOWHERE)).map(bindingKey);
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual([...all].sort(), keys(live));
  });

  it('names only resources a role entry can write back (a LITERAL name ending in * cannot)', () => {
    assert.equal(roleName('orders.', 'PREFIXED'), 'orders.*');
    assert.equal(roleName('*', 'LITERAL'), '*');
    assert.equal(roleName('orders*', 'LITERAL'), undefined);
    const live = [binding('User:x', 'TOPIC', 'odd*', 'WRITE'), binding('User:x', 'TOPIC', 'odd*', 'DESCRIBE')];
    assert.deepEqual(aclEntries(live), [{ principal: 'User:x', resourceType: 'TOPIC', resourceName: 'odd*', operations: ['DESCRIBE', 'WRITE'] }]);
  });

  it('writes back every role of the role table given topics and groups, exactly, as role entries only', () => {
    for (const role of ACL_ROLES) {
      const entry: WrittenAcl = { principal: 'User:r', role, topics: ['t1', 'p.*'], groups: ['g'] };
      const live = expandAcl(entry, '', () => NOWHERE).map(({ principal, host, resourceType, resourceName, patternType, operation, permission }) => ({
        principal, host, resourceType, resourceName, patternType, operation, permission,
      }));
      const entries = aclEntries(live);
      assert.deepEqual(expanded(entries), keys(live), `role ${role}`);
      assert.ok(entries.every((e) => 'role' in e), `role ${role} was not written back as roles: ${JSON.stringify(entries)}`);
    }
  });

  it('prefers the plainer of two roles giving the same bindings', () => {
    const live = [binding('User:p', 'TOPIC', 't', 'WRITE'), binding('User:p', 'TOPIC', 't', 'DESCRIBE')];
    assert.deepEqual(aclEntries(live), [{ principal: 'User:p', role: 'producer', topics: ['t'] }]);
  });
});

describe('name prefixes', () => {
  it('cuts at the first separator after the first character', () => {
    assert.equal(namePrefix('orders.created.v1'), 'orders.');
    assert.equal(namePrefix('orders-created'), 'orders-');
    assert.equal(namePrefix('team_a.orders'), 'team_');
    assert.equal(namePrefix('.hidden.x'), '.hidden.');
    assert.equal(namePrefix('audit'), 'audit');
    assert.deepEqual(prefixesOf(['b.1', 'a.2', 'a.1', 'c']), ['a.', 'b.', 'c']);
    assert.equal(fileStem('orders.'), 'orders');
    assert.equal(fileStem('audit'), 'audit');
    assert.equal(fileStem('.hidden.'), '_hidden');
    assert.equal(fileStem('CN=svc,OU=x'), 'CN_svc_OU_x');
  });
});

describe('adopting a live state', () => {
  const config = (value: string, setOnTopic: boolean, extra: Partial<LiveConfig> = {}): LiveConfig => ({
    value, setOnTopic, source: setOnTopic ? 'DYNAMIC_TOPIC_CONFIG' : 'DEFAULT_CONFIG', readOnly: false, sensitive: false, ...extra,
  });
  const live: LiveState = {
    clusterId: 'c',
    topics: [
      { name: '__consumer_offsets', partitions: 50, replicationFactor: 3, internal: true, configs: {} },
      { name: 'audit', partitions: 1, replicationFactor: 3, internal: false, configs: { 'retention.ms': config('604800000', false) } },
      { name: 'orders.a', partitions: 6, replicationFactor: 3, internal: false, configs: { 'retention.ms': config('86400000', true), 'confluent.x': config('1', true) } },
      { name: 'orders.b', partitions: 6, replicationFactor: 3, internal: false, configs: { 'retention.ms': config('86400000', true), 'secret.thing': config('x', true, { sensitive: true }) } },
      { name: 'payments.x', partitions: 6, replicationFactor: 3, internal: false, configs: {} },
    ],
    acls: [
      binding('User:billing', 'TOPIC', 'orders.a', 'READ'),
      binding('User:billing', 'TOPIC', 'orders.a', 'DESCRIBE'),
      binding('User:billing', 'GROUP', 'billing', 'READ'),
      binding('User:ops', 'TOPIC', 'payments.x', 'ALL'),
      binding('User:ops', 'CLUSTER', 'kafka-cluster', 'DESCRIBE'),
    ],
  };

  it('owns the prefixes of what it adopted and the principals whole', () => {
    const a = adopt(live, { ignoredConfigPrefixes: ['confluent.'] });
    assert.deepEqual(a.scope, { topics: ['audit', 'orders.', 'payments.'], principals: ['User:billing', 'User:ops'] });
    assert.deepEqual(a.topicDefaults, { partitions: 6, replicationFactor: 3 });
    assert.deepEqual(a.topics, [
      { name: 'audit', partitions: 1 },
      { name: 'orders.a', config: { 'retention.ms': '1d' } },
      { name: 'orders.b', config: { 'retention.ms': '1d' } },
      { name: 'payments.x' },
    ]);
    assert.deepEqual(a.omitted, [{ topic: 'orders.b', key: 'secret.thing' }]);
    assert.equal(a.bindings, 5);
  });

  it('with --prefix, adopts what is inside the prefixes and owns exactly that', () => {
    const a = adopt(live, { ignoredConfigPrefixes: [], prefixes: ['orders.'] });
    assert.deepEqual(a.scope, { topics: ['orders.'], groups: ['orders.'], transactionalIds: ['orders.'] });
    assert.deepEqual(a.topics.map((t) => t.name), ['orders.a', 'orders.b']);
    assert.deepEqual(a.acls, [{ principal: 'User:billing', role: 'consumer', topics: ['orders.a'] }]);
    assert.equal(a.bindings, 2);
  });

  it('lays the folder out in files, split by prefix when asked', () => {
    const a = adopt(live, { ignoredConfigPrefixes: [] });
    const clusters = { prod: { type: 'kafka', bootstrapServers: 'b:9092' } };
    const flat = adoptedFiles(a, { header: ['h'], clusters, splitByPrefix: false });
    assert.deepEqual(flat.map((f) => f.path), ['acls.yaml', 'clusters.yaml', 'kafkaform.yaml', 'topics.yaml']);
    const split = adoptedFiles(a, { header: ['h'], clusters, splitByPrefix: true });
    assert.deepEqual(split.map((f) => f.path), [
      'acls/billing.yaml', 'acls/ops.yaml', 'clusters.yaml', 'kafkaform.yaml', 'topics/audit.yaml', 'topics/orders.yaml', 'topics/payments.yaml',
    ]);
    const orders = split.find((f) => f.path === 'topics/orders.yaml')!.text;
    assert.match(orders, /^# h\n# Sensitive values are never exported; add them back with \$\{VAR\} references:\n# {3}topic orders\.b config secret\.thing\n/);
    assert.deepEqual(parse(orders), { apiVersion: 'kafkaform/v1', topics: a.topics.filter((t) => t.name.startsWith('orders.')) });
    assert.match(split.find((f) => f.path === 'kafkaform.yaml')!.text, /topics: \[audit, orders\., payments\.\]/);
  });
});
