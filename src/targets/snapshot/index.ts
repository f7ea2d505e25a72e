/**
 * The `snapshot` target: a JSON file standing in for a cluster. It plans with the rules of the kind
 * of cluster the snapshot was taken from, applies to an in-memory copy, and writes the file back
 * atomically under a lock when closed.
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, PlanRefusedError } from '../../errors.js';
import type { ClusterSpec, ClusterType, LiveState, Phase, PlanAction, TargetCapabilities } from '../../model.js';
import type { PreflightFinding, Target, TargetContext, TargetKind, WorkUnit } from '../target.js';
import { resolveSettings } from '../settings.js';
import { checkSnapshotSettings } from './settings.js';
import { describeAction } from '../../apply/labels.js';
import { lockSnapshot, readSnapshotFile, serializeSnapshot, writeFileAtomic, type Snapshot, type SnapshotLock } from './file.js';
import { applyAction, MutationRefused } from './mutate.js';

/** Plain Kafka semantics, used when a snapshot was not taken from a managed service. */
const PLAIN_KAFKA: TargetCapabilities = {
  dryRun: false,
  replicationFactorChange: false,
  principalsMustExist: false,
  managedConfigPrefixes: [],
};

/** Options of the snapshot target beyond the manifest's settings. */
export interface SnapshotOptions {
  /** How long apply waits for a concurrent apply to release the file. */
  lockWaitMs?: number;
}

/** Resolves the snapshot file of a `type: snapshot` cluster (`path` relative to the declaring file). */
export function snapshotPath(spec: ClusterSpec, env: Record<string, string | undefined>): string {
  const path = resolveSettings(spec, env, checkSnapshotSettings)['path'] as string;
  return isAbsolute(path) ? path : resolve(spec.baseDir, path);
}

/** A snapshot file opened as a cluster. */
export class SnapshotTarget implements Target {
  /** Always `snapshot`. */
  readonly kind = 'snapshot' as const;
  private lock: SnapshotLock | undefined;
  private dirty = false;

  /**
   * @param file absolute path of the snapshot
   * @param capabilities the rules of the kind the snapshot was taken from
   * @param state the file's content, mutated by apply
   * @param text the file's text when read, to notice a concurrent change before writing
   */
  constructor(
    readonly file: string,
    readonly capabilities: TargetCapabilities,
    private readonly state: Snapshot,
    private text: string,
    private readonly options: SnapshotOptions = {},
  ) {}

  /** The kind of cluster the snapshot was taken from. */
  get sourceType(): ClusterType {
    return this.state.source.type;
  }

  /** The current state: the file as read, plus whatever apply has done since. */
  async read(): Promise<LiveState> {
    const { formatVersion: _version, source: _source, ...live } = structuredClone(this.state);
    return live;
  }

  /**
   * Takes the file's lock (held until `close`), checks nobody changed the file since it was read,
   * and rehearses every action on a copy: what the copy refuses is a finding.
   */
  async preflight(actions: readonly PlanAction[], _live: LiveState): Promise<PreflightFinding[]> {
    await this.acquire();
    const rehearsal = structuredClone(this.state);
    const findings: PreflightFinding[] = [];
    for (const action of actions) {
      try {
        applyAction(rehearsal, action, this.capabilities);
      } catch (e) {
        if (!(e instanceof MutationRefused)) throw e;
        findings.push({ action, message: e.message });
      }
    }
    return findings;
  }

  /** One unit per action: each mutates the in-memory state. */
  units(phase: Phase, actions: readonly PlanAction[], _live: LiveState): WorkUnit[] {
    return actions
      .filter((a) => a.phase === phase)
      .map((action) => ({
        label: describeAction(action),
        actions: [action],
        run: async () => {
          await this.acquire();
          try {
            applyAction(this.state, action, this.capabilities);
          } catch (e) {
            if (e instanceof MutationRefused) throw new ConfigError(e.message);
            throw e;
          }
          this.dirty = true;
        },
      }));
  }

  /** Writes the file back when apply changed anything, then releases the lock. */
  async close(): Promise<void> {
    try {
      if (this.dirty) {
        const text = serializeSnapshot(this.state);
        await writeFileAtomic(this.file, text);
        this.text = text;
        this.dirty = false;
      }
    } finally {
      const lock = this.lock;
      this.lock = undefined;
      await lock?.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.lock) return;
    const lock = await lockSnapshot(this.file, this.options.lockWaitMs);
    try {
      const { text } = await readSnapshotFile(this.file);
      if (text !== this.text) {
        throw new PlanRefusedError(
          `snapshot ${this.file} changed since it was read (another apply?); nothing was changed, run the command again`,
        );
      }
    } catch (e) {
      await lock.release();
      throw e;
    }
    this.lock = lock;
  }
}

/** Opens a snapshot cluster: reads and validates its file now, so its source kind is known. */
export async function openSnapshot(
  spec: ClusterSpec,
  env: Record<string, string | undefined>,
  rulesOf: (type: ClusterType) => TargetCapabilities,
  options: SnapshotOptions = {},
): Promise<SnapshotTarget> {
  const file = snapshotPath(spec, env);
  const { snapshot, text } = await readSnapshotFile(file);
  const source = snapshot.source.type;
  // A snapshot may be written by hand with only the overrides: it is no catalog of record.
  const capabilities = source === 'snapshot' ? PLAIN_KAFKA : { ...rulesOf(source), dryRun: false, reportsAllTopicConfigs: false };
  return new SnapshotTarget(file, capabilities, snapshot, text, options);
}

/**
 * The snapshot kind of cluster: plain Kafka rules unless the file says where it came from, in
 * which case `capabilitiesOf` (the registry's, passed in so this module never imports it) gives
 * that kind's rules.
 */
export function snapshotKind(capabilitiesOf: (type: ClusterType) => TargetCapabilities): TargetKind {
  return {
    type: 'snapshot',
    capabilities: PLAIN_KAFKA,
    checkSettings: checkSnapshotSettings,
    async open(spec: ClusterSpec, env: Record<string, string | undefined>, _ctx: TargetContext): Promise<Target> {
      return openSnapshot(spec, env, capabilitiesOf);
    },
  };
}
