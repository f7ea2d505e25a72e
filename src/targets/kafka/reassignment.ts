/**
 * Replication-factor changes on a Kafka cluster: partition reassignment through the
 * AlterPartitionReassignments and ListPartitionReassignments APIs, with an optional replication
 * throttle that is removed afterwards. The target's preflight calls `replicationFactorFindings`,
 * its phase-2 unit calls `changeReplicationFactors` after any partition increase of the same
 * topics, so new partitions are reassigned too.
 */
import {
  alterPartitionReassignmentsV0,
  ConfigResourceTypes,
  ConfigSources,
  IncrementalAlterConfigOperationTypes,
  listPartitionReassignmentsV0,
  ResponseError,
  type Admin,
  type ClusterMetadata,
  type Connection,
  type IncrementalAlterConfigsOptions,
} from '@platformatic/kafka';
import { ApiError, InternalError } from '../../errors.js';
import { compareStrings } from '../../plan/order.js';
import { sleep } from '../../deadline.js';
import { waitFor, type Progress } from '../../progress/index.js';
import type { ReplicationFactorOptions } from '../target.js';
import { kafkaFailure } from './errors.js';
import { reassign, replicationFactorProblem, type PartitionAssignment } from './reassign.js';

/** One topic whose replication factor changes. */
export interface ReplicationFactorChange {
  topic: string;
  replicationFactor: number;
}

/** What `changeReplicationFactors` needs besides the client. */
export interface ReassignmentContext extends ReplicationFactorOptions {
  /** Progress lines (stderr in the CLI). */
  log(line: string): void;
  /** Told how many partitions are still moving while apply waits. */
  progress?: Progress;
  /** Pause between two ListPartitionReassignments polls; 1 s unless given. */
  pollMs?: number;
  /** The command's deadline or interrupt (`TargetContext.signal`): ends the waits with its reason. */
  signal?: AbortSignal;
}

