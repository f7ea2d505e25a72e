/**
 * A loopback simulator of the DigitalOcean API v2 endpoints kafkaform uses for Managed Kafka:
 * topics (list, create, get, update, delete) and database users (list, get, update), as
 * `../shared/api/digitalocean/openapi.kafka-topics-users.yaml` describes them.
 *
 * Faithful where it matters to a client:
 * - bearer authentication (401 `{id: "unauthorized", ...}`), unknown database or topic 404
 *   `{id: "not_found", ...}`, every error body `{id, message, request_id}`;
 * - asynchronous creation: a new topic is listed as `configuring`, its detail answers 404 for the
 *   first reads, then `configuring`, then `active` (counted in reads, not time, so tests are
 *   deterministic);
 * - snake_case typed configs, 64-bit integers written as JSON numbers (9223372036854775807) and
 *   kept exactly; the complete config is returned, including the two keys responses carry that
 *   the request schema omits (`message_timestamp_difference_max_ms`, `segment_index_bytes`);
 * - 422 `{id: "unprocessable_entity"}` on invalid values: unknown fields (the reference's sample
 *   body uses `partitions`/`replication`, which the schema does not have), wrong types, enum
 *   values outside the schema's, ranges (partitions 3..2048, replication factor 2..nodes as
 *   DigitalOcean documents, schema minimums), decreasing partitions;
 * - users with passwords and client certificates, and `settings.acl` (ids assigned by the server);
 * - rate limiting when a test sets one: `ratelimit-limit`, `ratelimit-remaining`,
 *   `ratelimit-reset` on every response and 429 `{id: "too_many_requests"}` with `Retry-After`.
 *
 * Where the reference and the schema disagree, the simulator follows the schema, except for the
 * `compression_type` enum, whose `Iz4` is a misspelling of Kafka's `lz4` (accepted as `lz4`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { LosslessNumber, isLosslessNumber, parse, stringify } from 'lossless-json';

/** A JSON value with lossless numbers, as the simulator stores configs. */
export type SimValue = string | boolean | LosslessNumber;

type KeyType = 'integer' | 'number' | 'boolean' | { enum: readonly string[] };
interface KeySpec {
  type: KeyType;
  default: SimValue;
  min?: number;
  max?: number;
  /** False for keys responses carry but requests may not set. */
  writable: boolean;
}

const LONG_MAX = '9223372036854775807';
const n = (v: string | number): LosslessNumber => new LosslessNumber(String(v));

/** The topic config keys of the schema, with their documented defaults (Long.MAX exact). */
const CONFIG_KEYS: Record<string, KeySpec> = {
  cleanup_policy: { type: { enum: ['delete', 'compact', 'compact_delete'] }, default: 'delete', writable: true },
  compression_type: {
    type: { enum: ['producer', 'gzip', 'snappy', 'lz4', 'zstd', 'uncompressed'] },
    default: 'producer',
    writable: true,
  },
  delete_retention_ms: { type: 'integer', default: n(86400000), writable: true },
  file_delete_delay_ms: { type: 'integer', default: n(60000), writable: true },
  flush_messages: { type: 'integer', default: n(LONG_MAX), writable: true },
  flush_ms: { type: 'integer', default: n(LONG_MAX), writable: true },
  index_interval_bytes: { type: 'integer', default: n(4096), writable: true },
  max_compaction_lag_ms: { type: 'integer', default: n(LONG_MAX), writable: true },
  max_message_bytes: { type: 'integer', default: n(1048588), writable: true },
  message_down_conversion_enable: { type: 'boolean', default: true, writable: true },
  message_format_version: {
    type: {
      enum: [
        '0.8.0', '0.8.1', '0.8.2', '0.9.0', '0.10.0-IV0', '0.10.0-IV1', '0.10.1-IV0', '0.10.1-IV1', '0.10.1-IV2',
        '0.10.2-IV0', '0.11.0-IV0', '0.11.0-IV1', '0.11.0-IV2', '1.0-IV0', '1.1-IV0', '2.0-IV0', '2.0-IV1',
        '2.1-IV0', '2.1-IV1', '2.1-IV2', '2.2-IV0', '2.2-IV1', '2.3-IV0', '2.3-IV1', '2.4-IV0', '2.4-IV1',
        '2.5-IV0', '2.6-IV0', '2.7-IV0', '2.7-IV1', '2.7-IV2', '2.8-IV0', '2.8-IV1', '3.0-IV0', '3.0-IV1',
        '3.1-IV0', '3.2-IV0', '3.3-IV0', '3.3-IV1', '3.3-IV2', '3.3-IV3',
      ],
    },
    default: '3.0-IV1',
    writable: true,
  },
  message_timestamp_difference_max_ms: { type: 'integer', default: n(LONG_MAX), writable: false },
  message_timestamp_type: { type: { enum: ['create_time', 'log_append_time'] }, default: 'create_time', writable: true },
  min_cleanable_dirty_ratio: { type: 'number', default: n(0.5), min: 0, max: 1, writable: true },
  min_compaction_lag_ms: { type: 'integer', default: n(0), writable: true },
  min_insync_replicas: { type: 'integer', default: n(1), min: 1, writable: true },
  preallocate: { type: 'boolean', default: false, writable: true },
  retention_bytes: { type: 'integer', default: n(-1), writable: true },
  retention_ms: { type: 'integer', default: n(604800000), writable: true },
  segment_bytes: { type: 'integer', default: n(209715200), min: 14, writable: true },
  segment_index_bytes: { type: 'integer', default: n(10485760), writable: false },
  segment_jitter_ms: { type: 'integer', default: n(0), writable: true },
  segment_ms: { type: 'integer', default: n(604800000), min: 1, writable: true },
};

