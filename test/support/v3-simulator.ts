/**
 * A loopback simulator of the Kafka REST API v3 endpoints kafkaform uses, as the API reference and
 * the two OpenAPI specs in `../shared/api/confluent-rest-v3/` describe them. It serves both path
 * flavours at once: `/v3` (REST Proxy) and `/kafka/v3` (Confluent Server, Confluent Cloud).
 *
 * Faithful where it matters to a client:
 * - every error body is `{error_code, message}`: 40101 on bad credentials, 40301 when not
 *   authorized, 40403 for an unknown topic, 404 for an unknown cluster or endpoint, 40002 for
 *   what Kafka rejects (existing topic, bad partition counts, replication factor above the broker
 *   count, unknown config names, invalid values, read-only configs, malformed ACLs), 400 for
 *   malformed requests, 405 for a wrong method, 415 for a body that is not JSON;
 * - `validate_only`: a dry-run create answers 200 and creates nothing, a dry-run configs:alter
 *   answers 204 and changes nothing; an alter is all-or-nothing;
 * - topic configs shaped like Confluent Cloud's (29 keys per topic, `confluent.*` included): value,
 *   `source`, `is_default`, `is_read_only`, `is_sensitive` and `synonyms` from the topic level down
 *   through dynamic broker defaults and static broker configs to Kafka's defaults, with Kafka's
 *   unit quirk (`retention.ms` inherits from `log.retention.hours` = 168);
 * - with `kafka: { version }`, an Apache Kafka cluster instead: every topic config, default and
 *   broker synonym of that version's generated catalog (src/kafka/catalog), checked with Kafka's
 *   validator texts, with a real broker's quirks (4.4's dynamic cluster default
 *   `min.insync.replicas=1`; static broker settings shown as defaults without synonyms);
 * - pagination through absolute `metadata.next` links when a test sets `pageSize`;
 * - the create response does not report the created partition count (as in the spec's example,
 *   which answers `partitions_count: 1` for a 64-partition request);
 * - injectable latency and faults: 429 with Jetty's HTML page and `Retry-After`, 500/50003,
 *   plain 500, 403/40301, dropped connections before or after the request took effect, bodies
 *   cut off mid-way, requests held unanswered until the test releases them; and a switch that
 *   removes `POST /acls:batch` (older REST Proxy).
 *
 * Every request is recorded (method, path after the base, route template, status) so tests can
 * count calls and the contract test can check each response against the OpenAPI spec.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kafkaCatalog, type KafkaConfigDefinition, type KafkaValidator, type KafkaVersion } from '../../src/kafka/catalog.js';

/** An ACL binding in the API's wire form. */
export interface SimAcl {
  resource_type: string;
  resource_name: string;
  pattern_type: string;
  principal: string;
  host: string;
  operation: string;
  permission: string;
}

/** A topic to seed the simulator with. */
export interface SimTopicInit {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  internal?: boolean;
  /** Topic-level overrides (source DYNAMIC_TOPIC_CONFIG). */
  configs?: Record<string, string>;
}

/** A topic as the simulator holds it. */
export interface SimTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  internal: boolean;
  configs: Map<string, string>;
}

/** What an injected fault does to a matching request. */
export type FaultKind =
  /** 429 with Jetty's HTML page and `Retry-After` (default `1`). */
  | 'rate-limit'
  /** 503 with an HTML page, as a load balancer answers. */
  | 'unavailable'
  /** 500 `{error_code: 50003}`: a retriable Kafka error. */
  | 'retriable'
  /** 500 `{error_code: 500}`: not retriable. */
  | 'server-error'
  /** 403 `{error_code: 40301}`. */
  | 'forbidden'
  /** The connection is closed before the request is handled. */
  | 'drop'
  /** The request takes effect, then the connection is closed before the response. */
  | 'drop-after'
  /** A 200 whose body is cut off half-way (list endpoints). */
  | 'truncate'
  /**
   * A slow server under the test's control: the request waits, unanswered, until `release()`,
   * then is handled as usual (`whenHeld` says when it has arrived).
   */
  | 'hold';

/**
 * A fault applied to the requests it matches, `times` times (Infinity: permanently). Rules are
 * tried in the order injected and a request gets at most one fault, so `skip` counts only the
 * matching requests that earlier rules let through.
 */
export interface FaultRule {
  fault: FaultKind;
  method?: string;
  /** Matched against the path after the base (`/clusters/c1/topics`), without the query. */
  path?: string | RegExp;
  /** How many matching requests get the fault; default 1. */
  times?: number;
  /** Matching requests let through before the fault starts; default 0. */
  skip?: number;
  /** `Retry-After` of a rate-limit fault. */
  retryAfter?: string;
}

/** A request as the simulator saw it. */
export interface RecordedRequest {
  method: string;
  /** Path after the base, e.g. `/clusters/c1/topics/orders/configs:alter` (still encoded). */
  path: string;
  query: URLSearchParams;
  /** `/v3` or `/kafka/v3`. */
  base: string;
  /** The matched route template, e.g. `/clusters/{cluster_id}/topics/{topic_name}`; undefined when unknown. */
  route?: string;
  /** Parsed JSON request body, if any. */
  body?: unknown;
  status: number;
  /** Parsed JSON response body (undefined for empty or HTML bodies). */
  responseBody?: unknown;
  contentType?: string;
}

/** Simulator settings. */
export interface V3SimulatorOptions {
  clusterId?: string;
  auth?: { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string };
  /** Items per list page; unset: everything on one page. */
  pageSize?: number;
  /** Added before every response. */
  latencyMs?: number;
  /**
   * Server-side rate limit (token bucket, `burst` defaults to one second's worth): requests over
   * it are answered 429 with Jetty's HTML page and `Retry-After: 1`, and have no effect.
   */
  rateLimit?: { requestsPerSecond: number; burst?: number };
  /** False removes `POST /acls:batch` (404), like REST Proxy before it had the endpoint. */
  aclBatch?: boolean;
  /** False removes `GET /clusters` (404), as Confluent Cloud's API does not list clusters. */
  listClusters?: boolean;
  /** Brokers available: the upper bound of replication factors. Default 3. */
  brokers?: number;
  /** When set, the only replication factor accepted (Confluent Cloud accepts only 3). */
  requiredReplicationFactor?: number;
  /** Cluster-wide dynamic broker defaults by broker config name, e.g. `log.retention.ms`. */
  brokerConfigs?: Record<string, string>;
  /**
   * Serve an Apache Kafka cluster of this version (Confluent Platform's REST over plain Kafka)
   * instead of Confluent Cloud's 29 keys: every topic config, default and broker synonym of that
   * version's generated catalog, checked with Kafka's validators.
   */
  kafka?: {
    version: KafkaVersion;
    /** server.properties entries by broker name, e.g. `log.retention.hours`. */
    staticBrokerConfigs?: Record<string, string>;
  };
}

