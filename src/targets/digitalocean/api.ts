/**
 * The DigitalOcean API v2 endpoints kafkaform uses for one Managed Kafka database, with response
 * shapes checked at the boundary. Secrets in user responses (password, client key and
 * certificate) are dropped right here: nothing past this file ever holds them.
 */
import { STATUS_CODES } from 'node:http';
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import { ApiError } from '../../errors.js';
import { HttpClient, path, type HttpClientOptions, type HttpRequest, type HttpResponse } from '../../http/index.js';
import type { DoConfigValue } from './configs.js';
import { RateLimitPacer } from './pacer.js';

/** A topic as the list endpoint shows it. */
export interface DoTopicSummary {
  name: string;
  state: string;
  replicationFactor: number | undefined;
  partitionCount: number | undefined;
}

/** A topic as the detail endpoint shows it; config values keep DigitalOcean's typing, losslessly. */
export interface DoTopicDetail {
  name: string;
  state: string;
  replicationFactor: number;
  /** Number of entries of `partitions`. */
  partitions: number;
  config: Record<string, unknown>;
}

/** A database user without any of its secrets. */
export interface DoUser {
  name: string;
  role: string;
  /** `settings.acl`, without the server-assigned ids; undefined when the user has none. */
  acl: { topic: string; permission: string }[] | undefined;
}

/** Body of a topic create or update. */
export interface DoTopicWrite {
  name?: string;
  partition_count: number;
  replication_factor: number;
  config: Record<string, DoConfigValue>;
}

/** Options of the API client beyond the HTTP layer's. */
export interface DoApiOptions {
  /** Longest wait the rate-limit pacer may impose at once. */
  maxPaceWaitMs: number;
}

/**
 * One DigitalOcean database's topics and users. Every failure is an `ApiError` whose message says
 * what was being done and carries DigitalOcean's `{id, message, request_id}`.
 */
export class DoApi {
  readonly #http: HttpClient;
  readonly #db: string;
  readonly #pacer: RateLimitPacer;

  constructor(http: Omit<HttpClientOptions, 'parseJson' | 'stringifyJson' | 'errorInfo' | 'describeError'>, databaseId: string, options: DoApiOptions) {
    this.#http = new HttpClient({
      ...http,
      parseJson: (text) => parse(text),
      stringifyJson: (value) => stringify(value) ?? 'null',
      errorInfo: doErrorInfo,
    });
    this.#db = databaseId;
    const sleep = http.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.#pacer = new RateLimitPacer(options.maxPaceWaitMs, sleep, Date.now, http.debug ? http.log : undefined);
  }

  /** `GET /v2/databases/{id}/topics`. */
  async listTopics(): Promise<DoTopicSummary[]> {
    const res = await this.#send({ method: 'GET', path: path`/v2/databases/${this.#db}/topics` }, 'list topics');
    const topics = field(res.body, 'topics', 'list topics');
    if (topics === undefined || topics === null) return [];
    if (!Array.isArray(topics)) throw malformed('list topics', 'topics is not an array');
    return topics.map((t) => {
      const o = object(t, 'list topics');
      return {
        name: string(o.name, 'list topics', 'name'),
        state: typeof o.state === 'string' ? o.state : 'unknown',
        replicationFactor: optionalInt(o.replication_factor),
        partitionCount: optionalInt(o.partition_count),
      };
    });
  }

  /** `GET /v2/databases/{id}/topics/{name}`; undefined on 404 (absent, or not visible yet). */
  async getTopic(name: string): Promise<DoTopicDetail | undefined> {
    const what = `read topic ${name}`;
    try {
      const res = await this.#send({ method: 'GET', path: path`/v2/databases/${this.#db}/topics/${name}` }, what);
      return toDetail(field(res.body, 'topic', what), what);
    } catch (err) {
      if (err instanceof ApiError && err.details.status === 404) return undefined;
      throw err;
    }
  }

  /** `POST /v2/databases/{id}/topics`; `exists` when the server says the topic already exists. */
  async createTopic(body: DoTopicWrite & { name: string }): Promise<'created' | 'exists'> {
    const what = `create topic ${body.name}`;
    try {
      await this.#send({ method: 'POST', path: path`/v2/databases/${this.#db}/topics`, body }, what);
      return 'created';
    } catch (err) {
      if (err instanceof ApiError && err.details.status === 409) return 'exists';
      throw err;
    }
  }

  /** `PUT /v2/databases/{id}/topics/{name}` with the complete state of the topic. */
  async updateTopic(name: string, body: DoTopicWrite): Promise<void> {
    await this.#send({ method: 'PUT', path: path`/v2/databases/${this.#db}/topics/${name}`, body }, `update topic ${name}`);
  }

  /** `DELETE /v2/databases/{id}/topics/{name}`; false when it was already gone. */
  async deleteTopic(name: string): Promise<boolean> {
    try {
      await this.#send({ method: 'DELETE', path: path`/v2/databases/${this.#db}/topics/${name}` }, `delete topic ${name}`);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.details.status === 404) return false;
      throw err;
    }
  }

  /** `GET /v2/databases/{id}/users`, secrets dropped. */
  async listUsers(): Promise<DoUser[]> {
    const res = await this.#send({ method: 'GET', path: path`/v2/databases/${this.#db}/users` }, 'list database users');
    const users = field(res.body, 'users', 'list database users');
    if (users === undefined || users === null) return [];
    if (!Array.isArray(users)) throw malformed('list database users', 'users is not an array');
    return users.map((u) => toUser(u));
  }

  /** `PUT /v2/databases/{id}/users/{name}` replacing the user's Kafka ACLs as a whole. */
  async setUserAcl(name: string, acl: { topic: string; permission: string }[]): Promise<void> {
    await this.#send(
      { method: 'PUT', path: path`/v2/databases/${this.#db}/users/${name}`, body: { settings: { acl } } },
      `set the ACLs of database user ${name}`,
    );
  }

  /** Releases the connection pool. */
  close(): Promise<void> {
    return this.#http.close();
  }

  async #send(req: HttpRequest, what: string): Promise<HttpResponse<unknown>> {
    await this.#pacer.acquire();
    let headers: HttpResponse<unknown>['headers'] | undefined;
    try {
      const res = await this.#http.request(req);
      headers = res.headers;
      return res;
    } catch (err) {
      throw err instanceof ApiError ? describe(what, err) : err;
    } finally {
      this.#pacer.release(headers);
    }
  }
}

