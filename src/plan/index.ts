/**
 * The planner: a pure function from desired and live state to an ordered, deterministic plan,
 * plus the fingerprint that ties a saved plan to the live state it was computed from.
 */
import {
  PLAN_FORMAT_VERSION,
  type DesiredState,
  type LiveState,
  type Plan,
  type PlanAction,
  type PlanError,
  type PlanResource,
  type TargetCapabilities,
} from '../model.js';
import { aclResource, orderedAcls, planAcls, type AclPlan } from './acls.js';
import { byName, planTopics } from './topics.js';
import { compareResources, compareStrings } from './order.js';
import { fingerprintOf } from './fingerprint.js';
import { desiredDigest } from './digest.js';
import { DEFAULT_MAX_ACL_DELETES } from './defaults.js';
import { normalizeSelectors, parseSelectors, selectsAny, type ResourceSelector } from './select.js';

export { fingerprint } from './fingerprint.js';
export { desiredDigest } from './digest.js';
export { REDACTED, isInternalTopic } from './topics.js';
export { aclKey, compareAcls, compareResources } from './order.js';

export { DEFAULT_MAX_ACL_DELETES };

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
  /**
   * `--target` selectors (`topic:orders.*`, `acl:User:billing`, see `select.ts`): the plan keeps
   * only what concerns the resources they match. Empty or absent: the whole plan.
   */
  targets?: readonly string[];
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
  // The lists are put in order once, for the diff, the fingerprint and the digest alike.
  const liveTopics = byName(live.topics);
  const liveAcls = orderedAcls(live.acls);
  const desiredTopics = byName(desired.topics);
  const wantedAcls = orderedAcls(desired.acls);
  const topics = planTopics({
    desired: desiredTopics,
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
    desiredSortedUnique: wantedAcls.list,
    liveSortedUnique: liveAcls.list,
    scope: desired.scope,
    // A target whose bindings hang off existing principals always reports them; none reported
    // means none exist, as the cluster itself would answer.
    ...(capabilities.principalsMustExist ? { existingPrincipals: new Set(live.principals ?? []) } : {}),
  });

  const targets = normalizeSelectors(options.targets ?? []);
  const selectors = parseSelectors(targets);
  // A targeted plan is the whole plan restricted to its targets: everything below is filtered
  // before it is counted, so the deletion limit and the summary see only what will run.
  const keep = <T extends { resource?: PlanResource }>(list: T[]): T[] =>
    selectors.length === 0 ? list : list.filter((x) => x.resource === undefined || selectsAny(selectors, x.resource));
  const kept = (r: PlanResource): boolean => selectors.length === 0 || selectsAny(selectors, r);
  const aclDeletes = keep(acls.deletes);

  const errors: PlanError[] = keep([...topics.errors, ...acls.errors]);
  const desiredAcls = selectors.length === 0 ? desired.acls : desired.acls.filter((a) => kept(aclResource(a)));
  if (live.aclsUnavailable !== undefined && desiredAcls.length > 0) {
    errors.push({
      reason: `${live.aclsUnavailable}: the ${desiredAcls.length} ACL binding(s) in the manifests cannot be applied to it`,
    });
  }
  if (aclDeletes.length > maxAclDeletes) {
    errors.push({
      reason: `the plan deletes ${aclDeletes.length} ACL bindings, more than the limit of ${maxAclDeletes}; check the scope, or raise the limit with --max-acl-deletes ${aclDeletes.length}`,
    });
  }
  const warnings = keep(topics.warnings).map((w) => w.message);
  for (const s of selectors) if (!matchesAnything(s, desired, live)) warnings.push(`--target ${s.text} matches nothing in the manifests or on the cluster`);

  const actions = keep([...topics.actions, ...acls.creates, ...aclDeletes]).sort(
    (a, b) => a.phase - b.phase || compareResources(a.resource, b.resource),
  );
  errors.sort(compareErrors);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    cluster: { name: options.cluster.name, type: options.cluster.type },
    options: { allowDelete: options.allowDelete === true, maxAclDeletes, ...(targets.length > 0 ? { targets } : {}) },
    // Unique bindings that are the list itself are the list sorted, as both hashes take it.
    desiredDigest: desiredDigest(desired, options.ignoreConfigPrefixes ?? [], {
      topics: desiredTopics,
      ...(wantedAcls.list === desired.acls ? { acls: wantedAcls } : {}),
    }),
    fingerprint: fingerprintOf(live, { topics: liveTopics, ...(liveAcls.list === live.acls ? { acls: liveAcls } : {}) }),
    summary: { ...summarize(actions), errors: errors.length },
    actions,
    errors,
    heldBack: keep(topics.heldBack).sort((a, b) => compareResources(a.resource, b.resource)),
    unmanaged: [...topics.unmanaged, ...acls.unmanaged].filter(kept).sort(compareResources),
    warnings,
  };
}

/** Whether a selector names any resource of the manifests or the cluster (else the user mistyped it). */
function matchesAnything(selector: ResourceSelector, desired: DesiredState, live: LiveState): boolean {
  if (selector.kind === 'topic') {
    return desired.topics.some((t) => selector.pattern.test(t.name)) || live.topics.some((t) => selector.pattern.test(t.name));
  }
  return desired.acls.some((a) => selector.pattern.test(a.principal)) || live.acls.some((a) => selector.pattern.test(a.principal));
}
