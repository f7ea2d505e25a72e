import { isAbsolute, resolve } from 'node:path';
import type { HttpAuth } from '../../http/index.js';
import type { JsonValue } from '../../model.js';
import {
  baseOf,
  connectionSettings,
  integerSetting,
  requireValidSettings,
  type ConnectionSettings,
  type SettingsChecker,
} from '../settings.js';

/** A `type: confluent` cluster's connection settings, after `${VAR}` resolution and checks. */
export interface ConfluentSettings extends ConnectionSettings {
  /** Base URL up to and including `/v3` (REST Proxy) or `/kafka/v3` (Confluent Cloud / Server). */
  restUrl: string;
  /** Discovered with `GET /clusters` when absent. */
  clusterId?: string;
  auth?: HttpAuth;
  /** Absolute path of a PEM file with extra CAs to trust. */
  caFile?: string;
  /** Disables TLS verification; loudly named because it exposes the credentials. */
  insecureSkipTlsVerify: boolean;
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

/** Confluent Cloud's hosts; its REST API has no `GET /clusters`, so the cluster id is required. */
const CLOUD_HOST = /\.confluent\.cloud$/i;

function endsWithVersion(path: string): boolean {
  return /\/v3$/.test(path.replace(/\/+$/, ''));
}

/** The URL with the version segment Confluent Cloud (`/kafka/v3`) or REST Proxy (`/v3`) expects. */
function withVersion(url: URL): string {
  const base = baseOf(url);
  if (endsWithVersion(url.pathname)) return base;
  if (/\/kafka$/.test(url.pathname.replace(/\/+$/, ''))) return `${base}/v3`;
  return `${base}${CLOUD_HOST.test(url.hostname) || url.port === '' ? '/kafka/v3' : '/v3'}`;
}

/**
 * Everything a `type: confluent` cluster's settings must satisfy beyond their schema, for the
 * settings as written (literal parts) and as resolved.
 */
export function checkConfluentSettings(c: SettingsChecker): void {
  const rest = c.url('/restUrl', { required: true, credentialsHint: 'auth', complete: withVersion });
  const tail = rest?.text.tail ?? '';
  if (rest?.url && !endsWithVersion(rest.url.pathname)) {
    c.error('/restUrl', `restUrl must end with the API version segment (did you mean "${withVersion(rest.url)}"?)`);
  } else if (rest?.text.literal === undefined && tail.includes('/') && !/[?#]/.test(tail) && !endsWithVersion(tail)) {
    // A literal path after the last reference ends the URL, whatever the variable holds.
    c.error('/restUrl', 'restUrl must end with the API version segment: /kafka/v3 (Confluent Cloud, Confluent Server) or /v3 (REST Proxy)');
  }

  const clusterId = c.text('/clusterId', false);
  if (clusterId?.literal !== undefined && !/^[A-Za-z0-9._-]+$/.test(clusterId.literal)) {
    c.error('/clusterId', 'clusterId must be the cluster id alone (letters, digits, ".", "_" and "-"), e.g. lkc-abc123');
  }
  if (clusterId === undefined && rest?.url && CLOUD_HOST.test(rest.url.hostname)) {
    c.error('/restUrl', 'a Confluent Cloud cluster needs clusterId (lkc-..., shown by `confluent kafka cluster list`)');
  }

  if (c.mapping('/auth')) {
    const type = c.value('/auth/type');
    if (type === 'basic') {
      c.text('/auth/username', true);
      c.text('/auth/password', true);
      c.secret('/auth/password');
    } else if (type === 'bearer') {
      c.text('/auth/token', true);
      c.secret('/auth/token');
    } else {
      c.error('/auth/type', 'auth.type must be "basic" or "bearer"');
    }
  }
  c.text('/caFile', false);
  c.boolean('/insecureSkipTlsVerify');
  c.connection();
  c.integer('/concurrency', 1);
  c.integer('/aclBatchSize', 1);
}

/**
 * Checks resolved settings and turns them into `ConfluentSettings`. `cluster` names the cluster in
 * messages; relative `caFile` paths resolve against `baseDir`. Secrets are never quoted back.
 */
export function parseConfluentSettings(raw: Raw, cluster: string, baseDir: string): ConfluentSettings {
  requireValidSettings(raw, cluster, checkConfluentSettings);
  const auth = raw['auth'] as Record<string, string> | undefined;
  const caFile = raw['caFile'] as string | undefined;
  const clusterId = raw['clusterId'] as string | undefined;
  const insecure = raw['insecureSkipTlsVerify'];
  return {
    restUrl: (raw['restUrl'] as string).replace(/\/+$/, ''),
    ...(clusterId !== undefined && clusterId !== null ? { clusterId } : {}),
    ...(auth !== undefined && auth !== null
      ? { auth: auth['type'] === 'basic' ? { type: 'basic', username: auth['username'] ?? '', password: auth['password'] ?? '' } : { type: 'bearer', token: auth['token'] ?? '' } }
      : {}),
    ...(caFile !== undefined && caFile !== null ? { caFile: isAbsolute(caFile) ? caFile : resolve(baseDir, caFile) } : {}),
    insecureSkipTlsVerify: insecure === true || insecure === 'true',
    ...connectionSettings(raw),
    concurrency: integerSetting(raw, '/concurrency') ?? DEFAULT_CONCURRENCY,
    aclBatchSize: integerSetting(raw, '/aclBatchSize') ?? DEFAULT_ACL_BATCH_SIZE,
  };
}
