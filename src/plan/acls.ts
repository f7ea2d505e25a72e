import type { AclBinding, PlanAction, PlanError, PlanResource } from '../model.js';
import { PHASES } from '../model.js';
import { aclKey, bindingOf } from './order.js';
import { createPatch, deletePatch } from './patch.js';

/** Inputs of the ACL half of the planner. */
export interface AclPlanInput {
  desired: readonly AclBinding[];
  live: readonly AclBinding[];
  /** Principals whose bindings the manifests own. */
  principals: ReadonlySet<string>;
  /** Principals that exist on the cluster, when bindings must belong to existing principals. */
  existingPrincipals?: ReadonlySet<string>;
}

/** The ACL half of a plan, unordered. */
export interface AclPlan {
  creates: PlanAction[];
  deletes: PlanAction[];
  errors: PlanError[];
  unmanaged: PlanResource[];
}

// Unordered: the planner sorts every list it returns once, at the end.
function unique(bindings: readonly AclBinding[]): Map<string, AclBinding> {
  const out = new Map<string, AclBinding>();
  for (const b of bindings) out.set(aclKey(b), bindingOf(b));
  return out;
}

function aclResource(binding: AclBinding): PlanResource {
  return { kind: 'acl', ...binding };
}

/**
 * Diffs ACL bindings: one create (phase 4) per desired binding the cluster lacks, one delete
 * (phase 5) per live binding of an owned principal the manifests no longer want. Bindings of other
 * principals are listed as unmanaged and never touched.
 */
export function planAcls(input: AclPlanInput): AclPlan {
  const out: AclPlan = { creates: [], deletes: [], errors: [], unmanaged: [] };
  const desired = unique(input.desired);
  const live = unique(input.live);
  for (const [key, binding] of desired) {
    if (live.has(key)) continue;
    if (input.existingPrincipals && !input.existingPrincipals.has(binding.principal)) {
      out.errors.push({
        resource: aclResource(binding),
        reason: `principal ${binding.principal} does not exist on this cluster; create it before granting it access`,
      });
      continue;
    }
    out.creates.push({
      phase: PHASES.createAcls,
      action: 'create',
      resource: aclResource(binding),
      changes: [],
      patch: createPatch({ ...binding }),
    });
  }
  for (const [key, binding] of live) {
    if (desired.has(key)) continue;
    if (!input.principals.has(binding.principal)) {
      out.unmanaged.push(aclResource(binding));
      continue;
    }
    out.deletes.push({ phase: PHASES.deleteAcls, action: 'delete', resource: aclResource(binding), changes: [], patch: deletePatch() });
  }
  return out;
}
