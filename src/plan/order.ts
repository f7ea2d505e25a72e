import type { AclBinding, PlanResource } from '../model.js';

/**
 * Orders two strings by UTF-16 code units. Never locale-aware: the same input must give the same
 * bytes on every machine.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
export function aclKey(binding: AclBinding): string {
  return JSON.stringify(ACL_KEY_FIELDS.map((f) => binding[f]));
}

/** Orders bindings by principal, host, resource type, resource name, pattern, operation, permission. */
export function compareAcls(a: AclBinding, b: AclBinding): number {
  for (const f of ACL_KEY_FIELDS) {
    const c = compareStrings(a[f], b[f]);
    if (c !== 0) return c;
  }
  return 0;
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
