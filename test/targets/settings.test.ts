// The settings checks every kind shares: what is known of a value written with ${VAR} references,
// and what changes once the values are resolved when the cluster is used.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import type { ClusterSpec, JsonValue } from '../../src/model.js';
import { checkSettings, resolveSettings, SettingText, type SettingsCheck } from '../../src/targets/settings.js';
import { checkConfluentSettings } from '../../src/targets/confluent/settings.js';
import { checkDigitalOceanSettings } from '../../src/targets/digitalocean/settings.js';

const written = (check: SettingsCheck, settings: Record<string, JsonValue>): string[] =>
  checkSettings(settings, 'written', check).map((f) => `${f.severity} ${f.path}: ${f.message}`);

describe('SettingText', () => {
  it('splits a written value into literal text and references; a resolved one is all literal', () => {
    const t = SettingText.of('https://$${x}${HOST:-h}/kafka/${V}', 'written');
    assert.equal(t.literal, undefined);
    assert.equal(t.head, 'https://${x}');
    assert.equal(t.tail, '');
    assert.deepEqual(t.literalPieces, ['https://${x}', 'h', '/kafka/']);
    assert.equal(SettingText.of('a${B}', 'resolved').literal, 'a${B}');
    assert.equal(SettingText.of('plain', 'written').literal, 'plain');
  });
});

describe('settings as written', () => {
  it('checks the literal parts of URLs around references', () => {
    const url = (restUrl: string): string[] => written(checkConfluentSettings, { restUrl }).map((l) => l.replace(/ \(did you mean.*/, ''));
    assert.deepEqual(url('${REST_URL}'), []);
    assert.deepEqual(url('https://${HOST}/kafka/v3'), []);
    assert.deepEqual(url('${BASE}/v3/'), []);
    assert.deepEqual(url('htt${S}://h/v3'), []);
    assert.deepEqual(url('${BASE}/kafka'), ['error /restUrl: restUrl must end with the API version segment: /kafka/v3 (Confluent Cloud, Confluent Server) or /v3 (REST Proxy)']);
    assert.deepEqual(url('pkc-${N}.confluent.cloud/kafka/v3'), ['error /restUrl: restUrl must start with https://']);
    assert.deepEqual(url('ftp://${HOST}/v3'), ['error /restUrl: restUrl must be an https:// URL, not ftp://']);
    assert.deepEqual(url('ftp://host/kafka'), ['error /restUrl: restUrl must be an https:// URL, not ftp://'], 'one problem at a time');
    assert.deepEqual(url('https://key:secret@h/v3'), ['error /restUrl: restUrl must not contain credentials; use auth']);
    assert.deepEqual(url('http://${HOST}/v3'), []);
    assert.deepEqual(url('http://broker.internal:${PORT}/v3'), [
      'warning /restUrl: restUrl uses http:// to broker.internal: credentials and data cross the network unencrypted; use https://',
    ]);
    for (const host of ['localhost:8082', '127.0.0.1', '[::1]:8082', 'kafka.localhost', '[::1]:${PORT}', '127.0.0.1:${PORT}']) {
      assert.deepEqual(url(`http://${host}/v3`), [], host);
    }
    assert.deepEqual(written(checkConfluentSettings, { restUrl: 'key:s3cret@pkc-1.confluent.cloud/kafka/v3', clusterId: 'lkc-1' }), [
      'error /restUrl: restUrl must start with https://',
    ]);
  });

  it('checks numbers, booleans and identifiers where they are literal', () => {
    const id = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';
    assert.deepEqual(
      written(checkDigitalOceanSettings, {
        databaseId: '9cc10173-${REST}',
        token: '${T}',
        concurrency: '${N}0',
        retry: { maxAttempts: '1${N}', baseDelayMs: 'x${N}' },
        topicCreation: { timeoutMs: 0 },
      }),
      ['error /retry/baseDelayMs: retry.baseDelayMs must be a whole number of at least 0', 'error /topicCreation/timeoutMs: topicCreation.timeoutMs must be a whole number of at least 1'],
    );
    assert.deepEqual(written(checkDigitalOceanSettings, { databaseId: 'prod-${ID}', token: '${T}' }), [
      "error /databaseId: databaseId must be the database cluster's UUID, e.g. 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30 (shown by `doctl databases list`)",
    ]);
    assert.deepEqual(
      written(checkConfluentSettings, { restUrl: 'https://h/v3', insecureSkipTlsVerify: '${INSECURE}', clusterId: '${ID}' }),
      [],
    );
    assert.deepEqual(written(checkConfluentSettings, { restUrl: 'https://h/v3', insecureSkipTlsVerify: 'on${X}' }), [
      'error /insecureSkipTlsVerify: insecureSkipTlsVerify must be true or false',
    ]);
    assert.deepEqual(written(checkDigitalOceanSettings, { databaseId: id, token: '${A}${B}' }), []);
  });

  it('warns about credentials written literally, in part, or as a default, and never quotes them', () => {
    for (const token of ['dop_v1_abc', 'Bearer ${T}', '${T:-dop_v1_abc}']) {
      const found = written(checkDigitalOceanSettings, { databaseId: '${ID}', token });
      assert.deepEqual(found, ['warning /token: token is a credential written in the manifest; read it from the environment instead: "${VARIABLE}"'], token);
    }
    assert.deepEqual(written(checkDigitalOceanSettings, { databaseId: '${ID}', token: '${T:-}' }), []);
  });
});

describe('settings when the cluster is used', () => {
  const spec = (settings: Record<string, JsonValue>): ClusterSpec => ({
    name: 'prod',
    type: 'confluent',
    settings,
    baseDir: '/m',
    source: { file: 'm.yaml', line: 3, column: 3, path: '/clusters/prod' },
    settingSources: { '/restUrl': { file: 'm.yaml', line: 4, column: 14, path: '/clusters/prod/restUrl' } },
  });

  it('checks resolved values with their place, and logs warnings only the environment revealed', () => {
    const logs: string[] = [];
    assert.deepEqual(resolveSettings(spec({ restUrl: '${URL}' }), { URL: 'http://kafka.internal/v3' }, checkConfluentSettings, (l) => logs.push(l)), {
      restUrl: 'http://kafka.internal/v3',
    });
    assert.deepEqual(logs, [
      'm.yaml:4:14: warning: cluster prod: restUrl uses http:// to kafka.internal: credentials and data cross the network unencrypted; use https://',
    ]);
    logs.length = 0;
    resolveSettings(spec({ restUrl: 'http://kafka.internal/v3' }), {}, checkConfluentSettings, (l) => logs.push(l));
    assert.deepEqual(logs, [], 'a literal URL was warned about when the manifests were loaded');
    assert.throws(
      () => resolveSettings(spec({ restUrl: '${URL}' }), { URL: 'kafka.internal:8082' }, checkConfluentSettings),
      (e: unknown) => e instanceof ConfigError && e.message === 'm.yaml:4:14: cluster prod: restUrl must start with https:// (did you mean "https://kafka.internal:8082/v3"?)',
    );
  });
});
