import type { KafkaVersion } from '../../src/kafka/catalog.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  aclBindingFindings,
  configKeyFindings,
  configVersionFindings,
  crossKeyFindings,
  minInsyncFindings,
  principalFindings,
  scopePrefixFindings,
  roleFindings,
  topicCollisions,
  topicNameFindings,
} from '../../src/manifest/rules.js';
import type { AclBinding } from '../../src/model.js';

const binding = (b: Partial<AclBinding>): AclBinding => ({
  principal: 'User:a',
  host: '*',
  resourceType: 'TOPIC',
  resourceName: 't',
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
  ...b,
});

describe('semantic rules', () => {
  it('topic names: Kafka’s characters and length, ".", "..", leading "_"', () => {
    assert.deepEqual(topicNameFindings('orders.created-v1_x'), []);
    assert.deepEqual(topicNameFindings('a'.repeat(249)), []);
    assert.equal(topicNameFindings('a'.repeat(250)).length, 1);
    assert.equal(topicNameFindings('.')[0]?.severity, 'error');
    assert.equal(topicNameFindings('..')[0]?.severity, 'error');
    assert.equal(topicNameFindings('...').length, 0);
    assert.match(topicNameFindings('a/b')[0]?.message ?? '', /contains "\/"/);
    assert.match(topicNameFindings('__consumer_offsets')[0]?.message ?? '', /starts with "_"/);
  });

  it('collisions: only names that differ in . vs _ , reported against the first', () => {
    assert.deepEqual(topicCollisions(['a.b', 'a_b', 'a-b', 'a.b.c', 'a_b_c', 'a.b_c']), [
      { name: 'a_b', with: 'a.b' },
      { name: 'a_b_c', with: 'a.b.c' },
      { name: 'a.b_c', with: 'a.b.c' },
    ]);
  });

  it('scope prefixes are plain text', () => {
    assert.deepEqual(scopePrefixFindings('orders.'), []);
    assert.equal(
      scopePrefixFindings('orders.*')[0]?.message,
      'scope prefix "orders.*" can never match a topic name: prefixes are plain text, not patterns; write "orders."',
    );
    assert.equal(scopePrefixFindings('a b')[0]?.severity, 'error');
  });

  it('principals must be Type:name', () => {
    assert.deepEqual(principalFindings('User:orders-svc'), []);
    assert.deepEqual(principalFindings('User:CN=svc,OU=x'), []);
    assert.equal(principalFindings('orders-svc').length, 1);
    assert.equal(principalFindings('User:').length, 1);
    assert.equal(principalFindings(':x').length, 1);
  });

  it('bindings: CLUSTER must be kafka-cluster LITERAL; operations without effect warn', () => {
    assert.deepEqual(aclBindingFindings(binding({ resourceType: 'CLUSTER', resourceName: 'kafka-cluster', operation: 'IDEMPOTENT_WRITE' })), []);
    assert.equal(aclBindingFindings(binding({ resourceType: 'CLUSTER', resourceName: 'kafka-cluster', patternType: 'PREFIXED', operation: 'ALTER' }))[0]?.severity, 'error');
    assert.deepEqual(
      aclBindingFindings(binding({ resourceType: 'TRANSACTIONAL_ID', operation: 'READ' })).map((f) => f.severity),
      ['warning'],
    );
    assert.deepEqual(aclBindingFindings(binding({ operation: 'ALL' })), []);
    assert.deepEqual(aclBindingFindings(binding({ resourceName: '*' })), []);
    assert.deepEqual(aclBindingFindings(binding({ resourceType: 'GROUP', resourceName: 'g*' })), []);
    assert.deepEqual(aclBindingFindings(binding({ resourceName: 'orders.*' })), [
      {
        severity: 'warning',
        message: 'resource name "orders.*" matches no topic: "*" is not a wildcard inside a name; write resourceName "orders." with patternType PREFIXED',
      },
    ]);
  });

  it('roles grant something; producers take no groups', () => {
    assert.deepEqual(roleFindings({ principal: 'User:a', role: 'consumer', topics: ['t'] }), []);
    assert.deepEqual(roleFindings({ principal: 'User:a', role: 'consumer', groups: ['g'] }), []);
    assert.equal(roleFindings({ principal: 'User:a', role: 'admin' })[0]?.finding.severity, 'error');
    assert.equal(roleFindings({ principal: 'User:a', role: 'producer', topics: ['t'], groups: ['g'] })[0]?.path, '/groups');
    assert.deepEqual(roleFindings({ principal: 'User:a', role: 'streams', applicationId: 'orders.app-1_x' }), []);
    assert.match(roleFindings({ principal: 'User:a', role: 'streams', applicationId: 'orders app' })[0]?.finding.message ?? '', /cannot prefix topic names/);
    assert.equal(roleFindings({ principal: 'User:a', role: 'connect-worker', sourceConnectors: ['s'] })[0]?.path, '/sourceConnectors');
    assert.deepEqual(roleFindings({ principal: 'User:a', role: 'connect-worker', sourceConnectors: ['s'], exactlyOnce: true }), []);
  });

  it('config keys: catalog, vendor prefixes (built-in and configured), removed keys warn', () => {
    assert.deepEqual(configKeyFindings('retention.ms', []), []);
    assert.deepEqual(configKeyFindings('confluent.tier.enable', []), []);
    assert.deepEqual(configKeyFindings('acme.tier', ['acme.']), []);
    assert.equal(configKeyFindings('acme.tier', [])[0]?.severity, 'error');
    assert.deepEqual(configKeyFindings('message.downconversion.enable', []), []);
  });

  it('config keys against Kafka versions: removed keys name the version and the replacement', () => {
    assert.deepEqual(configVersionFindings('retention.ms', '4.1'), []);
    assert.deepEqual(configVersionFindings('message.timestamp.difference.max.ms', '3.9'), []);
    assert.deepEqual(configVersionFindings('message.timestamp.difference.max.ms', '4.0'), [
      {
        severity: 'error',
        message:
          'topic config "message.timestamp.difference.max.ms" was removed in Kafka 4.0; use message.timestamp.before.max.ms and message.timestamp.after.max.ms (the cluster\'s kafkaVersion is 4.0)',
      },
    ]);
    assert.match(configVersionFindings('remote.copy.lag.ms', '4.3')[0]?.message ?? '', /needs Kafka 4\.4; the cluster's kafkaVersion is 4\.3/);
    const open = configVersionFindings('compression.gzip.level', undefined);
    assert.equal(open[0]?.severity, 'warning');
    assert.match(open[0]?.message ?? '', /known to Kafka 3\.8 and later only/);
    assert.deepEqual(configVersionFindings('retention.ms', undefined), []);
  });

  it('broker-level names point at the topic key, with the unit conversion', () => {
    assert.match(configKeyFindings('log.roll.ms', [])[0]?.message ?? '', /a topic sets it with "segment\.ms"/);
    assert.match(configKeyFindings('message.max.bytes', [])[0]?.message ?? '', /"max\.message\.bytes"/);
    assert.match(configKeyFindings('log.retention.hours', [])[0]?.message ?? '', /"retention\.ms" in milliseconds \(log\.retention\.hours counts hours: 1 hour = 3600000 ms/);
  });

  it('cross-key rules as LogConfig.validate applies them, per version', () => {
    const rules = (config: Record<string, string>, v?: KafkaVersion) =>
      crossKeyFindings(new Map(Object.entries(config)), v).map((f) => `${f.key} ${f.finding.severity}`);
    assert.deepEqual(rules({ 'min.compaction.lag.ms': '2', 'max.compaction.lag.ms': '1' }), ['min.compaction.lag.ms error']);
    assert.deepEqual(rules({ 'min.compaction.lag.ms': '2', 'max.compaction.lag.ms': '2' }), []);
    // Tiered-storage rules only apply with remote.storage.enable=true.
    assert.deepEqual(rules({ 'cleanup.policy': 'compact' }), []);
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'cleanup.policy': 'compact' }), ['cleanup.policy error']);
    // Kafka 4.1 narrowed the rule: "delete,delete" is fine before it, and "" fine from it.
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'cleanup.policy': '' }, '4.1'), []);
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'local.retention.ms': '5', 'retention.ms': '4' }), ['local.retention.ms error']);
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'local.retention.ms': '5', 'retention.ms': '-1' }), []);
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'local.retention.ms': '-1', 'retention.ms': '4' }), ['local.retention.ms error']);
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'local.retention.bytes': '-1' }), []);
    assert.deepEqual(rules({ 'remote.storage.enable': 'true', 'local.retention.ms': '999999999999' }), ['local.retention.ms warning']);
    const copyOff = { 'remote.storage.enable': 'true', 'remote.log.copy.disable': 'true', 'local.retention.ms': '1', 'retention.ms': '2' };
    assert.deepEqual(rules(copyOff, '3.9'), ['remote.log.copy.disable error']);
    assert.deepEqual(rules({ ...copyOff, 'local.retention.ms': '2' }, '3.9'), []);
    const lag = { 'remote.storage.enable': 'true', 'remote.copy.lag.ms': '10', 'retention.ms': '5' };
    assert.deepEqual(rules(lag, '4.4'), ['remote.copy.lag.ms error']);
    assert.deepEqual(rules(lag, '4.3'), []);
  });

  it('min.insync.replicas may equal but not exceed the replication factor', () => {
    assert.deepEqual(minInsyncFindings('t', '3', 3), []);
    assert.deepEqual(minInsyncFindings('t', undefined, 1), []);
    assert.equal(minInsyncFindings('t', '4', 3).length, 1);
  });
});
