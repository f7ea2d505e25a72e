/**
 * ACL entries → bindings: explicit entries give one binding per operation; role entries expand
 * to the bundles in the briefing (consumer, producer, admin).
 */
import type { AclBinding, AclOperation, DesiredAcl, PatternType, ResourceType, SourceLocation } from '../model.js';
import type { WrittenAcl, WrittenAclBinding, WrittenAclRole, AclRole } from './written.js';
import { pointer } from './yaml.js';

/** What each role grants, per resource type. */
export const ROLE_OPERATIONS: Record<AclRole, { topic: readonly AclOperation[]; group: readonly AclOperation[] }> = {
  consumer: { topic: ['READ', 'DESCRIBE'], group: ['READ'] },
  producer: { topic: ['WRITE', 'DESCRIBE'], group: [] },
  admin: { topic: ['ALL'], group: ['ALL'] },
};

/** `orders.*` → PREFIXED `orders.`; `*` alone → LITERAL `*` (every resource); else LITERAL. */
export function rolePattern(name: string): { resourceName: string; patternType: PatternType } {
  if (name !== '*' && name.endsWith('*')) return { resourceName: name.slice(0, -1), patternType: 'PREFIXED' };
  return { resourceName: name, patternType: 'LITERAL' };
}

/** True for role entries. */
export function isRole(entry: WrittenAcl): entry is WrittenAclRole {
  return 'role' in entry;
}

/**
 * The bindings one entry at `path` stands for, each with the location of the list item that
 * produced it (an operation, a topic or a group), so duplicates point at the exact item.
 */
export function expandAcl(
  entry: WrittenAcl,
  path: string,
  locate: (path: string) => SourceLocation,
): DesiredAcl[] {
  const host = entry.host ?? '*';
  const permission = entry.permission ?? 'ALLOW';
  if (!isRole(entry)) {
    const e: WrittenAclBinding = entry;
    return e.operations.map((operation, i) => ({
      principal: e.principal,
      host,
      resourceType: e.resourceType,
      resourceName: e.resourceName,
      patternType: e.patternType ?? 'LITERAL',
      operation,
      permission,
      source: locate(pointer(pointer(path, 'operations'), i)),
    }));
  }
  const out: DesiredAcl[] = [];
  const ops = ROLE_OPERATIONS[entry.role];
  const add = (list: string[] | undefined, field: 'topics' | 'groups', type: ResourceType, operations: readonly AclOperation[]): void => {
    (list ?? []).forEach((name, i) => {
      const source = locate(pointer(pointer(path, field), i));
      for (const operation of operations) {
        out.push({ principal: entry.principal, host, resourceType: type, ...rolePattern(name), operation, permission, source });
      }
    });
  };
  add(entry.topics, 'topics', 'TOPIC', ops.topic);
  add(entry.groups, 'groups', 'GROUP', ops.group);
  return out;
}

/** The seven identifying fields of a binding, as a string equal exactly for equal bindings. */
export function bindingKey(b: AclBinding): string {
  return JSON.stringify([b.principal, b.host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission]);
}

/** Orders bindings by principal, host, resource type, name, pattern, operation, permission. */
export function compareBindings(a: AclBinding, b: AclBinding): number {
  return (
    cmp(a.principal, b.principal) ||
    cmp(a.host, b.host) ||
    cmp(a.resourceType, b.resourceType) ||
    cmp(a.resourceName, b.resourceName) ||
    cmp(a.patternType, b.patternType) ||
    cmp(a.operation, b.operation) ||
    cmp(a.permission, b.permission)
  );
}

function cmp(x: string, y: string): number {
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A binding in one line, for messages. */
export function describeBinding(b: AclBinding): string {
  return `${b.permission} ${b.operation} for ${b.principal} on ${b.resourceType} ${b.patternType} "${b.resourceName}" from host ${b.host}`;
}
