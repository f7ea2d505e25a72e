import jsonpatch from 'fast-json-patch';
import type { JsonValue, PatchOperation } from '../model.js';
import { compareStrings } from './order.js';

/**
 * RFC 6902 operations turning `from` into `to`, sorted by path. The views handed in only ever
 * differ in disjoint leaves, so sorting never changes what the patch does — it only makes the
 * order independent of the diff library's traversal.
 */
export function diffViews(from: { [key: string]: JsonValue }, to: { [key: string]: JsonValue }): PatchOperation[] {
  return jsonpatch
    .compare(from, to)
    .map((op): PatchOperation => {
      if (op.op === 'remove') return { op: 'remove', path: op.path };
      if (op.op === 'add' || op.op === 'replace') return { op: op.op, path: op.path, value: op.value as JsonValue };
      throw new Error(`unexpected JSON patch operation ${op.op} from compare`);
    })
    .sort((a, b) => compareStrings(a.path, b.path));
}

/** The patch that brings a resource into existence. */
export function createPatch(view: JsonValue): PatchOperation[] {
  return [{ op: 'add', path: '', value: view }];
}

/** The patch that removes a resource. */
export function deletePatch(): PatchOperation[] {
  return [{ op: 'remove', path: '' }];
}
