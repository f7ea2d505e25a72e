/**
 * `--target` selectors: a plan restricted to part of the estate, as Terraform's `-target`.
 *
 * A selector is `<kind>:<glob>`: `topic:orders.*` names topics, `acl:User:billing` names the ACL
 * bindings of principals. `*` matches any run of characters (none included), `?` one character;
 * everything else matches itself. A plan made with selectors is the full plan restricted to the
 * resources they match, so it never holds an action, a deletion above all, the full plan would
 * not hold, and never one on a resource outside them.
 *
 * Kafka ACL bindings name their resource by name or prefix and hold whether it exists or not, so
 * no resource kafkaform manages depends on another: a selector pulls in nothing it does not match
 * (Terraform adds a targeted resource's dependencies; here there are none to add).
 */
import { InternalError } from '../errors.js';
import type { PlanResource } from '../model.js';

/** The kinds a selector can name, in the order messages list them. */
export const SELECTOR_KINDS = ['topic', 'acl'] as const;
/** A kind of selector. */
export type SelectorKind = (typeof SELECTOR_KINDS)[number];

/** One parsed `--target`. */
export interface ResourceSelector {
  kind: SelectorKind;
  /** The glob after the kind. */
  glob: string;
  /** As written: `topic:orders.*`. */
  text: string;
  /** The glob as an anchored regular expression. */
  pattern: RegExp;
}

/** A selector, or the sentence saying why the text is not one. */
export type ParsedSelector = { ok: true; selector: ResourceSelector } | { ok: false; message: string };

function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\*?]/g, (ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : `\\${ch}`));
  return new RegExp(`^${body}$`, 's');
}

/** Parses `<kind>:<glob>`; the message of a failure is one sentence for the user. */
export function parseSelector(text: string): ParsedSelector {
  const colon = text.indexOf(':');
  const kinds = SELECTOR_KINDS.map((k) => `${k}:`).join(' or ');
  if (colon < 0) {
    return { ok: false, message: `"${text}" is not a selector: write ${kinds} followed by a name or a glob, e.g. topic:orders.* or acl:User:billing` };
  }
  const kind = text.slice(0, colon);
  const glob = text.slice(colon + 1);
  if (!(SELECTOR_KINDS as readonly string[]).includes(kind)) {
    const hint = kind === 'topics' ? ' (did you mean "topic"?)' : kind === 'acls' || kind === 'principal' ? ' (did you mean "acl"?)' : '';
    return { ok: false, message: `unknown selector kind "${kind}" in "${text}"${hint}; selectors start with ${kinds}` };
  }
  if (glob === '') return { ok: false, message: `"${text}" names nothing: write a name or a glob after "${kind}:"` };
  return { ok: true, selector: { kind: kind as SelectorKind, glob, text, pattern: globPattern(glob) } };
}

/**
 * Parses selectors checked already: the CLI parses each `--target` as it reads it, and a saved
 * plan's pass its schema. One that still fails is a bug.
 */
export function parseSelectors(texts: readonly string[]): ResourceSelector[] {
  return texts.map((text) => {
    const parsed = parseSelector(text);
    if (!parsed.ok) throw new InternalError(parsed.message);
    return parsed.selector;
  });
}

/** Selectors as a plan records them: sorted, without repeats. */
export function normalizeSelectors(texts: readonly string[]): string[] {
  return [...new Set(texts)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether `selector` matches `resource`. */
export function selects(selector: ResourceSelector, resource: PlanResource): boolean {
  if (resource.kind === 'topic') return selector.kind === 'topic' && selector.pattern.test(resource.name);
  return selector.kind === 'acl' && selector.pattern.test(resource.principal);
}

/** Whether any of `selectors` matches `resource`. */
export function selectsAny(selectors: readonly ResourceSelector[], resource: PlanResource): boolean {
  for (const s of selectors) if (selects(s, resource)) return true;
  return false;
}
