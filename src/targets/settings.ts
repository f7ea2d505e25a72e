/**
 * Cluster connection settings. The manifest schema gives each kind's settings their shape (keys,
 * types, enums: one definition per kind); each kind's `settings.ts` adds what a schema cannot say
 * in one check function, run twice: offline on the settings as written, where a `${VAR}` hides
 * part of a value and only its literal parts are checked (every command, `validate` included,
 * reports these with file and line), and on the resolved values when the cluster is used.
 */
import { ConfigError, type ManifestProblem, type Severity } from '../errors.js';
import type { RetryOptions } from '../http/index.js';
import type { ClusterSpec, JsonValue, SourceLocation } from '../model.js';
import { resolveClusterSettings, type Env } from '../manifest/index.js';
import { templateParts, type TemplatePart } from '../manifest/interpolate.js';

type Raw = Readonly<Record<string, JsonValue>>;

/** A problem with one setting: its JSON pointer below the cluster (`/auth/password`) and a sentence. */
export interface SettingFinding {
  severity: Severity;
  path: string;
  message: string;
}

/**
 * `written`: as in the manifest, `${VAR}` unresolved (the schema has checked the shape);
 * `resolved`: the values the cluster is opened with.
 */
export type SettingsStage = 'written' | 'resolved';

/** What is known of a string setting: its literal text around any `${VAR}` references. */
export class SettingText {
  private constructor(private readonly parts: readonly TemplatePart[]) {}

  /** A value as written (references unresolved) or as resolved (all literal). */
  static of(value: string, stage: SettingsStage): SettingText {
    return new SettingText(stage === 'written' ? templateParts(value) : value === '' ? [] : [{ literal: value }]);
  }

  /** The whole value, when it holds no reference. */
  get literal(): string | undefined {
    if (this.parts.some((p) => 'reference' in p)) return undefined;
    return this.parts.map((p) => ('literal' in p ? p.literal : '')).join('');
  }

  /** Literal text before the first reference. */
  get head(): string {
    const first = this.parts[0];
    return first && 'literal' in first ? first.literal : '';
  }

  /** Literal text after the last reference. */
  get tail(): string {
    const last = this.parts[this.parts.length - 1];
    return last && 'literal' in last ? last.literal : '';
  }

  /**
   * The value cut at every `separator` in its literal text (a reference's default is not cut: it
   * stands for one value), empty pieces dropped; what is known of each piece.
   */
  split(separator: string): SettingText[] {
    const pieces: TemplatePart[][] = [[]];
    for (const part of this.parts) {
      if ('reference' in part) {
        pieces[pieces.length - 1]?.push(part);
        continue;
      }
      part.literal.split(separator).forEach((literal, i) => {
        if (i > 0) pieces.push([]);
        if (literal !== '') pieces[pieces.length - 1]?.push({ literal });
      });
    }
    return pieces.filter((p) => p.length > 0).map((p) => new SettingText(p));
  }

  /** Every piece of literal text, including references' defaults (`${TOKEN:-abc}`). */
  get literalPieces(): string[] {
    return this.parts.map((p) => ('literal' in p ? p.literal : (p.fallback ?? ''))).filter((t) => t !== '');
  }
}

/** The value at a JSON pointer below the settings, undefined when absent or null. */
export function settingValue(settings: Raw, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = settings as JsonValue;
  for (const key of path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    node = node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
  }
  return node === null ? undefined : node;
}

