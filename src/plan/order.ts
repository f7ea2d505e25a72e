import type { AclBinding, PlanResource } from '../model.js';

/**
 * Orders two strings by UTF-16 code units. Never locale-aware: the same input must give the same
 * bytes on every machine.
 */
export function compareStrings(a: string, b: string): number {
  // `===` first: equal names are usually the same interned string, compared by identity.
  return a === b ? 0 : a < b ? -1 : 1;
}

/** The seven fields that identify a binding, in the order bindings sort by. */
export const ACL_KEY_FIELDS = [
  'principal',
  'host',
  'resourceType',
  'resourceName',
  'patternType',
  'operation',
  'permission',
] as const satisfies readonly (keyof AclBinding)[];

/** A string that is equal for two bindings exactly when they are the same binding. */
export function aclKey(b: AclBinding): string {
  // NUL-joined (cheap, and it runs for every binding of a big cluster) unless a field holds a NUL
  // itself — only a hostile server would send one — then the JSON of the fields. A NUL-joined key
  // has exactly six NULs and a JSON key none, so the two forms never collide.
  if (ACL_KEY_FIELDS.some((f) => b[f].includes('\u0000'))) return JSON.stringify(ACL_KEY_FIELDS.map((f) => b[f]));
  return `${b.principal}\u0000${b.host}\u0000${b.resourceType}\u0000${b.resourceName}\u0000${b.patternType}\u0000${b.operation}\u0000${b.permission}`;
}

/** Orders bindings by principal, host, resource type, resource name, pattern, operation, permission. */
export function compareAcls(a: AclBinding, b: AclBinding): number {
  // Spelled out (the order of ACL_KEY_FIELDS): it runs millions of times on a big cluster.
  return (
    compareStrings(a.principal, b.principal) ||
    compareStrings(a.host, b.host) ||
    compareStrings(a.resourceType, b.resourceType) ||
    compareStrings(a.resourceName, b.resourceName) ||
    compareStrings(a.patternType, b.patternType) ||
    compareStrings(a.operation, b.operation) ||
    compareStrings(a.permission, b.permission)
  );
}

/** Orders plan resources: topics (by name) before ACL bindings (by binding). */
export function compareResources(a: PlanResource, b: PlanResource): number {
  if (a.kind === 'topic' && b.kind === 'topic') return compareStrings(a.name, b.name);
  if (a.kind === 'acl' && b.kind === 'acl') return compareAcls(a, b);
  return a.kind === 'topic' ? -1 : 1;
}

/** Copies only the binding fields, so extra properties (e.g. a manifest source) never leak into a plan. */
export function bindingOf(acl: AclBinding): AclBinding {
  return {
    principal: acl.principal,
    host: acl.host,
    resourceType: acl.resourceType,
    resourceName: acl.resourceName,
    patternType: acl.patternType,
    operation: acl.operation,
    permission: acl.permission,
  };
}