// ---------------------------------------------------------------------------------------------
// Topic configs, as a Confluent Cloud Standard/Dedicated cluster reports them.

type Check = (value: string) => string | undefined;

const LONG_MAX = 9223372036854775807n;

function long(min: bigint, max: bigint = LONG_MAX): Check {
  return (v) => {
    if (!/^-?\d+$/.test(v.trim())) return 'Not a number of type LONG';
    const n = BigInt(v.trim());
    if (n < -LONG_MAX - 1n || n > LONG_MAX) return 'Not a number of type LONG';
    if (n < min) return `Value must be at least ${min}`;
    if (n > max) return `Value must be no more than ${max}`;
    return undefined;
  };
}
function int(min: number, max = 2147483647): Check {
  return (v) => {
    if (!/^-?\d+$/.test(v.trim()) || Math.abs(Number(v)) > 2147483648) return 'Not a number of type INT';
    const n = Number(v);
    if (n < min) return `Value must be at least ${min}`;
    if (n > max) return `Value must be no more than ${max}`;
    return undefined;
  };
}
const bool: Check = (v) => (/^(true|false)$/i.test(v.trim()) ? undefined : 'Expected value to be either true or false');
function oneOf(values: readonly string[]): Check {
  return (v) => (values.includes(v) ? undefined : `String must be one of: ${values.join(', ')}`);
}
const ratio: Check = (v) => {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) return 'Not a number of type DOUBLE';
  return n < 0 || n > 1 ? 'Value must be between 0 and 1' : undefined;
};
const cleanupPolicy: Check = (v) =>
  v.split(',').every((p) => p.trim() === 'compact' || p.trim() === 'delete') ? undefined : 'String must be one of: compact, delete';
const anyString: Check = () => undefined;

interface SimConfig {
  name: string;
  default: string;
  check: Check;
  readOnly?: boolean;
  /** Broker config name of the same setting; Kafka lists it among the synonyms. */
  broker?: string;
  /** The DEFAULT_CONFIG synonym when Kafka reports the default under another name and unit. */
  defaultSynonym?: { name: string; value: string };
  /** Confluent Cloud sets these in the broker's static config. */
  staticValue?: string;
  /** The default comes from a static broker setting, which Kafka reports without synonyms. */
  hideSynonyms?: boolean;
}

const SUBJECT_STRATEGY = 'io.confluent.kafka.serializers.subject.TopicNameStrategy';
const SUBJECT_STRATEGIES = [
  SUBJECT_STRATEGY,
  'io.confluent.kafka.serializers.subject.RecordNameStrategy',
  'io.confluent.kafka.serializers.subject.TopicRecordNameStrategy',
];

const CONFIGS: readonly SimConfig[] = [
  { name: 'cleanup.policy', default: 'delete', check: cleanupPolicy, broker: 'log.cleanup.policy' },
  {
    name: 'compression.type',
    default: 'producer',
    check: oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']),
    broker: 'compression.type',
  },
  { name: 'confluent.key.schema.validation', default: 'false', check: bool },
  { name: 'confluent.key.subject.name.strategy', default: SUBJECT_STRATEGY, check: oneOf(SUBJECT_STRATEGIES) },
  { name: 'confluent.value.schema.validation', default: 'false', check: bool },
  { name: 'confluent.value.subject.name.strategy', default: SUBJECT_STRATEGY, check: oneOf(SUBJECT_STRATEGIES) },
  { name: 'delete.retention.ms', default: '86400000', check: long(0n), broker: 'log.cleaner.delete.retention.ms' },
  { name: 'file.delete.delay.ms', default: '60000', check: long(0n), readOnly: true, broker: 'log.segment.delete.delay.ms' },
  { name: 'flush.messages', default: String(LONG_MAX), check: long(1n), readOnly: true, broker: 'log.flush.interval.messages' },
  { name: 'flush.ms', default: String(LONG_MAX), check: long(0n), readOnly: true, broker: 'log.flush.interval.ms' },
  { name: 'follower.replication.throttled.replicas', default: '', check: anyString, readOnly: true, broker: 'follower.replication.throttled.replicas' },
  { name: 'index.interval.bytes', default: '4096', check: int(0), readOnly: true, broker: 'log.index.interval.bytes' },
  { name: 'leader.replication.throttled.replicas', default: '', check: anyString, readOnly: true, broker: 'leader.replication.throttled.replicas' },
  { name: 'max.compaction.lag.ms', default: String(LONG_MAX), check: long(1n), broker: 'log.cleaner.max.compaction.lag.ms' },
  { name: 'max.message.bytes', default: '1048588', check: int(0, 8388608), broker: 'message.max.bytes', staticValue: '2097164' },
  { name: 'message.downconversion.enable', default: 'true', check: bool, broker: 'log.message.downconversion.enable' },
  {
    name: 'message.timestamp.difference.max.ms',
    default: String(LONG_MAX),
    check: long(0n),
    broker: 'log.message.timestamp.difference.max.ms',
  },
  { name: 'message.timestamp.type', default: 'CreateTime', check: oneOf(['CreateTime', 'LogAppendTime']), broker: 'log.message.timestamp.type' },
  { name: 'min.cleanable.dirty.ratio', default: '0.5', check: ratio, broker: 'log.cleaner.min.cleanable.ratio' },
  { name: 'min.compaction.lag.ms', default: '0', check: long(0n), broker: 'log.cleaner.min.compaction.lag.ms' },
  { name: 'min.insync.replicas', default: '1', check: int(1), broker: 'min.insync.replicas', staticValue: '2' },
  { name: 'preallocate', default: 'false', check: bool, readOnly: true, broker: 'log.preallocate' },
  { name: 'retention.bytes', default: '-1', check: long(-1n), broker: 'log.retention.bytes' },
  {
    name: 'retention.ms',
    default: '604800000',
    check: long(-1n),
    broker: 'log.retention.ms',
    defaultSynonym: { name: 'log.retention.hours', value: '168' },
  },
  { name: 'segment.bytes', default: '1073741824', check: int(14), broker: 'log.segment.bytes', staticValue: '104857600' },
  { name: 'segment.index.bytes', default: '10485760', check: int(4), readOnly: true, broker: 'log.index.size.max.bytes' },
  {
    name: 'segment.jitter.ms',
    default: '0',
    check: long(0n),
    broker: 'log.roll.jitter.ms',
    defaultSynonym: { name: 'log.roll.jitter.hours', value: '0' },
  },
  {
    name: 'segment.ms',
    default: '604800000',
    check: long(1n),
    broker: 'log.roll.ms',
    defaultSynonym: { name: 'log.roll.hours', value: '168' },
  },
  { name: 'unclean.leader.election.enable', default: 'false', check: bool, readOnly: true, broker: 'unclean.leader.election.enable' },
];
const CONFIG_BY_NAME = new Map(CONFIGS.map((c) => [c.name, c]));

