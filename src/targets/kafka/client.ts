/**
 * The Kafka requests kafkaform sends, through `@platformatic/kafka`'s protocol-level APIs (its
 * high-level admin client lacks per-topic settings, `validateOnly` on creates, and per-item
 * results). Every request goes to one connection; per-item errors come back as data, for the
 * caller to map to each resource; request-level failures are `ApiError`s with one sentence.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import {
  ConfigResourceTypes,
  Connection,
  ResponseError,
  createAclsV3,
  createPartitionsV3,
  createTopicsV7,
  deleteAclsV3,
  deleteTopicsV6,
  describeAclsV3,
  describeConfigsV4,
  incrementalAlterConfigsV1,
  metadataV10,
  type Acl,
  type AclFilter,
  type Admin,
  type ConnectionOptions,
} from '@platformatic/kafka';
import { untilAborted } from '../../deadline.js';
import type { Meter } from '../../progress/index.js';
import { ApiError, ConfigError } from '../../errors.js';
import { OAuthBearerRefusedError } from './auth-oauthbearer.js';
import { KAFKA_ERRORS, kafkaFailure, transportFailure, type Operation } from './errors.js';
import { saslOptions } from './sasl.js';
import type { BrokerAddress, KafkaSettings } from './settings.js';

/** Config resource type of topics in DescribeConfigs and IncrementalAlterConfigs. */
export const TOPIC_RESOURCE = ConfigResourceTypes.TOPIC;

/**
 * Topics per DescribeConfigs request at most: with synonyms a topic's answer is ~5 KiB, so this
 * bounds one response to some tens of MiB while keeping the requests for a big cluster to a handful.
 */
export const DESCRIBE_CONFIGS_TOPICS = 5_000;

/**
 * Connections reads are spread over: a broker answers one connection's requests one at a time,
 * so the configs of many topics go in this many requests side by side (each answered by its own
 * request handler thread while the previous answer is decoded), and DescribeAcls on one more.
 */
export const READ_CONNECTIONS = 3;

/** Below this many topics per request, splitting costs more than it saves. */
const SPLIT_TOPICS = 500;

/**
 * The DescribeConfigs requests for `names`: up to `READ_CONNECTIONS` of them, at least
 * `SPLIT_TOPICS` topics each, and more only past `DESCRIBE_CONFIGS_TOPICS` per request.
 */
export function configRequests(names: readonly string[]): string[][] {
  const count = Math.max(Math.ceil(names.length / DESCRIBE_CONFIGS_TOPICS), Math.min(READ_CONNECTIONS, Math.floor(names.length / SPLIT_TOPICS)), 1);
  const size = Math.ceil(names.length / count);
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += size) chunks.push(names.slice(i, i + size));
  return chunks;
}

/** One item's outcome in a response: the error code (0 for success) and the broker's text. */
export interface ItemResult {
  errorCode: number;
  errorMessage: string | null | undefined;
}

function address(b: BrokerAddress): string {
  return b.host.includes(':') ? `[${b.host}]:${b.port}` : `${b.host}:${b.port}`;
}

/** Errors a failed connection nests (network error → authentication error → SASL response). */
function* causes(err: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === undefined || e === null || seen.has(e)) continue;
    seen.add(e);
    yield e;
    if (typeof e === 'object') {
      const o = e as { cause?: unknown; errors?: unknown };
      queue.push(o.cause);
      if (Array.isArray(o.errors)) queue.push(...o.errors);
    }
  }
}

function protocolCode(err: unknown): { code: number; message: string | null } | undefined {
  for (const e of causes(err)) {
    const o = e as { apiCode?: unknown; serverErrorMessage?: unknown };
    if (typeof o.apiCode === 'number') {
      return { code: o.apiCode, message: typeof o.serverErrorMessage === 'string' && o.serverErrorMessage !== '' ? o.serverErrorMessage : null };
    }
  }
  return undefined;
}

/** The most specific reason a connection or request failed without a broker's error code. */
function transportProblem(err: unknown): string {
  let last = 'network error';
  for (const e of causes(err)) {
    if (!(e instanceof Error)) continue;
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    if (code === 'PLT_KFK_TIMEOUT' || code === 'ETIMEDOUT') return 'timed out';
    if (typeof code === 'string' && /^(ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|ERR_SSL)/.test(code)) return `TLS: ${e.message}`;
    last = e.message;
  }
  return last;
}

