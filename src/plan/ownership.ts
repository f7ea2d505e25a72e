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
import { compareStrings } from './order.js';

function inside(binding: AclBinding, prefixes: readonly string[]): boolean {
  if (binding.permission !== 'ALLOW') return false;
  // A LITERAL `*` is every resource of its type, inside no prefix.
  if (binding.patternType === 'LITERAL' && binding.resourceName === '*') return false;
  // Both a LITERAL name and a PREFIXED pattern are inside exactly when they start with the prefix.
  for (const p of prefixes) if (binding.resourceName.startsWith(p)) return true;
  return false;
}

/** Orders bindings by the resource rule 2c compares, as `compareAcls` does after the host. */
function compareResource(a: AclBinding, b: AclBinding): number {
  return compareStrings(a.resourceType, b.resourceType) || compareStrings(a.resourceName, b.resourceName) || compareStrings(a.patternType, b.patternType);
}

/**
 * Answers "do the manifests own this live binding?" for the bindings of a sorted walk (see the
 * module comment for the rule). Built once per plan; besides the scope it keeps only where the
 * declared bindings of the principal the walk is in start and end, and allocates nothing per binding.
 */
export class AclOwnership {
  readonly #scope: Scope;
  readonly #whole: ReadonlySet<string>;
  readonly #desired: readonly AclBinding[];
  /** The principal whose declared bindings `#hostRuns` splits. */
  #runsOf: string | undefined;
  /**
   * Where that principal's declared bindings start, where each change of host starts a new run,
   * and where they end: inside a run they are sorted by resource, so rule 2c is a binary search.
   */
  #hostRuns: number[] = [];

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

  /** Rule 2c. The walk visits principals in order, so each principal's runs are found once. */
  #declared(binding: AclBinding, next: number): boolean {
    const desired = this.#desired;
    if (this.#runsOf !== binding.principal) {
      let first = next;
      while (first > 0 && (desired[first - 1] as AclBinding).principal === binding.principal) first--;
      const runs = [first];
      let i = first + 1;
      for (; i < desired.length && (desired[i] as AclBinding).principal === binding.principal; i++) {
        if ((desired[i] as AclBinding).host !== (desired[i - 1] as AclBinding).host) runs.push(i);
      }
      runs.push(i);
      this.#hostRuns = runs;
      this.#runsOf = binding.principal;
    }
    const runs = this.#hostRuns;
    for (let r = 0; r + 1 < runs.length; r++) {
      // The first binding of the run on this resource or after it.
      let lo = runs[r] as number;
      let hi = runs[r + 1] as number;
      const end = hi;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareResource(desired[mid] as AclBinding, binding) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (; lo < end && compareResource(desired[lo] as AclBinding, binding) === 0; lo++) {
        if ((desired[lo] as AclBinding).permission === binding.permission) return true;
      }
    }
    return false;
  }
}
