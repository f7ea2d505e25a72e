/**
 * Which live ACL bindings the manifests own, and may therefore delete when they no longer declare
 * them. Two repositories sharing a cluster, even granting the same principal, must never delete
 * each other's bindings, so naming a principal claims only its access to what the manifests own.
 *
 * A live binding is owned when
 *
 * 1. its principal is in `scope.principals`: every binding of that principal, cluster-wide; or
 * 2. the manifests name its principal (grant it anything) and
 *    a. it is an ALLOW binding on a TOPIC, GROUP or TRANSACTIONAL_ID resource inside a prefix of
 *       `scope.topics`, `scope.groups` or `scope.transactionalIds`: a LITERAL name or a PREFIXED
 *       pattern that starts with the prefix. A PREFIXED pattern wider than the prefix, and the
 *       wildcard `*`, reach resources outside it and are not inside;
 *    b. it is an ALLOW binding on the CLUSTER resource and `scope.cluster` is true; or
 *    c. the manifests grant that principal the same permission on the same resource (type,
 *       pattern type and name) of type TOPIC, GROUP or TRANSACTIONAL_ID, whatever the operation.
 *       Never CLUSTER: there is one cluster resource and every team grants on it.
 *
 * The host never matters: it narrows where access is used from, not what it is on. Nothing else is
 * owned — DENY bindings under a prefix scope (lifting a DENY grants access, so only 1 or 2c remove
 * one), DELEGATION_TOKEN bindings, other principals' bindings: they are listed as unmanaged.
 */
import type { AclBinding, Scope } from '../model.js';

function inside(binding: AclBinding, prefixes: readonly string[]): boolean {
  if (binding.permission !== 'ALLOW') return false;
  // A LITERAL `*` is every resource of its type, inside no prefix.
  if (binding.patternType === 'LITERAL' && binding.resourceName === '*') return false;
  // Both a LITERAL name and a PREFIXED pattern are inside exactly when they start with the prefix.
  for (const p of prefixes) if (binding.resourceName.startsWith(p)) return true;
  return false;
}

/**
 * The principal-free part of a binding that rule 2c compares. Only the name is free text and it
 * comes last, so the NUL-joined form is unambiguous; a NUL in another field (only a hostile server
 * sends one) switches to JSON, which has no raw NUL, so the two forms never collide.
 */
function resourceKey(b: AclBinding): string {
  if (b.resourceType.includes('\u0000') || b.patternType.includes('\u0000') || b.permission.includes('\u0000')) {
    return JSON.stringify([b.resourceType, b.patternType, b.permission, b.resourceName]);
  }
  return `${b.resourceType}\u0000${b.patternType}\u0000${b.permission}\u0000${b.resourceName}`;
}

/**
 * Answers "do the manifests own this live binding?" for the bindings of a sorted walk (see the
 * module comment for the rule). Built once per plan; it keeps no per-binding state beyond the
 * declared resources of the principal the walk is in.
 */
export class AclOwnership {
  readonly #scope: Scope;
  readonly #whole: ReadonlySet<string>;
  readonly #desired: readonly AclBinding[];
  /** The principal whose declared resources `#resources` holds. */
  #resourcesOf: string | undefined;
  #resources = new Set<string>();

  /** `desired` sorted and without repeats, as the ACL diff walks it. */
  constructor(desired: readonly AclBinding[], scope: Scope) {
    this.#desired = desired;
    this.#scope = scope;
    this.#whole = new Set(scope.principals);
  }

  /**
   * Whether the manifests own `binding`, a live binding they do not declare. `next` is its place
   * in the sorted desired list: every desired binding before `next` sorts before it, every one from
   * `next` on after it. The desired bindings of its principal therefore sit on both sides of
   * `next`, and a principal is named exactly when one of the two neighbours has it.
   */
  owns(binding: AclBinding, next: number): boolean {
    const { principal } = binding;
    if (this.#whole.has(principal)) return true;
    if (this.#desired[next - 1]?.principal !== principal && this.#desired[next]?.principal !== principal) return false;
    switch (binding.resourceType) {
      case 'TOPIC':
        return inside(binding, this.#scope.topicPrefixes) || this.#declared(binding, next);
      case 'GROUP':
        return inside(binding, this.#scope.groupPrefixes) || this.#declared(binding, next);
      case 'TRANSACTIONAL_ID':
        return inside(binding, this.#scope.transactionalIdPrefixes) || this.#declared(binding, next);
      case 'CLUSTER':
        return this.#scope.cluster && binding.permission === 'ALLOW';
      default:
        return false;
    }
  }

  /** Rule 2c. The walk visits principals in order, so each principal's resources are gathered once. */
  #declared(binding: AclBinding, next: number): boolean {
    const { principal } = binding;
    if (this.#resourcesOf !== principal) {
      const resources = new Set<string>();
      for (let i = next - 1; i >= 0 && (this.#desired[i] as AclBinding).principal === principal; i--) {
        resources.add(resourceKey(this.#desired[i] as AclBinding));
      }
      for (let i = next; i < this.#desired.length && (this.#desired[i] as AclBinding).principal === principal; i++) {
        resources.add(resourceKey(this.#desired[i] as AclBinding));
      }
      this.#resources = resources;
      this.#resourcesOf = principal;
    }
    return this.#resources.has(resourceKey(binding));
  }
}
