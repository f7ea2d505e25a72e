import type { AclBinding, DesiredAcl, PlanAction, PlanError, PlanResource, Scope } from '../model.js';
import { PHASES } from '../model.js';
import { bindingOf, compareAcls, sharedLeadingFields } from './order.js';
import { AclOwnership } from './ownership.js';
import { createPatch, deletePatch } from './patch.js';

/** A binding to plan; one from a role carries its name, which its create action repeats. */
type WantedAcl = AclBinding & Pick<DesiredAcl, 'role'>;

/** Inputs of the ACL half of the planner. */
export interface AclPlanInput {
  desired: readonly WantedAcl[];
  live: readonly AclBinding[];
  /** What the manifests own: which live bindings they may delete (see `ownership.ts`). */
  scope: Scope;
  /** Principals that exist on the cluster, when bindings must belong to existing principals. */
  existingPrincipals?: ReadonlySet<string>;
  /** `orderedAcls(desired).list` and `orderedAcls(live).list`, when the caller has them. */
  desiredSortedUnique?: readonly WantedAcl[];
  liveSortedUnique?: readonly AclBinding[];
}

/** The ACL half of a plan, each list in binding order. */
export interface AclPlan {
  creates: PlanAction[];
  deletes: PlanAction[];
  errors: PlanError[];
  unmanaged: PlanResource[];
}

/** Bindings sorted and without repeats, with what `sharedLeadingFields` says of them. */
export interface OrderedAcls<T extends AclBinding> {
  list: readonly T[];
  shared: Uint8Array;
}

/**
 * The bindings sorted and without repeats. Targets and the manifest loader hand over sorted lists,
 * so this is usually one linear check that returns the list itself; a big cluster's ACLs are then
 * compared by merging, with no key strings or hash maps.
 */
export function orderedAcls<T extends AclBinding>(bindings: readonly T[]): OrderedAcls<T> {
  const shared = sharedLeadingFields(bindings);
  if (shared !== undefined) return { list: bindings, shared };
  const list: T[] = [];
  for (const b of [...bindings].sort(compareAcls)) if (list.length === 0 || compareAcls(list[list.length - 1] as T, b) !== 0) list.push(b);
  return { list, shared: sharedLeadingFields(list) as Uint8Array };
}

/** The plan resource of a binding: its seven fields, nothing else (a desired one's source stays out). */
export function aclResource(binding: AclBinding): PlanResource {
  return { kind: 'acl', ...bindingOf(binding) };
}

/**
 * Diffs ACL bindings: one create (phase 4) per desired binding the cluster lacks, one delete
 * (phase 5) per live binding the manifests own (`ownership.ts`) but no longer want. Every other
 * live binding is listed as unmanaged and never touched.
 */
export function planAcls(input: AclPlanInput): AclPlan {
  const out: AclPlan = { creates: [], deletes: [], errors: [], unmanaged: [] };
  const desired = input.desiredSortedUnique ?? orderedAcls(input.desired).list;
  const live = input.liveSortedUnique ?? orderedAcls(input.live).list;
  const ownership = new AclOwnership(desired, input.scope);
  let d = 0;
  let l = 0;
  while (d < desired.length || l < live.length) {
    const want = desired[d];
    const have = live[l];
    const order = want === undefined ? 1 : have === undefined ? -1 : compareAcls(want, have);
    if (order === 0) {
      d++;
      l++;
    } else if (order < 0) {
      d++;
      planCreate(want as WantedAcl, input, out);
    } else {
      l++;
      // Every desired binding before `d` sorts before `have`, every one from `d` on after it.
      if (ownership.owns(have as AclBinding, d)) out.deletes.push(deleteAction(have as AclBinding));
      else out.unmanaged.push(aclResource(have as AclBinding));
    }
  }
  return out;
}

function planCreate(binding: WantedAcl, input: AclPlanInput, out: AclPlan): void {
  if (input.existingPrincipals && !input.existingPrincipals.has(binding.principal)) {
    out.errors.push({
      resource: aclResource(binding),
      reason: `principal ${binding.principal} does not exist on this cluster; create it before granting it access`,
    });
    return;
  }
  out.creates.push({
    phase: PHASES.createAcls,
    action: 'create',
    resource: aclResource(binding),
    changes: [],
    patch: createPatch({ ...bindingOf(binding) }),
    ...(binding.role === undefined ? {} : { role: binding.role }),
  });
}

function deleteAction(binding: AclBinding): PlanAction {
  return { phase: PHASES.deleteAcls, action: 'delete', resource: aclResource(binding), changes: [], patch: deletePatch() };
}