const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A URL's scheme, host, port and path without trailing slashes: what a base URL setting holds. */
export function baseOf(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The dotted name of a setting for messages: `/auth/password` → `auth.password`. */
export function settingName(path: string): string {
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/**
 * Collects the findings of one cluster's settings. Messages name settings, never quote values:
 * any of them may be a secret.
 */
export class SettingsChecker {
  /** What was found, in the order checked. */
  readonly findings: SettingFinding[] = [];

  constructor(
    /** The settings (every key but `type`). */
    readonly settings: Raw,
    readonly stage: SettingsStage,
  ) {}

  /** Adds an error at `path`. */
  error(path: string, message: string): void {
    this.findings.push({ severity: 'error', path, message });
  }

  /** Adds a warning at `path`. */
  warning(path: string, message: string): void {
    this.findings.push({ severity: 'warning', path, message });
  }

  /** The value at a pointer, undefined when absent or null. */
  value(path: string): JsonValue | undefined {
    return settingValue(this.settings, path);
  }

  /** A string setting; a missing required one, a wrong type or an empty string is an error. */
  text(path: string, required: boolean): SettingText | undefined {
    const v = this.value(path);
    if (v === undefined) {
      if (required) this.error(path, `${settingName(path)} is required`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '') {
      this.error(path, `${settingName(path)} must be a non-empty string`);
      return undefined;
    }
    return SettingText.of(v, this.stage);
  }

  /**
   * A setting written as one string or a list of strings, each entry with its own pointer (a list
   * item's is `path/i`); wrong types are errors. Undefined when absent.
   */
  texts(path: string): { path: string; text: SettingText }[] | undefined {
    const v = this.value(path);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v === '' ? [] : [{ path, text: SettingText.of(v, this.stage) }];
    if (!Array.isArray(v)) {
      this.error(path, `${settingName(path)} must be a string or a list of strings`);
      return undefined;
    }
    const entries: { path: string; text: SettingText }[] = [];
    v.forEach((item, i) => {
      const at = `${path}/${i}`;
      if (typeof item === 'string' && item !== '') entries.push({ path: at, text: SettingText.of(item, this.stage) });
      else this.error(at, `${settingName(path)} entries must be non-empty strings`);
    });
    return entries;
  }

  /**
   * One of a fixed set of words. A `${VAR}` reference passes as written; the resolved value is
   * checked when the cluster is used. Returns the word when it is literal and valid.
   */
  oneOf<T extends string>(path: string, words: readonly T[], required: boolean): T | undefined {
    const text = this.text(path, required);
    const literal = text?.literal;
    if (text === undefined || (literal === undefined && this.stage === 'written')) return undefined;
    if (literal !== undefined && (words as readonly string[]).includes(literal)) return literal as T;
    this.error(path, `${settingName(path)} must be one of ${words.join(', ')}`);
    return undefined;
  }

  /** A mapping setting (`auth`, `retry`); absent is fine. */
  mapping(path: string): boolean {
    const v = this.value(path);
    if (v === undefined) return false;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.error(path, `${settingName(path)} must be a mapping`);
      return false;
    }
    return true;
  }

  /** A whole number of at least `min`: a number, digits, or digits around `${VAR}` references. */
  integer(path: string, min: number): void {
    const v = this.value(path);
    if (v === undefined) return;
    const problem = `${settingName(path)} must be a whole number of at least ${min}`;
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < min) this.error(path, problem);
      return;
    }
    if (typeof v !== 'string') return this.error(path, problem);
    const text = SettingText.of(v, this.stage);
    const literal = text.literal;
    if (literal !== undefined ? !/^\d+$/.test(literal) || Number(literal) < min : !/^\d*$/.test(text.head) || !/^\d*$/.test(text.tail)) {
      this.error(path, problem);
    }
  }

  /** `true` or `false`, as a boolean, its spelling, or a `${VAR}` reference. */
  boolean(path: string): void {
    const v = this.value(path);
    if (v === undefined || typeof v === 'boolean') return;
    const text = typeof v === 'string' ? SettingText.of(v, this.stage) : undefined;
    const literal = text?.literal;
    const ok = text !== undefined && (literal === undefined ? text.head === '' && text.tail === '' : literal === 'true' || literal === 'false');
    if (!ok) this.error(path, `${settingName(path)} must be true or false`);
  }

  /**
   * A credential: written literally in a manifest, it ends up in the repository and its history,
   * so anything but a `${VAR}` reference without a default is a warning (never quoting it).
   */
  secret(path: string): void {
    const v = this.value(path);
    if (this.stage !== 'written' || typeof v !== 'string') return;
    if (SettingText.of(v, 'written').literalPieces.length === 0) return;
    this.warning(path, `${settingName(path)} is a credential written in the manifest; read it from the environment instead: "\${VARIABLE}"`);
  }

  /**
   * An http(s) base URL. What is literal is checked: the scheme (https://, or http:// with a
   * warning unless the host is a loopback address), no credentials in it (they belong in
   * `credentialsHint`). Returns the text, and the URL when the value is wholly literal; `complete`
   * turns a URL into the one the user probably meant, for "did you mean".
   */
  url(
    path: string,
    options: { required: boolean; credentialsHint: string; complete?: (url: URL) => string },
  ): { text: SettingText; url?: URL } | undefined {
    const text = this.text(path, options.required);
    if (!text) return undefined;
    const name = settingName(path);
    const literal = text.literal?.replace(/\/+$/, '');
    const head = literal ?? text.head;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(head)?.[1]?.toLowerCase();
    if (scheme === undefined) {
      // Text that can no longer become "http://" or "https://" has no scheme at all.
      const prefix = head.toLowerCase();
      if (literal !== undefined || !('https://'.startsWith(prefix) || 'http://'.startsWith(prefix))) {
        const meant = literal === undefined ? undefined : parseUrl(`https://${literal}`);
        // Only a plain host and path are suggested back: never credentials or a query.
        const plain = meant && meant.username === '' && meant.password === '' && meant.search === '' && meant.hostname.includes('.');
        const guess = plain ? (options.complete?.(meant) ?? baseOf(meant)) : undefined;
        this.error(path, `${name} must start with https://${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
      return { text };
    }
    if (scheme !== 'https' && scheme !== 'http') {
      this.error(path, `${name} must be an https:// URL, not ${scheme}://`);
      return { text };
    }
    const url = literal === undefined ? undefined : parseUrl(literal);
    if (literal !== undefined && url === undefined) {
      this.error(path, `${name} is not a valid URL`);
      return { text };
    }
    // With references, the authority is known when the literal head reaches past it.
    const authority = url ? undefined : /^[^/?#]*(?=[/?#:])/.exec(head.slice(scheme.length + 3))?.[0];
    if ((url && (url.username !== '' || url.password !== '')) || authority?.includes('@')) {
      this.error(path, `${name} must not contain credentials; use ${options.credentialsHint}`);
      return { text };
    }
    const host = url?.hostname ?? authority?.replace(/^(\[[^\]]*\]|[^:]*).*$/, '$1');
    if (scheme === 'http' && host !== undefined && host !== '' && !LOOPBACK.test(host)) {
      this.warning(path, `${name} uses http:// to ${host}: credentials and data cross the network unencrypted; use https://`);
    }
    return { text, ...(url ? { url } : {}) };
  }

  /** `timeouts: {connectMs, readMs}` and `retry: {maxAttempts, baseDelayMs, maxDelayMs}`. */
  connection(): void {
    if (this.mapping('/timeouts')) {
      this.integer('/timeouts/connectMs', 1);
      this.integer('/timeouts/readMs', 1);
    }
    if (this.mapping('/retry')) {
      this.integer('/retry/maxAttempts', 1);
      this.integer('/retry/baseDelayMs', 0);
      this.integer('/retry/maxDelayMs', 0);
    }
  }
}

/** A kind's check of its settings: adds findings to the checker. Pure; never reads files or the network. */
export type SettingsCheck = (checker: SettingsChecker) => void;

/** Runs a kind's check on its settings at a stage. */
export function checkSettings(settings: Raw, stage: SettingsStage, check: SettingsCheck): SettingFinding[] {
  const checker = new SettingsChecker(settings, stage);
  check(checker);
  return checker.findings;
}

function located(spec: ClusterSpec, path: string): SourceLocation {
  return spec.settingSources?.[path] ?? spec.source;
}

/** The settings of a declared cluster as written, checked offline: problems placed where written. */
export function writtenSettingProblems(spec: ClusterSpec, check: SettingsCheck): ManifestProblem[] {
  return checkSettings(spec.settings, 'written', check).map((f) => {
    const at = located(spec, f.path);
    return { severity: f.severity, message: f.message, file: at.file, line: at.line, column: at.column, path: at.path };
  });
}

/**
 * Resolves a cluster's settings now that it is used and checks the values: errors throw one
 * `ConfigError` with a located sentence each; warnings that only the resolved values reveal (an
 * http:// URL from a variable) go to `log`.
 */
export function resolveSettings(spec: ClusterSpec, env: Env, check: SettingsCheck, log?: (line: string) => void): Record<string, JsonValue> {
  const resolved = resolveClusterSettings(spec, env);
  const findings = checkSettings(resolved, 'resolved', check);
  const written = new Set(checkSettings(spec.settings, 'written', check).map((f) => `${f.path}\u0000${f.message}`));
  const line = (f: SettingFinding): string => {
    const at = located(spec, f.path);
    return `${at.file}:${at.line}:${at.column}: ${f.severity === 'warning' ? 'warning: ' : ''}cluster ${spec.name}: ${f.message}`;
  };
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new ConfigError(errors.map(line).join('\n'));
  for (const f of findings) if (!written.has(`${f.path}\u0000${f.message}`)) log?.(line(f));
  return resolved;
}

/** Checks resolved settings, throwing one `ConfigError` naming the cluster for every error. */
export function requireValidSettings(settings: Raw, cluster: string, check: SettingsCheck): void {
  const errors = checkSettings(settings, 'resolved', check).filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new ConfigError(errors.map((f) => `Cluster "${cluster}": ${f.message}.`).join('\n'));
}

/** Connection tuning every HTTP target accepts: `timeouts: {connectMs, readMs}` and `retry`. */
export interface ConnectionSettings {
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retry: Partial<RetryOptions>;
}

/** A checked whole-number setting (a number or digits), or undefined when absent. */
export function integerSetting(settings: Raw, path: string): number | undefined {
  const v = settingValue(settings, path);
  return v === undefined ? undefined : Number(v);
}

/** The checked `timeouts` and `retry` settings. */
export function connectionSettings(settings: Raw): ConnectionSettings {
  const retry: Partial<RetryOptions> = {};
  const maxAttempts = integerSetting(settings, '/retry/maxAttempts');
  const baseDelayMs = integerSetting(settings, '/retry/baseDelayMs');
  const maxDelayMs = integerSetting(settings, '/retry/maxDelayMs');
  if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
  if (baseDelayMs !== undefined) retry.baseDelayMs = baseDelayMs;
  if (maxDelayMs !== undefined) retry.maxDelayMs = maxDelayMs;
  const connectTimeoutMs = integerSetting(settings, '/timeouts/connectMs');
  const readTimeoutMs = integerSetting(settings, '/timeouts/readMs');
  return {
    ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
    ...(readTimeoutMs !== undefined ? { readTimeoutMs } : {}),
    retry,
  };
}
