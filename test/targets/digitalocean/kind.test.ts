import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredState } from '../../../src/model.js';
import { digitaloceanKind } from '../../../src/targets/digitalocean/index.js';

const at = (line: number, path: string) => ({ file: 'topics.yaml', line, column: 5, path });

test('topics DigitalOcean cannot hold are validation errors at the topic, offline', () => {
  const desired: DesiredState = {
    topics: [
      { name: 'ok', partitions: 6, replicationFactor: 3, config: { 'retention.ms': '86400000', 'cleanup.policy': 'compact,delete' }, source: at(3, '/topics/0') },
      {
        name: 'bad',
        partitions: 1,
        replicationFactor: 1,
        config: { 'unclean.leader.election.enable': 'true', 'message.format.version': '3.6-IV2' },
        source: at(9, '/topics/1'),
      },
    ],
    acls: [],
    scope: { topicPrefixes: [], groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: [] },
  };
  const { desired: adapted, problems } = digitaloceanKind.adaptDesired!(desired);
  assert.deepEqual(adapted.topics, desired.topics);
  assert.deepEqual(
    problems.map((p) => [p.severity, p.line, p.path, p.message]),
    [
      ['error', 9, '/topics/1', 'Topic bad: DigitalOcean topics have 3 to 2048 partitions, not 1.'],
      ['error', 9, '/topics/1', 'Topic bad: DigitalOcean topics have a replication factor of at least 2, not 1.'],
      ['error', 9, '/topics/1/config/message.format.version', `Topic bad: message.format.version (DigitalOcean message_format_version) must be one of 0.8.0, 0.8.1, 0.8.2, 0.9.0, 0.10.0-IV0, 0.10.0-IV1, 0.10.1-IV0, 0.10.1-IV1, 0.10.1-IV2, 0.10.2-IV0, 0.11.0-IV0, 0.11.0-IV1, 0.11.0-IV2, 1.0-IV0, 1.1-IV0, 2.0-IV0, 2.0-IV1, 2.1-IV0, 2.1-IV1, 2.1-IV2, 2.2-IV0, 2.2-IV1, 2.3-IV0, 2.3-IV1, 2.4-IV0, 2.4-IV1, 2.5-IV0, 2.6-IV0, 2.7-IV0, 2.7-IV1, 2.7-IV2, 2.8-IV0, 2.8-IV1, 3.0-IV0, 3.0-IV1, 3.1-IV0, 3.2-IV0, 3.3-IV0, 3.3-IV1, 3.3-IV2, 3.3-IV3, not "3.6-IV2".`],
      ['error', 9, '/topics/1/config/unclean.leader.election.enable', `Topic bad: DigitalOcean's API cannot set topic config unclean.leader.election.enable; it accepts cleanup.policy, compression.type, delete.retention.ms, file.delete.delay.ms, flush.messages, flush.ms, index.interval.bytes, max.compaction.lag.ms, max.message.bytes, message.downconversion.enable, message.format.version, message.timestamp.type, min.cleanable.dirty.ratio, min.compaction.lag.ms, min.insync.replicas, preallocate, retention.bytes, retention.ms, segment.bytes, segment.jitter.ms, segment.ms.`],
    ],
  );
});

test('the kind declares what DigitalOcean can do', () => {
  assert.deepEqual(digitaloceanKind.capabilities, {
    dryRun: false,
    replicationFactorChange: true,
    principalsMustExist: true,
    managedConfigPrefixes: [],
  });
  assert.equal(digitaloceanKind.type, 'digitalocean');
});
