/**
 * The planner: a pure function from desired and live state to an ordered, deterministic plan,
 * plus the fingerprint that ties a saved plan to the live state it was computed from.
 */
import { PLAN_FORMAT_VERSION, type Plan, type PlanAction, type PlanError, type DesiredState, type LiveState, type TargetCapabilities } from '../model.js';
import { planAcls, sortedUnique, type AclPlan } from './acls.js';
import { byName, planTopics } from './topics.js';
import { compareResources, compareStrings } from './order.js';
import { fingerprintOf } from './fingerprint.js';
import { desiredDigest } from './digest.js';

export { fingerprint } from './fingerprint.js';
export { desiredDigest } from './digest.js';
export { REDACTED, isInternalTopic } from './topics.js';
export { aclKey, compareAcls, compareResources } from './order.js';

/** The ACL-deletion limit when none is given: large enough for routine revocations. */
export const DEFAULT_MAX_ACL_DELETES = 50;

/** How to plan: which cluster, what it can do, and what the user allowed. */
export interface PlanOptions {
  cluster: { name: string; type: string };
  capabilities: TargetCapabilities;
  /** Topic deletions in scope become actions instead of being held back (`--allow-delete`). */
  allowDelete?: boolean;
  /** A plan deleting more ACL bindings than this has an error (`--max-acl-deletes`). */
  maxAclDeletes?: number;
  /**
   * Config key prefixes ignored unless the manifest names the key; merged with the target's
   * `managedConfigPrefixes`.
   */
  ignoreConfigPrefixes?: string[];
}

/**
 * Distinct resources per kind of action: a topic updated in phases 2 and 3 counts once; each ACL
 * binding has exactly one action.
 */
function summarize(actions: readonly PlanAction[]): { create: number; update: number; delete: number } {
  const topics = { create: new Set<string>(), update: new Set<string>(), delete: new Set<string>() };
  const acls = { create: 0, update: 0, delete: 0 };
  for (const a of actions) {
    if (a.resource.kind === 'topic') topics[a.action].add(a.resource.name);
    else acls[a.action]++;
  }
  return {
    create: topics.create.size + acls.create,
    update: topics.update.size + acls.update,
    delete: topics.delete.size + acls.delete,
  };
}

function compareErrors(a: PlanError, b: PlanError): number {
  // Plan-wide errors (no resource) come first: they concern everything below them.
  if (a.resource === undefined || b.resource === undefined) {
    if (a.resource !== b.resource) return a.resource === undefined ? -1 : 1;
  } else {
    const c = compareResources(a.resource, b.resource);
    if (c !== 0) return c;
  }
  return compareStrings(a.reason, b.reason);
}

/**
 * Computes the plan that brings `live` to `desired`. Pure: no I/O, no clock, no randomness; the
 * same inputs give the same plan, whatever order their lists come in. Actions run in phase order
 * (see `PHASES`), sorted by resource inside a phase.
 */
export function plan(desired: DesiredState, live: LiveState, options: PlanOptions): Plan {
  const { capabilities } = options;
  const maxAclDeletes = options.maxAclDeletes ?? DEFAULT_MAX_ACL_DELETES;
  // The live lists are put in order once, for the diff and the fingerprint alike.
  const liveTopics = byName(live.topics);
  const liveAcls = sortedUnique(live.acls);
  const topics = planTopics({
    desired: desired.topics,
    live: live.topics,
    liveSorted: liveTopics,
    topicPrefixes: desired.scope.topicPrefixes,
    allowDelete: options.allowDelete === true,
    ignoredConfigPrefixes: [...(options.ignoreConfigPrefixes ?? []), ...capabilities.managedConfigPrefixes],
    capabilities,
    clusterName: options.cluster.name,
  });
  // A cluster that cannot have ACLs has none to delete, and none can be created on it.
  const noAcls: AclPlan = { creates: [], deletes: [], errors: [], unmanaged: [] };
  const acls = live.aclsUnavailable !== undefined ? noAcls : planAcls({
    desired: desired.acls,
    live: live.acls,
    liveSortedUnique: liveAcls,
    scope: desired.scope,
    // A target whose bindings hang off existing principals always reports them; none reported
    // means none exist, as the cluster itself would answer.
    ...(capabilities.principalsMustExist ? { existingPrincipals: new Set(live.principals ?? []) } : {}),
  });

  const errors: PlanError[] = [...topics.errors, ...acls.errors];
  if (live.aclsUnavailable !== undefined && desired.acls.length > 0) {
    errors.push({
      reason: `${live.aclsUnavailable}: the ${desired.acls.length} ACL binding(s) in the manifests cannot be applied to it`,
    });
  }
  if (acls.deletes.length > maxAclDeletes) {
    errors.push({
      reason: `the plan deletes ${acls.deletes.length} ACL bindings, more than the limit of ${maxAclDeletes}; check the scope, or raise the limit with --max-acl-deletes ${acls.deletes.length}`,
    });
  }

  const actions = [...topics.actions, ...acls.creates, ...acls.deletes].sort(
    (a, b) => a.phase - b.phase || compareResources(a.resource, b.resource),
  );
  errors.sort(compareErrors);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    cluster: { name: options.cluster.name, type: options.cluster.type },
    options: { allowDelete: options.allowDelete === true, maxAclDeletes },
    desiredDigest: desiredDigest(desired, options.ignoreConfigPrefixes ?? []),
    // Unique bindings that are the list itself are the list sorted, as the fingerprint takes it.
    fingerprint: fingerprintOf(live, { topics: liveTopics, ...(liveAcls === live.acls ? { acls: liveAcls } : {}) }),
    summary: { ...summarize(actions), errors: errors.length },
    actions,
    errors,
    heldBack: topics.heldBack.sort((a, b) => compareResources(a.resource, b.resource)),
    unmanaged: [...topics.unmanaged, ...acls.unmanaged].sort(compareResources),
    warnings: topics.warnings,
  };
}
