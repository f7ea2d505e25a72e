import type { ClusterSpec, ClusterType, DesiredState, LiveState, PlanAction, Phase, TargetCapabilities } from '../model.js';
import type { ManifestProblem } from '../errors.js';
import type { SettingsCheck } from './settings.js';
import type { Progress } from '../progress/index.js';

/** A problem found before the first mutation; any finding stops apply with nothing changed. */
export interface PreflightFinding {
  action: PlanAction;
  /** One sentence; for server-side dry runs, the server's message. */
  message: string;
}

/**
 * A unit of work the executor runs: one request or a small group of requests that together carry
 * out `actions` (e.g. one topic create, one ACL batch, one user ACL replacement).
 */
export interface WorkUnit {
  /** Short, human-readable, for progress lines: `create topic orders.v1`. */
  label: string;
  actions: PlanAction[];
  run(): Promise<void>;
}

/**
 * How apply carries out replication-factor changes, for targets that make them by moving
 * replicas (`capabilities.replicationFactorChange`); others ignore it.
 */
export interface ReplicationFactorOptions {
  /** Wait until the brokers have finished moving replicas (the default). */
  wait: boolean;
  /** Limit replication traffic to this many bytes per second while moving; needs `wait`. */
  throttleBytesPerSecond?: number;
}

/**
 * Thrown by a unit whose one request carries out several actions (a batch) when the server
 * answered for each item and some failed: what became of each action, so the apply report lists
 * every action as done, failed or not attempted instead of the whole batch as failed.
 */
export class BatchOutcomeError extends Error {
  constructor(
    readonly done: PlanAction[],
    readonly failed: { action: PlanAction; error: unknown }[],
    readonly notAttempted: PlanAction[],
  ) {
    super(`${failed.length} of ${done.length + failed.length + notAttempted.length} action(s) in a batch failed`);
  }
}

/** Options shared by every target's HTTP or file access. */
export interface TargetContext {
  /** Progress and debug lines go here (stderr in the CLI); never secrets. */
  log(line: string): void;
  debug: boolean;
  /**
   * Where the target reports its requests and bytes, the dry runs it makes (a `dry-running` stage
   * counting the actions) and what it waits for. Absent: nothing is reported.
   */
  progress?: Progress;
  /** Absent outside apply: wait, without a throttle. */
  replicationFactor?: ReplicationFactorOptions;
  /**
   * Aborted when the command must stop waiting: its overall deadline passed (`DeadlineError`),
   * or the user interrupted it before anything changed (`InterruptedError`). Every wait of a
   * target (requests, retry delays, polls) ends then and throws `signal.reason`, or a
   * `DeadlineError` saying what it was waiting for. Absent: nothing stops the waits.
   */
  signal?: AbortSignal;
}

/**
 * One cluster. Implementations: `snapshot` (a JSON file), `confluent` (REST v3),
 * `digitalocean` (DigitalOcean API v2), `kafka` (Kafka's own protocol).
 */
export interface Target {
  readonly kind: 'snapshot' | 'confluent' | 'digitalocean' | 'kafka';
  readonly capabilities: TargetCapabilities;
  /** Reads the whole live state with a bounded number of requests. */
  read(): Promise<LiveState>;
  /**
   * Checks every action before anything changes: server-side dry runs where the target has them,
   * local checks otherwise. Returns every finding, not the first.
   */
  preflight(actions: readonly PlanAction[], live: LiveState): Promise<PreflightFinding[]>;
  /**
   * Groups one phase's actions into the units the target sends. Must carry out exactly these
   * actions, each in exactly one unit.
   */
  units(phase: Phase, actions: readonly PlanAction[], live: LiveState): WorkUnit[];
  /** Persists what was done (snapshot files) and releases connections. Called once, always. */
  close(): Promise<void>;
}

/**
 * A kind of cluster, known without opening a connection: what it can do, and which desired states
 * it can express. Offline work (`validate`, plans against a snapshot exported from such a cluster)
 * uses this, so it needs no credentials.
 */
export interface TargetKind {
  readonly type: ClusterType;
  readonly capabilities: TargetCapabilities;
  /**
   * Checks this kind's connection settings beyond their schema (`<kind>Cluster` in the manifest
   * schema), offline on the settings as written and again on the resolved values when opened.
   */
  readonly checkSettings: SettingsCheck;
  /**
   * Pure. Rewrites the desired state into what this kind of cluster expresses (e.g. DigitalOcean's
   * per-user topic permissions) and reports what it cannot express, each problem pointing at the
   * declaration. Absent when every desired state is expressible as is.
   */
  adaptDesired?(desired: DesiredState): { desired: DesiredState; problems: ManifestProblem[] };
  /** Connects (resolving the cluster's `${VAR}` settings now, not earlier). */
  open(spec: ClusterSpec, env: Record<string, string | undefined>, ctx: TargetContext): Promise<Target>;
}
