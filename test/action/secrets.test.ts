import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterSecrets } from '../../src/action/secrets.js';
import type { ClusterSpec, JsonValue } from '../../src/model.js';

function cluster(name: string, type: ClusterSpec['type'], settings: Record<string, JsonValue>): ClusterSpec {
  return { name, type, settings, baseDir: '/ws/kafka', source: { file: '/ws/kafka/clusters.yaml', line: 3, column: 3, path: `/clusters/${name}` } };
}

describe('clusterSecrets', () => {
  it('collects resolved credentials of every cluster, not URLs, ids or the auth type', () => {
    const clusters = [
      cluster('basic', 'confluent', {
        restUrl: '${REST_URL}',
        clusterId: 'lkc-1',
        auth: { type: 'basic', username: '${KAFKA_API_KEY}', password: '${KAFKA_API_SECRET}' },
      }),
      cluster('bearer', 'confluent', { restUrl: 'https://x/kafka/v3', auth: { type: 'bearer', token: 'Bearer-${TOKEN}' } }),
      cluster('do', 'digitalocean', { databaseId: '9cc1', token: '${DIGITALOCEAN_TOKEN}' }),
      cluster('unset', 'confluent', { restUrl: 'https://y/kafka/v3', auth: { type: 'basic', username: '${MISSING}', password: 'literal-pw' } }),
      cluster('offline', 'snapshot', { path: './live.json' }),
    ];
    const env = { REST_URL: 'https://pkc/kafka/v3', KAFKA_API_KEY: 'key1', KAFKA_API_SECRET: 'secret1', TOKEN: 'tok', DIGITALOCEAN_TOKEN: 'dop_v1_x' };
    assert.deepEqual(clusterSecrets(clusters, env), ['Bearer-tok', 'dop_v1_x', 'key1', 'secret1']);
  });
});
