// Cluster connection settings through the real binary: mistakes in them are found by `validate`,
// offline and with their place, not when a plan first connects; what only the environment
// reveals (an empty variable, an http:// URL from a variable) is still reported with the place.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaform, scratch } from './helpers.js';

function manifest(clusters: string): string {
  const dir = scratch();
  writeFileSync(join(dir, 'kafkaform.yaml'), `apiVersion: kafkaform/v1\nclusters:\n${clusters}topics: [{ name: t, partitions: 3, replicationFactor: 3 }]\n`);
  return dir;
}

describe('cluster settings', { concurrency: true }, () => {
  it('validate reports every mistake with file:line, offline, without any credential set', async () => {
    const dir = manifest(`  cloud:
    type: confluent
    restUrl: pkc-123.eu-west-1.aws.confluent.cloud
    clusterId: lkc-abc123
    auth: { type: basic, username: "\${KEY}", password: "\${SECRET}" }
  proxy:
    type: confluent
    restUrl: https://rest-proxy.internal:8082
    timeout: { readMs: 1000 }
    retries: { maxAttempts: 3 }
    caFiel: ./ca.pem
    clusterID: abc
  legacy:
    type: confluent
    restUrl: ftp://rest-proxy.internal/v3
  do:
    type: digitalocean
    databaseId: prod-kafka
    token: "\${DIGITALOCEAN_TOKEN}"
`);
    const r = await kafkaform(['validate'], { cwd: dir });
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      r.stderr,
      [
        'kafkaform.yaml:5:14: restUrl must start with https:// (did you mean "https://pkc-123.eu-west-1.aws.confluent.cloud/kafka/v3"?) (/clusters/cloud/restUrl)',
        'kafkaform.yaml:11:5: unknown property "timeout" (did you mean "timeouts"?) (/clusters/proxy/timeout)',
        'kafkaform.yaml:12:5: unknown property "retries" (did you mean "retry"?) (/clusters/proxy/retries)',
        'kafkaform.yaml:13:5: unknown property "caFiel" (did you mean "caFile"?) (/clusters/proxy/caFiel)',
        'kafkaform.yaml:14:5: unknown property "clusterID" (did you mean "clusterId"?) (/clusters/proxy/clusterID)',
        'kafkaform.yaml:17:14: restUrl must be an https:// URL, not ftp:// (/clusters/legacy/restUrl)',
        "kafkaform.yaml:20:17: databaseId must be the database cluster's UUID, e.g. 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30 (shown by `doctl databases list`) (/clusters/do/databaseId)",
        'error: 7 problems in the manifests',
        '',
      ].join('\n'),
    );
  });

  it('a restUrl without its version segment is found offline too', async () => {
    const dir = manifest('  proxy: { type: confluent, restUrl: "https://rest-proxy.internal:8082/" }\n');
    const r = await kafkaform(['validate'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'kafkaform.yaml:3:38: restUrl must end with the API version segment (did you mean "https://rest-proxy.internal:8082/v3"?) (/clusters/proxy/restUrl)\nerror: 1 problem in the manifests\n',
    );
  });

  it('warns about http:// to another host and credentials written in the manifest, never quoting them', async () => {
    const dir = manifest(`  proxy:
    type: confluent
    restUrl: http://rest-proxy.internal:8082/v3
    auth: { type: basic, username: orders, password: hunter2-s3cret }
  do:
    type: digitalocean
    databaseId: 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30
    token: "\${DO_TOKEN:-dop_v1_0123456789}"
`);
    const r = await kafkaform(['validate'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      [
        'kafkaform.yaml:5:14: warning: restUrl uses http:// to rest-proxy.internal: credentials and data cross the network unencrypted; use https:// (/clusters/proxy/restUrl)',
        'kafkaform.yaml:6:54: warning: auth.password is a credential written in the manifest; read it from the environment instead: "${VARIABLE}" (/clusters/proxy/auth/password)',
        'kafkaform.yaml:10:12: warning: token is a credential written in the manifest; read it from the environment instead: "${VARIABLE}" (/clusters/do/token)',
        '',
      ].join('\n'),
    );
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2|dop_v1_0123456789/);
  });

  it('when the cluster is used: an empty variable is named, and a URL from a variable is checked with its place', async () => {
    const dir = manifest(`  proxy:
    type: confluent
    restUrl: "\${REST_URL}"
    clusterId: lkc-1
    auth: { type: bearer, token: "\${TOKEN}" }
`);
    const empty = await kafkaform(['plan'], { cwd: dir, env: { REST_URL: 'https://rest-proxy.internal/v3', TOKEN: '' } });
    assert.equal(empty.code, 1);
    assert.equal(
      empty.stderr,
      'error: kafkaform.yaml:7:34: environment variable TOKEN is set but empty (cluster proxy, setting auth.token); write ${TOKEN:-default} if a default is meant\n',
    );
    const noScheme = await kafkaform(['plan'], { cwd: dir, env: { REST_URL: 'rest-proxy.internal/v3', TOKEN: 't0ken' } });
    assert.equal(noScheme.code, 1);
    assert.equal(
      noScheme.stderr,
      'error: kafkaform.yaml:5:14: cluster proxy: restUrl must start with https:// (did you mean "https://rest-proxy.internal/v3"?)\n',
    );
    // validate needs none of these variables.
    const v = await kafkaform(['validate'], { cwd: dir });
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stderr, '');
  });
});
