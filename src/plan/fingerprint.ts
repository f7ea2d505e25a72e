import { createHash } from 'node:crypto';
import type { LiveState } from '../model.js';
import { canonicalJson } from './canonical.js';
import { compareAcls, compareStrings } from './order.js';

/**
 * Identifies a live state: `sha256:` + hex digest of its canonical JSON. Lists are sorted first, so
 * a target that lists topics or ACLs in another order still yields the same fingerprint — a saved
 * plan is refused only when the cluster really changed.
 */
export function fingerprint(live: LiveState): string {
  const sorted: LiveState = {
    ...live,
    topics: [...live.topics].sort((a, b) => compareStrings(a.name, b.name)),
    acls: [...live.acls].sort(compareAcls),
    ...(live.principals ? { principals: [...live.principals].sort(compareStrings) } : {}),
  };
  return `sha256:${createHash('sha256').update(canonicalJson(sorted)).digest('hex')}`;
}