/** A problem found before anything changes, for the target's preflight. */
export interface ReplicationFactorFinding {
  topic: string;
  message: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
const REASSIGN_ALL = { verb: 'start the reassignment of', resource: 'the topics', api: 'AlterPartitionReassignments' };
const DEFAULT_POLL_MS = 1_000;
/** Without a change in progress, a line at least this often, so a long wait is visibly alive. */
const QUIET_POLLS = 15;
/** Metadata re-reads after completion before a partition without its new replicas is an error (~10 s). */
const VERIFY_ATTEMPTS = 50;
const VERIFY_PAUSE_MS = 200;

const LEADER_RATE = 'leader.replication.throttled.rate';
const FOLLOWER_RATE = 'follower.replication.throttled.rate';
const LEADER_REPLICAS = 'leader.replication.throttled.replicas';
const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas';

/**
 * Preflight: every change whose factor the live brokers cannot hold (above their number, or below
 * 1), and every topic with a reassignment already running (starting another would silently
 * replace it). Two requests: Metadata for the topics and ListPartitionReassignments.
 */
export async function replicationFactorFindings(
  admin: Admin,
  changes: readonly ReplicationFactorChange[],
): Promise<ReplicationFactorFinding[]> {
  if (changes.length === 0) return [];
  const metadata = await admin.metadata({ topics: changes.map((c) => c.topic), forceUpdate: true });
  const findings: ReplicationFactorFinding[] = [];
  for (const c of changes) {
    const problem = replicationFactorProblem(c.replicationFactor, metadata.brokers.size);
    if (problem !== undefined) findings.push({ topic: c.topic, message: problem });
  }
  const running = await listRunning(admin, metadata, changes.map((c) => c.topic), null);
  for (const [topic, partitions] of running) {
    findings.push({
      topic,
      message: `a reassignment of partition(s) ${[...partitions].sort((a, b) => a - b).join(', ')} is already running; wait until it completes`,
    });
  }
  return findings.sort((a, b) => compareStrings(a.topic, b.topic));
}

/**
 * Changes the replication factor of each topic: computes the new assignment (`reassign`), sets
 * the throttle when asked, starts the reassignment of all topics in one request, and with `wait`
 * polls until it completes, checks that every partition has its new replicas, and removes the
 * throttle. Resolves with the topics that failed, each with its own `ApiError` (the partitions
 * the cluster refused, with the broker's message, or those that did not end with their new
 * replicas); every other topic has its new replication factor. Throws when the whole request
 * failed (connection, authorization), which is then every topic's failure.
 */
export async function changeReplicationFactors(
  admin: Admin,
  changes: readonly ReplicationFactorChange[],
  ctx: ReassignmentContext,
): Promise<Map<string, ApiError>> {
  // Only waiting removes a throttle; apply refuses the combination before anything changes.
  if (ctx.throttleBytesPerSecond !== undefined && !ctx.wait) throw new InternalError('a replication throttle needs waiting for the reassignment');
  const failed = new Map<string, ApiError>();
  if (changes.length === 0) return failed;
  const topics = [...changes].sort((a, b) => compareStrings(a.topic, b.topic));
  const metadata = await admin.metadata({ topics: topics.map((c) => c.topic), forceUpdate: true });
  const targets = assignments(metadata, topics);
  const moving = targets.filter((t) => t.partitions.length > 0);
  if (moving.length === 0) return failed;

  const throttle = ctx.throttleBytesPerSecond !== undefined ? await setThrottle(admin, metadata, moving, ctx.throttleBytesPerSecond, ctx.signal) : undefined;
  try {
    const connection = await anyBroker(admin, metadata);
    const refused = await startReassignment(connection, moving);
    for (const [topic, error] of refused.errors) failed.set(topic, error);
    // Partitions the cluster accepted are being moved, also those of a topic with a refused one.
    const started = moving
      .map((m) => ({ ...m, partitions: m.partitions.filter((p) => !refused.partitions.has(`${m.topic}/${p.partition}`)) }))
      .filter((m) => m.partitions.length > 0);
    if (started.length === 0) return failed;
    const total = started.reduce((n, t) => n + t.partitions.length, 0);
    ctx.log(`reassigning ${total} partition(s) of ${started.length} topic(s) for their new replication factor`);
    if (!ctx.wait) {
      ctx.log('not waiting for the reassignment to complete (--no-wait-reassignment); the brokers carry it on');
      // Adding replicas shows in Metadata at once, removing them as soon as the controller has
      // done it: wait for that much, so the re-read after apply sees the new factor. A partition
      // that also replaces a lost replica shows its final replicas only when done.
      const shown = await verify(admin, started.map((m) => ({ ...m, partitions: m.partitions.filter(onlyAddsOrRemoves) })), ctx.signal);
      for (const [topic, error] of shown) if (!failed.has(topic)) failed.set(topic, error);
      return failed;
    }
    await waitUntilDone(admin, metadata, started, total, ctx);
    for (const [topic, error] of await verify(admin, started, ctx.signal)) if (!failed.has(topic)) failed.set(topic, error);
    return failed;
  } finally {
    if (throttle !== undefined) await throttle.remove();
  }
}

/** A topic's partitions whose replicas change, with what they change to and from. */
interface TopicMove {
  topic: string;
  partitions: (PartitionAssignment & { from: readonly number[] })[];
}

function onlyAddsOrRemoves(p: TopicMove['partitions'][number]): boolean {
  return p.replicas.every((id) => p.from.includes(id)) || p.from.every((id) => p.replicas.includes(id));
}

function assignments(metadata: ClusterMetadata, changes: readonly ReplicationFactorChange[]): TopicMove[] {
  const brokers = [...metadata.brokers.entries()].map(([id, b]) => ({ id, rack: b.rack ?? null }));
  // The topics' current replicas count as load, so a batch of topics spreads over the brokers.
  const load = new Map<number, number>();
  const current = new Map<string, { partition: number; replicas: number[]; leader: number }[]>();
  for (const c of changes) {
    const topic = metadata.topics.get(c.topic);
    if (topic === undefined) throw new ApiError(`topic ${c.topic} does not exist on the cluster`, { method: 'Metadata', url: '' });
    const partitions = topic.partitions.map((p, partition) => ({ partition, replicas: p.replicas, leader: p.leader }));
    current.set(c.topic, partitions);
    for (const p of partitions) for (const id of p.replicas) load.set(id, (load.get(id) ?? 0) + 1);
  }
  return changes.map((c) => {
    const partitions = current.get(c.topic)!;
    const own = new Map(load);
    for (const p of partitions) for (const id of p.replicas) own.set(id, own.get(id)! - 1);
    const next = reassign({ partitions, brokers, replicationFactor: c.replicationFactor, load: own });
    return {
      topic: c.topic,
      partitions: next
        .map((n, i) => ({ ...n, from: partitions[i]!.replicas }))
        .filter((n) => n.replicas.length !== n.from.length || n.replicas.some((id, i) => id !== n.from[i])),
    };
  });
}

async function anyBroker(admin: Admin, metadata: ClusterMetadata): Promise<Connection> {
  // Any broker forwards reassignments to the active controller; the metadata's controller id
  // names a live broker.
  const broker = metadata.brokers.get(metadata.controllerId) ?? [...metadata.brokers.values()][0];
  if (broker === undefined) throw new ApiError('the cluster reported no brokers', { method: 'Metadata', url: '' });
  return admin.connections.get(broker);
}

/**
 * Starts every move in one AlterPartitionReassignments request. The cluster answers for each
 * partition: returns the partitions it refused (`topic/partition`) and, per topic, one error
 * naming them with the broker's message. Throws when it refused the whole request.
 */
async function startReassignment(
  connection: Connection,
  moves: readonly TopicMove[],
): Promise<{ partitions: Set<string>; errors: Map<string, ApiError> }> {
  const request = moves.map((m) => ({ name: m.topic, partitions: m.partitions.map((p) => ({ partitionIndex: p.partition, replicas: p.replicas })) }));
  let response: alterPartitionReassignmentsV0.AlterPartitionReassignmentsResponse;
  try {
    response = await alterPartitionReassignmentsV0.api.async(connection, REQUEST_TIMEOUT_MS, true, request);
  } catch (e) {
    if (!(e instanceof ResponseError) || typeof e.response !== 'object' || e.response === null) throw e;
    response = e.response as alterPartitionReassignmentsV0.AlterPartitionReassignmentsResponse;
  }
  if (response.errorCode !== 0) throw kafkaFailure(REASSIGN_ALL, response.errorCode, response.errorMessage, '');
  const partitions = new Set<string>();
  const errors = new Map<string, ApiError>();
  for (const topic of response.responses) {
    const refused = topic.partitions.filter((p) => p.errorCode !== 0).sort((a, b) => a.partitionIndex - b.partitionIndex);
    if (refused.length === 0) continue;
    for (const p of refused) partitions.add(`${topic.name}/${p.partitionIndex}`);
    const messages = [...new Set(refused.map((p) => p.errorMessage).filter((m): m is string => typeof m === 'string' && m !== ''))];
    const op = { verb: 'reassign', resource: `partition(s) ${refused.map((p) => p.partitionIndex).join(', ')} of topic ${topic.name}`, api: REASSIGN_ALL.api };
    errors.set(topic.name, kafkaFailure(op, refused[0]!.errorCode, messages.length > 0 ? messages.join('; ') : null, ''));
  }
  return { partitions, errors };
}

/** Partitions of `topics` being reassigned now (limited to `only` when given), by topic. */
async function listRunning(
  admin: Admin,
  metadata: ClusterMetadata,
  topics: readonly string[],
  only: ReadonlyMap<string, readonly number[]> | null,
): Promise<Map<string, Set<number>>> {
  const request = topics.flatMap((name) => {
    const partitions = only?.get(name) ?? metadata.topics.get(name)?.partitions.map((_, i) => i) ?? [];
    return partitions.length > 0 ? [{ name, partitionIndexes: [...partitions] }] : [];
  });
  const running = new Map<string, Set<number>>();
  if (request.length === 0) return running;
  const response = await listPartitionReassignmentsV0.api.async(await anyBroker(admin, metadata), REQUEST_TIMEOUT_MS, request);
  for (const t of response.topics) {
    if (t.partitions.length > 0) running.set(t.name, new Set(t.partitions.map((p) => p.partitionIndex)));
  }
  return running;
}

/** Polls until the reassignment completes, telling the progress how many partitions still move. */
async function waitUntilDone(
  admin: Admin,
  metadata: ClusterMetadata,
  moves: readonly TopicMove[],
  total: number,
  ctx: ReassignmentContext,
): Promise<void> {
  const wait = waitFor(ctx.progress, ['partition to move', 'partitions to move'], total);
  try {
    await pollUntilDone(admin, metadata, moves, total, ctx, (left) => wait.left(left));
  } finally {
    wait.done();
  }
}

async function pollUntilDone(
  admin: Admin,
  metadata: ClusterMetadata,
  moves: readonly TopicMove[],
  total: number,
  ctx: ReassignmentContext,
  moving: (left: number) => void,
): Promise<void> {
  const only = new Map(moves.map((m) => [m.topic, m.partitions.map((p) => p.partition)]));
  const topics = moves.map((m) => m.topic);
  let lastDone = -1;
  let quiet = 0;
  for (;;) {
    const running = await listRunning(admin, metadata, topics, only);
    const left = [...running.values()].reduce((n, s) => n + s.size, 0);
    const done = total - left;
    moving(left);
    if (left === 0) {
      ctx.log(`reassignment complete: ${total}/${total} partition(s)`);
      return;
    }
    if (done !== lastDone || ++quiet >= QUIET_POLLS) {
      const perTopic = [...running.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([t, s]) => `${t} ${s.size}`);
      ctx.log(`reassignment running: ${done}/${total} partition(s) done (left: ${perTopic.join(', ')})`);
      lastDone = done;
      quiet = 0;
    }
    await sleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
  }
}

/**
 * After completion every moved partition must have exactly its new replicas, else the
 * reassignment was cancelled or replaced. Brokers learn the controller's result a moment after
 * ListPartitionReassignments stops listing it, so Metadata is asked again for a while before a
 * difference counts. Returns, per topic with such a partition, the error naming them.
 */
async function verify(admin: Admin, moves: readonly TopicMove[], signal: AbortSignal | undefined): Promise<Map<string, ApiError>> {
  const wrong = new Map<string, string[]>();
  if (moves.every((m) => m.partitions.length === 0)) return new Map();
  for (let attempt = 0; attempt < VERIFY_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(VERIFY_PAUSE_MS, signal);
    const metadata = await admin.metadata({ topics: moves.map((m) => m.topic), forceUpdate: true });
    wrong.clear();
    for (const m of moves) {
      const live = metadata.topics.get(m.topic);
      for (const p of m.partitions) {
        const got = live?.partitions[p.partition]?.replicas ?? [];
        const same = got.length === p.replicas.length && p.replicas.every((id) => got.includes(id));
        if (!same) wrong.set(m.topic, [...(wrong.get(m.topic) ?? []), `partition ${p.partition} has replicas [${got.join(', ')}], not [${p.replicas.join(', ')}]`]);
      }
    }
    if (wrong.size === 0) break;
  }
  return new Map(
    [...wrong].map(([topic, partitions]) => [
      topic,
      new ApiError(
        `the reassignment of topic ${topic} ended but ${partitions.length} partition(s) did not get their new replicas (was it cancelled?): ${partitions.join('; ')}`,
        { method: 'Metadata', url: '' },
      ),
    ]),
  );
}

type ConfigResource = IncrementalAlterConfigsOptions['resources'][number];
type ConfigChange = ConfigResource['configs'][number];

/** A throttle that was set, and how to take it off again. */
interface Throttle {
  remove(): Promise<void>;
}

/**
 * Sets Kafka's replication throttle as its own reassignment tool does: the rate on every broker
 * taking part, the existing replicas as throttled leaders and the added ones as throttled
 * followers on each topic. Topic lists are APPENDed (and later SUBTRACTed) so entries someone
 * else set stay; a broker rate that was already set dynamically is restored, not deleted.
 */
async function setThrottle(
  admin: Admin,
  metadata: ClusterMetadata,
  moves: readonly TopicMove[],
  rate: number,
  signal: AbortSignal | undefined,
): Promise<Throttle> {
  const brokerIds = [...new Set(moves.flatMap((m) => m.partitions.flatMap((p) => [...p.from, ...p.replicas])))].sort((a, b) => a - b);
  const before = await admin.describeConfigs({
    resources: brokerIds.map((id) => ({ resourceType: ConfigResourceTypes.BROKER, resourceName: String(id), configurationKeys: [LEADER_RATE, FOLLOWER_RATE] })),
  });
  const previous = new Map<string, string>();
  for (const d of before) {
    for (const c of d.configs) {
      if (c.configSource === ConfigSources.DYNAMIC_BROKER_CONFIG && typeof c.value === 'string') previous.set(`${d.resourceName}/${c.name}`, c.value);
    }
  }
  const topicLists = moves.map((m) => ({
    topic: m.topic,
    leaders: m.partitions.flatMap((p) => p.from.map((b) => `${p.partition}:${b}`)).join(','),
    followers: m.partitions.flatMap((p) => p.replicas.filter((b) => !p.from.includes(b)).map((b) => `${p.partition}:${b}`)).join(','),
  }));
  const topicsBefore = await admin.describeConfigs({
    resources: moves.map((m) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: m.topic, configurationKeys: [LEADER_REPLICAS, FOLLOWER_REPLICAS] })),
  });
  const setOnTopic = new Set<string>();
  for (const d of topicsBefore) {
    for (const c of d.configs) if (c.configSource === ConfigSources.TOPIC_CONFIG) setOnTopic.add(`${d.resourceName}/${c.name}`);
  }
  const topicOps = (removing: boolean): ConfigResource[] =>
    topicLists
      .map((t) => {
        const configs: ConfigChange[] = [];
        for (const [name, value] of [
          [LEADER_REPLICAS, t.leaders],
          [FOLLOWER_REPLICAS, t.followers],
        ] as const) {
          if (value === '') continue;
          if (!removing) configs.push({ name, configOperation: IncrementalAlterConfigOperationTypes.APPEND, value });
          // A list someone else had set keeps their entries; one that was not set goes away
          // entirely (an empty override would show as drift).
          else if (setOnTopic.has(`${t.topic}/${name}`)) configs.push({ name, configOperation: IncrementalAlterConfigOperationTypes.SUBTRACT, value });
          else configs.push({ name, configOperation: IncrementalAlterConfigOperationTypes.DELETE });
        }
        return { resourceType: ConfigResourceTypes.TOPIC, resourceName: t.topic, configs };
      })
      .filter((r) => r.configs.length > 0);
  const brokerOps = (restore: boolean) =>
    brokerIds.map((id) => ({
      resourceType: ConfigResourceTypes.BROKER,
      resourceName: String(id),
      configs: [LEADER_RATE, FOLLOWER_RATE].map((name) => {
        const old = previous.get(`${id}/${name}`);
        if (!restore) return { name, configOperation: IncrementalAlterConfigOperationTypes.SET, value: String(rate) };
        return old !== undefined
          ? { name, configOperation: IncrementalAlterConfigOperationTypes.SET, value: old }
          : { name, configOperation: IncrementalAlterConfigOperationTypes.DELETE };
      }),
    }));
  await admin.incrementalAlterConfigs({ resources: brokerOps(false) });
  await admin.incrementalAlterConfigs({ resources: topicOps(false) });
  return {
    remove: async () => {
      const removing = topicOps(true);
      await admin.incrementalAlterConfigs({ resources: removing });
      await admin.incrementalAlterConfigs({ resources: brokerOps(true) });
      await throttleListsGone(admin, removing, signal);
    },
  };
}

/**
 * Waits until the brokers no longer show the throttled-replica lists `removing` deleted: the
 * re-read after apply would otherwise see them as overrides nobody asked for.
 */
async function throttleListsGone(admin: Admin, removing: readonly ConfigResource[], signal: AbortSignal | undefined): Promise<void> {
  const deleted = new Set(
    removing.flatMap((r) => r.configs.filter((c) => c.configOperation === IncrementalAlterConfigOperationTypes.DELETE).map((c) => `${r.resourceName}/${c.name}`)),
  );
  if (deleted.size === 0) return;
  const topics = [...new Set([...deleted].map((k) => k.slice(0, k.lastIndexOf('/'))))];
  for (let attempt = 0; attempt < VERIFY_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(VERIFY_PAUSE_MS, signal);
    const found = await admin.describeConfigs({
      resources: topics.map((t) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: t, configurationKeys: [LEADER_REPLICAS, FOLLOWER_REPLICAS] })),
    });
    const left = found.some((d) => d.configs.some((c) => c.configSource === ConfigSources.TOPIC_CONFIG && deleted.has(`${d.resourceName}/${c.name}`)));
    if (!left) return;
  }
}