/** Kafka's own texts for a value a ConfigDef validator refuses (ConfigDef's messages, in short). */
function kafkaCheck(def: KafkaConfigDefinition): Check {
  const typeName = def.type.toUpperCase();
  const number = (v: string): bigint | number | undefined => {
    const t = v.trim();
    if (def.type === 'double') return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : undefined;
    if (!/^[+-]?\d+$/.test(t)) return undefined;
    const n = BigInt(t);
    const limit = def.type === 'int' ? 2n ** 31n : 2n ** 63n;
    return n < -limit || n >= limit ? undefined : n;
  };
  const validate = (validator: KafkaValidator | undefined, v: string): string | undefined => {
    if (!validator) return undefined;
    switch (validator.kind) {
      case 'range': {
        const n = number(v);
        if (n === undefined) return undefined;
        if (validator.also?.some((a) => Number(a) === Number(n))) return undefined;
        if (validator.min !== null && Number(n) < Number(validator.min)) return `Value must be at least ${validator.min}`;
        if (validator.max !== null && Number(n) > Number(validator.max)) return `Value must be no more than ${validator.max}`;
        return undefined;
      }
      case 'enum':
        return validator.values.includes(v.trim()) ? undefined : `String must be one of: ${validator.values.join(', ')}`;
      case 'list': {
        const items = v.trim() === '' ? [] : v.trim().split(/\s*,\s*/);
        return items.every((i) => validator.values.includes(i)) ? undefined : `String must be one of: ${validator.values.join(', ')}`;
      }
      case 'throttledReplicas': {
        const items = v.trim() === '' ? [] : v.trim().split(/\s*,\s*/);
        return items.every((i) => /^(\d+:\d+)?$/.test(i)) || items.join('') === '*'
          ? undefined
          : "must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...";
      }
      case 'all':
        for (const part of validator.of) {
          const problem = validate(part, v);
          if (problem) return problem;
        }
        return undefined;
      default:
        return undefined;
    }
  };
  return (v) => {
    if ((def.type === 'int' || def.type === 'long' || def.type === 'double') && number(v) === undefined) return `Not a number of type ${typeName}`;
    if (def.type === 'boolean' && !/^(true|false)$/i.test(v.trim())) return 'Expected value to be either true or false';
    return validate(def.validator, v);
  };
}

/** The hours or minutes a broker synonym counts, as milliseconds. */
function brokerValueInMs(value: string, unit: 'hours' | 'minutes' | undefined): string {
  if (unit === 'hours') return String(BigInt(value) * 3_600_000n);
  if (unit === 'minutes') return String(BigInt(value) * 60_000n);
  return value;
}

/**
 * An Apache Kafka cluster's topic configs, from the generated catalog of `version`. Quirks of a
 * real broker: a fresh 4.4 cluster holds `min.insync.replicas=1` as a dynamic cluster default; a
 * static broker setting shows on topics as the default (source DEFAULT_CONFIG, in the topic key's
 * unit) with no synonym.
 */
function kafkaConfigs(version: KafkaVersion, staticConfigs: Record<string, string>): { configs: SimConfig[]; dynamic: Record<string, string> } {
  const configs: SimConfig[] = [];
  for (const def of kafkaCatalog(version).configs.values()) {
    if (def.internal) continue;
    const first = def.synonyms?.[0];
    const fromStatic = def.synonyms?.find((s) => staticConfigs[s.name] !== undefined);
    configs.push({
      name: def.name,
      default: fromStatic ? brokerValueInMs(staticConfigs[fromStatic.name] ?? '', fromStatic.unit) : (def.default ?? ''),
      check: kafkaCheck(def),
      ...(first ? { broker: first.name } : {}),
      ...(fromStatic ? { hideSynonyms: true } : {}),
    });
  }
  return { configs, dynamic: version === '4.4' ? { 'min.insync.replicas': '1' } : {} };
}

/** The topic config keys the simulator knows, sorted. */
export const SIM_CONFIG_NAMES: readonly string[] = CONFIGS.map((c) => c.name).sort();

// ---------------------------------------------------------------------------------------------
// ACL vocabulary

const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN'];
const PATTERN_TYPES = ['LITERAL', 'PREFIXED'];
const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
];
const PERMISSIONS = ['ALLOW', 'DENY'];
const ACL_FIELDS = ['resource_type', 'resource_name', 'pattern_type', 'principal', 'host', 'operation', 'permission'] as const;

const HTML_429 =
  '<html> <head> <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/> <title>Error 429 Too Many Requests</title> </head> <body> <h2>HTTP ERROR 429 Too Many Requests</h2> <table> <tr> <th>URI:</th> <td>/v3/clusters/my-cluster</td> </tr> <tr> <th>STATUS:</th> <td>429</td> </tr> <tr> <th>MESSAGE:</th> <td>Too Many Requests</td> </tr> <tr> <th>SERVLET:</th> <td>default</td> </tr> </table> </body> </html>';
