import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { parseConfluentSettings } from '../../../src/targets/confluent/settings.js';
import { CONFLUENT_CAPABILITIES, confluentKind } from '../../../src/targets/confluent/index.js';

const parse = (raw: Parameters<typeof parseConfluentSettings>[0]) => parseConfluentSettings(raw, 'prod', '/etc/kafkaform');

test('settings: defaults, both auth types, relative CA files, integer spellings from ${VAR}', () => {
  assert.deepEqual(parse({ restUrl: 'https://pkc-1.confluent.cloud/kafka/v3/', clusterId: 'lkc-1' }), {
    restUrl: 'https://pkc-1.confluent.cloud/kafka/v3',
    clusterId: 'lkc-1',
    insecureSkipTlsVerify: false,
    retry: {},
    concurrency: 8,
    aclBatchSize: 100,
  });
  const s = parse({
    restUrl: 'https://proxy:8082/v3',
    clusterId: 'abc',
    auth: { type: 'basic', username: 'k', password: 'p' },
    caFile: 'certs/ca.pem',
    insecureSkipTlsVerify: 'false',
    timeouts: { connectMs: 500, readMs: '9000' },
    retry: { maxAttempts: '3', baseDelayMs: 10, maxDelayMs: 100 },
    concurrency: 2,
  });
  assert.equal(s.caFile, '/etc/kafkaform/certs/ca.pem');
  assert.deepEqual(s.auth, { type: 'basic', username: 'k', password: 'p' });
  assert.deepEqual([s.connectTimeoutMs, s.readTimeoutMs, s.retry, s.concurrency], [500, 9000, { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, 2]);
  assert.deepEqual(parse({ restUrl: 'https://h/kafka/v3', auth: { type: 'bearer', token: 't' } }).auth, { type: 'bearer', token: 't' });
});

test('settings problems are one sentence naming the cluster and never quoting secrets', () => {
  const bad: Array<[Parameters<typeof parse>[0], RegExp]> = [
    [{}, /Cluster "prod": restUrl is required\./],
    [{ restUrl: 'pkc-1.confluent.cloud' }, /^Cluster "prod": restUrl must start with https:\/\/ \(did you mean "https:\/\/pkc-1\.confluent\.cloud\/kafka\/v3"\?\)\.$/],
    [{ restUrl: 'https://pkc-1.confluent.cloud', clusterId: 'lkc-1' }, /must end with the API version segment \(did you mean "https:\/\/pkc-1\.confluent\.cloud\/kafka\/v3"\?\)/],
    [{ restUrl: 'https://pkc-1.confluent.cloud/kafka/v3' }, /a Confluent Cloud cluster needs clusterId/],
    [{ restUrl: 'ftp://h/v3' }, /restUrl must be an https:\/\/ URL, not ftp:\/\//],
    [{ restUrl: 'https://h/v3', clusterId: 'lkc 1/x' }, /clusterId must be the cluster id alone/],
    [{ restUrl: 'https://key:s3cr3t@h/kafka/v3' }, /must not contain credentials/],
    [{ restUrl: 'https://h/v3', auth: { type: 'oauth' } }, /auth\.type must be "basic" or "bearer"/],
    [{ restUrl: 'https://h/v3', auth: { type: 'basic', username: 'k' } }, /auth\.password is required/],
    [{ restUrl: 'https://h/v3', concurrency: 0 }, /concurrency must be a whole number of at least 1/],
    [{ restUrl: 'https://h/v3', timeouts: { readMs: '30s' } }, /timeouts\.readMs must be a whole number of at least 1/],
    [{ restUrl: 'https://h/v3', insecureSkipTlsVerify: 'yes' }, /insecureSkipTlsVerify must be true or false/],
  ];
  for (const [raw, message] of bad) {
    assert.throws(() => parse(raw), (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('s3cr3t'), JSON.stringify(raw));
  }
});

test('the kind is usable offline and declares what REST v3 can do', () => {
  assert.equal(confluentKind.type, 'confluent');
  assert.deepEqual(CONFLUENT_CAPABILITIES, {
    dryRun: true,
    replicationFactorChange: false,
    principalsMustExist: false,
    managedConfigPrefixes: ['confluent.'],
    reportsAllTopicConfigs: true,
  });
});
