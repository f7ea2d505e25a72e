import { ApiError, ConfigError, InternalError, withFacts } from '../../errors.js';
import { HttpClient, type HttpClientOptions } from '../../http/index.js';
import { canonicalConfigValue } from '../../kafka/configs.js';
import {
  PHASES,
  type LiveState,
  type Phase,
  type PlanAction,
  type TargetCapabilities,
} from '../../model.js';
import { describeAction } from '../../apply/labels.js';
import type { PreflightFinding, Target, TargetContext, WorkUnit } from '../target.js';
import { ConfluentApi, describeAcl } from './api.js';
import { aclOf, alterOperations, createSpec, isRedacted, topicName, type CreateSpec } from '../actions.js';
import { ERROR_CODES } from './errors.js';
import { configEntryReducer, groupConfigs, toLiveState, toV3Acl } from './live.js';
import type { ConfluentSettings } from './settings.js';
import { aclProblem } from '../../kafka/acl-rules.js';

/** Test hooks for the HTTP layer (fast retries); production leaves them unset. */
export type HttpOverrides = Pick<HttpClientOptions, 'sleep' | 'random'>;

/**
 * A Confluent REST v3 cluster (Confluent Cloud, Confluent Server, REST Proxy): bulk reads, server
 * dry runs in preflight, and one request per plan action (ACL creates batched).
 */
export class ConfluentTarget implements Target {
  readonly kind = 'confluent' as const;
  readonly #http: HttpClient;
  readonly #settings: ConfluentSettings;
  readonly #ctx: TargetContext;
  #api: Promise<ConfluentApi> | undefined;
  /**
   * Whether `POST /acls:batch` exists, once the first batch has found out. Concurrent batches wait
   * for that answer instead of each probing a missing endpoint.
   */
  #batchAvailable: Promise<boolean> | undefined;

