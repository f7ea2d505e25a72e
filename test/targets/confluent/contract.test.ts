/**
 * Contract test: every response the v3 simulator produces, and every request body kafkaform sends
 * it, is checked against the official OpenAPI specs in `../shared/api/confluent-rest-v3/`
 * (`openapi.yaml` for `/v3` and Confluent Server's `/kafka/v3`, `openapi.confluent-cloud.yaml`
 * for Confluent Cloud's `/kafka/v3` where it has the path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { V3Simulator, type RecordedRequest } from '../../support/v3-simulator.js';
import { acl, desired, openTarget, planFor, topic } from './helpers.js';
import { executePlan } from '../../../src/apply/executor.js';

const SPEC_DIR = join(process.cwd(), '..', 'shared', 'api', 'confluent-rest-v3');
const present = existsSync(join(SPEC_DIR, 'openapi.yaml')) && existsSync(join(SPEC_DIR, 'openapi.confluent-cloud.yaml'));
const skip = present ? false : `the official OpenAPI specs are not at ${SPEC_DIR}; contract not checked`;

type Doc = { paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };

/** One spec, compiled lazily per JSON pointer. */
class Spec {
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();
  constructor(
    readonly id: string,
    readonly doc: Doc,
  ) {
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormatsModule.default(this.#ajv);
    this.#ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.#ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.#ajv.addSchema(doc as object, id);
  }

  /** Follows `$ref`s between response/request-body objects, returning the object and its pointer. */
  deref(pointer: string): { node: Record<string, unknown>; pointer: string } {
    let node = this.at(pointer) as Record<string, unknown>;
    while (typeof node.$ref === 'string') {
      pointer = node.$ref.slice(1);
      node = this.at(pointer) as Record<string, unknown>;
    }
    return { node, pointer };
  }

  at(pointer: string): unknown {
    let node: unknown = this.doc;
    for (const part of pointer.split('/').slice(1)) {
      node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node;
  }

  validator(pointer: string): ValidateFunction {
    let v = this.#cache.get(pointer);
    if (!v) {
      v = this.#ajv.compile({ $ref: `${this.id}#${pointer}` });
      this.#cache.set(pointer, v);
    }
    return v;
  }
}

const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Statuses any JAX-RS resource may answer although the spec lists them on few operations. */
const GENERIC_ERRORS = new Set([404, 405, 415]);

interface Problem {
  request: string;
  problem: string;
}

function checkResponse(spec: Spec, pathKey: string, r: RecordedRequest, problems: Problem[]): boolean {
  const label = `${spec.id}: ${r.method} ${pathKey} -> ${r.status}`;
  const op = spec.doc.paths[pathKey]?.[r.method.toLowerCase()] as { responses: Record<string, unknown> } | undefined;
  if (op === undefined) return false;
  const base = `/paths/${esc(pathKey)}/${r.method.toLowerCase()}/responses`;
  const key = [String(r.status), `${String(r.status)[0]}XX`, 'default'].find((k) => op.responses[k] !== undefined);
  if (key === undefined) {
    if (r.status >= 400 && GENERIC_ERRORS.has(r.status)) {
      const v = spec.validator('/components/schemas/Error');
      if (!v(r.responseBody)) problems.push({ request: label, problem: `not an Error body: ${spec.id} ${JSON.stringify(v.errors)}` });
      return true;
    }
    problems.push({ request: label, problem: 'status not documented for this operation' });
    return true;
  }
  const { node, pointer } = spec.deref(`${base}/${esc(key)}`);
  const content = node.content as Record<string, { schema?: unknown }> | undefined;
  if (content === undefined) {
    if (r.responseBody !== undefined) problems.push({ request: label, problem: 'documented without a body, but has one' });
    return true;
  }
  const type = Object.keys(content).find((ct) => (r.contentType ?? '').startsWith(ct));
  if (type === undefined) {
    problems.push({ request: label, problem: `content type ${r.contentType} not among ${Object.keys(content).join(', ')}` });
    return true;
  }
  if (type !== 'application/json') return true;
  const v = spec.validator(`${pointer}/content/${esc(type)}/schema`);
  if (!v(r.responseBody)) problems.push({ request: label, problem: JSON.stringify(v.errors?.slice(0, 3)) });
  return true;
}

function checkRequestBody(spec: Spec, pathKey: string, r: RecordedRequest, problems: Problem[]): void {
  const op = spec.doc.paths[pathKey]?.[r.method.toLowerCase()] as { requestBody?: unknown } | undefined;
  if (op?.requestBody === undefined) return;
  const { node, pointer } = spec.deref(`/paths/${esc(pathKey)}/${r.method.toLowerCase()}/requestBody`);
  const content = node.content as Record<string, unknown> | undefined;
  if (!content?.['application/json']) return;
  const v = spec.validator(`${pointer}/content/application~1json/schema`);
  if (!v(r.body)) problems.push({ request: `${spec.id}: request ${r.method} ${pathKey}`, problem: JSON.stringify(v.errors?.slice(0, 3)) });
}

async function raw(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  await res.arrayBuffer();
  return res.status;
}

test('every simulator response and every kafkaform request matches the official OpenAPI specs', { skip }, async (t) => {
  const server = new Spec('server', parse(readFileSync(join(SPEC_DIR, 'openapi.yaml'), 'utf8')) as Doc);
  const cloud = new Spec('cloud', parse(readFileSync(join(SPEC_DIR, 'openapi.confluent-cloud.yaml'), 'utf8')) as Doc);

  const sims: V3Simulator[] = [];
  t.after(async () => {
    for (const s of sims) await s.close();
  });
  const start = async (o: Parameters<typeof V3Simulator.start>[0]): Promise<V3Simulator> => {
    const s = await V3Simulator.start(o);
    sims.push(s);
    return s;
  };

  // 1. kafkaform itself, on both flavours: paged reads, preflight dry runs, every write.
  const ours: RecordedRequest[] = [];
  for (const flavour of ['cloud', 'proxy'] as const) {
    const s = await start({ pageSize: 7, aclBatch: flavour === 'cloud' });
    s.addTopic({ name: 'orders.grow', partitions: 2 });
    s.addTopic({ name: 'orders.tune', configs: { 'retention.ms': '1000', 'segment.ms': '3600000' } });
    s.addTopic({ name: 'orders.old' });
    s.addAcl({ resource_type: 'TOPIC', resource_name: 'orders.old', pattern_type: 'LITERAL', principal: 'User:a', host: '*', operation: 'READ', permission: 'ALLOW' });
    const { target } = openTarget({ restUrl: flavour === 'cloud' ? s.cloudUrl : s.url, ...(flavour === 'cloud' ? { clusterId: s.clusterId } : {}) });
    const want = desired(
      [topic('orders.grow', 4), topic('orders.new', 3, { 'cleanup.policy': 'compact' }), topic('orders.tune', 6, { 'retention.ms': '7200000' })],
      [acl('User:a', 'orders.new', 'READ'), acl('User:a', 'orders.', 'DESCRIBE', { patternType: 'PREFIXED' })],
    );
    const live = await target.read();
    await executePlan(planFor(want, live), target, live, { replan: async () => planFor(want, await target.read()) });
    await target.close();
    ours.push(...s.requests);
  }

  // 2. Error answers and the remaining endpoints, through plain requests.
  const s = await start({ auth: { type: 'bearer', token: 'tok-contract' } });
  const h = { authorization: 'Bearer tok-contract' };
  s.addTopic({ name: 'orders.x', partitions: 3 });
  for (const url of [s.url, s.cloudUrl]) {
    const c = `${url}/clusters/${s.clusterId}`;
    const probes: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['GET', `${url}/clusters`],
      ['GET', c],
      ['GET', `${c}/topics/orders.x`],
      ['GET', `${c}/topics/orders.x/configs`],
      ['GET', `${c}/topics/nope`],
      ['GET', `${c}/topics/nope/configs`],
      ['POST', `${c}/topics`, { topic_name: 'orders.x', partitions_count: 1 }],
      ['POST', `${c}/topics`, { topic_name: 'orders.y', replication_factor: 9 }],
      ['POST', `${c}/topics`, { topic_name: 'orders.y', configs: [{ name: 'retention.ms', value: 'soon' }] }],
      ['POST', `${c}/topics`, { topic_name: 'orders.y', configs: [{ name: 'no.such.key', value: '1' }] }],
      ['POST', `${c}/topics`, { topic_name: 'bad name' }],
      ['POST', `${c}/topics`, { topic_name: 'orders.y', partitions_count: 'A' }],
      ['POST', `${c}/topics`, 'not json'],
      ['PATCH', `${c}/topics/orders.x`, { partitions_count: 2 }],
      ['PATCH', `${c}/topics/orders.x`, { partitions_count: 3 }],
      ['POST', `${c}/topics/nope/configs:alter`, { data: [{ name: 'retention.ms', value: '1' }] }],
      ['POST', `${c}/topics/orders.x/configs:alter`, { data: [{ name: 'flush.ms', value: '1' }] }],
      ['DELETE', `${c}/topics/nope`],
      ['DELETE', `${c}/acls?resource_type=TOPIC`],
      ['POST', `${c}/acls`, { resource_type: 'CLUSTER', resource_name: 'x', pattern_type: 'LITERAL', principal: 'User:a', host: '*', operation: 'ALTER', permission: 'ALLOW' }],
      ['POST', `${c}/acls:batch`, { data: [{ resource_type: 'TOPIC', resource_name: 'x', pattern_type: 'MATCH', principal: 'User:a', host: '*', operation: 'READ', permission: 'ALLOW' }] }],
      ['GET', `${c}/acls?resource_type=TOPIC&pattern_type=MATCH&resource_name=orders.x`],
      ['GET', `${c}/topics?page_token=garbage`],
      ['GET', `${url}/clusters/lkc-other/topics`],
      ['PUT', `${c}/topics/orders.x`, { partitions_count: 4 }],
      ['GET', `${c}/topics`, undefined, {}],
    ];
    for (const [method, target, body, headers] of probes) await raw(method, target, body, headers ?? h);
    s.inject({ fault: 'rate-limit', times: 1 });
    s.inject({ fault: 'retriable', times: 1 });
    s.inject({ fault: 'forbidden', times: 1 });
    s.inject({ fault: 'server-error', times: 1 });
    for (let i = 0; i < 4; i++) await raw('GET', `${c}/topics`, undefined, h);
    s.clearFaults();
  }

  const problems: Problem[] = [];
  let checked = 0;
  const statuses = new Set<string>();
  for (const r of [...ours, ...s.requests]) {
    if (r.route === undefined || r.status < 0) continue;
    statuses.add(`${r.method} ${r.route} ${r.status}`);
    const inServer = checkResponse(server, r.route, r, problems);
    const inCloud = r.base === '/kafka/v3' ? checkResponse(cloud, `/kafka/v3${r.route}`, r, problems) : false;
    if (!inServer && !inCloud) {
      // A method the spec does not define on this path: only 405 with an Error body is right.
      assert.equal(r.status, 405, `${r.method} ${r.route} is in neither spec`);
      const v = server.validator('/components/schemas/Error');
      assert.ok(v(r.responseBody), `405 body ${JSON.stringify(r.responseBody)}`);
    }
    checked++;
  }
  for (const r of ours) {
    if (r.route === undefined || r.body === undefined) continue;
    checkRequestBody(server, r.route, r, problems);
    if (r.base === '/kafka/v3') checkRequestBody(cloud, `/kafka/v3${r.route}`, r, problems);
  }
  assert.deepEqual(problems, []);
  // The scenario really covered the endpoints and answers it is meant to.
  for (const expected of [
    'GET /clusters 200',
    'GET /clusters/{cluster_id}/topics 200',
    'POST /clusters/{cluster_id}/topics 200',
    'POST /clusters/{cluster_id}/topics 201',
    'POST /clusters/{cluster_id}/topics 400',
    'PATCH /clusters/{cluster_id}/topics/{topic_name} 200',
    'PATCH /clusters/{cluster_id}/topics/{topic_name} 400',
    'DELETE /clusters/{cluster_id}/topics/{topic_name} 204',
    'DELETE /clusters/{cluster_id}/topics/{topic_name} 404',
    'GET /clusters/{cluster_id}/topics/-/configs 200',
    'POST /clusters/{cluster_id}/topics/{topic_name}/configs:alter 204',
    'POST /clusters/{cluster_id}/topics/{topic_name}/configs:alter 404',
    'GET /clusters/{cluster_id}/acls 200',
    'POST /clusters/{cluster_id}/acls 201',
    'POST /clusters/{cluster_id}/acls:batch 201',
    'DELETE /clusters/{cluster_id}/acls 200',
    'DELETE /clusters/{cluster_id}/acls 400',
    'GET /clusters/{cluster_id}/topics 401',
    'GET /clusters/{cluster_id}/topics 403',
    'GET /clusters/{cluster_id}/topics 429',
    'GET /clusters/{cluster_id}/topics 500',
  ]) {
    assert.ok(statuses.has(expected), `scenario did not produce ${expected}`);
  }
  assert.ok(checked > 100, `only ${checked} responses checked`);
});
