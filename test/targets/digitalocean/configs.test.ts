import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LosslessNumber, parse, stringify } from 'lossless-json';
import { TOPIC_CONFIGS, canonicalConfigValue, normalizeConfigValue } from '../../../src/kafka/configs.js';
import {
  DO_CONFIGS,
  checkDesiredConfig,
  doValueToKafka,
  entryForDoKey,
  entryForKafkaKey,
  kafkaValueToDo,
  writableKafkaKeys,
} from '../../../src/targets/digitalocean/configs.js';

test('every row names a real Kafka topic config, with a matching value type', () => {
  for (const entry of DO_CONFIGS) {
    const spec = TOPIC_CONFIGS.get(entry.kafkaKey);
    assert.ok(spec, `${entry.doKey} maps to ${entry.kafkaKey}, which is not a Kafka topic config`);
    const expected = entry.type === 'enum' ? ['string', 'list'] : [entry.type];
    assert.ok(expected.includes(spec.type), `${entry.kafkaKey}: table says ${entry.type}, Kafka says ${spec.type}`);
    if (spec.validValues) {
      for (const v of Object.values(entry.values ?? {})) {
        for (const part of v.split(',')) assert.ok(spec.validValues.includes(part), `${entry.kafkaKey}: ${v} is not a Kafka value`);
      }
    }
  }
});

test('the table is explicit: names are not a mechanical _ -> . replacement', () => {
  assert.equal(entryForDoKey('message_down_conversion_enable')?.kafkaKey, 'message.downconversion.enable');
  assert.equal(TOPIC_CONFIGS.has('message.down.conversion.enable'), false);
  assert.equal(entryForKafkaKey('message.downconversion.enable')?.doKey, 'message_down_conversion_enable');
  assert.equal(new Set(DO_CONFIGS.map((e) => e.doKey)).size, DO_CONFIGS.length);
  assert.equal(new Set(DO_CONFIGS.map((e) => e.kafkaKey)).size, DO_CONFIGS.length);
});

test('enum values map both ways', () => {
  const cases: [string, string, string][] = [
    ['cleanup_policy', 'compact_delete', 'compact,delete'],
    ['cleanup_policy', 'compact', 'compact'],
    ['message_timestamp_type', 'create_time', 'CreateTime'],
    ['message_timestamp_type', 'log_append_time', 'LogAppendTime'],
    ['compression_type', 'lz4', 'lz4'],
    ['message_format_version', '3.0-IV1', '3.0-IV1'],
  ];
  for (const [doKey, doValue, kafka] of cases) {
    const entry = entryForDoKey(doKey)!;
    assert.equal(doValueToKafka(entry, doValue), kafka);
    assert.equal(kafkaValueToDo(entry, kafka), doValue);
  }
  // The schema's misspelling is understood on read; we always write Kafka's spelling.
  assert.equal(doValueToKafka(entryForDoKey('compression_type')!, 'Iz4'), 'lz4');
  assert.equal(doValueToKafka(entryForDoKey('cleanup_policy')!, 'compact,delete'), undefined);
});

test('live and desired spellings of the same setting normalise to the same string', () => {
  const pairs: [string, unknown, string | number | boolean][] = [
    ['cleanup_policy', 'compact_delete', 'delete,compact'],
    ['retention_ms', new LosslessNumber('604800000'), '7d'],
    ['retention_bytes', new LosslessNumber('1073741824'), '1GiB'],
    ['message_down_conversion_enable', false, false],
    ['min_cleanable_dirty_ratio', new LosslessNumber('0.5'), '0.50'],
    ['message_timestamp_type', 'log_append_time', 'LogAppendTime'],
  ];
  for (const [doKey, live, written] of pairs) {
    const entry = entryForDoKey(doKey)!;
    const desired = normalizeConfigValue(entry.kafkaKey, written);
    assert.ok(desired.ok, `${entry.kafkaKey}: ${JSON.stringify(desired)}`);
    assert.equal(doValueToKafka(entry, live), desired.value, entry.kafkaKey);
  }
});

test('64-bit values survive parse -> Kafka string -> DigitalOcean value -> JSON text exactly', () => {
  const body = parse('{"flush_ms":9223372036854775807,"retention_bytes":-9223372036854775808,"flush_messages":9007199254740993}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    const entry = entryForDoKey(key)!;
    const kafka = doValueToKafka(entry, raw)!;
    out[key] = kafkaValueToDo(entry, kafka);
  }
  assert.equal(doValueToKafka(entryForDoKey('flush_ms')!, body.flush_ms), '9223372036854775807');
  assert.equal(doValueToKafka(entryForDoKey('flush_messages')!, body.flush_messages), '9007199254740993');
  assert.equal(stringify(out), '{"flush_ms":9223372036854775807,"retention_bytes":-9223372036854775808,"flush_messages":9007199254740993}');
  // The documented default is Long.MAX_VALUE exactly, not the float the reference prints.
  assert.equal(entryForDoKey('flush_ms')!.defaultValue, '9223372036854775807');
});

test('a float32 dirty ratio reads back as the value that was written', () => {
  const entry = entryForDoKey('min_cleanable_dirty_ratio')!;
  assert.equal(doValueToKafka(entry, new LosslessNumber(String(Math.fround(0.1)))), '0.1');
  assert.equal(doValueToKafka(entry, new LosslessNumber('0.25')), '0.25');
  assert.equal(stringify({ v: kafkaValueToDo(entry, '0.1') }), '{"v":0.1}');
});

test('values DigitalOcean does not take are refused with a reason', () => {
  assert.match(checkDesiredConfig('unclean.leader.election.enable', 'true')!, /cannot set topic config unclean\.leader\.election\.enable/);
  assert.match(checkDesiredConfig('segment.index.bytes', '10485760')!, /does not accept it/);
  assert.match(checkDesiredConfig('message.format.version', '3.6-IV2')!, /must be one of/);
  assert.match(checkDesiredConfig('min.cleanable.dirty.ratio', '1.5')!, /at most 1/);
  assert.match(checkDesiredConfig('segment.ms', '0')!, /at least 1/);
  assert.match(checkDesiredConfig('retention.ms', '9223372036854775808')!, /at most/);
  assert.match(checkDesiredConfig('min.insync.replicas', '0')!, /at least 1/);
  assert.equal(checkDesiredConfig('retention.ms', '-1'), undefined);
  assert.equal(checkDesiredConfig('cleanup.policy', 'compact,delete'), undefined);
  assert.ok(!writableKafkaKeys().includes('segment.index.bytes'));
  assert.throws(() => kafkaValueToDo(entryForKafkaKey('preallocate')!, 'yes'), /true or false/);
});

test('defaults are canonical Kafka strings', () => {
  for (const entry of DO_CONFIGS) {
    assert.equal(canonicalConfigValue(entry.kafkaKey, entry.defaultValue), entry.defaultValue, entry.kafkaKey);
    assert.equal(checkDesiredConfig(entry.kafkaKey, entry.defaultValue) === undefined, entry.writable, entry.kafkaKey);
  }
});