  constructor(
    settings: ConfluentSettings,
    readonly capabilities: TargetCapabilities,
    ctx: TargetContext,
    overrides: HttpOverrides = {},
  ) {
    this.#settings = settings;
    this.#ctx = ctx;
    this.#http = new HttpClient({
      baseUrl: settings.restUrl,
      ...(settings.auth !== undefined ? { auth: settings.auth } : {}),
      ...(settings.caFile !== undefined ? { caFile: settings.caFile } : {}),
      insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
      ...(settings.connectTimeoutMs !== undefined ? { connectTimeoutMs: settings.connectTimeoutMs } : {}),
      ...(settings.readTimeoutMs !== undefined ? { readTimeoutMs: settings.readTimeoutMs } : {}),
      connections: Math.max(settings.concurrency, 4),
      retry: settings.retry,
      retriable: (f) => f.errorCode === ERROR_CODES.retriable,
      log: (line) => ctx.log(line),
      ...(ctx.progress !== undefined ? { meter: ctx.progress } : {}),
      debug: ctx.debug,
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      ...overrides,
    });
  }

  /** The cluster's API, discovering the cluster id with `GET /clusters` when it is not set. */
  #clusterApi(): Promise<ConfluentApi> {
    this.#api ??= (async () => {
      if (this.#settings.clusterId !== undefined) return new ConfluentApi(this.#http, this.#settings.clusterId);
      let ids: string[];
      try {
        ids = await ConfluentApi.listClusterIds(this.#http);
      } catch (err) {
        if (err instanceof ApiError && err.details.status === 404) {
          throw new ConfigError(
            `${this.#http.baseUrl} does not list clusters (Confluent Cloud does not): set clusterId (e.g. lkc-abc123) for this cluster.`,
          );
        }
        throw err;
      }
      if (ids.length !== 1) {
        throw new ConfigError(
          ids.length === 0
            ? `${this.#http.baseUrl} lists no Kafka cluster: set clusterId for this cluster.`
            : `${this.#http.baseUrl} lists ${ids.length} clusters (${[...ids].sort().join(', ')}): set clusterId to choose one.`,
        );
      }
      return new ConfluentApi(this.#http, ids[0] as string);
    })();
    return this.#api;
  }

  /** Three listings in parallel, each followed through its pages; never one request per topic. */
  async read(): Promise<LiveState> {
    const api = await this.#clusterApi();
    let listings;
    try {
      listings = await Promise.all([api.listTopics(), api.listAllTopicConfigs(configEntryReducer()), api.listAcls()]);
    } catch (err) {
      if (err instanceof ApiError && err.details.status === 404 && err.details.errorCode !== ERROR_CODES.unknownTopic) {
        throw new ConfigError(
          `${this.#http.baseUrl} has no Kafka cluster ${api.clusterId} (${err.details.serverMessage ?? 'HTTP 404'}): check clusterId and restUrl`,
        );
      }
      throw err;
    }
    const [topics, configs, acls] = listings;
    return toLiveState(api.clusterId, topics, groupConfigs(configs), acls, (acl) =>
      this.#ctx.log(`warning: ignoring an ACL kafkaform cannot represent: ${describeAcl(acl)}`),
    );
  }

  /**
   * Dry-runs every topic create and config change on the server (`validate_only`, in parallel up
   * to `concurrency`) and checks locally what has no dry run. Returns every finding, in plan order.
   */
  async preflight(actions: readonly PlanAction[], live: LiveState): Promise<PreflightFinding[]> {
    const api = await this.#clusterApi();
    const findings: PreflightFinding[] = [];
    const topics = new Map(live.topics.map((t) => [t.name, t]));
    // Read-only is a property of the key on this cluster; any topic reporting it tells us.
    const readOnlyKeys = new Set<string>();
    for (const t of live.topics) for (const [k, c] of Object.entries(t.configs)) if (c.readOnly) readOnlyKeys.add(k);

    const dryRuns: Array<{ action: PlanAction; run: () => Promise<void> }> = [];
    for (const action of actions) {
      const local = (message: string): void => {
        findings.push({ action, message });
      };
      const resource = action.resource;
      if (resource.kind === 'acl') {
        const problem = aclProblem(resource);
        if (problem !== undefined) local(`${describeAcl(toV3Acl(resource))}: ${problem}`);
        continue;
      }
      const name = resource.name;
      if (action.phase === PHASES.createTopics) {
        const spec = createSpec(action);
        for (const c of action.changes) if (isRedacted(c)) local(`topic ${name}: ${c.field} is sensitive and redacted in the plan, so kafkaform cannot send it`);
        for (const c of spec.configs) if (readOnlyKeys.has(c.name)) local(`topic ${name}: config.${c.name} is read-only on this cluster and cannot be set`);
        dryRuns.push({ action, run: () => api.createTopic(spec, true) });
      } else if (action.phase === PHASES.increasePartitions) {
        const have = topics.get(name);
        for (const c of action.changes) {
          if (c.field === 'replicationFactor') {
            local(`topic ${name}: this cluster cannot change the replication factor of an existing topic`);
          } else if (c.field === 'partitions') {
            const want = c.to;
            if (have === undefined) local(`topic ${name} does not exist, so its partitions cannot be increased`);
            else if (typeof want !== 'number' || !Number.isInteger(want) || want <= have.partitions) {
              local(`topic ${name}: partitions can only increase, from ${have.partitions} to more (the plan asks for ${JSON.stringify(want)})`);
            }
          }
        }
      } else if (action.phase === PHASES.alterConfigs) {
        const have = topics.get(name);
        if (have === undefined) {
          local(`topic ${name} does not exist, so its configs cannot be altered`);
          continue;
        }
        for (const c of action.changes) {
          const key = c.field.slice('config.'.length);
          if (isRedacted(c)) local(`topic ${name}: ${c.field} is sensitive and redacted in the plan, so kafkaform cannot send it`);
          if (have.configs[key]?.readOnly === true || readOnlyKeys.has(key)) {
            local(`topic ${name}: ${c.field} is read-only on this cluster and cannot be ${c.to === null ? 'reset' : 'changed'}`);
          }
        }
        const ops = alterOperations(action);
        dryRuns.push({ action, run: () => api.alterConfigs(name, ops, true) });
      }
    }

    if (dryRuns.length > 0) this.#ctx.progress?.stage('dry-running', { total: dryRuns.length, unit: ['topic', 'topics'] });
    await forEachLimit(dryRuns, this.#settings.concurrency, async ({ action, run }) => {
      try {
        await run();
      } catch (err) {
        // Authentication concerns every request: one error, not one finding per action.
        if (!(err instanceof ApiError) || err.details.status === undefined || err.details.status === 401 || err.details.status >= 500) throw err;
        findings.push({ action, message: withFacts(err) });
      }
      this.#ctx.progress?.advance(1);
    });
    const order = new Map(actions.map((a, i) => [a, i]));
    return findings.sort((a, b) => (order.get(a.action) ?? 0) - (order.get(b.action) ?? 0));
  }

  /** One request per action, except ACL creates, which go in batches of `aclBatchSize`. */
  units(phase: Phase, actions: readonly PlanAction[], _live: LiveState): WorkUnit[] {
    const api = (): Promise<ConfluentApi> => this.#clusterApi();
    switch (phase) {
      case PHASES.createTopics:
        return actions.map((action) => ({
          label: describeAction(action),
          actions: [action],
          run: async () => this.#createTopic(await api(), createSpec(action)),
        }));
      case PHASES.increasePartitions:
        return actions.map((action) => {
          const name = topicName(action);
          const change = action.changes.find((c) => c.field === 'partitions');
          if (change === undefined || typeof change.to !== 'number' || action.changes.length !== 1) {
            throw new InternalError(`phase 2 action for topic ${name} must change exactly the partition count on this target`);
          }
          const to = change.to;
          return {
            label: `increase partitions of topic ${name} to ${to}`,
            actions: [action],
            run: async () => this.#increasePartitions(await api(), name, to),
          };
        });
      case PHASES.alterConfigs:
        return actions.map((action) => {
          const name = topicName(action);
          const ops = alterOperations(action);
          return {
            label: `alter configs of topic ${name}`,
            actions: [action],
            run: async () => (await api()).alterConfigs(name, ops, false),
          };
        });
      case PHASES.createAcls: {
        const units: WorkUnit[] = [];
        for (let i = 0; i < actions.length; i += this.#settings.aclBatchSize) {
          const batch = actions.slice(i, i + this.#settings.aclBatchSize);
          const bindings = batch.map((a) => toV3Acl(aclOf(a)));
          units.push({
            label: batch.length === 1 ? describeAction(batch[0] as PlanAction) : `create ${batch.length} ACL bindings`,
            actions: batch,
            run: async () => this.#createAcls(await api(), bindings),
          });
        }
        return units;
      }
      case PHASES.deleteAcls:
        return actions.map((action) => {
          const binding = toV3Acl(aclOf(action));
          return {
            label: describeAction(action),
            actions: [action],
            run: async () => {
              // Zero deleted means it was already gone: the desired end state holds.
              await (await api()).deleteAcl(binding);
            },
          };
        });
      case PHASES.deleteTopics:
        return actions.map((action) => {
          const name = topicName(action);
          return {
            label: describeAction(action),
            actions: [action],
            run: async () => {
              await (await api()).deleteTopic(name);
            },
          };
        });
      default:
        throw new InternalError(`unknown phase ${String(phase)}`);
    }
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.#http.close();
  }

  async #createTopic(api: ConfluentApi, spec: CreateSpec): Promise<void> {
    try {
      await api.createTopic(spec, false);
    } catch (err) {
      if (!(err instanceof ApiError) || err.details.errorCode !== ERROR_CODES.badRequest || !/already exists/i.test(err.details.serverMessage ?? '')) {
        throw err;
      }
      // Typically our own earlier attempt whose response was lost: done if the topic matches.
      const difference = await this.#differenceFrom(api, spec);
      if (difference !== undefined) {
        throw new ApiError(`Cannot create topic ${spec.name}: it already exists with ${difference}`, err.details);
      }
    }
  }

  async #differenceFrom(api: ConfluentApi, spec: CreateSpec): Promise<string | undefined> {
    const topic = await api.getTopic(spec.name);
    if (topic === undefined) return 'a state that could not be read back';
    if (topic.partitions_count !== spec.partitions) return `${topic.partitions_count} partitions instead of ${spec.partitions}`;
    if (topic.replication_factor !== spec.replicationFactor) {
      return `replication factor ${topic.replication_factor} instead of ${spec.replicationFactor}`;
    }
    const configs = new Map((await api.getTopicConfigs(spec.name)).map((c) => [c.name, c.value]));
    for (const c of spec.configs) {
      const have = configs.get(c.name);
      if (have === undefined || have === null || canonicalConfigValue(c.name, have) !== canonicalConfigValue(c.name, c.value)) {
        return `a different ${c.name}`;
      }
    }
    return undefined;
  }

  async #increasePartitions(api: ConfluentApi, name: string, to: number): Promise<void> {
    try {
      await api.updatePartitions(name, to);
    } catch (err) {
      // "Topic already has N partitions": an earlier attempt whose response was lost succeeded.
      if (err instanceof ApiError && err.details.errorCode === ERROR_CODES.badRequest) {
        const topic = await api.getTopic(name);
        if (topic?.partitions_count === to) return;
      }
      throw err;
    }
  }

  async #createAcls(api: ConfluentApi, bindings: ReturnType<typeof toV3Acl>[]): Promise<void> {
    const known = this.#batchAvailable;
    if (known === undefined) {
      const attempt = api.createAclsBatch(bindings);
      // A failed first batch says nothing about the endpoint: let the next one try it.
      this.#batchAvailable = attempt.catch(() => true);
      if (await attempt) return;
      if (this.#ctx.debug) this.#ctx.log('http: POST /acls:batch is not available here; creating ACL bindings one by one');
    } else if ((await known) && (await api.createAclsBatch(bindings))) {
      return;
    }
    for (const b of bindings) await api.createAcl(b);
  }
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      try {
        await fn(items[next++] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

