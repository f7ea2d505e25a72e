/**
 * The README's rule for which live ACL bindings the manifests own ("Who owns an ACL binding"),
 * written as plainly as it reads there, for the properties to check the planner against.
 *
 * Deliberately apart from `src/plan/ownership.ts`, which answers the same question inside a sorted
 * walk without scanning the desired list: this one scans it every time, and spells out what a
 * PREFIXED pattern covers instead of relying on `startsWith` doing the right thing for both
 * pattern types.
 */
import type { AclBinding, DesiredState, ResourceType } from '../../src/model.js';

/** True when every resource name `b` reaches starts with `prefix`. */
function reachesOnlyInside(b: AclBinding, prefix: string): boolean {
  if (b.patternType === 'LITERAL') return b.resourceName !== '*' && b.resourceName.startsWith(prefix);
  // A PREFIXED pattern reaches every name that starts with it: all of them start with `prefix`
  // exactly when the pattern itself is at least as long and agrees with the prefix on its length.
  return b.resourceName.length >= prefix.length && b.resourceName.slice(0, prefix.length) === prefix;
}

function prefixesFor(desired: DesiredState, type: ResourceType): readonly string[] {
  if (type === 'TOPIC') return desired.scope.topicPrefixes;
  if (type === 'GROUP') return desired.scope.groupPrefixes;
  if (type === 'TRANSACTIONAL_ID') return desired.scope.transactionalIdPrefixes;
  return [];
}

/** Whether the manifests behind `desired` own the live binding `b` (may delete it when undeclared). */
export function ownedByManifests(desired: DesiredState, b: AclBinding): boolean {
  if (desired.scope.principals.includes(b.principal)) return true;
  const granted = desired.acls.filter((a) => a.principal === b.principal);
  if (granted.length === 0) return false;
  if (b.resourceType === 'CLUSTER') return desired.scope.cluster && b.permission === 'ALLOW';
  if (b.resourceType === 'DELEGATION_TOKEN') return false;
  if (b.permission === 'ALLOW' && prefixesFor(desired, b.resourceType).some((p) => reachesOnlyInside(b, p))) return true;
  return granted.some(
    (a) => a.resourceType === b.resourceType && a.patternType === b.patternType && a.resourceName === b.resourceName && a.permission === b.permission,
  );
}
