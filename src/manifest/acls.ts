/**
 * ACL entries → bindings: explicit entries give one binding per operation; role entries expand
 * through the role table (`roles.ts`).
 */
import type { AclBinding, AclOperation, DesiredAcl, SourceLocation } from '../model.js';
import { expandRole } from './roles.js';
import type { WrittenAcl, WrittenAclBinding, WrittenAclRole } from './written.js';
import { pointer } from './yaml.js';

/** True for role entries. */
export function isRole(entry: WrittenAcl): entry is WrittenAclRole {
  return 'role' in entry;
}

/**
 * The bindings one entry at `path` stands for, each with the location of the list item that
 * produced it (an operation, a topic, a group, a role parameter), so duplicates point at the exact
 * item. Bindings from a role carry the role's name.
 */
export function expandAcl(
  entry: WrittenAcl,
  path: string,
  locate: (path: string) => SourceLocation,
): DesiredAcl[] {
  if (isRole(entry)) {
    // Field by field rather than rest and spread: a role entry can stand for thousands of bindings.
    return expandRole(entry).map((b) => ({
      principal: b.principal,
      host: b.host,
      resourceType: b.resourceType,
      resourceName: b.resourceName,
      patternType: b.patternType,
      operation: b.operation,
      permission: b.permission,
      role: entry.role,
      source: locate(`${path}${b.path}`),
    }));
  }
  const e: WrittenAclBinding = entry;
  const host = e.host ?? '*';
  const permission = e.permission ?? 'ALLOW';
  const operations = pointer(path, 'operations');
  const out: DesiredAcl[] = [];
  for (let i = 0; i < e.operations.length; i++) {
    out.push({
      principal: e.principal,
      host,
      resourceType: e.resourceType,
      resourceName: e.resourceName,
      patternType: e.patternType ?? 'LITERAL',
      operation: e.operations[i] as AclOperation,
      permission,
      source: new ItemLocation(locate, operations, i),
    });
  }
  return out;
}

/**
 * Where item `index` of the list at `list` is written, its path and place made only when read:
 * an explicit entry stands for one binding per operation, generated manifests hold tens of
 * thousands, and few of them ever appear in a message.
 */
class ItemLocation implements SourceLocation {
  #place: SourceLocation | undefined;

  constructor(
    private readonly locate: (path: string) => SourceLocation,
    private readonly list: string,
    private readonly index: number,
  ) {}

  get path(): string {
    return pointer(this.list, this.index);
  }

  get file(): string {
    return this.#at().file;
  }

  get line(): number {
    return this.#at().line;
  }

  get column(): number {
    return this.#at().column;
  }

  #at(): SourceLocation {
    return (this.#place ??= this.locate(this.path));
  }
}

/**
 * The seven identifying fields of a binding, as a string equal exactly for equal bindings. The
 * free-text fields are length-prefixed and the others are names without a space, so no two
 * bindings share a key (cheaper than JSON, which a big manifest pays for on every binding).
 */
export function bindingKey(b: AclBinding): string {
  return `${b.principal.length} ${b.principal}${b.host.length} ${b.host}${b.resourceName.length} ${b.resourceName}${b.resourceType} ${b.patternType} ${b.operation} ${b.permission}`;
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
