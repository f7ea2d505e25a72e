import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/errors.js';
import { toTopicConfig } from '../../../src/targets/confluent/wire.js';

const valid = (): Record<string, unknown> => ({
  kind: 'KafkaTopicConfig',
  metadata: { self: 'http://x/configs/retention.ms' },
  cluster_id: 'lkc-1',
  topic_name: 't',
  name: 'retention.ms',
  value: '1000',
  is_default: false,
  is_read_only: false,
  is_sensitive: false,
  source: 'DYNAMIC_TOPIC_CONFIG',
  synonyms: [
    { name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG' },
    { name: 'log.retention.hours', source: 'DEFAULT_CONFIG' },
  ],
});

test('a topic config entry is checked field by field; an absent value reads as null', () => {
  const c = toTopicConfig(valid());
  assert.deepEqual(
    [c.topic_name, c.name, c.value, c.is_default, c.is_read_only, c.is_sensitive, c.source],
    ['t', 'retention.ms', '1000', false, false, false, 'DYNAMIC_TOPIC_CONFIG'],
  );
  assert.deepEqual(c.synonyms.map((s) => [s.name, s.value, s.source]), [
    ['retention.ms', '1000', 'DYNAMIC_TOPIC_CONFIG'],
    ['log.retention.hours', null, 'DEFAULT_CONFIG'],
  ]);
  const { value: _value, ...noValue } = valid();
  assert.equal(toTopicConfig(noValue).value, null);
});

test('a malformed topic config entry is refused, whatever field is wrong', () => {
  const broken: Array<[string, (e: Record<string, unknown>) => void]> = [
    ['not an object', () => undefined],
    ['topic_name', (e) => delete e.topic_name],
    ['name', (e) => (e.name = 3)],
    ['value', (e) => (e.value = 1000)],
    ['is_default', (e) => (e.is_default = 'false')],
    ['is_read_only', (e) => delete e.is_read_only],
    ['is_sensitive', (e) => (e.is_sensitive = null)],
    ['source', (e) => delete e.source],
    ['synonyms', (e) => (e.synonyms = {})],
    ['a synonym', (e) => (e.synonyms = ['retention.ms'])],
    ['a synonym name', (e) => (e.synonyms = [{ value: '1', source: 'DEFAULT_CONFIG' }])],
    ['a synonym value', (e) => (e.synonyms = [{ name: 'x', value: 1, source: 'DEFAULT_CONFIG' }])],
    ['a synonym source', (e) => (e.synonyms = [{ name: 'x', value: '1' }])],
  ];
  for (const [what, breakIt] of broken) {
    const e = valid();
    breakIt(e);
    assert.throws(() => toTopicConfig(what === 'not an object' ? [e] : e), ApiError, what);
  }
});
