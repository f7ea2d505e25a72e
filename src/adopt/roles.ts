/**
 * ACL bindings written back the way people write them: as role entries where a role's expansion
 * matches bindings exactly, the rest as explicit entries (one per resource, its operations listed).
 *
 * Nothing here knows what a role grants. Each role of `ACL_ROLES` is probed through `expandAcl`,
 * the function manifests are expanded with, to learn which bindings it gives for one topic, for
 * one group and regardless of either; a role whose bindings depend on anything else (a role taking
 * other parameters: a transactional producer's ids, a Streams application's id) is left out, and
 * its bindings stay explicit (or go to a plainer role that gives the same ones). Every role entry
 * proposed must pass the manifest schema, and is expanded again and kept only when that expansion
 * is a set of live bindings not yet written: the manifest then declares each live binding exactly
 * once, whatever the roles grant.
 */
import type { AclBinding, AclOperation, JsonValue, PatternType, ResourceType, SourceLocation } from '../model.js';
import { bindingKey, compareBindings, expandAcl } from '../manifest/acls.js';
import { rolePattern } from '../manifest/roles.js';
import { checkSchema } from '../manifest/schema.js';
import { ACL_ROLES, type AclRole, type WrittenAcl, type WrittenAclBinding, type WrittenAclRole } from '../manifest/written.js';
import { compareStrings } from '../plan/order.js';

const NOWHERE: SourceLocation = { file: '', line: 0, column: 0, path: '' };
const PROBE_PRINCIPAL = 'User:kafkaform-probe';
const PROBE_TOPIC = 'kafkaform-probe-topic';
const PROBE_GROUP = 'kafkaform-probe-group';

/** One binding a role gives for a resource it names, relative to that resource. */
interface Grant {
  resourceType: ResourceType;
  operation: AclOperation;
}

/** What a role expands to, learned by probing. */
interface RoleShape {
  role: AclRole;
  /** Bindings the role gives whatever it names (principal, host and permission aside). */
  fixed: Omit<AclBinding, 'principal' | 'host' | 'permission'>[];
  /** What it gives on each topic it names; empty when it ignores topics. */
  perTopic: Grant[];
  /** What it gives on each group it names. */
  perGroup: Grant[];
}

function expand(entry: WrittenAclRole): AclBinding[] {
  return expandAcl(entry, '', () => NOWHERE);
}

/** The grants on `name` that `with` adds to `base`; undefined when it adds anything else. */
function addedGrants(base: readonly AclBinding[], withName: readonly AclBinding[], name: string): Grant[] | undefined {
  const known = new Set(base.map(bindingKey));
  const grants: Grant[] = [];
  for (const b of withName) {
    if (known.has(bindingKey(b))) continue;
    if (b.resourceName !== name || b.patternType !== 'LITERAL') return undefined;
    grants.push({ resourceType: b.resourceType, operation: b.operation });
  }
  return grants;
}

/** Probes `role`; undefined when its expansion depends on more than topics and groups. */
function shapeOf(role: AclRole): RoleShape | undefined {
  const entry = (extra: Partial<WrittenAclRole>): WrittenAclRole => ({ principal: PROBE_PRINCIPAL, role, ...extra });
  const base = expand(entry({}));
  const withTopic = expand(entry({ topics: [PROBE_TOPIC] }));
  const withGroup = expand(entry({ groups: [PROBE_GROUP] }));
  const perTopic = addedGrants(base, withTopic, PROBE_TOPIC);
  const perGroup = addedGrants(base, withGroup, PROBE_GROUP);
  if (!perTopic || !perGroup || (perTopic.length === 0 && perGroup.length === 0)) return undefined;
  if (base.some((b) => b.principal !== PROBE_PRINCIPAL || b.host !== '*' || b.permission !== 'ALLOW')) return undefined;
  return {
    role,
    fixed: base.map(({ resourceType, resourceName, patternType, operation }) => ({ resourceType, resourceName, patternType, operation })),
    perTopic,
    perGroup,
  };
}

let shapes: RoleShape[] | undefined;

/**
 * The roles that can be grouped, those granting the most per resource first, then in table order:
 * of two roles that give the same bindings for topics and groups (`producer`, and
 * `idempotent-producer` without its cluster flag), the plainer one, listed first, is written.
 */
function roleShapes(): RoleShape[] {
  const size = (s: RoleShape): number => s.perTopic.length + s.perGroup.length;
  shapes ??= ACL_ROLES.flatMap((role) => shapeOf(role) ?? []).sort(
    (a, b) => size(b) - size(a) || ACL_ROLES.indexOf(a.role) - ACL_ROLES.indexOf(b.role),
  );
  return shapes;
}

/** Whether the manifest schema accepts `entry` (a role may require parameters besides topics and groups). */
function acceptable(entry: WrittenAclRole): boolean {
  return checkSchema({ apiVersion: 'kafkaform/v1', acls: [entry] } as unknown as JsonValue, () => NOWHERE).length === 0;
}

/** How a role entry names a resource (`orders.*` for PREFIXED `orders.`), when it can. */
export function roleName(resourceName: string, patternType: PatternType): string | undefined {
  const name = patternType === 'PREFIXED' ? `${resourceName}*` : resourceName;
  const back = rolePattern(name);
  return back.resourceName === resourceName && back.patternType === patternType ? name : undefined;
}

