/**
 * Contract test: every response shape the DigitalOcean simulator produces is checked against the
 * OpenAPI subset in ../shared/api/digitalocean (skipped when that folder is absent).
 *
 * Where the reference disagrees with itself, the test says so and follows the schema:
 * - the `compression_type` enum lists `Iz4`, a misspelling of Kafka's `lz4`; the simulator (like
 *   DigitalOcean) uses `lz4`, so the enum is corrected before validating;
 * - responses carry `message_timestamp_difference_max_ms` and `segment_index_bytes`, which the
 *   schema does not list (it allows extra properties, so they validate as is);
 * - the samples' `partitions`/`replication` request fields are not in the schema: the simulator
 *   rejects them with 422 (asserted below), kafkaform sends `partition_count`/`replication_factor`;
 * - the samples print Long.MAX_VALUE as 9223372036854776000; the simulator returns the exact
 *   9223372036854775807 (asserted on the raw text below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import { DoSimulator } from '../../support/do-simulator.js';

const SPEC = resolve('../shared/api/digitalocean/openapi.kafka-topics-users.yaml');
const skip = existsSync(SPEC) ? false : `OpenAPI reference not found at ${SPEC}; contract not checked`;

type Json = Record<string, unknown>;

function loadSpec(): Json {
  const text = readFileSync(SPEC, 'utf8').replace(/- Iz4\n/g, '- lz4\n');
  return parseYaml(text, { maxAliasCount: -1 }) as Json;
}

/** The response schema for (operation path, method, status), falling back to `default`. */
function responseSchema(spec: Json, path: string, method: string, status: number): Json | undefined {
  const op = ((spec.paths as Json)[path] as Json)[method.toLowerCase()] as Json;
  const responses = op.responses as Json;
  const response = (responses[String(status)] ?? responses.default) as Json;
  const content = response.content as Json | undefined;
  return (content?.['application/json'] as Json | undefined)?.schema as Json | undefined;
}

function templateOf(path: string, db: string): string {
  const rest = path.slice(`/v2/databases/${db}`.length);
  const parts = rest.split('/').filter((p) => p !== '');
  const base = '/v2/databases/{database_cluster_uuid}';
  if (parts[0] === 'topics') return parts.length === 1 ? `${base}/topics` : `${base}/topics/{topic_name}`;
  return parts.length === 1 ? `${base}/users` : `${base}/users/{username}`;
}

test('every simulator response matches the OpenAPI schema', { skip }, async () => {
  const spec = loadSpec();
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const sim = new DoSimulator({ createNotFoundReads: 1, createConfiguringReads: 1 });
  await sim.start();
  const seen: { method: string; path: string; status: number; text: string }[] = [];
  const call = async (method: string, path: string, body?: unknown, token = sim.token): Promise<{ status: number; text: string; headers: Headers }> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    seen.push({ method, path, status: res.status, text });
    return { status: res.status, text, headers: res.headers };
  };
  try {
    sim.addTopic('orders', 6, 3, { cleanup_policy: 'compact_delete', compression_type: 'lz4' });
    sim.addUser('billing', [{ topic: 'orders', permission: 'consume' }]);
    const db = `/v2/databases/${sim.databaseId}`;

    assert.equal((await call('GET', `${db}/topics`)).status, 200);
    const detail = await call('GET', `${db}/topics/orders`);
    assert.equal(detail.status, 200);
    assert.match(detail.text, /"flush_ms":9223372036854775807[,}]/);
    assert.equal((await call('POST', `${db}/topics`, '{"name":"events","partition_count":3,"replication_factor":2,"config":{"flush_ms":9223372036854775806}}')).status, 201);
    assert.equal((await call('GET', `${db}/topics/events`)).status, 404);
    assert.match((await call('GET', `${db}/topics/events`)).text, /"state":"configuring"/);
    assert.match((await call('GET', `${db}/topics/events`)).text, /"state":"active".*"flush_ms":9223372036854775806/);
    assert.match((await call('GET', `${db}/topics`)).text, /"name":"events","state":"active"/);
    assert.equal((await call('PUT', `${db}/topics/orders`, { partition_count: 12, replication_factor: 3, config: { retention_ms: 1000 } })).status, 200);
    assert.equal((await call('DELETE', `${db}/topics/events`)).status, 204);
    assert.equal((await call('GET', `${db}/users`)).status, 200);
    assert.equal((await call('GET', `${db}/users/billing`)).status, 200);
    assert.equal((await call('PUT', `${db}/users/billing`, { settings: { acl: [{ topic: 'orders.*', permission: 'produceconsume' }] } })).status, 201);

    // Errors: DigitalOcean's {id, message, request_id}.
    assert.equal((await call('GET', `${db}/topics`, undefined, 'wrong')).status, 401);
    assert.equal((await call('GET', `${db}/topics/missing`)).status, 404);
    assert.equal((await call('GET', `/v2/databases/00000000-0000-0000-0000-000000000000/topics`)).status, 404);
    assert.equal((await call('POST', `${db}/topics`, { name: 'x', partitions: 3, replication: 2 })).status, 422, 'the reference sample body is rejected');
    assert.equal((await call('POST', `${db}/topics`, { name: 'x', partition_count: 1 })).status, 422);
    assert.equal((await call('POST', `${db}/topics`, { name: 'x', config: { compression_type: 'Iz4' } })).status, 422);
    assert.equal((await call('POST', `${db}/topics`, { name: 'x', config: { segment_index_bytes: 4096 } })).status, 422);
    assert.equal((await call('POST', `${db}/topics`, { name: 'orders' })).status, 409);
    assert.equal((await call('PUT', `${db}/topics/orders`, { partition_count: 3 })).status, 422);
    assert.equal((await call('PUT', `${db}/users/billing`, { settings: { acl: [{ topic: 'x', permission: 'read' }] } })).status, 422);
    sim.setRateLimit(1, 60_000);
    const ok = await call('GET', `${db}/users`);
    assert.equal(ok.headers.get('ratelimit-limit'), '1');
    assert.equal(ok.headers.get('ratelimit-remaining'), '0');
    assert.match(ok.headers.get('ratelimit-reset') ?? '', /^\d{10}$/);
    const limited = await call('GET', `${db}/users`);
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    sim.setRateLimit(undefined);
    sim.injectFault({ method: 'GET', path: /\/topics$/, status: 500, times: 1 });
    assert.equal((await call('GET', `${db}/topics`)).status, 500);

    let checked = 0;
    for (const r of seen) {
      if (r.status === 204) {
        assert.equal(r.text, '');
        continue;
      }
      const schema = responseSchema(spec, templateOf(r.path, sim.databaseId), r.method, r.status);
      assert.ok(schema, `no schema for ${r.method} ${r.path} ${r.status}`);
      const validate = ajv.compile(schema);
      const body = JSON.parse(r.text) as unknown;
      assert.ok(validate(body), `${r.method} ${r.path} ${r.status}: ${ajv.errorsText(validate.errors)}\n${r.text.slice(0, 500)}`);
      if (r.status >= 400) assert.match(r.text, /"request_id":"[0-9a-f-]{36}"/);
      checked++;
    }
    assert.ok(checked >= 20);
  } finally {
    await sim.close();
  }
});
