import type { JsonValue } from '../../model.js';
import {
  connectionSettings,
  integerSetting,
  requireValidSettings,
  type ConnectionSettings,
  type SettingsChecker,
} from '../settings.js';

/** A `type: digitalocean` cluster's settings, after `${VAR}` resolution and checks. */
export interface DigitalOceanSettings extends ConnectionSettings {
  /** The database cluster's UUID. */
  databaseId: string;
  /** API token, sent as a bearer token; never printed. */
  token: string;
  /** API base URL, without the `/v2` segment. */
  apiUrl: string;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Everything a `type: digitalocean` cluster's settings must satisfy beyond their schema, for the
 * settings as written (literal parts) and as resolved.
 */
export function checkDigitalOceanSettings(c: SettingsChecker): void {
  const id = c.text('/databaseId', true);
  const known = id?.literal ?? `${id?.head ?? ''}${id?.tail ?? ''}`;
  if (id && (id.literal !== undefined ? !UUID.test(id.literal) : !/^[0-9a-f-]*$/i.test(known))) {
    c.error('/databaseId', 'databaseId must be the database cluster\'s UUID, e.g. 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30 (shown by `doctl databases list`)');
  }
  c.text('/token', true);
  c.secret('/token');
  const api = c.url('/apiUrl', { required: false, credentialsHint: 'token' });
  if (api?.url && /\/v2$/.test(api.url.pathname.replace(/\/+$/, ''))) {
    c.error('/apiUrl', `apiUrl is the API's base URL, without /v2 (did you mean "${api.url.origin}"?)`);
  }
  c.connection();
  c.integer('/concurrency', 1);
  if (c.mapping('/topicCreation')) {
    c.integer('/topicCreation/timeoutMs', 1);
    c.integer('/topicCreation/pollIntervalMs', 1);
  }
}

/**
 * Checks resolved settings and turns them into `DigitalOceanSettings`. `cluster` names the cluster
 * in messages; the token is never quoted back.
 */
export function parseDigitalOceanSettings(raw: Raw, cluster: string): DigitalOceanSettings {
  requireValidSettings(raw, cluster, checkDigitalOceanSettings);
  const connection = connectionSettings(raw);
  const apiUrl = raw['apiUrl'];
  return {
    databaseId: raw['databaseId'] as string,
    token: raw['token'] as string,
    apiUrl: (typeof apiUrl === 'string' ? apiUrl : DEFAULT_API_URL).replace(/\/+$/, ''),
    ...connection,
    concurrency: integerSetting(raw, '/concurrency') ?? DEFAULT_CONCURRENCY,
    createTimeoutMs: integerSetting(raw, '/topicCreation/timeoutMs') ?? 300_000,
    pollIntervalMs: integerSetting(raw, '/topicCreation/pollIntervalMs') ?? 1000,
    maxPaceWaitMs: connection.retry.maxDelayMs ?? 60_000,
  };
}
