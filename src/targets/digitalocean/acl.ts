/**
 * DigitalOcean's ACL model ↔ Kafka ACL bindings.
 *
 * DigitalOcean grants access per database user: a list of `{topic, permission}` where `topic` is a
 * pattern and `permission` one of four bundles. In Kafka's terms (see the briefing's role table):
 *
 * | permission     | TOPIC operations        |
 * |----------------|-------------------------|
 * | consume        | READ, DESCRIBE          |
 * | produce        | WRITE, DESCRIBE         |
 * | produceconsume | READ, WRITE, DESCRIBE   |
 * | admin          | ALL                     |
 *
 * Patterns: `orders` is LITERAL `orders`, `orders.*` is PREFIXED `orders.`, `*` is LITERAL `*`
 * (every topic). The OpenAPI text calls the field "a regex" (example `topic-abc.*`); kafkaform
 * follows the documented kafkaform rule (a trailing `*` means a prefix), which reads that example
 * as the prefix `topic-abc.`.
 *
 * Consumer groups: DigitalOcean has no group ACLs; a user allowed to consume a topic may use any
 * consumer group. So GROUP READ bindings (the `consumer` role's `groups`) and GROUP ALL (the
 * `admin` role's) are implied by a consume-capable (resp. admin) topic permission of the same
 * principal: they are dropped from the desired state with a warning saying they are not enforced,
 * and an error when the principal has no such permission to imply them. A cluster that matches the
 * manifest therefore plans as no change.
 */
import type { AclBinding, AclOperation, DesiredAcl, DesiredState, PatternType } from '../../model.js';
import type { ManifestProblem } from '../../errors.js';

/** DigitalOcean's permission bundles. */
export const DO_PERMISSIONS = ['admin', 'consume', 'produce', 'produceconsume'] as const;
/** One DigitalOcean permission bundle. */
export type DoPermission = (typeof DO_PERMISSIONS)[number];

/** One entry of a user's `settings.acl` (the server-computed `id` is not part of our model). */
export interface DoAcl {
  topic: string;
  permission: DoPermission;
}

/** The TOPIC operations each permission grants. */
export const PERMISSION_OPERATIONS: Readonly<Record<DoPermission, readonly AclOperation[]>> = {
  admin: ['ALL'],
  consume: ['DESCRIBE', 'READ'],
  produce: ['DESCRIBE', 'WRITE'],
  produceconsume: ['DESCRIBE', 'READ', 'WRITE'],
};

const TOPIC_OPERATIONS: ReadonlySet<AclOperation> = new Set(['ALL', 'DESCRIBE', 'READ', 'WRITE']);
const CONSUMING: ReadonlySet<DoPermission> = new Set(['admin', 'consume', 'produceconsume']);
const USER_PREFIX = 'User:';

/**
 * The permission whose operations are exactly `ops`, where ALL absorbs every other operation
 * (admin already grants them). Undefined when no permission matches.
 */
export function permissionFor(ops: Iterable<AclOperation>): DoPermission | undefined {
  const set = new Set(ops);
  if (set.has('ALL')) return 'admin';
  const key = [...set].sort().join('+');
  return (Object.keys(PERMISSION_OPERATIONS) as DoPermission[]).find(
    (p) => p !== 'admin' && PERMISSION_OPERATIONS[p].join('+') === key,
  );
}

/** A DigitalOcean topic pattern → Kafka resource name and pattern type. */
export function patternToResource(topic: string): { resourceName: string; patternType: PatternType } {
  if (topic !== '*' && topic.endsWith('*')) return { resourceName: topic.slice(0, -1), patternType: 'PREFIXED' };
  return { resourceName: topic, patternType: 'LITERAL' };
}

/** A Kafka resource name and pattern type → DigitalOcean's topic pattern. */
export function resourceToPattern(resourceName: string, patternType: PatternType): string {
  return patternType === 'PREFIXED' ? `${resourceName}*` : resourceName;
}

/** `User:alice` → `alice`; undefined for other principal types. */
export function userOfPrincipal(principal: string): string | undefined {
  if (!principal.startsWith(USER_PREFIX)) return undefined;
  const name = principal.slice(USER_PREFIX.length);
  return name === '' ? undefined : name;
}

