import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { HttpAuth, RetryOptions } from '../../http/index.js';
import type { JsonValue } from '../../model.js';

/** A `type: confluent` cluster's connection settings, after `${VAR}` resolution and checks. */
export interface ConfluentSettings {
  /** Base URL up to and including `/v3` (REST Proxy) or `/kafka/v3` (Confluent Cloud / Server). */
  restUrl: string;
  /** Discovered with `GET /clusters` when absent. */
  clusterId?: string;
  auth?: HttpAuth;
  /** Absolute path of a PEM file with extra CAs to trust. */
  caFile?: string;
  /** Disables TLS verification; loudly named because it exposes the credentials. */
  insecureSkipTlsVerify: boolean;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retry: Partial<RetryOptions>;
  /** Requests in flight at once during reads and preflight (the executor bounds apply itself). */
  concurrency: number;
  /** ACL bindings per `POST /acls:batch`. */
  aclBatchSize: number;
}

/** Default bound on parallel requests. */
export const DEFAULT_CONCURRENCY = 8;
/** Default ACL bindings per batch request. */
export const DEFAULT_ACL_BATCH_SIZE = 100;

type Raw = Record<string, JsonValue>;

/**
 * Checks resolved settings and turns them into `ConfluentSettings`. `cluster` names the cluster in
 * messages; relative `caFile` paths resolve against `baseDir`. Secrets are never quoted back.
 */
export function parseConfluentSettings(raw: Raw, cluster: string, baseDir: string): ConfluentSettings {
  const fail = (what: string): never => {
    throw new ConfigError(`Cluster "${cluster}": ${what}.`);
  };
  const str = (obj: Raw, key: string, where: string, required: boolean): string | undefined => {
    const v = obj[key];
    if (v === undefined || v === null) return required ? fail(`${where}${key} is required`) : undefined;
    if (typeof v !== 'string' || v === '') return fail(`${where}${key} must be a non-empty string`);
    return v;
  };
  const num = (obj: Raw, key: string, where: string, min: number): number | undefined => {
    const raw = obj[key];
    if (raw === undefined || raw === null) return undefined;
    // `${VAR}` references resolve to strings; accept their integer spelling.
    const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return fail(`${where}${key} must be an integer >= ${min}`);
    return v;
  };
  const obj = (key: string): Raw | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return fail(`${key} must be a mapping`);
    return v;
  };

  const restUrl = (str(raw, 'restUrl', '', true) as string).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(restUrl);
  } catch {
    return fail('restUrl is not a valid URL');
  }
  if (url.username !== '' || url.password !== '') fail('restUrl must not contain credentials; use auth');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('restUrl must be an https:// URL');
  if (!/\/v3$/.test(url.pathname)) {
    fail(`restUrl must end with the API version segment, e.g. https://${url.host}/kafka/v3 (Confluent Cloud) or https://${url.host}/v3 (REST Proxy)`);
  }

  let auth: HttpAuth | undefined;
  const a = obj('auth');
  if (a !== undefined) {
    const type = a.type;
    if (type === 'basic') {
      auth = {
        type: 'basic',
        username: str(a, 'username', 'auth.', true) as string,
        password: str(a, 'password', 'auth.', true) as string,
      };
    } else if (type === 'bearer') {
      auth = { type: 'bearer', token: str(a, 'token', 'auth.', true) as string };
    } else {
      fail('auth.type must be "basic" or "bearer"');
    }
  }

  const insecureRaw = raw.insecureSkipTlsVerify;
  const insecure = insecureRaw === 'true' ? true : insecureRaw === 'false' ? false : insecureRaw;
  if (insecure !== undefined && insecure !== null && typeof insecure !== 'boolean') fail('insecureSkipTlsVerify must be true or false');

  const timeouts = obj('timeouts') ?? {};
  const retryRaw = obj('retry') ?? {};
  const retry: Partial<RetryOptions> = {};
  const maxAttempts = num(retryRaw, 'maxAttempts', 'retry.', 1);
  const baseDelayMs = num(retryRaw, 'baseDelayMs', 'retry.', 0);
  const maxDelayMs = num(retryRaw, 'maxDelayMs', 'retry.', 0);
  if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
  if (baseDelayMs !== undefined) retry.baseDelayMs = baseDelayMs;
  if (maxDelayMs !== undefined) retry.maxDelayMs = maxDelayMs;

  const caFile = str(raw, 'caFile', '', false);
  const clusterId = str(raw, 'clusterId', '', false);
  const connectTimeoutMs = num(timeouts, 'connectMs', 'timeouts.', 1);
  const readTimeoutMs = num(timeouts, 'readMs', 'timeouts.', 1);
  return {
    restUrl,
    ...(clusterId !== undefined ? { clusterId } : {}),
    ...(auth !== undefined ? { auth } : {}),
    ...(caFile !== undefined ? { caFile: isAbsolute(caFile) ? caFile : resolve(baseDir, caFile) } : {}),
    insecureSkipTlsVerify: insecure === true,
    ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
    ...(readTimeoutMs !== undefined ? { readTimeoutMs } : {}),
    retry,
    concurrency: num(raw, 'concurrency', '', 1) ?? DEFAULT_CONCURRENCY,
    aclBatchSize: num(raw, 'aclBatchSize', '', 1) ?? DEFAULT_ACL_BATCH_SIZE,
  };
}
