/**
 * Name prefixes of adopted resources: what a folder of adopted manifests owns (`scope`) and how
 * `--split-by-prefix` files topics.
 */
import { compareStrings } from '../plan/order.js';

const SEPARATORS = '._-';

/**
 * A name's prefix: up to and including its first `.`, `_` or `-` after the first character
 * (`orders.created.v1` → `orders.`), or the whole name when it has none.
 */
export function namePrefix(name: string): string {
  for (let i = 1; i < name.length; i++) if (SEPARATORS.includes(name[i] as string)) return name.slice(0, i + 1);
  return name;
}

/** The distinct prefixes of `names`, sorted. */
export function prefixesOf(names: Iterable<string>): string[] {
  return [...new Set([...names].map(namePrefix))].sort(compareStrings);
}

/** A file name stem for a prefix: without its trailing separator, only characters safe in a file name. */
export function fileStem(prefix: string): string {
  const bare = SEPARATORS.includes(prefix.slice(-1)) && prefix.length > 1 ? prefix.slice(0, -1) : prefix;
  return bare.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}
