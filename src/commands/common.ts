/**
 * What every cluster command does first: load the manifests, pick the cluster, open it, read its
 * live state, and shape the desired state by the cluster kind's rules.
 */
import { ManifestError, UsageError, type ManifestProblem } from '../errors.js';
import { Deadline, DEFAULT_TIMEOUT_MS } from '../deadline.js';
import type { ClusterSpec, DesiredState, LiveState } from '../model.js';
import { loadManifests, type Manifests } from '../manifest/index.js';
import type { PlanOptions } from '../plan/index.js';
import { clusterSettingProblems, openTarget, rulesOf } from '../targets/index.js';
import type { ReplicationFactorOptions, Target, TargetKind } from '../targets/target.js';
import { reportWarnings } from './exit.js';
import { lineDisplay, silentDisplay, Tracker, type Progress } from '../progress/index.js';
import { safe } from '../render/index.js';
import { resolvePath, useColor, type Io } from './io.js';

/** Options every command accepts. */
export interface CommonOptions {
  /** Manifest files and directories; `.` when empty. */
  paths?: string[];
  /** Details and stack traces on failure (never secrets). */
  debug?: boolean;
}

/** Options of commands that work on one cluster. */
export interface ClusterOptions extends CommonOptions {
  /** The cluster's name; optional when one is declared or `KAFKAFORM_CLUSTER` is set. */
  cluster?: string;
  /** The command's overall deadline (`--timeout`), from opening the cluster on; default 30 min. */
  timeoutMs?: number;
  /** No progress on stderr: no stages, per-operation lines, retries or notices of the cluster (errors still show). */
  quiet?: boolean;
}

/** Options of commands that plan: what they allow and what part of the estate they cover. */
export interface PlanFlags {
  /** Plan topic deletions in scope instead of holding them back (`--allow-delete`). */
  allowDelete?: boolean;
  /** Plans deleting more ACL bindings than this have an error (`--max-acl-deletes`). */
  maxAclDeletes?: number;
  /** `--target` selectors: the plan covers only the resources they match (`src/plan/select.ts`). */
  targets?: string[];
}

/**
 * Loads the manifests and prints their warnings; `onClusters` is called as soon as the declared
 * clusters are known (see `LoadOptions`).
 */
export async function load(
  options: CommonOptions,
  io: Io,
  onClusters?: (clusters: readonly ClusterSpec[]) => void | Promise<void>,
): Promise<Manifests> {
  const paths = options.paths && options.paths.length > 0 ? options.paths : ['.'];
  const manifests = await loadManifests(
    io.cwd === undefined ? paths : paths.map((p) => resolvePath(io, p)),
    { env: io.env, clusterProblems: clusterSettingProblems, ...(onClusters ? { onClusters } : {}) },
  );
  reportWarnings(manifests.warnings, { stderr: io.stderr, debug: options.debug === true, color: useColor(io, 'stderr') });
  if (options.debug === true && manifests.skipped.length > 0) {
    const n = manifests.skipped.length;
    io.stderr(`Skipped ${n} YAML file${n === 1 ? '' : 's'} that ${n === 1 ? 'is' : 'are'} not a kafkaform manifest:\n`);
    for (const file of manifests.skipped) io.stderr(`  ${safe(file)}\n`);
  }
  return manifests;
}

/** The cluster named by `--cluster`, else `KAFKAFORM_CLUSTER`, else the only one declared. */
export function selectCluster(clusters: readonly ClusterSpec[], name: string | undefined, io: Io): ClusterSpec {
  const wanted = name ?? (io.env['KAFKAFORM_CLUSTER'] || undefined);
  const names = clusters.map((c) => c.name).sort();
  if (wanted !== undefined) {
    const found = clusters.find((c) => c.name === wanted);
    if (found) return found;
    const from = name === undefined ? ' (from KAFKAFORM_CLUSTER)' : '';
    throw new UsageError(
      names.length === 0
        ? `unknown cluster "${wanted}"${from}: the manifests declare no cluster`
        : `unknown cluster "${wanted}"${from}; the manifests declare: ${names.join(', ')}`,
    );
  }
  if (clusters.length === 1) return clusters[0]!;
  if (clusters.length === 0) {
    throw new UsageError('the manifests declare no cluster; add one under "clusters:"');
  }
  throw new UsageError(
    `the manifests declare ${clusters.length} clusters (${names.join(', ')}); choose one with --cluster or KAFKAFORM_CLUSTER`,
  );
}

