import { IncrementalAlterConfigOperationTypes, type createTopicsV7, type incrementalAlterConfigsV1 } from '@platformatic/kafka';
import { sleep } from '../../deadline.js';
import { count, waitFor, type Noun } from '../../progress/index.js';
import { ApiError, InternalError, KafkaformError, withFacts } from '../../errors.js';
import { describeAction } from '../../apply/labels.js';
import { aclProblem } from '../../kafka/acl-rules.js';
import { canonicalConfigValue } from '../../kafka/configs.js';
import { aclKey } from '../../plan/index.js';
import { compareStrings } from '../../plan/order.js';
import { PHASES, type LiveState, type LiveTopic, type Phase, type PlanAction, type TargetCapabilities } from '../../model.js';
import { describeResource } from '../../render/resource.js';
import { aclOf, alterOperations, createSpec, isRedacted, topicName, type CreateSpec } from '../actions.js';
import { BatchOutcomeError, type PreflightFinding, type Target, type TargetContext, type WorkUnit } from '../target.js';
import { batches, type Cost } from './batches.js';
import { KafkaClient, requestFailure, TOPIC_RESOURCE, type ItemResult } from './client.js';
import { changeReplicationFactors, replicationFactorFindings, type ReplicationFactorFinding } from './reassignment.js';
import { KAFKA_ERRORS, NO_AUTHORIZER, errorName, hasOwnSentence, kafkaFailure, type Operation } from './errors.js';
import { toBindings, toLiveTopic, toTopicConfigs, toWireAcl } from './live.js';
import { TopicWatch } from './visibility.js';

/** How long to wait for the brokers to show a write before giving up on it quietly. */
const VISIBLE_WAIT_MS = 120_000;
/** How long `read` waits for topics still being created (no leader yet) to settle. */
const SETTLE_WAIT_MS = 10_000;

/** Test and bench hooks; production leaves them unset. */
export interface KafkaOverrides {
  sleep?: (ms: number) => Promise<void>;
}

/** One action's outcome inside a batch. */
type Outcome = { action: PlanAction; error?: unknown };

function failure(verb: string, action: PlanAction, api: string, item: ItemResult): ApiError {
  const op: Operation = { verb, resource: describeResource(action.resource), api };
  return kafkaFailure(op, item.errorCode, item.errorMessage, '');
}

/**
 * A dry run's rejection for a preflight finding, which already names the action: the broker's own
 * sentence with the error, or our sentence when the broker gave none or refused the user.
 */
function rejection(verb: string, action: PlanAction, api: string, item: ItemResult): string {
  if (!item.errorMessage || hasOwnSentence(item.errorCode)) return withFacts(failure(verb, action, api, item));
  return `${item.errorMessage} (${errorName(item.errorCode)}, error_code ${item.errorCode})`;
}

function missingAnswer(action: PlanAction, api: string): ApiError {
  return new ApiError(`The broker's ${api} answer says nothing about ${describeResource(action.resource)}`, { method: api, url: '' });
}

function succeeded(outcomes: readonly Outcome[]): PlanAction[] {
  return outcomes.filter((o) => o.error === undefined).map((o) => o.action);
}

/** Throws the per-action outcome of a batch when any action in it failed. */
function settle(outcomes: readonly Outcome[]): void {
  const failed = outcomes.filter((o) => o.error !== undefined);
  if (failed.length === 0) return;
  throw new BatchOutcomeError(
    succeeded(outcomes),
    failed.map((o) => ({ action: o.action, error: o.error })),
    [],
  );
}

function createCost(spec: CreateSpec): Cost {
  return { partitions: spec.partitions, records: 1 + spec.partitions + spec.configs.length };
}

function wireTopic(spec: CreateSpec): createTopicsV7.CreateTopicsRequestTopic {
  return { name: spec.name, numPartitions: spec.partitions, replicationFactor: spec.replicationFactor, assignments: [], configs: spec.configs };
}

