import { ConfigError } from '../errors.js';
import type { RetryOptions } from '../http/index.js';
import type { JsonValue } from '../model.js';

type Raw = Record<string, JsonValue>;

/** Connection tuning every HTTP target accepts: `timeouts: {connectMs, readMs}` and `retry`. */
export interface ConnectionSettings {
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retry: Partial<RetryOptions>;
}

/**
 * Reads a cluster's resolved settings with one wording for every target's messages:
 * `Cluster "prod": auth.password is required.` Values are never quoted back, since any of them
 * may be a secret.
 */
export class SettingsReader {
  constructor(
    /** The resolved settings. */
    readonly raw: Raw,
    private readonly cluster: string,
  ) {}

  /** Throws the `ConfigError` for a setting problem. */
  fail(what: string): never {
    throw new ConfigError(`Cluster "${this.cluster}": ${what}.`);
  }

  /** A non-empty string at `obj[key]`; `where` prefixes the key in messages (`auth.`). */
  str(obj: Raw, key: string, where: string, required: true): string;
  str(obj: Raw, key: string, where: string, required: boolean): string | undefined;
  str(obj: Raw, key: string, where: string, required: boolean): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return required ? this.fail(`${where}${key} is required`) : undefined;
    if (typeof v !== 'string' || v === '') return this.fail(`${where}${key} must be a non-empty string`);
    return v;
  }

  /** An integer >= `min` at `obj[key]`; `${VAR}` references resolve to strings, so digits are accepted. */
  num(obj: Raw, key: string, where: string, min: number): number | undefined {
    const raw = obj[key];
    if (raw === undefined || raw === null) return undefined;
    const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return this.fail(`${where}${key} must be an integer >= ${min}`);
    return v;
  }

  /** The mapping at top-level `key`, or `{}` when absent. */
  obj(key: string): Raw {
    const v = this.raw[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) return this.fail(`${key} must be a mapping`);
    return v;
  }

  /**
   * A base URL at top-level `key` without trailing slashes. Credentials in it are refused: they
   * would end up in logs and messages, and belong in the auth settings (`credentialsHint`).
   */
  baseUrl(key: string, fallback: string | undefined, credentialsHint: string): { text: string; url: URL } {
    const text = (this.str(this.raw, key, '', fallback === undefined) ?? (fallback as string)).replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return this.fail(`${key} is not a valid URL`);
    }
    if (url.username !== '' || url.password !== '') this.fail(`${key} must not contain credentials; use ${credentialsHint}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') this.fail(`${key} must be an https:// URL`);
    return { text, url };
  }

  /** `timeouts` and `retry`. */
  connection(): ConnectionSettings {
    const timeouts = this.obj('timeouts');
    const retryRaw = this.obj('retry');
    const retry: Partial<RetryOptions> = {};
    const maxAttempts = this.num(retryRaw, 'maxAttempts', 'retry.', 1);
    const baseDelayMs = this.num(retryRaw, 'baseDelayMs', 'retry.', 0);
    const maxDelayMs = this.num(retryRaw, 'maxDelayMs', 'retry.', 0);
    if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
    if (baseDelayMs !== undefined) retry.baseDelayMs = baseDelayMs;
    if (maxDelayMs !== undefined) retry.maxDelayMs = maxDelayMs;
    const connectTimeoutMs = this.num(timeouts, 'connectMs', 'timeouts.', 1);
    const readTimeoutMs = this.num(timeouts, 'readMs', 'timeouts.', 1);
    return {
      ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
      ...(readTimeoutMs !== undefined ? { readTimeoutMs } : {}),
      retry,
    };
  }
}