async function tlsOptions(settings: KafkaSettings): Promise<TlsOptions | undefined> {
  const tls = settings.tls;
  if (tls === undefined) return undefined;
  const read = async (key: 'caFile' | 'certFile' | 'keyFile'): Promise<Buffer | undefined> => {
    const file = tls[key];
    if (file === undefined) return undefined;
    try {
      return await readFile(file);
    } catch (e) {
      throw new ConfigError(`Cannot read tls.${key} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
  };
  const [ca, cert, key] = await Promise.all([read('caFile'), read('certFile'), read('keyFile')]);
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
    rejectUnauthorized: !tls.insecureSkipTlsVerify,
  };
}

/**
 * `promise`, marked as handled: when the signal ends the wait for it, its later rejection (the
 * connection closed under it) must not surface as an unhandled rejection.
 */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The `ApiError` for a request that failed outside `KafkaClient`'s own requests (the admin
 * client's): the broker's error code and text when it answered, else the transport problem.
 */
export function requestFailure(op: Operation, err: unknown, broker: string): ApiError {
  const answered = protocolCode(err);
  return answered !== undefined ? kafkaFailure(op, answered.code, answered.message, broker) : transportFailure(op, transportProblem(err), broker);
}

/** An open connection and the address it goes to. */
interface Opened {
  connection: Connection;
  broker: string;
  server: BrokerAddress;
}

/** Where a request goes: any broker, the controller, or one of the read connections (0: the first). */
type Route = 'any' | 'controller' | { read: number };

/**
 * Connections to a cluster: one to the first bootstrap server that answers and authenticates,
 * and, for the requests Kafka wants at the controller (topic creates, partition increases, topic
 * deletes; ZooKeeper-based clusters refuse them elsewhere), one to the controller Metadata names.
 */
export class KafkaClient {
  readonly #settings: KafkaSettings;
  readonly #cluster: string;
  #options: Promise<ConnectionOptions> | undefined;
  #bootstrap: Promise<Opened> | undefined;
  #controller: Promise<Opened> | undefined;
  /** Further connections to the bootstrap broker, for reads side by side (`READ_CONNECTIONS`). */
  readonly #reads = new Map<number, Promise<Opened>>();
  #admin: Admin | undefined;
  readonly #opened: Opened[] = [];

  readonly #debug: ((line: string) => void) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #meter: Meter | undefined;
  /** Bytes each connection had read when last counted: responses are counted as the difference. */
  readonly #counted = new WeakMap<Connection, number>();

  /**
   * `debug` receives one line per request (API, items, broker, time; never credentials); when
   * `signal` aborts, every connect and request waiting ends with its reason; `meter` counts the
   * requests and the bytes read.
   */
  constructor(settings: KafkaSettings, cluster: string, options: { debug?: (line: string) => void; signal?: AbortSignal; meter?: Meter } = {}) {
    this.#settings = settings;
    this.#cluster = cluster;
    this.#debug = options.debug;
    this.#signal = options.signal;
    this.#meter = options.meter;
  }

  /** Tells the meter what `connection` read since it last did. */
  #count(connection: Connection): void {
    if (this.#meter === undefined) return;
    const read = connection.socket?.bytesRead ?? 0;
    const before = this.#counted.get(connection) ?? 0;
    this.#counted.set(connection, read);
    if (read > before) this.#meter.received(read - before);
  }

  /** The request timeout, also the broker-side timeout of creates and deletes. */
  get timeoutMs(): number {
    return this.#settings.requestTimeoutMs;
  }

  async #connectionOptions(): Promise<ConnectionOptions> {
    const settings = this.#settings;
    const tls = await tlsOptions(settings);
    return {
      connectTimeout: settings.connectTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      ...(tls !== undefined ? { tls } : {}),
      ...(settings.sasl !== undefined ? { sasl: saslOptions(settings.sasl, this.#cluster) } : {}),
    };
  }

  /** Connects to the first of `servers` that answers; wrong credentials fail at once. */
  async #connect(servers: readonly BrokerAddress[]): Promise<Opened> {
    this.#options ??= this.#connectionOptions();
    const options = await this.#options;
    const problems: string[] = [];
    for (const server of servers) {
      const broker = address(server);
      // SNI names the broker (managed services route on it); RFC 6066 forbids it for IP addresses.
      const sni = options.tls !== undefined && this.#settings.tls?.serverName === undefined && isIP(server.host) === 0;
      const connection = new Connection(this.#settings.clientId, sni ? { ...options, tlsServerName: true } : options);
      try {
        this.#signal?.throwIfAborted();
        await untilAborted(settled(connection.connect(server.host, server.port) as Promise<void>), this.#signal);
        const opened = { connection, broker, server };
        this.#opened.push(opened);
        return opened;
      } catch (err) {
        await connection.close().catch(() => undefined);
        if (this.#signal?.aborted) throw err;
        const answered = protocolCode(err);
        const op = { verb: 'connect to', resource: `cluster ${this.#cluster}`, api: 'SaslAuthenticate' };
        // Wrong credentials are wrong on every broker: say so at once.
        if (answered !== undefined) throw kafkaFailure(op, answered.code, answered.message, broker);
        const refused = [...causes(err)].find((e) => e instanceof OAuthBearerRefusedError);
        if (refused !== undefined) {
          throw new ApiError(`Authentication failed at ${broker}: ${refused.message}; check the token configured for this cluster (sasl.token)`, {
            method: op.api,
            url: broker,
          });
        }
        problems.push(`${broker}: ${transportProblem(err)}`);
      }
    }
    throw new ApiError(`Cannot connect to cluster ${this.#cluster}: no broker answered (${problems.join('; ')})`, {
      method: 'connect',
      url: servers.map(address).join(','),
    });
  }

  async #route(route: Route): Promise<Opened> {
    this.#bootstrap ??= this.#connect(this.#settings.bootstrapServers).catch((err: unknown) => {
      // A later call tries again rather than repeating a stale failure.
      this.#bootstrap = undefined;
      throw err;
    });
    if (route === 'any' || (typeof route === 'object' && route.read === 0)) return this.#bootstrap;
    if (typeof route === 'object') {
      const bootstrap = this.#bootstrap;
      let read = this.#reads.get(route.read);
      if (read === undefined) {
        read = bootstrap.then((b) => this.#connect([b.server])).catch((err: unknown) => {
          this.#reads.delete(route.read);
          throw err;
        });
        this.#reads.set(route.read, read);
      }
      return read;
    }
    this.#controller ??= (async () => {
      const bootstrap = await this.#bootstrap!;
      const md = await this.metadata([]);
      const controller = md.brokers.find((b: metadataV10.MetadataResponseBroker) => b.nodeId === md.controllerId);
      if (controller === undefined || address(controller) === bootstrap.broker) return bootstrap;
      return this.#connect([controller]);
    })().catch((err: unknown) => {
      this.#controller = undefined;
      throw err;
    });
    return this.#controller;
  }

  /**
   * Sends one request and returns its response, also when items in it carry errors (the client
   * throws those; the caller maps them to each resource).
   */
  async #send<R>(op: Operation, run: (connection: Connection) => Promise<R>, route: Route = 'any'): Promise<{ response: R; broker: string }> {
    const { connection, broker } = await this.#route(route);
    const started = performance.now();
    const took = (): void => {
      this.#count(connection);
      this.#debug?.(`kafka: ${op.api} (${op.verb} ${op.resource}) → ${broker} in ${Math.round(performance.now() - started)} ms`);
    };
    try {
      this.#signal?.throwIfAborted();
      this.#meter?.sent();
      const response = await untilAborted(settled(run(connection)), this.#signal);
      took();
      return { response, broker };
    } catch (err) {
      took();
      if (this.#signal?.aborted) throw err;
      if (err instanceof ResponseError && typeof err.response === 'object' && err.response !== null) {
        return { response: err.response as R, broker };
      }
      const answered = protocolCode(err);
      if (answered !== undefined) throw kafkaFailure(op, answered.code, answered.message, broker);
      throw transportFailure(op, transportProblem(err), broker);
    }
  }

  /** Metadata for all topics (`null`) or the named ones. */
  async metadata(topics: string[] | null): Promise<metadataV10.MetadataResponse> {
    const op = { verb: 'list', resource: topics === null ? 'topics' : `topics ${topics.join(', ')}`, api: 'Metadata' };
    return (await this.#send(op, (c) => metadataV10.api.async(c, topics, false, false))).response;
  }

  /**
   * Every config of the named topics with synonyms, in the requests `configRequests` makes, side
   * by side on the read connections.
   */
  async describeTopicConfigs(names: readonly string[]): Promise<{ results: describeConfigsV4.DescribeConfigsResponseResult[]; broker: string }> {
    const op = { verb: 'read', resource: 'topic configs', api: 'DescribeConfigs' };
    const answers = await Promise.all(
      configRequests(names).map((chunk, i) =>
        this.#send(
          op,
          (c) =>
            describeConfigsV4.api.async(
              c,
              chunk.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: null })),
              true,
              false,
            ),
          { read: i % READ_CONNECTIONS },
        ),
      ),
    );
    return { results: answers.flatMap((a) => a.response.results), broker: answers[0]?.broker ?? '' };
  }

  /**
   * Every ACL binding (one any-filter). `undefined` when the cluster has no authorizer.
   */
  async describeAcls(): Promise<describeAclsV3.DescribeAclsResponseResource[] | undefined> {
    const op = { verb: 'list', resource: 'ACLs', api: 'DescribeAcls' };
    const any: AclFilter = { resourceType: 1, resourceName: null, resourcePatternType: 1, principal: null, host: null, operation: 1, permissionType: 1 };
    // Beside the configs, not queued behind them.
    const { response, broker } = await this.#send(op, (c) => describeAclsV3.api.async(c, any), { read: READ_CONNECTIONS });
    if (response.errorCode === KAFKA_ERRORS.securityDisabled) return undefined;
    if (response.errorCode !== 0) throw kafkaFailure(op, response.errorCode, response.errorMessage, broker);
    return response.resources;
  }

  /** CreateTopics with per-topic settings; one result per topic, by name. */
  async createTopics(topics: createTopicsV7.CreateTopicsRequestTopic[], validateOnly: boolean): Promise<Map<string, ItemResult>> {
    const op = { verb: validateOnly ? 'validate the creation of' : 'create', resource: `${topics.length} topic(s)`, api: 'CreateTopics' };
    const { response } = await this.#send(op, (c) => createTopicsV7.api.async(c, topics, this.timeoutMs, validateOnly), 'controller');
    return new Map(response.topics.map((t) => [t.name, { errorCode: t.errorCode, errorMessage: t.errorMessage }]));
  }

  /** CreatePartitions; one result per topic, by name. */
  async createPartitions(topics: createPartitionsV3.CreatePartitionsRequestTopic[], validateOnly: boolean): Promise<Map<string, ItemResult>> {
    const op = { verb: 'increase the partitions of', resource: `${topics.length} topic(s)`, api: 'CreatePartitions' };
    const { response } = await this.#send(op, (c) => createPartitionsV3.api.async(c, topics, this.timeoutMs, validateOnly), 'controller');
    return new Map(response.results.map((r) => [r.name, { errorCode: r.errorCode, errorMessage: r.errorMessage }]));
  }

  /** IncrementalAlterConfigs on topics; one result per topic, by name. */
  async alterTopicConfigs(resources: incrementalAlterConfigsV1.IncrementalAlterConfigsRequestResource[], validateOnly: boolean): Promise<Map<string, ItemResult>> {
    const op = { verb: 'alter the configs of', resource: `${resources.length} topic(s)`, api: 'IncrementalAlterConfigs' };
    const { response } = await this.#send(op, (c) => incrementalAlterConfigsV1.api.async(c, resources, validateOnly));
    return new Map(response.responses.map((r) => [r.resourceName, { errorCode: r.errorCode, errorMessage: r.errorMessage }]));
  }

  /** CreateAcls; one result per binding, in request order. */
  async createAcls(acls: Acl[]): Promise<ItemResult[]> {
    const op = { verb: 'create', resource: `${acls.length} ACL binding(s)`, api: 'CreateAcls' };
    const { response } = await this.#send(op, (c) => createAclsV3.api.async(c, acls));
    return response.results.map((r) => ({ errorCode: r.errorCode, errorMessage: r.errorMessage }));
  }

  /** DeleteAcls; one result per filter, in request order (a filter matching nothing succeeds). */
  async deleteAcls(filters: AclFilter[]): Promise<ItemResult[]> {
    const op = { verb: 'delete', resource: `${filters.length} ACL binding(s)`, api: 'DeleteAcls' };
    const { response } = await this.#send(op, (c) => deleteAclsV3.api.async(c, filters));
    return response.filterResults.map((r) => {
      const failed = r.errorCode !== 0 ? r : r.matchingAcls.find((m) => m.errorCode !== 0);
      return { errorCode: failed?.errorCode ?? 0, errorMessage: failed?.errorMessage ?? null };
    });
  }

  /** DeleteTopics by name; one result per topic, by name. */
  async deleteTopics(names: string[]): Promise<Map<string, ItemResult>> {
    const op = { verb: 'delete', resource: `${names.length} topic(s)`, api: 'DeleteTopics' };
    const { response } = await this.#send(op, (c) => deleteTopicsV6.api.async(c, names.map((name) => ({ name })), this.timeoutMs), 'controller');
    return new Map(response.responses.map((r) => [r.name ?? '', { errorCode: r.errorCode, errorMessage: r.errorMessage }]));
  }

  /**
   * @platformatic/kafka's admin client on the same settings, opened on first use: replication-factor
   * changes (`reassignment.ts`) need the brokers' racks and connections to each broker for their
   * throttle configs, which its connection pool gives. Imported here, not with the protocol APIs:
   * the CLI bundle keeps only the parts of the package those use, and loads the whole package
   * (its clients compile their option schemas as they load, ~0.7 s of CPU) only for this.
   */
  async admin(): Promise<Admin> {
    this.#options ??= this.#connectionOptions();
    const options = await this.#options;
    const { Admin } = await import('@platformatic/kafka');
    this.#admin ??= new Admin({ ...options, clientId: this.#settings.clientId, bootstrapBrokers: this.#settings.bootstrapServers.map((b) => ({ host: b.host, port: b.port })) });
    return this.#admin;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.close().catch(() => undefined);
    this.#bootstrap = undefined;
    this.#controller = undefined;
    this.#reads.clear();
    const opened = this.#opened.splice(0);
    await Promise.all(opened.map((o) => o.connection.close().catch(() => undefined)));
  }
}