function wireAlter(action: PlanAction): incrementalAlterConfigsV1.IncrementalAlterConfigsRequestResource {
  return {
    resourceType: TOPIC_RESOURCE,
    resourceName: topicName(action),
    configs: alterOperations(action).map((o) =>
      o.operation === 'SET'
        ? { name: o.name, configOperation: IncrementalAlterConfigOperationTypes.SET, value: o.value }
        : { name: o.name, configOperation: IncrementalAlterConfigOperationTypes.DELETE },
    ),
  };
}

/** The partition count a phase-2 action asks for, or undefined when it changes only the replication factor. */
function partitionsTo(action: PlanAction): { from: number; to: number } | undefined {
  const c = action.changes.find((x) => x.field === 'partitions');
  if (c === undefined) return undefined;
  if (typeof c.to !== 'number' || typeof c.from !== 'number') throw new InternalError(`the partitions change of ${describeAction(action)} is not a number`);
  return { from: c.from, to: c.to };
}

function changesReplication(action: PlanAction): boolean {
  return action.changes.some((c) => c.field === 'replicationFactor');
}

/** The replication factor a phase-2 action asks for. */
function replicationTo(action: PlanAction): number {
  const c = action.changes.find((x) => x.field === 'replicationFactor');
  if (c === undefined || typeof c.to !== 'number') throw new InternalError(`the replicationFactor change of ${describeAction(action)} is not a number`);
  return c.to;
}

/**
 * A Kafka cluster reached with Kafka's own protocol: a constant number of requests to read it,
 * server-side dry runs of every create, partition increase and config change, and writes in
 * batches with each item's result mapped back to its action.
 */
export class KafkaTarget implements Target {
  readonly kind = 'kafka' as const;
  readonly #client: KafkaClient;
  readonly #ctx: TargetContext;
  readonly #cluster: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #topics: TopicWatch;
  #aclListing: { startedAt: number; keys: Promise<Set<string>> } | undefined;

