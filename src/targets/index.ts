/**
 * The registry of cluster kinds: what each can do (offline), and how to open one.
 */
import type { ManifestProblem } from '../errors.js';
import type { ClusterSpec, ClusterType } from '../model.js';
import { writtenSettingProblems } from './settings.js';
import type { Target, TargetContext, TargetKind } from './target.js';
import { confluentKind } from './confluent/kind.js';
import { digitaloceanKind } from './digitalocean/index.js';
import { kafkaKind } from './kafka/kind.js';
import { SnapshotTarget, snapshotKind } from './snapshot/index.js';

/** Every kind of cluster, by the `type` a manifest gives it. */
export const TARGET_KINDS: Record<ClusterType, TargetKind> = {
  confluent: confluentKind,
  digitalocean: digitaloceanKind,
  kafka: kafkaKind,
  // Resolved when a snapshot is opened, by then the registry is complete.
  snapshot: snapshotKind((type) => TARGET_KINDS[type].capabilities),
};

/**
 * Offline checks of a declared cluster's settings as written (their `${VAR}` references
 * unresolved), each problem placed where the setting is written. For `loadManifests`.
 */
export function clusterSettingProblems(spec: ClusterSpec): ManifestProblem[] {
  return writtenSettingProblems(spec, TARGET_KINDS[spec.type].checkSettings);
}

/** Opens the cluster a manifest declares, resolving its `${VAR}` settings now. */
export async function openTarget(
  spec: ClusterSpec,
  env: Record<string, string | undefined>,
  ctx: TargetContext,
): Promise<Target> {
  return TARGET_KINDS[spec.type].open(spec, env, ctx);
}

/**
 * The kind whose rules (capabilities, desired-state adaptation) apply to an open target: its own,
 * or for a snapshot, the kind of cluster the snapshot was taken from.
 */
export function rulesOf(target: Target): TargetKind {
  if (target instanceof SnapshotTarget) return TARGET_KINDS[target.sourceType];
  return TARGET_KINDS[target.kind];
}