/**
 * Rewrites the desired state into what the kind of cluster expresses; what it cannot express is a
 * manifest error naming the cluster, warnings are printed.
 */
export function adaptDesired(desired: DesiredState, rules: TargetKind, cluster: string): {
  desired: DesiredState;
  problems: ManifestProblem[];
} {
  if (!rules.adaptDesired) return { desired, problems: [] };
  const adapted = rules.adaptDesired(desired);
  return {
    desired: adapted.desired,
    problems: adapted.problems.map((p) => ({ ...p, message: `cluster ${cluster}: ${p.message}` })),
  };
}

/** An open cluster with its live state. */
export interface Session {
  manifests: Manifests;
  spec: ClusterSpec;
  target: Target;
  /** The kind whose rules apply (for a snapshot, the kind it was taken from). */
  rules: TargetKind;
  live: LiveState;
  /** The command's overall deadline; `paused` while waiting for a person. */
  deadline: Deadline;
}

/** How the session's target reports progress. */
export interface SessionOptions {
  replicationFactor?: ReplicationFactorOptions;
  /** Where reading the cluster, and the target's requests, are reported. */
  progress?: Progress;
}

/**
 * Runs `fn` with progress shown as `io` allows: nothing with `quiet`, a live display when `io`
 * has one (the CLI on a terminal), plain lines otherwise. `fn` gets an `io` whose stderr writes
 * above a live bar; the display is taken down before this returns or throws.
 */
export async function withProgress<T>(io: Io, quiet: boolean, fn: (io: Io, progress: Progress) => Promise<T>): Promise<T> {
  const display = quiet ? silentDisplay(io.stderr) : io.liveProgress ? await io.liveProgress() : lineDisplay(io.stderr);
  const tracker = new Tracker(display, { quiet });
  try {
    return await fn({ ...io, stderr: (text) => display.print(text) }, tracker);
  } finally {
    tracker.close();
  }
}

/**
 * What a target reports while the manifests are still loading (log lines, progress) is shown
 * only once they loaded, in the order it came.
 */
class Held {
  #queue: Array<() => void> | undefined = [];

  run(show: () => void): void {
    if (this.#queue) this.#queue.push(show);
    else show();
  }

  release(): void {
    const queue = this.#queue ?? [];
    this.#queue = undefined;
    for (const show of queue) show();
  }

  /** `progress`, held. */
  progress(progress: Progress): Progress {
    return {
      stage: (label, total) => this.run(() => progress.stage(label, total)),
      advance: (n) => this.run(() => progress.advance(n)),
      sent: () => this.run(() => progress.sent()),
      received: (bytes) => this.run(() => progress.received(bytes)),
      waiting: (what, change) => this.run(() => progress.waiting(what, change)),
      end: () => this.run(() => progress.end()),
      line: (text) => this.run(() => progress.line(text)),
    };
  }
}

/** A cluster being opened, and the command's deadline. */
export interface OpenCluster {
  deadline: Deadline;
  target: Promise<Target>;
}

/**
 * Opens the cluster `spec` declares and starts the command's deadline, which runs from here on.
 * Every wait of the target ends when the deadline passes or one of `signals` aborts.
 */
export function openCluster(
  spec: ClusterSpec,
  io: Io,
  options: ClusterOptions & SessionOptions,
  log: (line: string) => void,
  signals: readonly AbortSignal[] = [],
  progress?: Progress,
): OpenCluster {
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, `cluster ${spec.name}`);
  return {
    deadline,
    target: openTarget(spec, io.env, {
      log,
      debug: options.debug === true,
      signal: AbortSignal.any([deadline.signal, ...signals]),
      ...(progress !== undefined ? { progress } : {}),
      ...(options.replicationFactor !== undefined ? { replicationFactor: options.replicationFactor } : {}),
    }),
  };
}

/**
 * Runs `fn` on an open cluster and always closes it. A failure of `fn` wins over a failure to
 * close, which would only hide it. Every wait of the target ends when the command's deadline
 * passes or `cancel` aborts, with the reason of whichever fired. The cluster is the one `pick`
 * chooses among those declared, by default the one `selectCluster` names.
 *
 * Reading the cluster changes nothing, so it starts as soon as the manifests name the cluster,
 * while the rest of them is still checked: the network and the CPU work overlap. The manifests
 * still decide first: when they fail, that failure is reported, the read is aborted and what it
 * found or logged is dropped; a failure to open or read is reported only after they loaded.
 */
