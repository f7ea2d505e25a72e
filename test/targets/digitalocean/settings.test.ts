import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/errors.js';
import { parseDigitalOceanSettings } from '../../../src/targets/digitalocean/settings.js';

const ID = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';
const parse = (raw: Parameters<typeof parseDigitalOceanSettings>[0]) => parseDigitalOceanSettings(raw, 'do-prod');

test('settings: defaults, the public API URL, integer spellings from ${VAR}', () => {
  assert.deepEqual(parse({ databaseId: ID, token: 'dop_v1_x' }), {
    databaseId: ID,
    token: 'dop_v1_x',
    apiUrl: 'https://api.digitalocean.com',
    retry: {},
    concurrency: 8,
    createTimeoutMs: 300_000,
    pollIntervalMs: 1000,
    maxPaceWaitMs: 60_000,
  });
  const s = parse({
    databaseId: ID,
    token: 't',
    apiUrl: 'http://127.0.0.1:8080/',
    timeouts: { connectMs: '500', readMs: 9000 },
    retry: { maxAttempts: 2, maxDelayMs: '25' },
    topicCreation: { timeoutMs: 1000, pollIntervalMs: '5' },
  });
  assert.deepEqual(
    [s.apiUrl, s.connectTimeoutMs, s.readTimeoutMs, s.retry, s.createTimeoutMs, s.pollIntervalMs, s.maxPaceWaitMs],
    ['http://127.0.0.1:8080', 500, 9000, { maxAttempts: 2, maxDelayMs: 25 }, 1000, 5, 25],
  );
});

test('settings problems are one sentence naming the cluster and never quoting the token', () => {
  const bad: Array<[Parameters<typeof parse>[0], RegExp]> = [
    [{ token: 's3cr3t' }, /^Cluster "do-prod": databaseId is required\.$/],
    [{ databaseId: 'prod db', token: 's3cr3t' }, /databaseId must be the database cluster's UUID/],
    [{ databaseId: ID.slice(0, -1), token: 's3cr3t' }, /databaseId must be the database cluster's UUID/],
    [{ databaseId: ID }, /token is required/],
    [{ databaseId: ID, token: 's3cr3t', apiUrl: 'api.digitalocean.com' }, /apiUrl must start with https:\/\/ \(did you mean "https:\/\/api\.digitalocean\.com"\?\)/],
    [{ databaseId: ID, token: 's3cr3t', apiUrl: 'https://api.digitalocean.com/v2' }, /apiUrl is the API's base URL, without \/v2/],
    [{ databaseId: ID, token: 's3cr3t', apiUrl: 'https://me:s3cr3t@api.digitalocean.com' }, /apiUrl must not contain credentials; use token/],
    [{ databaseId: ID, token: 's3cr3t', apiUrl: 'ftp://api.digitalocean.com' }, /apiUrl must be an https:\/\/ URL, not ftp:\/\//],
    [{ databaseId: ID, token: 's3cr3t', retry: { maxAttempts: 0 } }, /retry\.maxAttempts must be a whole number of at least 1/],
    [{ databaseId: ID, token: 's3cr3t', topicCreation: 'soon' }, /topicCreation must be a mapping/],
  ];
  for (const [raw, message] of bad) {
    assert.throws(() => parse(raw), (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('s3cr3t'), JSON.stringify(raw));
  }
});
