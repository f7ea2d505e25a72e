import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { checkKafkaSettings, parseKafkaSettings } from '../../../src/targets/kafka/settings.js';
import { checkSettings } from '../../../src/targets/settings.js';
import { saslOptions } from '../../../src/targets/kafka/sasl.js';
import { kafkaKind } from '../../../src/targets/kafka/index.js';

const parse = (raw: Parameters<typeof parseKafkaSettings>[0]) => parseKafkaSettings(raw, 'prod', '/etc/kafkaform');

describe('kafka cluster settings', () => {
  it('defaults: no SASL, no TLS, client id kafkaform', () => {
    assert.deepEqual(parse({ bootstrapServers: ['b-1.example:9092'] }), {
      bootstrapServers: [{ host: 'b-1.example', port: 9092 }],
      clientId: 'kafkaform',
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
    });
  });

  it('reads a comma-separated ${VAR} list, IPv6 addresses, SASL, TLS files relative to the manifest', () => {
    const s = parse({
      bootstrapServers: 'b-1.example:9096, [::1]:9093',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' },
      tls: { caFile: 'certs/ca.pem', certFile: '/abs/client.pem', keyFile: 'client.key', serverName: 'kafka.example' },
      clientId: 'ci',
      timeouts: { connectMs: '500', requestMs: 9000 },
    });
    assert.deepEqual(s.bootstrapServers, [
      { host: 'b-1.example', port: 9096 },
      { host: '::1', port: 9093 },
    ]);
    assert.deepEqual(s.sasl, { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' });
    assert.deepEqual(s.tls, {
      caFile: '/etc/kafkaform/certs/ca.pem',
      certFile: '/abs/client.pem',
      keyFile: '/etc/kafkaform/client.key',
      serverName: 'kafka.example',
      insecureSkipTlsVerify: false,
    });
    assert.deepEqual([s.clientId, s.connectTimeoutMs, s.requestTimeoutMs], ['ci', 500, 9000]);
  });

  it('tls: true uses the system CAs; the insecure opt-out is explicit and needs TLS', () => {
    assert.deepEqual(parse({ bootstrapServers: ['h:1'], tls: true }).tls, { insecureSkipTlsVerify: false });
    assert.deepEqual(parse({ bootstrapServers: ['h:1'], tls: 'true', insecureSkipTlsVerify: 'true' }).tls, { insecureSkipTlsVerify: true });
    assert.equal(parse({ bootstrapServers: ['h:1'], tls: 'false' }).tls, undefined);
    assert.throws(() => parse({ bootstrapServers: ['h:1'], insecureSkipTlsVerify: true }), /insecureSkipTlsVerify only applies with tls/);
  });

  it('refuses bad settings with one sentence naming the cluster and the setting, never the value', () => {
    const cases: [Parameters<typeof parse>[0], RegExp][] = [
      [{ bootstrapServers: [] }, /^Cluster "prod": bootstrapServers must list at least one host:port address\.$/],
      [{ bootstrapServers: ['no-port'] }, /bootstrapServers must hold host:port addresses/],
      [{ bootstrapServers: ['h:99999'] }, /bootstrapServers must hold host:port addresses/],
      [{ bootstrapServers: ['h:1'], sasl: { mechanism: 'PLAIN', username: 'u' } }, /sasl\.password is required/],
      [{ bootstrapServers: ['h:1'], sasl: { mechanism: 'GSSAPI' } }, /sasl\.mechanism must be one of PLAIN, SCRAM-SHA-256/],
      [{ bootstrapServers: ['h:1'], sasl: { mechanism: 'OAUTHBEARER' } }, /sasl\.token is required/],
      [{ bootstrapServers: ['h:1'], tls: { certFile: 'c.pem' } }, /tls\.certFile and tls\.keyFile go together/],
      [{ bootstrapServers: ['h:1'], tls: 'yes' }, /tls must be true or false/],
      [{ bootstrapServers: ['h:1'], timeouts: { requestMs: 0 } }, /timeouts\.requestMs must be a whole number of at least 1/],
    ];
    for (const [raw, message] of cases) assert.throws(() => parse(raw), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    assert.throws(
      () => parse({ bootstrapServers: ['h:1'], sasl: { mechanism: 'PLAIN', username: 'u', password: 12 } }),
      (e: unknown) => e instanceof ConfigError && !e.message.includes('12'),
    );
  });

  it('checks the settings as written offline: literal parts of ${VAR} values, written credentials', () => {
    const written = (settings: Parameters<typeof checkSettings>[0]) =>
      checkSettings(settings, 'written', checkKafkaSettings).map((f) => `${f.severity} ${f.path} ${f.message}`);
    assert.deepEqual(written({ bootstrapServers: '${BROKERS}', sasl: { mechanism: 'OAUTHBEARER', token: '${TOKEN}' }, tls: '${TLS}' }), []);
    assert.deepEqual(written({ bootstrapServers: ['${HOST}:9092', 'b-2.example:9092,${B3}:x'], insecureSkipTlsVerify: true }), [
      'error /bootstrapServers/1 bootstrapServers must hold host:port addresses (e.g. broker-1.example.com:9092, [::1]:9092)',
      'error /insecureSkipTlsVerify insecureSkipTlsVerify only applies with tls',
    ]);
    assert.deepEqual(written({ bootstrapServers: 'h:1', sasl: { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'hunter2' }, tls: { caFile: 'ca.pem' } }), [
      'warning /sasl/password sasl.password is a credential written in the manifest; read it from the environment instead: "${VARIABLE}"',
    ]);
    assert.deepEqual(written({ bootstrapServers: 'h:1', sasl: { mechanism: 'GSSAPI' }, tls: 'maybe' }), [
      'error /sasl/mechanism sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, AWS_MSK_IAM',
      'error /tls tls must be true or false',
    ]);
  });

  it('SASL mechanisms map to the client\'s options (OAUTHBEARER and AWS_MSK_IAM: sasl.test.ts)', () => {
    assert.deepEqual(saslOptions({ mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' }, 'prod'), { mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' });
  });

  it('the kind resolves ${VAR} settings only when the cluster is opened', async () => {
    const spec = {
      name: 'prod',
      type: 'kafka' as const,
      settings: { bootstrapServers: ['${KAFKA_BOOTSTRAP}'] },
      baseDir: '/',
      source: { file: 'c.yaml', line: 3, column: 5, path: '/clusters/prod' },
    };
    await assert.rejects(kafkaKind.open(spec, {}, { log: () => undefined, debug: false }), /environment variable KAFKA_BOOTSTRAP is not set \(cluster prod/);
    assert.deepEqual(kafkaKind.capabilities, { dryRun: true, replicationFactorChange: true, principalsMustExist: false, managedConfigPrefixes: [], reportsAllTopicConfigs: true });
  });
});
