import type { JsonValue } from '../../model.js';
import { SettingsReader, type ConnectionSettings } from '../settings.js';

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

/**
 * Checks resolved settings and turns them into `DigitalOceanSettings`. `cluster` names the cluster
 * in messages; the token is never quoted back.
 */
export function parseDigitalOceanSettings(raw: Raw, cluster: string): DigitalOceanSettings {
  const r = new SettingsReader(raw, cluster);
  const databaseId = r.str(raw, 'databaseId', '', true);
  if (!/^[0-9a-fA-F-]{8,64}$/.test(databaseId)) r.fail('databaseId must be the database cluster UUID');
  const token = r.str(raw, 'token', '', true);
  const { text: apiUrl } = r.baseUrl('apiUrl', DEFAULT_API_URL, 'token');
  const connection = r.connection();
  const creation = r.obj('topicCreation');
  return {
    databaseId,
    token,
    apiUrl,
    ...connection,
    concurrency: r.num(raw, 'concurrency', '', 1) ?? DEFAULT_CONCURRENCY,
    createTimeoutMs: r.num(creation, 'timeoutMs', 'topicCreation.', 1) ?? 300_000,
    pollIntervalMs: r.num(creation, 'pollIntervalMs', 'topicCreation.', 1) ?? 1000,
    maxPaceWaitMs: connection.retry.maxDelayMs ?? 60_000,
  };
}