/** A topic as the simulator holds it. */
export interface SimTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Every config key, typed as DigitalOcean returns it. */
  config: Record<string, SimValue>;
  /** Detail reads left that answer 404, then reads left that answer `configuring`. */
  notFoundReads: number;
  configuringReads: number;
  /** Partition count detail reads still show after an increase, and for how many reads. */
  lagging?: { partitions: number; reads: number };
}

/** A Kafka ACL entry of a database user. */
export interface SimAcl {
  id: string;
  topic: string;
  permission: string;
}

/** A database user as the simulator holds it. */
export interface SimUser {
  name: string;
  role: 'primary' | 'normal';
  password: string;
  accessCert: string;
  accessKey: string;
  acl: SimAcl[] | undefined;
}

/** One request as the simulator saw it. */
export interface SimRequest {
  method: string;
  path: string;
  status: number;
  /** The parsed request body (lossless), when there was one. */
  body?: unknown;
}

/** A failure injected for requests matching `method` and `path`, `times` times. */
export interface SimFault {
  method?: string;
  path?: RegExp;
  /**
   * An HTTP status with a DigitalOcean error body; `drop` destroys the connection before the
   * request is handled, `lose-response` after it was carried out (the client never hears of it).
   */
  status: number | 'drop' | 'lose-response';
  times: number;
  retryAfterSeconds?: number;
}

/** Options of a simulator; everything has a default. */
export interface DoSimulatorOptions {
  token?: string;
  databaseId?: string;
  /** Nodes in the cluster: the maximum replication factor. Default 3. */
  nodes?: number;
  /** Detail reads of a new topic that answer 404 before it shows. Default 1. */
  createNotFoundReads?: number;
  /** Detail reads of a new topic that answer `configuring` before it is `active`. Default 1. */
  createConfiguringReads?: number;
  /**
   * Detail reads after a partition increase that still list the old partitions (DigitalOcean
   * applies increases asynchronously; the list's `partition_count` is current). Default 0.
   */
  partitionLagReads?: number;
  /** Added before every response, like a network round trip. Default 0. */
  latencyMs?: number;
}

/** Error ids DigitalOcean uses, by status. */
const ERROR_IDS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'server_error',
  503: 'service_unavailable',
};

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIFsimulatedCERTIFICATEdata\n-----END CERTIFICATE-----';

/** The simulator. `start()` listens on 127.0.0.1 with a random port. */
export class DoSimulator {
  readonly token: string;
  readonly databaseId: string;
  readonly topics = new Map<string, SimTopic>();
  readonly users = new Map<string, SimUser>();
  /** Every request, in arrival order. */
  readonly requests: SimRequest[] = [];
  readonly #faults: SimFault[] = [];
  readonly #options: Required<DoSimulatorOptions>;
  #rateLimit: { limit: number; windowMs: number } | undefined;
  readonly #accepted: number[] = [];
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #aclSeq = 0;
  #url = '';

