/** Manifests as YAML text: short lists on one line, and no character a terminal may interpret left raw. */
import { yamlLibrary } from '../manifest/yaml-library.js';
import type { WrittenManifest } from '../manifest/written.js';

/**
 * Characters a terminal may interpret (C0/C1 controls, DEL, bidi controls, line separators, BOM,
 * lone surrogates): a name or value from the server holding one must not reach the file, or the
 * terminal it is printed on, raw.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;
/** The ones the YAML library leaves raw even in double-quoted scalars. */
const YAML_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Lists written on one line: operations, a role's topics and groups, scope and config key prefixes. */
const FLOW_LISTS = new Set(['operations', 'topics', 'groups', 'transactionalIds', 'principals', 'ignoredPrefixes', 'vendorPrefixes']);

/** The YAML text of one manifest document, with `comment` lines above it. */
export function manifestYaml(manifest: WrittenManifest, comment: readonly string[] = []): string {
  const { Document, isScalar, isSeq, visit } = yamlLibrary();
  const doc = new Document(manifest);
  visit(doc, {
    Pair(_, pair) {
      // `topics` is a block list of topic mappings at the top level, a flow list of names elsewhere.
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && FLOW_LISTS.has(pair.key.value) && isSeq(pair.value)) {
        pair.value.flow = pair.value.items.every((item) => isScalar(item));
      }
    },
    Scalar(_, node) {
      if (typeof node.value === 'string' && TERMINAL_UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  if (comment.length > 0) doc.commentBefore = comment.map((line) => ` ${line}`).join('\n');
  // Every string holding such a character is double-quoted (above), where `\uXXXX` is a YAML
  // escape; the library escapes C0 itself but writes these raw.
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(YAML_RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
