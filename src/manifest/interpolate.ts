/**
 * `${VAR}` and `${VAR:-default}` from the environment. `$${` writes a literal `${`.
 * Secrets reach kafkaform only this way, so the functions here never echo a resolved value.
 */
import type { JsonValue } from '../model.js';
import { pointer } from './yaml.js';

/** The environment variables interpolation reads. */
export type Env = Record<string, string | undefined>;

/** A variable that is unset and has no default, and where it is used. */
export interface MissingVariable {
  name: string;
  /** JSON pointer of the string that uses it. */
  path: string;
}

/** A `${...}` that is not a valid reference, and where it is. */
export interface BadReference {
  text: string;
  path: string;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Result of interpolating one string. */
export interface InterpolatedString {
  value: string;
  missing: string[];
  bad: string[];
  /** Variables set to the empty string and used without a default. */
  empty: string[];
  /** True when the string contained at least one reference. */
  changed: boolean;
}

/** Replaces every reference in `text`; reports unset variables and malformed references. */
export function interpolateString(text: string, env: Env): InterpolatedString {
  const missing: string[] = [];
  const bad: string[] = [];
  const empty: string[] = [];
  let changed = false;
  const value = text.replace(REFERENCE, (whole: string, inner: string | undefined) => {
    changed = true;
    if (inner === undefined) return '${';
    const sep = inner.indexOf(':-');
    const name = sep === -1 ? inner : inner.slice(0, sep);
    if (!NAME.test(name)) {
      bad.push(whole);
      return whole;
    }
    const set = env[name];
    if (set === '' && sep === -1) empty.push(name);
    if (set !== undefined && !(sep !== -1 && set === '')) return set;
    if (sep !== -1) return inner.slice(sep + 2);
    missing.push(name);
    return '';
  });
  if (!changed && text.includes('${')) bad.push(text.slice(text.indexOf('${')));
  return { value, missing, bad, empty, changed };
}

/** A piece of a string as interpolation reads it: literal text, or a reference to a variable. */
export type TemplatePart = { literal: string } | { reference: string; fallback?: string };

/**
 * `text` split into literal text (with `$${` read as `${`) and references, for checking what is
 * known of a value before its variables are set. A malformed reference counts as a reference:
 * interpolation reports it when the value is used.
 */
export function templateParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let last = 0;
  for (const m of text.matchAll(REFERENCE)) {
    literal += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[1] === undefined) {
      literal += '${';
      continue;
    }
    if (literal !== '') parts.push({ literal });
    literal = '';
    const sep = m[1].indexOf(':-');
    parts.push(sep === -1 ? { reference: m[1] } : { reference: m[1].slice(0, sep), fallback: m[1].slice(sep + 2) });
  }
  literal += text.slice(last);
  if (literal !== '') parts.push({ literal });
  return parts;
}

/** Interpolation of a whole value, with every problem found. */
export interface InterpolatedValue {
  value: JsonValue;
  missing: MissingVariable[];
  bad: BadReference[];
  /** Variables set to the empty string and used without a default, and where. */
  empty: MissingVariable[];
  /** Pointers of strings that contained a reference (their type may need converting later). */
  interpolated: Set<string>;
}

/**
 * Interpolates every string in `value`; map keys stay as written. Results are strings. Parts
 * without a reference are returned as they are, not copied, and a pointer is only built for a
 * string that holds one: manifests are mostly plain data.
 */
export function interpolateValue(value: JsonValue, env: Env, path: string): InterpolatedValue {
  const missing: MissingVariable[] = [];
  const bad: BadReference[] = [];
  const empty: MissingVariable[] = [];
  const interpolated = new Set<string>();
  const segments: (string | number)[] = [];
  const here = (): string => segments.reduce<string>((p, s) => pointer(p, s), path);
  const go = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') {
      if (!v.includes('$')) return v;
      const r = interpolateString(v, env);
      if (r.missing.length > 0 || r.bad.length > 0 || r.empty.length > 0 || r.changed) {
        const p = here();
        for (const name of r.missing) missing.push({ name, path: p });
        for (const text of r.bad) bad.push({ text, path: p });
        for (const name of r.empty) empty.push({ name, path: p });
        if (r.changed) interpolated.add(p);
      }
      return r.value;
    }
    if (Array.isArray(v)) {
      let out: JsonValue[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item = v[i] as JsonValue;
        segments.push(i);
        const next = go(item);
        segments.pop();
        if (next !== item) (out ??= v.slice())[i] = next;
      }
      return out ?? v;
    }
    if (v !== null && typeof v === 'object') {
      let out: Record<string, JsonValue> | undefined;
      for (const k in v) {
        const item = v[k] as JsonValue;
        segments.push(k);
        const next = go(item);
        segments.pop();
        if (next !== item) (out ??= { ...v })[k] = next;
      }
      return out ?? v;
    }
    return v;
  };
  return { value: go(value), missing, bad, empty, interpolated };
}