/** The live bindings of one principal, host and permission not written yet, by key. */
class Pool {
  readonly #left = new Map<string, AclBinding>();

  constructor(bindings: readonly AclBinding[]) {
    for (const b of bindings) this.#left.set(bindingKey(b), b);
  }

  has(b: AclBinding): boolean {
    return this.#left.has(bindingKey(b));
  }

  /** Takes `bindings` when every one of them is left and none repeats; false (taking nothing) otherwise. */
  take(bindings: readonly AclBinding[]): boolean {
    const keys = bindings.map(bindingKey);
    if (new Set(keys).size !== keys.length || keys.some((k) => !this.#left.has(k))) return false;
    for (const k of keys) this.#left.delete(k);
    return true;
  }

  get left(): AclBinding[] {
    return [...this.#left.values()];
  }
}

/** The resources (name, pattern) of `pool`'s bindings on which every one of `grants` is left. */
function covered(pool: Pool, resources: readonly AclBinding[], grants: readonly Grant[], who: Pick<AclBinding, 'principal' | 'host' | 'permission'>): string[] {
  if (grants.length === 0) return [];
  const names = new Set<string>();
  for (const r of resources) {
    const name = roleName(r.resourceName, r.patternType);
    if (name === undefined || names.has(name)) continue;
    const all = grants.every((g) => pool.has({ ...who, resourceType: g.resourceType, resourceName: r.resourceName, patternType: r.patternType, operation: g.operation }));
    if (all) names.add(name);
  }
  return [...names].sort(compareStrings);
}

/** Role entries for the bindings of one principal, host and permission, taken from `pool`. */
function roleEntries(pool: Pool, who: Pick<AclBinding, 'principal' | 'host' | 'permission'>): WrittenAclRole[] {
  const out: WrittenAclRole[] = [];
  for (const shape of roleShapes()) {
    const left = pool.left;
    const fixed = shape.fixed.map((f) => ({ ...who, ...f }));
    if (!fixed.every((b) => pool.has(b))) continue;
    const topics = covered(pool, left, shape.perTopic, who);
    const groups = covered(pool, left, shape.perGroup, who);
    if (topics.length === 0 && groups.length === 0) continue;
    const entry: WrittenAclRole = {
      principal: who.principal,
      role: shape.role,
      ...(topics.length > 0 ? { topics } : {}),
      ...(groups.length > 0 ? { groups } : {}),
      ...(who.host === '*' ? {} : { host: who.host }),
      ...(who.permission === 'ALLOW' ? {} : { permission: who.permission }),
    };
    if (!acceptable(entry)) continue;
    if (pool.take(expand(entry))) out.push(entry);
  }
  return out;
}

/** Explicit entries: one per resource, with its operations. */
function explicitEntries(bindings: readonly AclBinding[]): WrittenAclBinding[] {
  const groups = new Map<string, { binding: AclBinding; operations: AclOperation[] }>();
  for (const acl of [...bindings].sort(compareBindings)) {
    const key = JSON.stringify([acl.principal, acl.host, acl.resourceType, acl.resourceName, acl.patternType, acl.permission]);
    const group = groups.get(key);
    if (group) group.operations.push(acl.operation);
    else groups.set(key, { binding: acl, operations: [acl.operation] });
  }
  return [...groups.values()].map(({ binding, operations }) => ({
    principal: binding.principal,
    resourceType: binding.resourceType,
    resourceName: binding.resourceName,
    ...(binding.patternType === 'LITERAL' ? {} : { patternType: binding.patternType }),
    operations: operations.sort(compareStrings),
    ...(binding.host === '*' ? {} : { host: binding.host }),
    ...(binding.permission === 'ALLOW' ? {} : { permission: binding.permission }),
  }));
}

/**
 * ACL entries declaring exactly `bindings`, each once: role entries where a role matches, explicit
 * entries for the rest. Sorted by principal, each principal's role entries first.
 */
export function aclEntries(bindings: readonly AclBinding[]): WrittenAcl[] {
  const byWho = new Map<string, AclBinding[]>();
  for (const b of [...bindings].sort(compareBindings)) {
    const key = JSON.stringify([b.principal, b.host, b.permission]);
    const list = byWho.get(key);
    if (list) list.push(b);
    else byWho.set(key, [b]);
  }
  const roles: WrittenAclRole[] = [];
  const explicit: WrittenAclBinding[] = [];
  const who = (list: AclBinding[]): AclBinding => list[0] as AclBinding;
  const lists = [...byWho.values()].sort(
    (a, b) => compareStrings(who(a).principal, who(b).principal) || compareStrings(who(a).host, who(b).host) || compareStrings(who(a).permission, who(b).permission),
  );
  for (const list of lists) {
    const { principal, host, permission } = who(list);
    const pool = new Pool(list);
    roles.push(...roleEntries(pool, { principal, host, permission }));
    explicit.push(...explicitEntries(pool.left));
  }
  // Stable: within a principal, role entries keep their order, then explicit ones theirs.
  return [...roles, ...explicit].sort((a, b) => compareStrings(a.principal, b.principal) || Number('role' in b) - Number('role' in a));
}
