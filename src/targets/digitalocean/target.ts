/**
 * The `digitalocean` target: DigitalOcean Managed Kafka through the DigitalOcean API v2.
 *
 * Reads cost one topic list, one user list and one detail read per topic (bounded concurrency,
 * paced by the rate-limit headers). Writes follow the plan's phases; because DigitalOcean's PUT
 * replaces a topic (partitions, replication factor, complete config) and a user's ACLs as a whole,
 * the target keeps what each resource looks like after its own writes, so a later phase's PUT
 * carries what an earlier one changed instead of reverting it.
 */
import { ApiError, ApplyError } from '../../errors.js';
import { sleep } from '../../deadline.js';
import { waitFor } from '../../progress/index.js';
import type { AclBinding, JsonValue, LiveState, LiveTopic, Phase, PlanAction, PlanChange } from '../../model.js';
import { PHASES } from '../../model.js';
import type { PreflightFinding, Target, TargetContext, WorkUnit } from '../target.js';
import { DoApi, type DoTopicDetail, type DoTopicSummary, type DoTopicWrite } from './api.js';
import { bindingKey, bindingsToUserAcls, describeBinding, userOfPrincipal } from './acl.js';
import { DO_CONFIGS, checkDesiredConfig, entryForKafkaKey, kafkaValueToDo, type DoConfigValue } from './configs.js';
import { toLiveTopic, usersToLive } from './live.js';
import type { DigitalOceanSettings } from './settings.js';
import { DIGITALOCEAN_CAPABILITIES, TOPIC_LIMITS, checkTopicShape } from './limits.js';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** A topic as it stands after our own writes: what the next PUT must carry. */
interface TopicState {
  partitions: number;
  replicationFactor: number;
  /** Kafka name → canonical value, for every key DigitalOcean accepts in requests. */
  config: Map<string, string>;
}