/** DigitalOcean's error body: `{id, message, request_id}`. */
function doErrorInfo(body: unknown): { errorCode?: string; serverMessage?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const requestId = typeof b.request_id === 'string' ? ` (request id ${b.request_id})` : '';
  return {
    ...(typeof b.id === 'string' ? { errorCode: b.id } : {}),
    ...(typeof b.message === 'string' ? { serverMessage: `${b.message}${requestId}` } : {}),
  };
}

/** One sentence for a failed call, keeping status, id and message in `details`. */
function describe(what: string, err: ApiError): ApiError {
  const d = err.details;
  const server = d.serverMessage ? `: ${d.serverMessage}` : '';
  const id = d.errorCode === undefined ? '' : ` ${d.errorCode}`;
  let message: string;
  if (d.status === undefined) {
    message = `Cannot ${what} on DigitalOcean: ${d.serverMessage ?? 'network error'} (${d.method} ${d.url}).`;
  } else if (d.status === 401) {
    message = `DigitalOcean rejected the API token while trying to ${what} (HTTP 401${id}): check the token configured for this cluster.`;
  } else if (d.status === 403) {
    message = `The DigitalOcean API token may not ${what} (HTTP 403${id}${server}).`;
  } else {
    const status = `HTTP ${d.status} ${STATUS_CODES[d.status] ?? ''}`.trimEnd();
    // A listing only 404s when the database itself is unknown (or is not a Kafka cluster).
    const hint = d.status === 404 && what.startsWith('list ') ? '; check databaseId: it must be the UUID of a Kafka database cluster' : '';
    message = `Cannot ${what} on DigitalOcean: ${status}${id}${server}${hint}.`;
  }
  const out = new ApiError(message, d);
  out.stack = `${out.name}: ${message}\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
  return out;
}

function malformed(what: string, problem: string): ApiError {
  return new ApiError(`Cannot ${what} on DigitalOcean: unexpected response (${problem}).`, { method: 'GET', url: what });
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || isLosslessNumber(value)) {
    throw malformed(what, 'expected an object');
  }
  return value as Record<string, unknown>;
}

function field(body: unknown, key: string, what: string): unknown {
  return object(body, what)[key];
}

function string(value: unknown, what: string, name: string): string {
  if (typeof value !== 'string') throw malformed(what, `${name} is not a string`);
  return value;
}

function optionalInt(value: unknown): number | undefined {
  if (isLosslessNumber(value) && /^\d+$/.test(value.value)) return Number(value.value);
  return undefined;
}

function toDetail(value: unknown, what: string): DoTopicDetail {
  const o = object(value, what);
  const rf = optionalInt(o.replication_factor);
  if (rf === undefined) throw malformed(what, 'replication_factor is missing');
  const config = o.config === undefined || o.config === null ? {} : object(o.config, what);
  return {
    name: string(o.name, what, 'name'),
    state: typeof o.state === 'string' ? o.state : 'unknown',
    replicationFactor: rf,
    partitions: Array.isArray(o.partitions) ? o.partitions.length : 0,
    config,
  };
}

/** Keeps a user's name, role and ACLs; the password, client key and certificate never leave. */
function toUser(value: unknown): DoUser {
  const what = 'list database users';
  const o = object(value, what);
  const settings = o.settings === undefined || o.settings === null ? undefined : object(o.settings, what);
  const rawAcl = settings?.acl;
  let acl: DoUser['acl'];
  if (Array.isArray(rawAcl)) {
    acl = rawAcl.map((entry) => {
      const e = object(entry, what);
      return { topic: string(e.topic, what, 'settings.acl[].topic'), permission: string(e.permission, what, 'settings.acl[].permission') };
    });
  } else if (rawAcl !== undefined && rawAcl !== null) {
    throw malformed(what, 'settings.acl is not an array');
  }
  return { name: string(o.name, what, 'name'), role: typeof o.role === 'string' ? o.role : 'normal', acl };
}
