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

/**
 * For bindings strictly in `compareAcls` order (sorted, no repeats): how many leading fields of
 * `ACL_KEY_FIELDS` each shares with the binding before it (0 for the first); undefined when they
 * are not in that order. One pass answers both the planner's "already sorted and unique?" and
 * what the fingerprint and digest encodings write, so neither compares the bindings again.
 */
export function sharedLeadingFields(bindings: readonly AclBinding[]): Uint8Array | undefined {
  const shared = new Uint8Array(bindings.length);
  for (let i = 1; i < bindings.length; i++) {
    const prev = bindings[i - 1] as AclBinding;
    const b = bindings[i] as AclBinding;
    // Spelled out like `compareAcls`: `!==` finds the first differing field, `<` its order.
    let same = 0;
    let less: boolean;
    if (prev.principal !== b.principal) {
      less = prev.principal < b.principal;
    } else if (prev.host !== b.host) {
      same = 1;
      less = prev.host < b.host;
    } else if (prev.resourceType !== b.resourceType) {
      same = 2;
      less = prev.resourceType < b.resourceType;
    } else if (prev.resourceName !== b.resourceName) {
      same = 3;
      less = prev.resourceName < b.resourceName;
    } else if (prev.patternType !== b.patternType) {
      same = 4;
      less = prev.patternType < b.patternType;
    } else if (prev.operation !== b.operation) {
      same = 5;
      less = prev.operation < b.operation;
    } else if (prev.permission !== b.permission) {
      same = 6;
      less = prev.permission < b.permission;
    } else {
      return undefined;
    }
    if (!less) return undefined;
    shared[i] = same;
  }
  return shared;
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