function asNumber(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function configChanges(action: PlanAction): { key: string; change: PlanChange }[] {
  return action.changes.filter((c) => c.field.startsWith('config.')).map((c) => ({ key: c.field.slice('config.'.length), change: c }));
}

function change(action: PlanAction, field: string): PlanChange | undefined {
  return action.changes.find((c) => c.field === field);
}

function topicName(action: PlanAction): string {
  if (action.resource.kind !== 'topic') throw new Error('not a topic action');
  return action.resource.name;
}

function aclOf(action: PlanAction): AclBinding {
  if (action.resource.kind !== 'acl') throw new Error('not an ACL action');
  const { kind: _kind, ...binding } = action.resource;
  return binding;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One DigitalOcean Managed Kafka database. */
export class DigitalOceanTarget implements Target {
  /** Always `digitalocean`. */
  readonly kind = 'digitalocean' as const;
  readonly capabilities = DIGITALOCEAN_CAPABILITIES;
  readonly #api: DoApi;
  readonly #settings: DigitalOceanSettings;
  readonly #ctx: TargetContext;
  readonly #sleep: (ms: number) => Promise<void>;
  /** After-our-writes state, filled from the live state on first use. */
  readonly #topics = new Map<string, TopicState>();
  readonly #userBindings = new Map<string, AclBinding[]>();
  #seeded: LiveState | undefined;

  constructor(settings: DigitalOceanSettings, ctx: TargetContext) {
    this.#settings = settings;
    this.#ctx = ctx;
    this.#sleep = (ms) => sleep(ms, ctx.signal);
    this.#api = new DoApi(
      {
        baseUrl: settings.apiUrl,
        auth: { type: 'bearer', token: settings.token },
        ...(settings.connectTimeoutMs !== undefined ? { connectTimeoutMs: settings.connectTimeoutMs } : {}),
        ...(settings.readTimeoutMs !== undefined ? { readTimeoutMs: settings.readTimeoutMs } : {}),
        connections: settings.concurrency,
        retry: settings.retry,
        log: (line) => ctx.log(line),
        ...(ctx.progress !== undefined ? { meter: ctx.progress } : {}),
        debug: ctx.debug,
        ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
        sleep: this.#sleep,
      },
      settings.databaseId,
      { maxPaceWaitMs: settings.maxPaceWaitMs },
    );
  }

  /** Topic list and user list in parallel, then every topic's detail with bounded concurrency. */
  async read(): Promise<LiveState> {
    const [summaries, users] = await Promise.all([this.#api.listTopics(), this.#api.listUsers()]);
    const present = summaries.filter((t) => t.state !== 'deleting').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const topics = await mapBounded(present, this.#settings.concurrency, async (summary) => this.#readTopic(summary));
    const skipped = new Set<string>();
    const live: LiveTopic[] = [];
    const byName = new Map(present.map((s) => [s.name, s]));
    for (const detail of topics) {
      if (!detail) continue;
      const r = toLiveTopic(byName.get(detail.name), detail);
      for (const key of r.skipped) skipped.add(key);
      live.push(r.topic);
    }
    if (skipped.size > 0 && this.#ctx.debug) {
      this.#ctx.log(`digitalocean: ignoring topic config keys outside the mapping table: ${[...skipped].sort().join(', ')}`);
    }
    const { acls, principals, unknown } = usersToLive(users);
    for (const line of unknown) this.#ctx.log(`digitalocean: ignoring an ACL entry with an unknown permission (${line})`);
    return { clusterId: this.#settings.databaseId, topics: live, acls, principals };
  }

  async #readTopic(summary: DoTopicSummary): Promise<DoTopicDetail | undefined> {
    const detail = await this.#api.getTopic(summary.name);
    if (detail) return detail;
    if (summary.state === 'configuring') {
      throw new ApiError(
        `Topic ${summary.name} is still being created on DigitalOcean (state configuring); run the command again when it is active.`,
        { method: 'GET', url: `topics/${summary.name}`, status: 404 },
      );
    }
    return undefined; // deleted between the list and the read
  }

  /**
   * Local checks against DigitalOcean's documented limits (there is no server-side dry run), after
   * re-reading the topic and user lists so the plan's assumptions still hold.
   */
  async preflight(actions: readonly PlanAction[], live: LiveState): Promise<PreflightFinding[]> {
    const findings: PreflightFinding[] = [];
    const [summaries, users] = await Promise.all([this.#api.listTopics(), this.#api.listUsers()]);
    const current = new Map(summaries.map((t) => [t.name, t]));
    const userNames = new Set(users.map((u) => u.name));
    const add = (action: PlanAction, message: string): void => {
      findings.push({ action, message });
    };

    for (const action of actions) {
      if (action.resource.kind === 'topic') {
        const name = action.resource.name;
        const now = current.get(name);
        const partitions = asNumber(change(action, 'partitions')?.to);
        const rf = asNumber(change(action, 'replicationFactor')?.to);
        if (action.action === 'create') {
          if (!TOPIC_NAME.test(name)) add(action, `Topic name ${JSON.stringify(name)} is not valid: 1-249 letters, digits, ".", "_" or "-".`);
          if (now) add(action, `Topic ${name} already exists on DigitalOcean (state ${now.state}); the plan is out of date, plan again.`);
        } else if (action.action === 'update') {
          if (!now) add(action, `Topic ${name} no longer exists on DigitalOcean; the plan is out of date, plan again.`);
          else if (now.state !== 'active') add(action, `Topic ${name} is ${now.state} on DigitalOcean; it can be updated once it is active.`);
          if (partitions !== undefined && now?.partitionCount !== undefined && partitions < now.partitionCount) {
            add(action, `Topic ${name} has ${now.partitionCount} partitions; DigitalOcean can only increase them, not set ${partitions}.`);
          }
        }
        if (action.action !== 'delete') {
          for (const problem of checkTopicShape(partitions, rf)) add(action, `Topic ${name}: ${problem}.`);
          for (const { key, change: c } of configChanges(action)) {
            const problem = c.to === null ? resetProblem(key) : checkDesiredConfig(key, String(c.to));
            if (problem) add(action, `Topic ${name}: ${problem}.`);
          }
        }
      } else {
        const binding = aclOf(action);
        const user = userOfPrincipal(binding.principal);
        if (user === undefined) add(action, `DigitalOcean cannot express ${describeBinding(binding)}: ACLs belong to database users (User:<name>).`);
        else if (!userNames.has(user)) add(action, `Database user ${user} does not exist on DigitalOcean; create it there first (kafkaform manages ACLs, not users).`);
      }
    }

    // Every user's ACLs after phase 4 and after phase 5 must be expressible as DigitalOcean permissions.
    for (const [principal, steps] of this.#aclSteps(actions, live)) {
      for (const bindings of steps) {
        try {
          bindingsToUserAcls(bindings);
        } catch (err) {
          const action = actions.find((a) => a.resource.kind === 'acl' && a.resource.principal === principal) as PlanAction;
          add(action, `${principal}: ${(err as Error).message}.`);
          break;
        }
      }
    }
    return findings;
  }

  /** The bindings each touched user would hold after phase 4 and after phase 5. */
  #aclSteps(actions: readonly PlanAction[], live: LiveState): Map<string, AclBinding[][]> {
    const created = new Map<string, AclBinding[]>();
    const deleted = new Map<string, Set<string>>();
    for (const a of actions) {
      if (a.resource.kind !== 'acl') continue;
      const binding = aclOf(a);
      if (a.phase === PHASES.createAcls) pushTo(created, binding.principal, binding);
      else deleted.set(binding.principal, (deleted.get(binding.principal) ?? new Set()).add(bindingKey(binding)));
    }
    const held = new Map<string, AclBinding[]>();
    for (const b of live.acls) {
      if (created.has(b.principal) || deleted.has(b.principal)) pushTo(held, b.principal, b);
    }
    const out = new Map<string, AclBinding[][]>();
    for (const principal of new Set([...created.keys(), ...deleted.keys()])) {
      const afterCreate = unionBindings(held.get(principal) ?? [], created.get(principal) ?? []);
      const gone = deleted.get(principal) ?? new Set<string>();
      out.set(principal, [afterCreate, afterCreate.filter((b) => !gone.has(bindingKey(b)))]);
    }
    return out;
  }

  /** Topic actions run one unit each; ACL actions one unit per user and phase. */
  units(phase: Phase, actions: readonly PlanAction[], live: LiveState): WorkUnit[] {
    const mine = actions.filter((a) => a.phase === phase);
    switch (phase) {
      case PHASES.createTopics:
        return mine.map((a) => ({ label: `create topic ${topicName(a)}`, actions: [a], run: () => this.#create(a, live) }));
      case PHASES.increasePartitions:
      case PHASES.alterConfigs:
        return mine.map((a) => ({ label: `update topic ${topicName(a)}`, actions: [a], run: () => this.#update(a, live) }));
      case PHASES.deleteTopics:
        return mine.map((a) => ({ label: `delete topic ${topicName(a)}`, actions: [a], run: () => this.#delete(a, live) }));
      case PHASES.createAcls:
      case PHASES.deleteAcls: {
        const byPrincipal = new Map<string, PlanAction[]>();
        for (const a of mine) pushTo(byPrincipal, aclOf(a).principal, a);
        return [...byPrincipal.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([principal, group]) => {
            const verb = phase === PHASES.createAcls ? 'grant' : 'revoke';
            const user = userOfPrincipal(principal) ?? principal;
            return {
              label: `${verb} ${group.length} ACL binding(s) of user ${user}`,
              actions: group,
              run: () => this.#setAcls(principal, group, phase, live),
            };
          });
      }
    }
  }

  /** Releases connections. */
  async close(): Promise<void> {
    await this.#api.close();
  }

  #seed(live: LiveState): void {
    if (this.#seeded === live) return;
    this.#seeded = live;
    this.#topics.clear();
    this.#userBindings.clear();
    for (const t of live.topics) {
      const config = new Map<string, string>();
      for (const entry of DO_CONFIGS) {
        if (entry.writable) config.set(entry.kafkaKey, t.configs[entry.kafkaKey]?.value ?? entry.defaultValue);
      }
      this.#topics.set(t.name, { partitions: t.partitions, replicationFactor: t.replicationFactor, config });
    }
    for (const b of live.acls) pushTo(this.#userBindings, b.principal, b);
  }

  #body(state: TopicState): DoTopicWrite {
    const config: Record<string, DoConfigValue> = {};
    for (const entry of DO_CONFIGS) {
      const value = state.config.get(entry.kafkaKey);
      if (entry.writable && value !== undefined) config[entry.doKey] = kafkaValueToDo(entry, value);
    }
    return { partition_count: state.partitions, replication_factor: state.replicationFactor, config };
  }

  async #create(action: PlanAction, live: LiveState): Promise<void> {
    this.#seed(live);
    const name = topicName(action);
    const partitions = asNumber(change(action, 'partitions')?.to) ?? TOPIC_LIMITS.minPartitions;
    const replicationFactor = asNumber(change(action, 'replicationFactor')?.to) ?? TOPIC_LIMITS.minReplicationFactor;
    const wanted = new Map<string, string>();
    for (const { key, change: c } of configChanges(action)) if (c.to !== null) wanted.set(key, String(c.to));
    const config: Record<string, DoConfigValue> = {};
    for (const [key, value] of [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const entry = entryForKafkaKey(key);
      if (!entry) throw new ApplyError(`Topic ${name}: DigitalOcean's API cannot set topic config ${key}.`);
      config[entry.doKey] = kafkaValueToDo(entry, value);
    }
    const outcome = await this.#api.createTopic({ name, partition_count: partitions, replication_factor: replicationFactor, config });
    const detail = await this.#waitActive(name);
    const state = this.#stateOf(detail);
    if (outcome === 'exists') {
      const differences = [
        ...(state.partitions !== partitions ? [`partitions ${state.partitions}, not ${partitions}`] : []),
        ...(state.replicationFactor !== replicationFactor ? [`replication factor ${state.replicationFactor}, not ${replicationFactor}`] : []),
        ...[...wanted].filter(([k, v]) => state.config.get(k) !== v).map(([k, v]) => `${k} ${state.config.get(k) ?? '(unset)'}, not ${v}`),
      ];
      if (differences.length > 0) {
        throw new ApplyError(`Topic ${name} already exists on DigitalOcean with ${differences.join(', ')}; plan again.`);
      }
    }
    this.#topics.set(name, state);
  }

  /** The post-write state of a freshly read topic; partitions from the write when the read lags. */
  #stateOf(detail: DoTopicDetail): TopicState {
    const live = toLiveTopic(undefined, detail).topic;
    const config = new Map<string, string>();
    for (const entry of DO_CONFIGS) {
      if (entry.writable) config.set(entry.kafkaKey, live.configs[entry.kafkaKey]?.value ?? entry.defaultValue);
    }
    return { partitions: live.partitions, replicationFactor: live.replicationFactor, config };
  }

  /** Polls a new topic until DigitalOcean reports it active, with progress and a timeout. */
  async #waitActive(name: string): Promise<DoTopicDetail> {
    // Counted as waited for from the first answer that is not active yet.
    const wait = waitFor(this.#ctx.progress, ['topic to become active', 'topics to become active'], 0);
    try {
      return await this.#pollActive(name, () => wait.left(1));
    } finally {
      wait.done();
    }
  }

  async #pollActive(name: string, waiting: () => void): Promise<DoTopicDetail> {
    const started = Date.now();
    let interval = this.#settings.pollIntervalMs;
    for (;;) {
      const detail = await this.#api.getTopic(name);
      if (detail?.state === 'active') return detail;
      const elapsed = Date.now() - started;
      const state = detail?.state ?? 'not visible yet';
      if (elapsed >= this.#settings.createTimeoutMs) {
        throw new ApplyError(
          `Topic ${name} was created but is still ${state} on DigitalOcean after ${Math.round(elapsed / 1000)} s; run apply again once it is active.`,
        );
      }
      this.#ctx.log(`waiting for topic ${name} to become active on DigitalOcean (${state}, ${Math.round(elapsed / 1000)} s)`);
      waiting();
      await this.#sleep(Math.min(interval, Math.max(0, this.#settings.createTimeoutMs - elapsed)));
      interval = Math.min(10_000, Math.ceil(interval * 1.5));
    }
  }

  async #update(action: PlanAction, live: LiveState): Promise<void> {
    this.#seed(live);
    const name = topicName(action);
    const state = this.#topics.get(name);
    if (!state) throw new ApplyError(`Topic ${name} is not in the live state the plan was made from; plan again.`);
    const next: TopicState = { partitions: state.partitions, replicationFactor: state.replicationFactor, config: new Map(state.config) };
    const partitions = asNumber(change(action, 'partitions')?.to);
    const rf = asNumber(change(action, 'replicationFactor')?.to);
    if (partitions !== undefined) next.partitions = partitions;
    if (rf !== undefined) next.replicationFactor = rf;
    for (const { key, change: c } of configChanges(action)) {
      const entry = entryForKafkaKey(key);
      if (!entry || !entry.writable) throw new ApplyError(`Topic ${name}: DigitalOcean's API cannot set topic config ${key}.`);
      next.config.set(key, c.to === null ? entry.defaultValue : String(c.to));
    }
    await this.#api.updateTopic(name, this.#body(next));
    this.#topics.set(name, next);
  }

  async #delete(action: PlanAction, live: LiveState): Promise<void> {
    this.#seed(live);
    const name = topicName(action);
    await this.#api.deleteTopic(name);
    this.#topics.delete(name);
  }

  async #setAcls(principal: string, group: readonly PlanAction[], phase: Phase, live: LiveState): Promise<void> {
    this.#seed(live);
    const user = userOfPrincipal(principal);
    if (user === undefined) throw new ApplyError(`DigitalOcean ACLs belong to database users (User:<name>), not ${principal}.`);
    const current = this.#userBindings.get(principal) ?? [];
    const bindings = group.map(aclOf);
    let next: AclBinding[];
    if (phase === PHASES.createAcls) {
      next = unionBindings(current, bindings);
    } else {
      const gone = new Set(bindings.map(bindingKey));
      next = current.filter((b) => !gone.has(bindingKey(b)));
    }
    await this.#api.setUserAcl(user, bindingsToUserAcls(next));
    this.#userBindings.set(principal, next);
  }
}

function pushTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unionBindings(a: readonly AclBinding[], b: readonly AclBinding[]): AclBinding[] {
  const seen = new Map(a.map((x) => [bindingKey(x), x]));
  for (const x of b) if (!seen.has(bindingKey(x))) seen.set(bindingKey(x), x);
  return [...seen.values()];
}

function resetProblem(key: string): string | undefined {
  const entry = entryForKafkaKey(key);
  if (!entry) return `DigitalOcean's API cannot set topic config ${key}`;
  if (!entry.writable) return `DigitalOcean's API reports ${key} but cannot reset it`;
  return undefined;
}