  constructor(
    client: KafkaClient,
    cluster: string,
    readonly capabilities: TargetCapabilities,
    ctx: TargetContext,
    overrides: KafkaOverrides = {},
  ) {
    this.#client = client;
    this.#cluster = cluster;
    this.#ctx = ctx;
    this.#sleep = overrides.sleep ?? ((ms) => sleep(ms, ctx.signal));
    this.#topics = new TopicWatch({
      metadata: (names) => this.#client.metadata(names),
      sleep: this.#sleep,
      gaveUp: (missing) => this.#gaveUp(missing, ['topic change', 'topic changes']),
      maxWaitMs: VISIBLE_WAIT_MS,
    });
  }

  /**
   * Metadata for all topics, then one DescribeConfigs for their configs (split only past
   * `DESCRIBE_CONFIGS_TOPICS`) and one any-filter DescribeAcls, in parallel.
   */
  async read(): Promise<LiveState> {
    const md = await this.#settledMetadata();
    const names = md.topics.map((t) => t.name ?? '').filter((n) => n !== '');
    const [configs, acls] = await Promise.all([this.#client.describeTopicConfigs(names), this.#client.describeAcls()]);

    const refused = configs.results.filter((r) => r.errorCode !== 0 && r.errorCode !== KAFKA_ERRORS.unknownTopic);
    if (refused.length > 0) {
      const first = refused[0]!;
      const more = refused.length > 1 ? ` and ${refused.length - 1} other topic(s)` : '';
      throw kafkaFailure(
        { verb: 'read', resource: `the configs of topic ${first.resourceName}${more}`, api: 'DescribeConfigs' },
        first.errorCode,
        first.errorMessage,
        configs.broker,
      );
    }
    const byTopic = toTopicConfigs(configs.results);
    // A topic deleted between Metadata and DescribeConfigs answers UNKNOWN_TOPIC: it is gone.
    const topics: LiveTopic[] = md.topics
      .filter((t) => t.name !== null && t.name !== undefined && byTopic.has(t.name))
      .map((t) => toLiveTopic(t, byTopic.get(t.name as string) ?? {}))
      .sort((a, b) => compareStrings(a.name, b.name));

    const live: LiveState = { clusterId: md.clusterId ?? '', topics, acls: [] };
    if (acls === undefined) {
      this.#ctx.log(`warning: cluster ${this.#cluster}: ${NO_AUTHORIZER}; topics are planned, ACLs in the manifests are an error`);
      live.aclsUnavailable = NO_AUTHORIZER;
    } else {
      live.acls = toBindings(acls, (skipped) => this.#ctx.log(`warning: ignoring an ACL kafkaform cannot represent: ${skipped.text}`));
    }
    return live;
  }

  /** Metadata of all topics once no topic is still without partitions (being created). */
  async #settledMetadata(): Promise<Awaited<ReturnType<KafkaClient['metadata']>>> {
    let waited = 0;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
      const md = await this.#client.metadata(null);
      const unsettled = md.topics.filter((t) => t.errorCode === KAFKA_ERRORS.leaderNotAvailable || t.partitions.length === 0);
      if (unsettled.length === 0 || waited >= SETTLE_WAIT_MS) return { ...md, topics: md.topics.filter((t) => t.partitions.length > 0) };
      await this.#sleep(delay);
      waited += delay;
    }
  }

  /**
   * Dry-runs every topic create, partition increase and config change on the brokers
   * (`validate_only`, batched as apply sends them) and checks ACL bindings locally, since Kafka
   * has no dry run for them. Returns every finding, in plan order, each with the broker's message.
   */
  async preflight(actions: readonly PlanAction[], live: LiveState): Promise<PreflightFinding[]> {
    const findings: PreflightFinding[] = [];
    const topics = new Map(live.topics.map((t) => [t.name, t]));
    const readOnlyKeys = new Set<string>();
    for (const t of live.topics) for (const [k, c] of Object.entries(t.configs)) if (c.readOnly) readOnlyKeys.add(k);

    const creates: PlanAction[] = [];
    const increases: PlanAction[] = [];
    const replications: PlanAction[] = [];
    const alters: PlanAction[] = [];
    for (const action of actions) {
      const local = (message: string): void => {
        findings.push({ action, message });
      };
      const resource = action.resource;
      if (resource.kind === 'acl') {
        const problem = aclProblem(resource);
        if (problem !== undefined) local(`${describeResource(resource)}: ${problem}`);
        continue;
      }
      for (const c of action.changes) if (isRedacted(c)) local(`topic ${resource.name}: ${c.field} is sensitive and redacted in the plan, so kafkaform cannot send it`);
      if (action.phase === PHASES.createTopics) {
        for (const c of createSpec(action).configs) if (readOnlyKeys.has(c.name)) local(`topic ${resource.name}: config.${c.name} is read-only on this cluster and cannot be set`);
        creates.push(action);
      } else if (action.phase === PHASES.increasePartitions) {
        if (!topics.has(resource.name)) local(`topic ${resource.name} does not exist, so its partitions cannot be increased`);
        else {
          if (partitionsTo(action) !== undefined) increases.push(action);
          if (changesReplication(action)) replications.push(action);
        }
      } else if (action.phase === PHASES.alterConfigs) {
        if (!topics.has(resource.name)) {
          local(`topic ${resource.name} does not exist, so its configs cannot be altered`);
          continue;
        }
        for (const c of action.changes) {
          if (readOnlyKeys.has(c.field.slice('config.'.length))) local(`topic ${resource.name}: ${c.field} is read-only on this cluster and cannot be ${c.to === null ? 'changed back' : 'changed'}`);
        }
        alters.push(action);
      }
    }

    const checked = creates.length + increases.length + alters.length;
    if (checked > 0) this.#ctx.progress?.stage('dry-running', { total: checked, unit: ['topic', 'topics'] });
    const dryRun = async (batch: PlanAction[], verb: string, api: string, send: () => Promise<Map<string, ItemResult>>): Promise<void> => {
      const results = await send();
      this.#ctx.progress?.advance(batch.length);
      for (const action of batch) {
        const item = results.get(topicName(action));
        if (item === undefined) findings.push({ action, message: withFacts(missingAnswer(action, api)) });
        else if (item.errorCode !== 0) findings.push({ action, message: rejection(verb, action, api, item) });
      }
    };
    const client = this.#client;
    await Promise.all([
      ...batches(creates, (a) => createCost(createSpec(a))).map((batch) =>
        dryRun(batch, 'create', 'CreateTopics', () => client.createTopics(batch.map((a) => wireTopic(createSpec(a))), true)),
      ),
      ...batches(increases, (a) => this.#increaseCost(a)).map((batch) =>
        dryRun(batch, 'increase the partitions of', 'CreatePartitions', () =>
          client.createPartitions(batch.map((a) => ({ name: topicName(a), count: partitionsTo(a)!.to, assignments: null })), true),
        ),
      ),
      ...batches(alters, (a) => ({ partitions: 0, records: a.changes.length })).map((batch) =>
        dryRun(batch, 'alter the configs of', 'IncrementalAlterConfigs', () => client.alterTopicConfigs(batch.map(wireAlter), true)),
      ),
      ...(replications.length > 0 ? [this.#checkReplication(replications, findings)] : []),
    ]);
    const order = new Map(actions.map((a, i) => [a, i]));
    return findings.sort((a, b) => (order.get(a.action) ?? 0) - (order.get(b.action) ?? 0));
  }

  /** Kafka has no dry run for reassignments: the broker count and running reassignments, checked here. */
  async #checkReplication(actions: PlanAction[], findings: PreflightFinding[]): Promise<void> {
    const changes = actions.map((a) => ({ topic: topicName(a), replicationFactor: replicationTo(a) }));
    const op: Operation = { verb: 'check the replication factor of', resource: `${changes.length} topic(s)`, api: 'ListPartitionReassignments' };
    let found: ReplicationFactorFinding[];
    try {
      found = await replicationFactorFindings(await this.#client.admin(), changes);
    } catch (e) {
      throw e instanceof KafkaformError ? e : requestFailure(op, e, '');
    }
    const byTopic = new Map(actions.map((a) => [topicName(a), a]));
    for (const f of found) findings.push({ action: byTopic.get(f.topic)!, message: `topic ${f.topic}: ${f.message}` });
  }

  #increaseCost(action: PlanAction): Cost {
    const p = partitionsTo(action);
    const added = p === undefined ? 0 : Math.max(p.to - p.from, 0);
    return { partitions: added, records: added };
  }

  /**
   * One unit per request: topic creates, partition increases, config alters, ACL creates and
   * deletes and topic deletes each go in batches under the controller's limits (`batches.ts`).
   */
  units(phase: Phase, actions: readonly PlanAction[], _live: LiveState): WorkUnit[] {
    const unit = (batch: PlanAction[], what: string, run: () => Promise<void>): WorkUnit => ({
      label: batch.length === 1 ? describeAction(batch[0] as PlanAction) : what,
      actions: batch,
      run,
    });
    switch (phase) {
      case PHASES.createTopics:
        return batches(actions, (a) => createCost(createSpec(a))).map((batch) =>
          unit(batch, `create ${batch.length} topics`, () => this.#createTopics(batch)),
        );
      case PHASES.increasePartitions: {
        const increases = actions.filter((a) => !changesReplication(a));
        return [
          ...batches(increases, (a) => this.#increaseCost(a)).map((batch) =>
            unit(batch, `increase the partitions of ${batch.length} topics`, () => this.#increasePartitions(batch)),
          ),
          ...this.#replicationUnits(actions.filter(changesReplication)),
        ];
      }
      case PHASES.alterConfigs:
        return batches(actions, (a) => ({ partitions: 0, records: a.changes.length })).map((batch) =>
          unit(batch, `alter the configs of ${batch.length} topics`, () => this.#alterConfigs(batch)),
        );
      case PHASES.createAcls:
        return batches(actions, () => ({ partitions: 0, records: 1 })).map((batch) =>
          unit(batch, `create ${batch.length} ACL bindings`, () => this.#createAcls(batch)),
        );
      case PHASES.deleteAcls:
        return batches(actions, () => ({ partitions: 0, records: 1 })).map((batch) =>
          unit(batch, `delete ${batch.length} ACL bindings`, () => this.#deleteAcls(batch)),
        );
      case PHASES.deleteTopics:
        return batches(actions, () => ({ partitions: 0, records: 1 })).map((batch) =>
          unit(batch, `delete ${batch.length} topics`, () => this.#deleteTopics(batch)),
        );
      default:
        throw new InternalError(`unknown phase ${String(phase)}`);
    }
  }

  /**
   * Replication-factor changes share one unit, so a throttle is set on the brokers for all of them
   * and taken off when the last completes, and one request starts them all: partition increases of
   * these topics first (the new partitions are then reassigned with the others), then the
   * reassignment (`reassignment.ts`), waiting and throttled as apply was told. The cluster answers
   * for each topic, so the report names each topic done or failed.
   */
  #replicationUnits(actions: PlanAction[]): WorkUnit[] {
    if (actions.length === 0) return [];
    const label = actions.length === 1 ? describeAction(actions[0] as PlanAction) : `change the replication factor of ${actions.length} topics`;
    return [{ label, actions, run: () => this.#changeReplication(actions) }];
  }

  async #changeReplication(batch: PlanAction[]): Promise<void> {
    const grow = batch.filter((a) => partitionsTo(a) !== undefined);
    if (grow.length > 0) {
      try {
        await this.#increasePartitions(grow);
      } catch (e) {
        // A topic whose partitions grew still needs its new replication factor: not done yet.
        if (e instanceof BatchOutcomeError) {
          throw new BatchOutcomeError([], e.failed, batch.filter((a) => !e.failed.some((f) => f.action === a)));
        }
        throw e;
      }
    }
    const changes = batch.map((a) => ({ topic: topicName(a), replicationFactor: replicationTo(a) }));
    const op: Operation = { verb: 'change the replication factor of', resource: `${changes.length} topic(s)`, api: 'AlterPartitionReassignments' };
    let failed: Map<string, ApiError>;
    try {
      failed = await changeReplicationFactors(await this.#client.admin(), changes, {
        ...(this.#ctx.replicationFactor ?? { wait: true }),
        log: (line) => this.#ctx.log(line),
        ...(this.#ctx.progress !== undefined ? { progress: this.#ctx.progress } : {}),
        ...(this.#ctx.signal !== undefined ? { signal: this.#ctx.signal } : {}),
      });
    } catch (e) {
      throw e instanceof KafkaformError ? e : requestFailure(op, e, '');
    }
    settle(batch.map((action) => ({ action, ...(failed.has(topicName(action)) ? { error: failed.get(topicName(action)) } : {}) })));
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#client.close();
  }

  async #createTopics(batch: PlanAction[]): Promise<void> {
    const specs = batch.map(createSpec);
    const results = await this.#client.createTopics(specs.map(wireTopic), false);
    const outcomes: Outcome[] = [];
    const exists: PlanAction[] = [];
    for (const action of batch) {
      const item = results.get(topicName(action));
      if (item === undefined) outcomes.push({ action, error: missingAnswer(action, 'CreateTopics') });
      else if (item.errorCode === KAFKA_ERRORS.topicExists) exists.push(action);
      else outcomes.push({ action, ...(item.errorCode !== 0 ? { error: failure('create', action, 'CreateTopics', item) } : {}) });
    }
    if (exists.length > 0) {
      // Typically our own earlier attempt whose answer was lost: done when the shape matches.
      const md = await this.#client.metadata(exists.map(topicName));
      const found = new Map(md.topics.map((t) => [t.name, t]));
      for (const action of exists) {
        const spec = createSpec(action);
        const t = found.get(spec.name);
        const have = t === undefined || t.errorCode !== 0 ? undefined : toLiveTopic(t, {});
        const error =
          have === undefined || have.partitions !== spec.partitions || have.replicationFactor !== spec.replicationFactor
            ? kafkaFailure(
                { verb: 'create', resource: `topic ${spec.name}`, api: 'CreateTopics' },
                KAFKA_ERRORS.topicExists,
                have === undefined
                  ? 'it already exists'
                  : `it already exists with ${have.partitions} partitions and replication factor ${have.replicationFactor}`,
                '',
              )
            : undefined;
        outcomes.push({ action, ...(error !== undefined ? { error } : {}) });
      }
    }
    const created = succeeded(outcomes).map(createSpec);
    await this.#waitTopics(new Map(created.map((s) => [s.name, s.partitions])), ['new topic', 'new topics']);
    settle(outcomes);
  }

  async #increasePartitions(batch: PlanAction[]): Promise<void> {
    const results = await this.#client.createPartitions(
      batch.map((a) => ({ name: topicName(a), count: partitionsTo(a)!.to, assignments: null })),
      false,
    );
    const outcomes: Outcome[] = [];
    for (const action of batch) {
      const item = results.get(topicName(action));
      outcomes.push({
        action,
        ...(item === undefined
          ? { error: missingAnswer(action, 'CreatePartitions') }
          : item.errorCode !== 0
            ? { error: failure('increase the partitions of', action, 'CreatePartitions', item) }
            : {}),
      });
    }
    const grown = succeeded(outcomes);
    await this.#waitTopics(new Map(grown.map((a) => [topicName(a), partitionsTo(a)!.to])), ['partition increase', 'partition increases']);
    settle(outcomes);
  }

  async #alterConfigs(batch: PlanAction[]): Promise<void> {
    const results = await this.#client.alterTopicConfigs(batch.map(wireAlter), false);
    const outcomes = batch.map((action): Outcome => {
      const item = results.get(topicName(action));
      if (item === undefined) return { action, error: missingAnswer(action, 'IncrementalAlterConfigs') };
      return item.errorCode === 0 ? { action } : { action, error: failure('alter the configs of', action, 'IncrementalAlterConfigs', item) };
    });
    await this.#waitConfigs(succeeded(outcomes));
    settle(outcomes);
  }

  async #createAcls(batch: PlanAction[]): Promise<void> {
    const results = await this.#client.createAcls(batch.map((a) => toWireAcl(aclOf(a))));
    const outcomes = batch.map((action, i) => this.#aclOutcome(action, results[i], 'create', 'CreateAcls'));
    await this.#waitAcls(succeeded(outcomes), []);
    settle(outcomes);
  }

  async #deleteAcls(batch: PlanAction[]): Promise<void> {
    // Every field set: each filter matches its binding and nothing else; none matched means the
    // binding was already gone, which is the end state asked for.
    const results = await this.#client.deleteAcls(batch.map((a) => toWireAcl(aclOf(a))));
    const outcomes = batch.map((action, i) => this.#aclOutcome(action, results[i], 'delete', 'DeleteAcls'));
    await this.#waitAcls([], succeeded(outcomes));
    settle(outcomes);
  }

  #aclOutcome(action: PlanAction, item: ItemResult | undefined, verb: string, api: string): Outcome {
    if (item === undefined) return { action, error: missingAnswer(action, api) };
    return item.errorCode === 0 ? { action } : { action, error: failure(verb, action, api, item) };
  }

  async #deleteTopics(batch: PlanAction[]): Promise<void> {
    const results = await this.#client.deleteTopics(batch.map(topicName));
    const outcomes = batch.map((action): Outcome => {
      const item = results.get(topicName(action));
      if (item === undefined) return { action, error: missingAnswer(action, 'DeleteTopics') };
      // Already gone is the end state asked for.
      if (item.errorCode === 0 || item.errorCode === KAFKA_ERRORS.unknownTopic) return { action };
      return { action, error: failure('delete', action, 'DeleteTopics', item) };
    });
    await this.#waitTopics(new Map(succeeded(outcomes).map((a) => [topicName(a), undefined])), ['topic deletion', 'topic deletions']);
    settle(outcomes);
  }

  /**
   * Brokers learn of changes from the controller asynchronously, and the re-read after apply must
   * see them: polls `visible` (which returns what is still missing) until nothing is, giving up
   * quietly after `VISIBLE_WAIT_MS` (the re-read then reports what it does not see).
   */
  async #until(what: Noun, visible: () => Promise<number>): Promise<void> {
    let waited = 0;
    const wait = waitFor(this.#ctx.progress, what, 0);
    try {
      for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
        const missing = await visible();
        if (missing === 0) return;
        wait.left(missing);
        if (waited >= VISIBLE_WAIT_MS) {
          this.#gaveUp(missing, what);
          return;
        }
        await this.#sleep(delay);
        waited += delay;
      }
    } finally {
      wait.done();
    }
  }

  #gaveUp(missing: number, what: Noun): void {
    this.#ctx.log(`warning: cluster ${this.#cluster}: ${count(missing, what)} not yet visible on the brokers after ${VISIBLE_WAIT_MS / 1000} s`);
  }

  /**
   * Waits until Metadata shows each topic with at least the given partition count (none: gone),
   * through the one poll loop every unit shares, showing the wait as `what`.
   */
  async #waitTopics(expected: Map<string, number | undefined>, what: Noun): Promise<void> {
    if (expected.size === 0) return;
    const wait = waitFor(this.#ctx.progress, what, expected.size);
    try {
      await this.#topics.until(expected);
    } finally {
      wait.done();
    }
  }

  /** Waits until DescribeConfigs shows the altered keys of these actions as planned. */
  async #waitConfigs(actions: readonly PlanAction[]): Promise<void> {
    let pending = [...actions];
    if (pending.length === 0) return;
    await this.#until(['config change', 'config changes'], async () => {
      const { results } = await this.#client.describeTopicConfigs(pending.map(topicName));
      const byTopic = toTopicConfigs(results);
      pending = pending.filter((action) => {
        const configs = byTopic.get(topicName(action));
        if (configs === undefined) return true;
        return alterOperations(action).some((o) => {
          const c = configs[o.name];
          // A sensitive value reads back as null: only whether it is set on the topic can be seen.
          if (o.operation === 'DELETE') return c?.setOnTopic === true;
          return c === undefined || !c.setOnTopic || (c.value !== null && c.value !== canonicalConfigValue(o.name, o.value));
        });
      });
      return pending.length;
    });
  }

  /**
   * The keys of every binding, from a listing that started after `since` (a `performance.now()`
   * time): batches finishing together share one listing instead of each asking for all ACLs.
   */
  #aclKeysSince(since: number): Promise<Set<string>> {
    const current = this.#aclListing;
    if (current !== undefined && current.startedAt >= since) return current.keys;
    const keys = this.#client.describeAcls().then((found) => new Set(toBindings(found ?? [], () => undefined).map(aclKey)));
    this.#aclListing = { startedAt: performance.now(), keys };
    return keys;
  }

  /** Waits until DescribeAcls lists every binding of `present` and none of `absent`. */
  async #waitAcls(present: readonly PlanAction[], absent: readonly PlanAction[]): Promise<void> {
    if (present.length === 0 && absent.length === 0) return;
    // The writes are done: any listing started from now on can show them.
    let since = performance.now();
    await this.#until(['ACL change', 'ACL changes'], async () => {
      const keys = await this.#aclKeysSince(since);
      since = performance.now();
      return present.filter((a) => !keys.has(aclKey(aclOf(a)))).length + absent.filter((a) => keys.has(aclKey(aclOf(a)))).length;
    });
  }
}