  constructor(options: DoSimulatorOptions = {}) {
    this.#options = {
      token: options.token ?? 'dop_v1_simulated_token_0123456789abcdef',
      databaseId: options.databaseId ?? '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
      nodes: options.nodes ?? 3,
      createNotFoundReads: options.createNotFoundReads ?? 1,
      createConfiguringReads: options.createConfiguringReads ?? 1,
      latencyMs: options.latencyMs ?? 0,
      partitionLagReads: options.partitionLagReads ?? 0,
    };
    this.token = this.#options.token;
    this.databaseId = this.#options.databaseId;
    this.users.set('doadmin', this.#newUser('doadmin', 'primary', undefined));
  }

  /** Base URL (`http://127.0.0.1:<port>`), valid after `start()`. */
  get url(): string {
    return this.#url;
  }

  /** Starts listening on a random loopback port. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#url;
  }

  /** Stops the server and drops open connections. */
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Adds an active topic; `config` overrides the defaults (DigitalOcean keys, typed values). */
  addTopic(name: string, partitions = 3, replicationFactor = 2, config: Record<string, SimValue | number> = {}): SimTopic {
    const full: Record<string, SimValue> = {};
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) full[key] = spec.default;
    for (const [key, value] of Object.entries(config)) full[key] = typeof value === 'number' ? n(value) : value;
    const topic: SimTopic = { name, partitions, replicationFactor, config: full, notFoundReads: 0, configuringReads: 0 };
    this.topics.set(name, topic);
    return topic;
  }

  /** Adds a normal database user with a generated password and the given Kafka ACLs. */
  addUser(name: string, acl: { topic: string; permission: string }[] | undefined = []): SimUser {
    const user = this.#newUser(name, 'normal', acl?.map((a) => ({ id: this.#nextAclId(), ...a })));
    this.users.set(name, user);
    return user;
  }

  /** Enforces at most `limit` requests per sliding `windowMs`; undefined lifts the limit. */
  setRateLimit(limit: number | undefined, windowMs = 60_000): void {
    this.#rateLimit = limit === undefined ? undefined : { limit, windowMs };
    this.#accepted.length = 0;
  }

  /** Injects a failure for the next `times` matching requests. */
  injectFault(fault: SimFault): void {
    this.#faults.push({ ...fault });
  }

  /** Removes every injected failure not yet used up (fault schedules end with a clean run). */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Requests so far matching a method and a path pattern. */
  count(method?: string, path?: RegExp): number {
    return this.requests.filter((r) => (method === undefined || r.method === method) && (path === undefined || path.test(r.path))).length;
  }

  /** Every password, key and certificate the simulator would hand out: none may ever be printed. */
  secrets(): string[] {
    return [this.token, ...[...this.users.values()].flatMap((u) => [u.password, u.accessKey])];
  }

  #newUser(name: string, role: SimUser['role'], acl: SimAcl[] | undefined): SimUser {
    const secret = randomUUID().replace(/-/g, '');
    return {
      name,
      role,
      password: `pw${secret.slice(0, 14)}`,
      accessCert: PEM_CERT,
      accessKey: `-----BEGIN PRIVATE KEY-----\nMIIE${secret}\n-----END PRIVATE KEY-----`,
      acl,
    };
  }

  #nextAclId(): string {
    this.#aclSeq += 1;
    return `acl${String(this.#aclSeq).padStart(8, '0')}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const record: SimRequest = { method, path, status: 0 };
    this.requests.push(record);
    if (this.#options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#options.latencyMs));
    const headers: Record<string, string> = {};

    const fault = this.#faults.find((f) => f.times > 0 && (f.method === undefined || f.method === method) && (f.path === undefined || f.path.test(path)));
    const loseResponse = fault?.status === 'lose-response';
    if (fault && loseResponse) fault.times -= 1;
    if (fault && !loseResponse) {
      fault.times -= 1;
      if (fault.status === 'drop') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const status = fault.status as number;
      this.#send(res, record, status, this.#errorBody(status, 'Injected failure.'), headers);
      return;
    }

    if (this.#rateLimit) {
      const now = Date.now();
      const { limit, windowMs } = this.#rateLimit;
      while (this.#accepted.length > 0 && (this.#accepted[0] as number) <= now - windowMs) this.#accepted.shift();
      const oldest = this.#accepted[0] ?? now;
      headers['ratelimit-limit'] = String(limit);
      headers['ratelimit-reset'] = String(Math.ceil((oldest + windowMs) / 1000));
      if (this.#accepted.length >= limit) {
        headers['ratelimit-remaining'] = '0';
        headers['retry-after'] = String(Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)));
        this.#send(res, record, 429, this.#errorBody(429, 'API rate limit exceeded.'), headers);
        return;
      }
      this.#accepted.push(now);
      headers['ratelimit-remaining'] = String(limit - this.#accepted.length);
    } else {
      headers['ratelimit-limit'] = '5000';
      headers['ratelimit-remaining'] = '4999';
      headers['ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + 60);
    }

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.#send(res, record, 401, this.#errorBody(401, 'Unable to authenticate you.'), headers);
      return;
    }
    try {
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = parse(text);
        } catch {
          throw new HttpProblem(400, 'The request body is not valid JSON.');
        }
        record.body = body;
      }
      const { status, payload } = this.#route(method, path, body);
      if (loseResponse) {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      this.#send(res, record, status, payload, headers);
    } catch (err) {
      const problem = err instanceof HttpProblem ? err : new HttpProblem(500, 'Unexpected server-side error');
      this.#send(res, record, problem.status, this.#errorBody(problem.status, problem.message), headers);
    }
  }

  #route(method: string, path: string, body: unknown): { status: number; payload: unknown } {
    const prefix = `/v2/databases/`;
    if (!path.startsWith(prefix)) throw new HttpProblem(404, 'The resource you requested could not be found.');
    const parts = path.slice(prefix.length).split('/').map((p) => decodeURIComponent(p));
    if (parts[0] !== this.databaseId) throw new HttpProblem(404, 'The resource you requested could not be found.');
    const [, collection, name, extra] = parts;
    if (extra !== undefined) throw new HttpProblem(404, 'The resource you requested could not be found.');
    if (collection === 'topics') {
      if (name === undefined && method === 'GET') return { status: 200, payload: this.#listTopics() };
      if (name === undefined && method === 'POST') return { status: 201, payload: this.#createTopic(body) };
      if (name !== undefined && method === 'GET') {
        const topic = this.#readTopic(name);
        const view = this.#topicView(topic, topic.lagging?.partitions);
        if (topic.configuringReads > 0) topic.configuringReads -= 1;
        if (topic.lagging && --topic.lagging.reads <= 0) delete topic.lagging;
        return { status: 200, payload: { topic: view } };
      }
      if (name !== undefined && method === 'PUT') return { status: 200, payload: this.#updateTopic(name, body) };
      if (name !== undefined && method === 'DELETE') {
        this.#visibleTopic(name);
        this.topics.delete(name);
        return { status: 204, payload: undefined };
      }
    }
    if (collection === 'users') {
      if (name === undefined && method === 'GET') return { status: 200, payload: { users: [...this.users.values()].map((u) => this.#userView(u)) } };
      if (name !== undefined && method === 'GET') return { status: 200, payload: { user: this.#userView(this.#user(name)) } };
      if (name !== undefined && method === 'PUT') return { status: 201, payload: this.#updateUser(name, body) };
    }
    throw new HttpProblem(404, 'The resource you requested could not be found.');
  }

  #listTopics(): unknown {
    const topics = [...this.topics.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((t) => ({
        name: t.name,
        state: t.notFoundReads > 0 || t.configuringReads > 0 ? 'configuring' : 'active',
        replication_factor: t.replicationFactor,
        partition_count: t.partitions,
      }));
    return { topics };
  }

  /** A detail read: consumes one of a new topic's 404 reads (the caller consumes `configuring` ones). */
  #readTopic(name: string): SimTopic {
    const topic = this.topics.get(name);
    if (!topic) throw new HttpProblem(404, 'The resource you requested could not be found.');
    if (topic.notFoundReads > 0) {
      topic.notFoundReads -= 1;
      throw new HttpProblem(404, 'The resource you requested could not be found.');
    }
    return topic;
  }

  /** A topic a write may address: one whose creation has become visible. */
  #visibleTopic(name: string): SimTopic {
    const topic = this.topics.get(name);
    if (!topic || topic.notFoundReads > 0) throw new HttpProblem(404, 'The resource you requested could not be found.');
    return topic;
  }

  #topicView(t: SimTopic, shownPartitions = t.partitions): unknown {
    const state = t.notFoundReads > 0 || t.configuringReads > 0 ? 'configuring' : 'active';
    return {
      name: t.name,
      state,
      replication_factor: t.replicationFactor,
      partitions: Array.from({ length: shownPartitions }, (_, id) => ({
        size: 4096,
        id,
        in_sync_replicas: t.replicationFactor,
        earliest_offset: 0,
        consumer_groups: null,
      })),
      config: Object.fromEntries(Object.keys(t.config).sort().map((k) => [k, t.config[k]])),
    };
  }

  #createTopic(body: unknown): unknown {
    const b = this.#object(body, 'body');
    this.#onlyFields(b, ['name', 'partition_count', 'replication_factor', 'config']);
    if (typeof b.name !== 'string' || !TOPIC_NAME.test(b.name)) {
      throw new HttpProblem(422, 'name must be 1-249 characters of letters, digits, ".", "_" or "-".');
    }
    if (this.topics.has(b.name)) throw new HttpProblem(409, `topic ${b.name} already exists`);
    const partitions = b.partition_count === undefined ? 3 : this.#integer(b.partition_count, 'partition_count', 3, 2048);
    const rf = b.replication_factor === undefined ? 2 : this.#integer(b.replication_factor, 'replication_factor', 2, this.#options.nodes);
    const config = this.#config(b.config, this.#defaults());
    const topic: SimTopic = {
      name: b.name,
      partitions,
      replicationFactor: rf,
      config,
      notFoundReads: this.#options.createNotFoundReads,
      configuringReads: this.#options.createConfiguringReads,
    };
    this.topics.set(b.name, topic);
    return { topic: { ...(this.#topicView(topic) as object), state: 'configuring' } };
  }

  #updateTopic(name: string, body: unknown): unknown {
    const topic = this.#visibleTopic(name);
    const b = this.#object(body, 'body');
    this.#onlyFields(b, ['partition_count', 'replication_factor', 'config']);
    const partitions = b.partition_count === undefined ? topic.partitions : this.#integer(b.partition_count, 'partition_count', 3, 2048);
    if (partitions < topic.partitions) {
      throw new HttpProblem(422, `partition_count can only be increased (currently ${topic.partitions}).`);
    }
    const rf = b.replication_factor === undefined ? topic.replicationFactor : this.#integer(b.replication_factor, 'replication_factor', 2, this.#options.nodes);
    // Omitted config keys fall back to the defaults, not to the topic's current values: a client
    // that sends a partial config resets what it left out.
    const config = this.#config(b.config, this.#defaults());
    if (partitions > topic.partitions && this.#options.partitionLagReads > 0) {
      topic.lagging = { partitions: topic.partitions, reads: this.#options.partitionLagReads };
    }
    topic.partitions = partitions;
    topic.replicationFactor = rf;
    topic.config = config;
    return { topic: this.#topicView(topic) };
  }

  #defaults(): Record<string, SimValue> {
    return Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, s]) => [k, s.default]));
  }

  #config(raw: unknown, base: Record<string, SimValue>): Record<string, SimValue> {
    if (raw === undefined) return base;
    const cfg = this.#object(raw, 'config');
    const out = { ...base };
    for (const [key, value] of Object.entries(cfg)) {
      const spec = CONFIG_KEYS[key];
      if (!spec || !spec.writable) throw new HttpProblem(422, `config.${key} is not a supported topic config.`);
      out[key] = this.#configValue(key, spec, value);
    }
    return out;
  }

  #configValue(key: string, spec: KeySpec, value: unknown): SimValue {
    const where = `config.${key}`;
    if (spec.type === 'boolean') {
      if (typeof value !== 'boolean') throw new HttpProblem(422, `${where} must be a boolean.`);
      return value;
    }
    if (typeof spec.type === 'object') {
      if (typeof value !== 'string' || !spec.type.enum.includes(value)) {
        throw new HttpProblem(422, `${where} must be one of ${spec.type.enum.join(', ')}.`);
      }
      return value;
    }
    if (!isLosslessNumber(value)) throw new HttpProblem(422, `${where} must be a number.`);
    if (spec.type === 'integer') {
      if (!/^-?\d+$/.test(value.value)) throw new HttpProblem(422, `${where} must be an integer.`);
      const big = BigInt(value.value);
      if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) throw new HttpProblem(422, `${where} is out of range.`);
      if (spec.min !== undefined && big < BigInt(spec.min)) throw new HttpProblem(422, `${where} must be at least ${spec.min}.`);
      return n(big.toString());
    }
    const num = Number(value.value);
    if ((spec.min !== undefined && num < spec.min) || (spec.max !== undefined && num > spec.max)) {
      throw new HttpProblem(422, `${where} must be between ${spec.min} and ${spec.max}.`);
    }
    return value;
  }

  #user(name: string): SimUser {
    const user = this.users.get(name);
    if (!user) throw new HttpProblem(404, 'The resource you requested could not be found.');
    return user;
  }

  #userView(u: SimUser): unknown {
    return {
      name: u.name,
      role: u.role,
      password: u.password,
      access_cert: u.accessCert,
      access_key: u.accessKey,
      ...(u.acl !== undefined ? { settings: { acl: u.acl.map((a) => ({ id: a.id, topic: a.topic, permission: a.permission })) } } : {}),
    };
  }

  #updateUser(name: string, body: unknown): unknown {
    const user = this.#user(name);
    const b = this.#object(body, 'body');
    this.#onlyFields(b, ['settings']);
    if (b.settings === undefined) throw new HttpProblem(422, 'settings is required.');
    const settings = this.#object(b.settings, 'settings');
    this.#onlyFields(settings, ['acl', 'pg_allow_replication', 'opensearch_acl', 'mongo_user_settings']);
    if (settings.acl !== undefined) {
      if (!Array.isArray(settings.acl)) throw new HttpProblem(422, 'settings.acl must be an array.');
      user.acl = settings.acl.map((raw, i) => {
        const entry = this.#object(raw, `settings.acl[${i}]`);
        this.#onlyFields(entry, ['id', 'topic', 'permission']);
        if (typeof entry.topic !== 'string' || entry.topic === '') throw new HttpProblem(422, `settings.acl[${i}].topic is required.`);
        if (typeof entry.permission !== 'string' || !['admin', 'consume', 'produce', 'produceconsume'].includes(entry.permission)) {
          throw new HttpProblem(422, `settings.acl[${i}].permission must be one of admin, consume, produce, produceconsume.`);
        }
        return { id: this.#nextAclId(), topic: entry.topic, permission: entry.permission };
      });
    }
    return { user: this.#userView(user) };
  }

  #object(value: unknown, what: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value) || isLosslessNumber(value)) {
      throw new HttpProblem(422, `${what} must be an object.`);
    }
    return value as Record<string, unknown>;
  }

  #onlyFields(obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) throw new HttpProblem(422, `unknown field "${key}".`);
    }
  }

  #integer(value: unknown, what: string, min: number, max: number): number {
    if (!isLosslessNumber(value) || !/^-?\d+$/.test(value.value)) throw new HttpProblem(422, `${what} must be an integer.`);
    const v = Number(value.value);
    if (v < min || v > max) throw new HttpProblem(422, `${what} must be between ${min} and ${max}.`);
    return v;
  }

  #errorBody(status: number, message: string): unknown {
    return { id: ERROR_IDS[status] ?? 'error', message, request_id: randomUUID() };
  }

  #send(res: ServerResponse, record: SimRequest, status: number, payload: unknown, headers: Record<string, string>): void {
    record.status = status;
    const body = payload === undefined ? '' : (stringify(payload) ?? '');
    res.writeHead(status, {
      ...headers,
      ...(body !== '' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }
}
