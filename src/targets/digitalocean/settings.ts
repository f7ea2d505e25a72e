import { ConfigError } from '../../errors.js';
import type { RetryOptions } from '../../http/index.js';
import type { JsonValue } from '../../model.js';

/** A `type: digitalocean` cluster's settings, after `${VAR}` resolution and checks. */
export interface DigitalOceanSettings {
  /** The database cluster's UUID. */
  databaseId: string;
  /** API token, sent as a bearer token; never printed. */
  token: string;
  /** API base URL, without the `/v2` segment. */
  apiUrl: string;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retry: Partial<RetryOptions>;
  /** Requests in flight at once while reading topic details. */
  concurrency: number;
  /** How long apply waits for a new topic to become active. */
  createTimeoutMs: number;
  /** First wait between polls of a new topic; grows to at most 10 s. */
  pollIntervalMs: number;
  /** Longest single wait the rate-limit pacer imposes. */
  maxPaceWaitMs: number;
}

/** The public API endpoint. */
export const DEFAULT_API_URL = 'https://api.digitalocean.com';
/** Default bound on parallel topic reads; DigitalOcean allows 250 requests a minute. */
export const DEFAULT_CONCURRENCY = 8;

type Raw = Record<string, JsonValue>;

/**
 * Checks resolved settings and turns them into `DigitalOceanSettings`. `cluster` names the cluster
 * in messages; the token is never quoted back.
 */
export function parseDigitalOceanSettings(raw: Raw, cluster: string): DigitalOceanSettings {
  const fail = (what: string): never => {
    throw new ConfigError(`Cluster "${cluster}": ${what}.`);
  };
  const str = (key: string, required: boolean): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return required ? fail(`${key} is required`) : undefined;
    if (typeof v !== 'string' || v === '') return fail(`${key} must be a non-empty string`);
    return v;
  };
  const num = (obj: Raw, key: string, where: string, min: number): number | undefined => {
    const raw = obj[key];
    if (raw === undefined || raw === null) return undefined;
    // `${VAR}` settings arrive as strings.
    const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return fail(`${where}${key} must be an integer >= ${min}`);
    return v;
  };
  const obj = (key: string): Raw => {
    const v = raw[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) return fail(`${key} must be a mapping`);
    return v;
  };

  const databaseId = str('databaseId', true) as string;
  if (!/^[0-9a-fA-F-]{8,64}$/.test(databaseId)) fail('databaseId must be the database cluster UUID');
  const token = str('token', true) as string;
  const apiUrl = (str('apiUrl', false) ?? DEFAULT_API_URL).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return fail('apiUrl is not a valid URL');
  }
  if (url.username !== '' || url.password !== '') fail('apiUrl must not contain credentials; use token');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('apiUrl must be an https:// URL');

  const timeouts = obj('timeouts');
  const retryRaw = obj('retry');
  const retry: Partial<RetryOptions> = {};
  const maxAttempts = num(retryRaw, 'maxAttempts', 'retry.', 1);
  const baseDelayMs = num(retryRaw, 'baseDelayMs', 'retry.', 0);
  const maxDelayMs = num(retryRaw, 'maxDelayMs', 'retry.', 0);
  if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
  if (baseDelayMs !== undefined) retry.baseDelayMs = baseDelayMs;
  if (maxDelayMs !== undefined) retry.maxDelayMs = maxDelayMs;
  const connectTimeoutMs = num(timeouts, 'connectMs', 'timeouts.', 1);
  const readTimeoutMs = num(timeouts, 'readMs', 'timeouts.', 1);
  const creation = obj('topicCreation');

  return {
    databaseId,
    token,
    apiUrl,
    ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
    ...(readTimeoutMs !== undefined ? { readTimeoutMs } : {}),
    retry,
    concurrency: num(raw, 'concurrency', '', 1) ?? DEFAULT_CONCURRENCY,
    createTimeoutMs: num(creation, 'timeoutMs', 'topicCreation.', 1) ?? 300_000,
    pollIntervalMs: num(creation, 'pollIntervalMs', 'topicCreation.', 1) ?? 1000,
    maxPaceWaitMs: retry.maxDelayMs ?? 60_000,
  };
}