const HTML_503 = '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>';

/** A response the router decided on. */
interface Reply {
  status: number;
  body?: unknown;
  /** Run after the response is decided (state changes), so `drop-after` can apply them. */
  effect?: () => void;
}

class HttpProblem {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    readonly message: string,
  ) {}
}

const bad = (message: string): HttpProblem => new HttpProblem(400, 40002, message);
const UNKNOWN_TOPIC = new HttpProblem(404, 40403, 'This server does not host this topic-partition.');
const NOT_FOUND = new HttpProblem(404, 404, 'HTTP 404 Not Found');
const NOT_ALLOWED = new HttpProblem(405, 405, 'HTTP 405 Method Not Allowed');

/** The simulator. Start with `V3Simulator.start(options)`; `close()` when done. */
export class V3Simulator {
  readonly clusterId: string;
  readonly topics = new Map<string, SimTopic>();
  readonly acls: SimAcl[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly faults: Array<FaultRule & { seen: number; fired: number }> = [];
  readonly options: V3SimulatorOptions;
  /** Dynamic cluster-wide broker defaults (source DYNAMIC_DEFAULT_BROKER_CONFIG). */
  readonly brokerConfigs: Map<string, string>;
  /** The topic configs this cluster knows. */
  readonly configs: readonly SimConfig[];
  readonly #configByName: ReadonlyMap<string, SimConfig>;
  #server: Server | undefined;
  #origin = '';
  #tokens: number | undefined;
  #refilledAt = 0;
  /** Requests waiting under a `hold` fault, and tests waiting for them to arrive. */
  #held: Array<() => void> = [];
  #heldWaiters: Array<{ n: number; resolve: () => void }> = [];

  private constructor(options: V3SimulatorOptions) {
    this.options = options;
    this.clusterId = options.clusterId ?? 'lkc-sim001';
    const kafka = options.kafka ? kafkaConfigs(options.kafka.version, options.kafka.staticBrokerConfigs ?? {}) : undefined;
    this.configs = kafka?.configs ?? CONFIGS;
    this.#configByName = kafka ? new Map(kafka.configs.map((c) => [c.name, c])) : CONFIG_BY_NAME;
    this.brokerConfigs = new Map(Object.entries({ ...kafka?.dynamic, ...options.brokerConfigs }));
  }

  /** Starts a simulator on 127.0.0.1 and a random port. */
  static async start(options: V3SimulatorOptions = {}): Promise<V3Simulator> {
    const sim = new V3Simulator(options);
    const server = createServer((req, res) => {
      sim.#handle(req, res).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sim.#server = server;
    sim.#origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return sim;
  }

  /** REST Proxy flavour base URL: `http://127.0.0.1:PORT/v3`. */
  get url(): string {
    return `${this.#origin}/v3`;
  }

  /** Confluent Cloud / Server flavour base URL: `http://127.0.0.1:PORT/kafka/v3`. */
  get cloudUrl(): string {
    return `${this.#origin}/kafka/v3`;
  }

  /** Adds a topic directly (no request, not counted). */
  addTopic(init: SimTopicInit): SimTopic {
    const topic: SimTopic = {
      name: init.name,
      partitions: init.partitions ?? 6,
      replicationFactor: init.replicationFactor ?? 3,
      internal: init.internal ?? false,
      configs: new Map(Object.entries(init.configs ?? {})),
    };
    this.topics.set(topic.name, topic);
    return topic;
  }

  /** Adds an ACL binding directly. */
  addAcl(acl: SimAcl): void {
    if (!this.acls.some((a) => sameAcl(a, acl))) this.acls.push({ ...acl });
  }

  /** Injects a fault. */
  inject(rule: FaultRule): void {
    this.faults.push({ ...rule, seen: 0, fired: 0 });
  }

  /** Resolves once `n` requests are waiting under `hold` faults at the same time. */
  whenHeld(n: number): Promise<void> {
    if (this.#held.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.#heldWaiters.push({ n, resolve }));
  }

  /** Lets every request waiting under a `hold` fault go on. */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const go of held) go();
  }

  /** Removes every fault. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Forgets recorded requests. */
  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Recorded requests matching a method and a path (substring or pattern). */
  count(method?: string, path?: string | RegExp): number {
    return this.requests.filter((r) => (method === undefined || r.method === method) && matches(r.path, path)).length;
  }

  /** Stops the server and drops open connections. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.#origin);
    const base = url.pathname.startsWith('/kafka/v3/') || url.pathname === '/kafka/v3' ? '/kafka/v3' : url.pathname.startsWith('/v3/') ? '/v3' : '';
    const path = url.pathname.slice(base.length);
    const method = req.method ?? 'GET';
    const route = base === '' ? undefined : routeTemplate(path);
    const record: RecordedRequest = { method, path, query: url.searchParams, base, status: 0, ...(route ? { route } : {}) };
    this.requests.push(record);
    if (raw !== '') {
      try {
        record.body = JSON.parse(raw);
      } catch {
        record.body = raw;
      }
    }
    const limited = !this.#takeToken();
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (limited) {
      this.#sendFault(res, record, { fault: 'rate-limit' });
      return;
    }

    let fault = this.#takeFault(method, path);
    if (fault?.fault === 'hold') {
      await new Promise<void>((resolve) => {
        this.#held.push(resolve);
        this.#heldWaiters = this.#heldWaiters.filter((w) => {
          if (this.#held.length < w.n) return true;
          w.resolve();
          return false;
        });
      });
      fault = undefined;
    }
    if (fault?.fault === 'drop') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault !== undefined && fault.fault !== 'drop-after' && fault.fault !== 'truncate') {
      this.#sendFault(res, record, fault);
      return;
    }

    let reply: Reply;
    try {
      if (base === '') throw NOT_FOUND;
      this.#authenticate(req);
      reply = this.#route(method, path, url.searchParams, raw, req.headers['content-type'], record, base);
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      reply = { status: err.status, body: { error_code: err.errorCode, message: err.message } };
    }
    reply.effect?.();
    if (fault?.fault === 'drop-after') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    record.status = reply.status;
    record.responseBody = reply.body;
    if (reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    record.contentType = 'application/json';
    if (fault?.fault === 'truncate') {
      record.status = -1;
      const buf = Buffer.from(JSON.stringify(reply.body));
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(buf.length) });
      res.write(buf.subarray(0, Math.floor(buf.length / 2)));
      await new Promise((r) => setTimeout(r, 5));
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    await writeJson(res, reply.body);
  }

  /** False when the rate limit (if any) has no token left for this request. */
  #takeToken(): boolean {
    const limit = this.options.rateLimit;
    if (limit === undefined) return true;
    const burst = limit.burst ?? limit.requestsPerSecond;
    const now = performance.now();
    this.#tokens = Math.min(burst, (this.#tokens ?? burst) + ((now - this.#refilledAt) / 1000) * limit.requestsPerSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #takeFault(method: string, path: string): (FaultRule & { seen: number; fired: number }) | undefined {
    for (const rule of this.faults) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (!matches(path, rule.path)) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.fired >= (rule.times ?? 1)) continue;
      rule.fired++;
      return rule;
    }
    return undefined;
  }

  #sendFault(res: ServerResponse, record: RecordedRequest, rule: FaultRule): void {
    const json = (status: number, body: unknown): void => {
      record.status = status;
      record.responseBody = body;
      record.contentType = 'application/json';
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (rule.fault) {
      case 'rate-limit':
        record.status = 429;
        record.contentType = 'text/html';
        res.writeHead(429, { 'content-type': 'text/html;charset=utf-8', 'retry-after': rule.retryAfter ?? '1' });
        res.end(HTML_429);
        return;
      case 'unavailable':
        record.status = 503;
        record.contentType = 'text/html';
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end(HTML_503);
        return;
      case 'retriable':
        json(500, { error_code: 50003, message: 'The coordinator is not available.' });
        return;
      case 'server-error':
        json(500, { error_code: 500, message: 'Internal Server Error' });
        return;
      case 'forbidden':
        json(403, { error_code: 40301, message: 'Request is not authorized' });
        return;
      default:
        throw new Error(`fault ${rule.fault} is not a response`);
    }
  }

  #authenticate(req: IncomingMessage): void {
    const auth = this.options.auth;
    if (auth === undefined) return;
    const expected =
      auth.type === 'basic'
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
        : `Bearer ${auth.token}`;
    if (req.headers.authorization !== expected) throw new HttpProblem(401, 40101, 'Authentication failed');
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    raw: string,
    contentType: string | undefined,
    record: RecordedRequest,
    base: string,
  ): Reply {
    const segments = path.split('/').slice(1).map((s) => decodeURIComponent(s));
    const body = (): unknown => {
      if (!/^application\/json\b/.test(contentType ?? '')) throw new HttpProblem(415, 415, 'HTTP 415 Unsupported Media Type');
      try {
        return JSON.parse(raw);
      } catch {
        throw new HttpProblem(400, 400, 'Unexpected character: the request body is not valid JSON');
      }
    };
    const route = (template: string, handlers: Record<string, () => Reply>): Reply => {
      record.route = template;
      const handler = handlers[method];
      if (!handler) throw NOT_ALLOWED;
      return handler();
    };
    const self = (p: string): string => `${this.#origin}${base}${p}`;

    if (segments[0] !== 'clusters') throw NOT_FOUND;
    if (segments.length === 1) {
      if (this.options.listClusters === false) throw NOT_FOUND;
      return route('/clusters', { GET: () => this.#page(query, '/clusters', self, [this.#clusterData(self)], 'KafkaClusterList') });
    }
    const clusterSeg = segments[1] ?? '';
    const batch = clusterSeg === this.clusterId && segments.length === 3 && segments[2] === 'acls:batch';
    if (clusterSeg !== this.clusterId) throw new HttpProblem(404, 404, `Cluster ${clusterSeg} cannot be found.`);
    const c = `/clusters/${encodeURIComponent(this.clusterId)}`;
    if (segments.length === 2) return route('/clusters/{cluster_id}', { GET: () => ({ status: 200, body: this.#clusterData(self) }) });

    if (batch) {
      if (this.options.aclBatch === false) throw NOT_FOUND;
      return route('/clusters/{cluster_id}/acls:batch', { POST: () => this.#createAcls(body(), true) });
    }
    if (segments[2] === 'acls' && segments.length === 3) {
      return route('/clusters/{cluster_id}/acls', {
        GET: () => {
          const filter = aclFilter(query, false);
          const data = this.#sortedAcls()
            .filter((a) => filterMatches(filter, a))
            .map((a) => this.#aclData(a, self));
          return this.#page(query, `${c}/acls`, self, data, 'KafkaAclList');
        },
        POST: () => this.#createAcls(body(), false),
        DELETE: () => {
          const filter = aclFilter(query, true);
          const doomed = this.acls.filter((a) => filterMatches(filter, a));
          return {
            status: 200,
            body: { data: doomed.map((a) => this.#aclData(a, self)) },
            effect: () => {
              for (const d of doomed) this.acls.splice(this.acls.indexOf(d), 1);
            },
          };
        },
      });
    }
    if (segments[2] !== 'topics') throw NOT_FOUND;
    if (segments.length === 3) {
      return route('/clusters/{cluster_id}/topics', {
        GET: () => {
          const data = [...this.topics.values()].sort(byName).map((t) => this.#topicData(t, self));
          return this.#page(query, `${c}/topics`, self, data, 'KafkaTopicList');
        },
        POST: () => this.#createTopic(body(), self),
      });
    }
    const name = segments[3] ?? '';
    if (name === '-' && segments.length === 5 && segments[4] === 'configs') {
      return route('/clusters/{cluster_id}/topics/-/configs', {
        GET: () => {
          const data = [...this.topics.values()].sort(byName).flatMap((t) => this.#configData(t, self));
          return this.#page(query, `${c}/topics/-/configs`, self, data, 'KafkaTopicConfigList');
        },
      });
    }
    if (segments.length === 4) {
      return route('/clusters/{cluster_id}/topics/{topic_name}', {
        GET: () => ({ status: 200, body: this.#topicData(this.#topic(name), self) }),
        PATCH: () => this.#updatePartitions(this.#topic(name), body(), self),
        DELETE: () => {
          const topic = this.#topic(name);
          return { status: 204, effect: () => this.topics.delete(topic.name) };
        },
      });
    }
    if (segments.length === 5 && segments[4] === 'configs') {
      return route('/clusters/{cluster_id}/topics/{topic_name}/configs', {
        GET: () => {
          const t = this.#topic(name);
          return this.#page(query, `${c}/topics/${encodeURIComponent(t.name)}/configs`, self, this.#configData(t, self), 'KafkaTopicConfigList');
        },
      });
    }
    if (segments.length === 5 && segments[4] === 'configs:alter') {
      return route('/clusters/{cluster_id}/topics/{topic_name}/configs:alter', {
        POST: () => this.#alterConfigs(this.#topic(name), body()),
      });
    }
    throw NOT_FOUND;
  }

  #topic(name: string): SimTopic {
    const t = this.topics.get(name);
    if (!t) throw UNKNOWN_TOPIC;
    return t;
  }

  /** One page of `items` (all of them without `pageSize`), with `metadata.next` when more follow. */
  #page(query: URLSearchParams, path: string, self: (p: string) => string, items: unknown[], kind: string): Reply {
    const size = this.options.pageSize;
    let offset = 0;
    const token = query.get('page_token');
    if (token !== null) {
      const decoded = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
      if (!decoded) throw new HttpProblem(400, 400, 'Invalid page token.');
      offset = Number(decoded[1]);
    }
    const end = size === undefined ? items.length : Math.min(items.length, offset + size);
    const next = end < items.length ? self(`${path}?page_token=${Buffer.from(`o${end}`).toString('base64url')}`) : null;
    const selfQuery = token === null ? '' : `?page_token=${token}`;
    return { status: 200, body: { kind, metadata: { self: self(`${path}${selfQuery}`), next }, data: items.slice(offset, end) } };
  }

  #clusterData(self: (p: string) => string): unknown {
    const c = `/clusters/${encodeURIComponent(this.clusterId)}`;
    return {
      kind: 'KafkaCluster',
      metadata: { self: self(c), resource_name: `crn:///kafka=${this.clusterId}` },
      cluster_id: this.clusterId,
      controller: { related: self(`${c}/brokers/1`) },
      acls: { related: self(`${c}/acls`) },
      brokers: { related: self(`${c}/brokers`) },
      broker_configs: { related: self(`${c}/broker-configs`) },
      consumer_groups: { related: self(`${c}/consumer-groups`) },
      topics: { related: self(`${c}/topics`) },
      partition_reassignments: { related: self(`${c}/topics/-/partitions/-/reassignment`) },
    };
  }

  #topicData(t: { name: string; internal: boolean; replicationFactor: number; partitions: number }, self: (p: string) => string): unknown {
    const p = `/clusters/${encodeURIComponent(this.clusterId)}/topics/${encodeURIComponent(t.name)}`;
    return {
      kind: 'KafkaTopic',
      metadata: { self: self(p), resource_name: `crn:///kafka=${this.clusterId}/topic=${t.name}` },
      cluster_id: this.clusterId,
      topic_name: t.name,
      is_internal: t.internal,
      replication_factor: t.replicationFactor,
      partitions_count: t.partitions,
      partitions: { related: self(`${p}/partitions`) },
      configs: { related: self(`${p}/configs`) },
      partition_reassignments: { related: self(`${p}/partitions/-/reassignment`) },
    };
  }

  #configData(t: SimTopic, self: (p: string) => string): unknown[] {
    const p = `/clusters/${encodeURIComponent(this.clusterId)}/topics/${encodeURIComponent(t.name)}/configs`;
    return this.configs.map((spec) => {
      const synonyms: Array<{ name: string; value: string; source: string }> = [];
      const own = t.configs.get(spec.name);
      if (own !== undefined) synonyms.push({ name: spec.name, value: own, source: 'DYNAMIC_TOPIC_CONFIG' });
      const brokerName = spec.broker ?? spec.name;
      const dynamic = this.brokerConfigs.get(brokerName);
      if (dynamic !== undefined) synonyms.push({ name: brokerName, value: dynamic, source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
      if (spec.staticValue !== undefined) synonyms.push({ name: brokerName, value: spec.staticValue, source: 'STATIC_BROKER_CONFIG' });
      if (!spec.hideSynonyms || synonyms.length > 0) {
        synonyms.push(spec.defaultSynonym ? { ...spec.defaultSynonym, source: 'DEFAULT_CONFIG' } : { name: brokerName, value: spec.default, source: 'DEFAULT_CONFIG' });
      }
      const top = synonyms[0] ?? { name: spec.name, value: spec.default, source: 'DEFAULT_CONFIG' };
      // The effective value is in the topic key's unit even when the winning synonym is not.
      const value = top.source === 'DEFAULT_CONFIG' ? spec.default : top.value;
      return {
        kind: 'KafkaTopicConfig',
        metadata: {
          self: self(`${p}/${encodeURIComponent(spec.name)}`),
          resource_name: `crn:///kafka=${this.clusterId}/topic=${t.name}/config=${spec.name}`,
        },
        cluster_id: this.clusterId,
        topic_name: t.name,
        name: spec.name,
        value,
        is_default: top.source === 'DEFAULT_CONFIG',
        is_read_only: spec.readOnly === true,
        is_sensitive: false,
        source: top.source,
        synonyms,
      };
    });
  }

  #aclData(a: SimAcl, self: (p: string) => string): unknown {
    const q = ACL_FIELDS.map((f) => `${f}=${encodeURIComponent(a[f])}`).join('&');
    return { kind: 'KafkaAcl', metadata: { self: self(`/clusters/${encodeURIComponent(this.clusterId)}/acls?${q}`) }, cluster_id: this.clusterId, ...a };
  }

  #sortedAcls(): SimAcl[] {
    return [...this.acls].sort((x, y) => {
      const a = ACL_FIELDS.map((f) => x[f]).join('\u0000');
      const b = ACL_FIELDS.map((f) => y[f]).join('\u0000');
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  #createTopic(body: unknown, self: (p: string) => string): Reply {
    if (!isObject(body)) throw new HttpProblem(400, 400, 'Request body must be a JSON object.');
    const name = body.topic_name;
    if (typeof name !== 'string') throw new HttpProblem(400, 400, 'topic_name: must not be null');
    const partitions = optionalInt(body, 'partitions_count') ?? 6;
    const rf = optionalInt(body, 'replication_factor') ?? 3;
    const validateOnly = optionalBool(body, 'validate_only') ?? false;
    if (name === '' || name === '.' || name === '..') throw bad(`Topic name is illegal, it can't be empty, "." or ".."`);
    if (name.length > 249) throw bad(`Topic name is illegal, it can't be longer than 249 characters, topic name: ${name}`);
    if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
      throw bad(`Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
    }
    if (this.topics.has(name)) throw bad(`Topic '${name}' already exists.`);
    if (partitions < 1) throw bad('Number of partitions must be larger than 0.');
    if (rf < 1) throw bad('Replication factor must be larger than 0.');
    const required = this.options.requiredReplicationFactor;
    if (required !== undefined && rf !== required) throw bad(`Topic replication factor must be ${required}.`);
    const brokers = this.options.brokers ?? 3;
    if (rf > brokers) throw bad(`Replication factor: ${rf} larger than available brokers: ${brokers}.`);
    const configs = new Map<string, string>();
    const list = body.configs;
    if (list !== undefined && list !== null) {
      if (!Array.isArray(list)) throw new HttpProblem(400, 400, 'configs: must be an array');
      for (const entry of list) {
        if (!isObject(entry) || typeof entry.name !== 'string') throw new HttpProblem(400, 400, 'configs[].name: must not be null');
        if (entry.value === null || entry.value === undefined) continue;
        if (typeof entry.value !== 'string') throw new HttpProblem(400, 400, `configs[].value: must be a string`);
        checkConfig(this.#configByName, entry.name, entry.value, 'set');
        configs.set(entry.name, entry.value);
      }
    }
    const created = { name, partitions, replicationFactor: rf, internal: false };
    if (validateOnly) return { status: 200, body: this.#topicData(created, self) };
    return {
      // Like the spec's example, the answer does not report the created partition count.
      status: 201,
      body: this.#topicData({ ...created, partitions: 1 }, self),
      effect: () => this.topics.set(name, { ...created, configs }),
    };
  }

  #updatePartitions(t: SimTopic, body: unknown, self: (p: string) => string): Reply {
    if (!isObject(body)) throw new HttpProblem(400, 400, 'Request body must be a JSON object.');
    const want = body.partitions_count;
    if (typeof want !== 'number' || !Number.isInteger(want)) throw new HttpProblem(400, 400, 'partitions_count: must not be null');
    if (want === t.partitions) throw bad(`Topic already has ${t.partitions} partitions.`);
    if (want < t.partitions) throw bad(`Topic currently has ${t.partitions} partitions, which is higher than the requested ${want}.`);
    return {
      status: 200,
      body: this.#topicData({ ...t, partitions: want }, self),
      effect: () => {
        t.partitions = want;
      },
    };
  }

  #alterConfigs(t: SimTopic, body: unknown): Reply {
    if (!isObject(body) || !Array.isArray(body.data)) throw new HttpProblem(400, 400, 'data: must not be null');
    const validateOnly = optionalBool(body, 'validate_only') ?? false;
    const changes: Array<{ name: string; value?: string }> = [];
    for (const entry of body.data) {
      if (!isObject(entry) || typeof entry.name !== 'string') throw new HttpProblem(400, 400, 'data[].name: must not be null');
      const operation = entry.operation ?? 'SET';
      if (operation === 'DELETE') {
        checkConfig(this.#configByName, entry.name, undefined, 'delete');
        changes.push({ name: entry.name });
      } else if (operation === 'SET') {
        if (typeof entry.value !== 'string') throw bad(`Null value not supported for : ${entry.name}`);
        checkConfig(this.#configByName, entry.name, entry.value, 'set');
        changes.push({ name: entry.name, value: entry.value });
      } else {
        throw new HttpProblem(400, 400, `Cannot deserialize value of type AlterConfigCommand.Operation from String "${String(operation)}"`);
      }
    }
    if (validateOnly) return { status: 204 };
    return {
      status: 204,
      effect: () => {
        for (const ch of changes) {
          if (ch.value === undefined) t.configs.delete(ch.name);
          else t.configs.set(ch.name, ch.value);
        }
      },
    };
  }

  #createAcls(body: unknown, batch: boolean): Reply {
    let entries: unknown[];
    if (batch) {
      if (!isObject(body) || !Array.isArray(body.data)) throw new HttpProblem(400, 400, 'data: must not be null');
      entries = body.data;
    } else {
      entries = [body];
    }
    const acls = entries.map(checkAcl);
    return { status: 201, effect: () => acls.forEach((a) => this.addAcl(a)) };
  }
}

// ---------------------------------------------------------------------------------------------

/** The spec's path template for a path after the base, or undefined for paths the simulator lacks. */
function routeTemplate(path: string): string | undefined {
  const s = path.split('/').slice(1);
  if (s[0] !== 'clusters') return undefined;
  if (s.length === 1) return '/clusters';
  if (s.length === 2) return '/clusters/{cluster_id}';
  if (s.length === 3 && (s[2] === 'acls' || s[2] === 'acls:batch' || s[2] === 'topics')) return `/clusters/{cluster_id}/${s[2]}`;
  if (s[2] !== 'topics') return undefined;
  if (s.length === 4) return '/clusters/{cluster_id}/topics/{topic_name}';
  if (s.length === 5 && s[3] === '-' && s[4] === 'configs') return '/clusters/{cluster_id}/topics/-/configs';
  if (s.length === 5 && (s[4] === 'configs' || s[4] === 'configs:alter')) return `/clusters/{cluster_id}/topics/{topic_name}/${s[4]}`;
  return undefined;
}

/** List items serialised per write when a page is streamed. */
const STREAM_SLICE = 1000;

/**
 * Writes a JSON body. A large list page is serialised and written slice by slice, as a server
 * streams a big result: a 50,000-topic config listing is about a gigabyte of JSON, more than V8
 * can hold in one string. The bytes are the same as `JSON.stringify` of the whole page.
 */
async function writeJson(res: ServerResponse, body: unknown): Promise<void> {
  const data = isObject(body) && Array.isArray(body.data) ? body.data : undefined;
  const head = data !== undefined && data.length > STREAM_SLICE ? JSON.stringify({ ...(body as object), data: [] }) : undefined;
  if (data === undefined || head === undefined || !head.endsWith('"data":[]}')) {
    res.end(JSON.stringify(body));
    return;
  }
  const write = async (chunk: string): Promise<void> => {
    if (res.write(chunk) || res.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
  await write(head.slice(0, -2));
  for (let i = 0; i < data.length && !res.destroyed; i += STREAM_SLICE) {
    const slice = JSON.stringify(data.slice(i, i + STREAM_SLICE));
    await write(i === 0 ? slice.slice(1, -1) : `,${slice.slice(1, -1)}`);
  }
  res.end(']}');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function matches(path: string, pattern: string | RegExp | undefined): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function optionalInt(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new HttpProblem(400, 400, `Cannot deserialize value of type \`java.lang.Integer\` from ${JSON.stringify(v)}: not a valid \`java.lang.Integer\` value`);
  }
  return v;
}

function optionalBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new HttpProblem(400, 400, `Cannot deserialize value of type \`boolean\` from ${JSON.stringify(v)}`);
  return v;
}

function checkConfig(configs: ReadonlyMap<string, SimConfig>, name: string, value: string | undefined, op: 'set' | 'delete'): void {
  const spec = configs.get(name);
  if (!spec) throw bad(`Unknown topic config name: ${name}`);
  if (spec.readOnly) throw bad(`Altering topic configuration '${name}' is not permitted.`);
  if (op === 'set' && value !== undefined) {
    const problem = spec.check(value);
    if (problem) throw bad(`Invalid value ${value} for configuration ${name}: ${problem}`);
  }
}

function checkAcl(raw: unknown): SimAcl {
  if (!isObject(raw)) throw new HttpProblem(400, 400, 'Request body must be a JSON object.');
  for (const f of ACL_FIELDS) {
    if (typeof raw[f] !== 'string') throw new HttpProblem(400, 400, `${f}: must not be null`);
  }
  const acl = Object.fromEntries(ACL_FIELDS.map((f) => [f, raw[f] as string])) as unknown as SimAcl;
  if (!RESOURCE_TYPES.includes(acl.resource_type)) throw new HttpProblem(400, 400, 'resource_type cannot be unspecified or UNKNOWN');
  if (!PATTERN_TYPES.includes(acl.pattern_type)) throw bad(`Invalid pattern type ${acl.pattern_type}: only LITERAL and PREFIXED bindings can be created.`);
  if (!OPERATIONS.includes(acl.operation)) throw bad(`Invalid operation ${acl.operation}.`);
  if (!PERMISSIONS.includes(acl.permission)) throw bad(`Invalid permission ${acl.permission}.`);
  if (acl.resource_type === 'CLUSTER' && acl.resource_name !== 'kafka-cluster') {
    throw bad('The only valid name for the CLUSTER resource is kafka-cluster');
  }
  if (acl.resource_name === '') throw bad('Resource name must not be empty.');
  const colon = acl.principal.indexOf(':');
  if (colon <= 0) {
    throw bad(`Could not parse principal from \`${acl.principal}\` (no colon is present separating the principal type from the principal name)`);
  }
  return acl;
}

type AclFilter = Partial<SimAcl>;

const FILTER_ENUMS: Partial<Record<keyof SimAcl, readonly string[]>> = {
  resource_type: ['ANY', ...RESOURCE_TYPES],
  pattern_type: ['ANY', 'MATCH', ...PATTERN_TYPES],
  operation: ['ANY', ...OPERATIONS],
  permission: ['ANY', ...PERMISSIONS],
};

function aclFilter(query: URLSearchParams, forDelete: boolean): AclFilter {
  const filter: AclFilter = {};
  for (const f of ACL_FIELDS) {
    const v = query.get(f);
    if (v === null) continue;
    const allowed = FILTER_ENUMS[f];
    if (allowed && !allowed.includes(v)) {
      throw new HttpProblem(400, 400, `Cannot deserialize value of type ${f} from String "${v}"`);
    }
    filter[f] = v;
  }
  if (forDelete) {
    // The spec marks these required on DELETE; the server refuses unspecified ones.
    if (filter.resource_type === undefined) throw new HttpProblem(400, 400, 'resource_type cannot be unspecified or UNKNOWN');
    if (filter.pattern_type === undefined) throw new HttpProblem(400, 400, 'pattern_type cannot be unspecified or UNKNOWN');
    if (filter.operation === undefined) throw new HttpProblem(400, 400, 'operation cannot be unspecified or UNKNOWN');
    if (filter.permission === undefined) throw new HttpProblem(400, 400, 'permission cannot be unspecified or UNKNOWN');
  }
  return filter;
}

function filterMatches(f: AclFilter, a: SimAcl): boolean {
  const any = (v: string | undefined, actual: string): boolean => v === undefined || v === 'ANY' || v === actual;
  if (!any(f.resource_type, a.resource_type)) return false;
  if (f.principal !== undefined && f.principal !== a.principal) return false;
  if (f.host !== undefined && f.host !== a.host) return false;
  if (!any(f.operation, a.operation)) return false;
  if (!any(f.permission, a.permission)) return false;
  const pattern = f.pattern_type ?? 'ANY';
  if (pattern === 'MATCH') {
    if (f.resource_name === undefined) return true;
    const n = f.resource_name;
    return a.pattern_type === 'LITERAL' ? a.resource_name === n || a.resource_name === '*' : n.startsWith(a.resource_name);
  }
  if (pattern !== 'ANY' && pattern !== a.pattern_type) return false;
  return f.resource_name === undefined || f.resource_name === a.resource_name;
}

function sameAcl(a: SimAcl, b: SimAcl): boolean {
  return ACL_FIELDS.every((f) => a[f] === b[f]);
}