export async function withSession<T>(
  options: ClusterOptions & SessionOptions,
  io: Io,
  fn: (session: Session) => Promise<T>,
  cancel?: AbortSignal,
  pick: (clusters: readonly ClusterSpec[]) => ClusterSpec = (clusters) => selectCluster(clusters, options.cluster, io),
): Promise<T> {
  const debug = options.debug === true;
  const held = new Held();
  const log = (line: string): void => {
    if (options.quiet !== true || debug) held.run(() => io.stderr(`${line}\n`));
  };
  const progress = options.progress === undefined ? undefined : held.progress(options.progress);
  // Aborts a read the manifests' failure made pointless.
  const dropped = new AbortController();
  /** Opens the cluster and starts the deadline, which runs from here on. */
  const open = (spec: ClusterSpec): OpenCluster =>
    openCluster(spec, io, options, log, [dropped.signal, ...(cancel === undefined ? [] : [cancel])], progress);
  /** Reads the live state as a stage of its own; a failed read is reported, not ended. */
  const read = async (target: Target, spec: ClusterSpec): Promise<LiveState> => {
    progress?.stage(`reading cluster ${safe(spec.name)}`);
    const live = await target.read();
    progress?.end();
    return live;
  };
  let early: { deadline: Deadline; target: Promise<Target>; live: Promise<LiveState> } | undefined;
  const startReading = async (clusters: readonly ClusterSpec[]): Promise<void> => {
    let spec: ClusterSpec;
    try {
      spec = pick(clusters);
    } catch {
      return; // reported below, where selecting it again fails the same way
    }
    const { deadline, target } = open(spec);
    const live = target.then((t) => read(t, spec));
    // Held until the manifests have loaded; never an unhandled rejection meanwhile.
    target.catch(() => undefined);
    live.catch(() => undefined);
    early = { deadline, target, live };
    // The manifests wait until the target is open and its read under way: their checks then
    // run while the server prepares its answer.
    await target.then(
      () => undefined,
      () => undefined,
    );
  };
  let manifests: Manifests;
  try {
    manifests = await load(options, io, startReading);
  } catch (e) {
    const started = early;
    if (started) {
      dropped.abort(e);
      await started.target.then((t) => started.live.then(() => t.close(), () => t.close()), () => undefined).catch(() => undefined);
      started.deadline.dispose();
    }
    throw e;
  }
  held.release();
  // The same clusters and flags as when reading started, so the same cluster.
  const spec = pick(manifests.clusters);
  const opened = early ?? open(spec);
  try {
    const target = await opened.target;
    let result: T;
    try {
      const live = await (early?.live ?? read(target, spec));
      result = await fn({ manifests, spec, target, rules: rulesOf(target), live, deadline: opened.deadline });
    } catch (e) {
      await target.close().catch(() => undefined);
      throw e;
    }
    await target.close();
    return result;
  } finally {
    opened.deadline.dispose();
  }
}

/**
 * The desired state of the session's cluster (overlays applied), adapted to its kind; throws
 * `ManifestError` for what the kind cannot express and prints adaptation warnings.
 */
export function desiredState(session: Session, io: Io, debug: boolean): DesiredState {
  const { desired, problems } = adaptDesired(session.manifests.desiredFor(session.spec.name), session.rules, session.spec.name);
  if (problems.some((p) => p.severity === 'error')) throw new ManifestError(problems);
  reportWarnings(problems, { stderr: io.stderr, debug, color: useColor(io, 'stderr') });
  return desired;
}

/**
 * Config key prefixes left alone unless a manifest names the key: the target's platform-managed
 * prefixes plus the manifests' `configKeys.ignoredPrefixes` (added to, never replacing, the
 * platform's list, so a platform key is never reset by accident).
 */
export function managedPrefixes(session: Session): string[] {
  const own = session.manifests.ignoredConfigPrefixes ?? [];
  return [...new Set([...session.target.capabilities.managedConfigPrefixes, ...own])].sort();
}

/** Planner options for a session and the user's flags. */
export function planOptions(session: Session, flags: PlanFlags): PlanOptions {
  return {
    cluster: { name: session.spec.name, type: session.spec.type },
    capabilities: session.target.capabilities,
    ignoreConfigPrefixes: session.manifests.ignoredConfigPrefixes ?? [],
    ...(flags.allowDelete === true ? { allowDelete: true } : {}),
    ...(flags.maxAclDeletes !== undefined ? { maxAclDeletes: flags.maxAclDeletes } : {}),
    ...(flags.targets !== undefined && flags.targets.length > 0 ? { targets: flags.targets } : {}),
  };
}