/** A database user's name → its Kafka principal. */
export function principalOfUser(user: string): string {
  return `${USER_PREFIX}${user}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KEY_FIELDS = ['principal', 'host', 'resourceType', 'resourceName', 'patternType', 'operation', 'permission'] as const;

/** Orders bindings field by field, as the live state requires. */
export function compareBindings(a: AclBinding, b: AclBinding): number {
  for (const f of KEY_FIELDS) {
    const c = compareText(a[f], b[f]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Identity of a binding (all seven fields). */
export function bindingKey(b: AclBinding): string {
  return JSON.stringify(KEY_FIELDS.map((f) => b[f]));
}

function topicBinding(principal: string, resourceName: string, patternType: PatternType, operation: AclOperation): AclBinding {
  return { principal, host: '*', resourceType: 'TOPIC', resourceName, patternType, operation, permission: 'ALLOW' };
}

/**
 * A user's `settings.acl` → the Kafka bindings it grants, deduplicated and sorted. Several entries
 * on one pattern (DigitalOcean allows it) grant the union of their operations, with ALL absorbing
 * the rest. Entries with a permission outside the four are skipped and reported through `unknown`.
 */
export function userAclsToBindings(user: string, acls: readonly { topic: string; permission: string }[]): {
  bindings: AclBinding[];
  unknown: string[];
} {
  const principal = principalOfUser(user);
  const byPattern = new Map<string, Set<AclOperation>>();
  const unknown: string[] = [];
  for (const acl of acls) {
    if (!(DO_PERMISSIONS as readonly string[]).includes(acl.permission)) {
      unknown.push(`${acl.permission} on ${acl.topic}`);
      continue;
    }
    const ops = byPattern.get(acl.topic) ?? new Set<AclOperation>();
    for (const op of PERMISSION_OPERATIONS[acl.permission as DoPermission]) ops.add(op);
    byPattern.set(acl.topic, ops);
  }
  const bindings: AclBinding[] = [];
  for (const [topic, ops] of byPattern) {
    const { resourceName, patternType } = patternToResource(topic);
    const effective = ops.has('ALL') ? ['ALL' as const] : [...ops];
    for (const op of effective) bindings.push(topicBinding(principal, resourceName, patternType, op));
  }
  return { bindings: bindings.sort(compareBindings), unknown: unknown.sort() };
}

/**
 * One user's bindings → the `settings.acl` that grants exactly them, one entry per pattern, sorted.
 * Throws when a pattern's operations match no permission: `adaptDesired` rejects such manifests,
 * so reaching this means a plan that was not adapted.
 */
export function bindingsToUserAcls(bindings: readonly AclBinding[]): DoAcl[] {
  const byPattern = new Map<string, Set<AclOperation>>();
  for (const b of bindings) {
    if (b.resourceType !== 'TOPIC' || b.host !== '*' || b.permission !== 'ALLOW') {
      throw new Error(`DigitalOcean cannot express ${describeBinding(b)}`);
    }
    const topic = resourceToPattern(b.resourceName, b.patternType);
    const ops = byPattern.get(topic) ?? new Set<AclOperation>();
    ops.add(b.operation);
    byPattern.set(topic, ops);
  }
  const out: DoAcl[] = [];
  for (const [topic, ops] of byPattern) {
    const permission = permissionFor(ops);
    if (!permission) throw new Error(`DigitalOcean has no permission granting exactly ${[...ops].sort().join(', ')} on ${topic}`);
    out.push({ topic, permission });
  }
  return out.sort((a, b) => compareText(a.topic, b.topic) || compareText(a.permission, b.permission));
}

/** One line naming a binding, for messages. */
export function describeBinding(b: AclBinding): string {
  const host = b.host === '*' ? '' : ` from host ${b.host}`;
  return `${b.permission} ${b.resourceType} ${b.operation} on ${b.resourceName} (${b.patternType}) for ${b.principal}${host}`;
}

function problem(acl: DesiredAcl, severity: ManifestProblem['severity'], message: string): ManifestProblem {
  return { severity, message, file: acl.source.file, line: acl.source.line, column: acl.source.column, path: acl.source.path };
}

const PERMISSIONS_TEXT =
  'DigitalOcean grants consume (TOPIC READ+DESCRIBE), produce (WRITE+DESCRIBE), produceconsume (READ+WRITE+DESCRIBE) or admin (ALL)';

/**
 * Rewrites the desired ACLs into what DigitalOcean expresses (see the module comment) and reports
 * every binding it cannot express, at the place it was declared. Topics and scope pass through.
 */
export function adaptDesiredAcls(desired: DesiredState): { desired: DesiredState; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const topicGroups = new Map<string, DesiredAcl[]>();
  const groupBindings: DesiredAcl[] = [];

  for (const acl of desired.acls) {
    // A role's binding says which role asked for it: the user wrote the role, not the binding.
    const what = acl.role === undefined ? describeBinding(acl) : `${describeBinding(acl)} (from role ${acl.role})`;
    if (userOfPrincipal(acl.principal) === undefined) {
      problems.push(problem(acl, 'error', `DigitalOcean cannot express ${what}: its ACLs belong to database users, written User:<name>.`));
    } else if (acl.permission !== 'ALLOW') {
      problems.push(problem(acl, 'error', `DigitalOcean cannot express ${what}: it has no DENY permissions.`));
    } else if (acl.host !== '*') {
      problems.push(problem(acl, 'error', `DigitalOcean cannot express ${what}: its permissions apply from any host.`));
    } else if (acl.resourceType === 'GROUP') {
      groupBindings.push(acl);
    } else if (acl.resourceType !== 'TOPIC') {
      problems.push(problem(acl, 'error', `DigitalOcean cannot express ${what}: it grants permissions on topics only.`));
    } else if (!TOPIC_OPERATIONS.has(acl.operation)) {
      problems.push(problem(acl, 'error', `DigitalOcean cannot express ${what}: ${PERMISSIONS_TEXT}.`));
    } else {
      const key = JSON.stringify([acl.principal, acl.resourceName, acl.patternType]);
      const group = topicGroups.get(key);
      if (group) group.push(acl);
      else topicGroups.set(key, [acl]);
    }
  }

  const adapted: DesiredAcl[] = [];
  const permissionsOf = new Map<string, Set<DoPermission>>();
  for (const group of topicGroups.values()) {
    const first = group[0] as DesiredAcl;
    const ops = new Set(group.map((a) => a.operation));
    const permission = permissionFor(ops);
    if (!permission) {
      const listed = [...ops].sort().join('+');
      problems.push(
        problem(
          first,
          'error',
          `DigitalOcean cannot express TOPIC ${listed} on ${first.resourceName} (${first.patternType}) for ${first.principal}: ${PERMISSIONS_TEXT}.`,
        ),
      );
      continue;
    }
    const held = permissionsOf.get(first.principal) ?? new Set<DoPermission>();
    held.add(permission);
    permissionsOf.set(first.principal, held);
    for (const op of PERMISSION_OPERATIONS[permission]) {
      const declared = group.find((a) => a.operation === op) ?? first;
      const binding = { ...topicBinding(first.principal, first.resourceName, first.patternType, op), source: declared.source };
      adapted.push(declared.role === undefined ? binding : { ...binding, role: declared.role });
    }
  }

  for (const acl of groupBindings) {
    const held = permissionsOf.get(acl.principal) ?? new Set<DoPermission>();
    const what = describeBinding(acl);
    if (acl.operation === 'READ' && [...held].some((p) => CONSUMING.has(p))) {
      problems.push(
        problem(acl, 'warning', `${what} is not enforced on DigitalOcean: it has no consumer-group ACLs, and the user's consume permission allows every group.`),
      );
    } else if (acl.operation === 'ALL' && held.has('admin')) {
      problems.push(
        problem(acl, 'warning', `${what} is not enforced on DigitalOcean: it has no consumer-group ACLs, and the user's admin permission allows every group.`),
      );
    } else if (acl.operation === 'READ' || acl.operation === 'ALL') {
      const needed = acl.operation === 'READ' ? 'a consume, produceconsume or admin' : 'an admin';
      problems.push(
        problem(acl, 'error', `DigitalOcean cannot express ${what}: it has no consumer-group ACLs; group access comes with ${needed} permission on a topic, which ${acl.principal} lacks.`),
      );
    } else {
      problems.push(problem(acl, 'error', `DigitalOcean cannot express ${what}: it has no consumer-group ACLs.`));
    }
  }

  return { desired: { ...desired, acls: adapted.sort(compareBindings) }, problems };
}
