import { isAbsolute, resolve } from 'node:path';
import type { HttpAuth } from '../../http/index.js';
import type { JsonValue } from '../../model.js';
import { SettingsReader, type ConnectionSettings } from '../settings.js';

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

/**
 * Checks resolved settings and turns them into `ConfluentSettings`. `cluster` names the cluster in
 * messages; relative `caFile` paths resolve against `baseDir`. Secrets are never quoted back.
 */
export function parseConfluentSettings(raw: Raw, cluster: string, baseDir: string): ConfluentSettings {
  const r = new SettingsReader(raw, cluster);
  const { text: restUrl, url } = r.baseUrl('restUrl', undefined, 'auth');
  if (!/\/v3$/.test(url.pathname)) {
    r.fail(`restUrl must end with the API version segment, e.g. https://${url.host}/kafka/v3 (Confluent Cloud) or https://${url.host}/v3 (REST Proxy)`);
  }

  let auth: HttpAuth | undefined;
  if (raw.auth !== undefined && raw.auth !== null) {
    const a = r.obj('auth');
    const type = a.type;
    if (type === 'basic') {
      auth = { type: 'basic', username: r.str(a, 'username', 'auth.', true), password: r.str(a, 'password', 'auth.', true) };
    } else if (type === 'bearer') {
      auth = { type: 'bearer', token: r.str(a, 'token', 'auth.', true) };
    } else {
      r.fail('auth.type must be "basic" or "bearer"');
    }
  }

  const insecureRaw = raw.insecureSkipTlsVerify;
  const insecure = insecureRaw === 'true' ? true : insecureRaw === 'false' ? false : insecureRaw;
  if (insecure !== undefined && insecure !== null && typeof insecure !== 'boolean') r.fail('insecureSkipTlsVerify must be true or false');

  const caFile = r.str(raw, 'caFile', '', false);
  const clusterId = r.str(raw, 'clusterId', '', false);
  return {
    restUrl,
    ...(clusterId !== undefined ? { clusterId } : {}),
    ...(auth !== undefined ? { auth } : {}),
    ...(caFile !== undefined ? { caFile: isAbsolute(caFile) ? caFile : resolve(baseDir, caFile) } : {}),
    insecureSkipTlsVerify: insecure === true,
    ...r.connection(),
    concurrency: r.num(raw, 'concurrency', '', 1) ?? DEFAULT_CONCURRENCY,
    aclBatchSize: r.num(raw, 'aclBatchSize', '', 1) ?? DEFAULT_ACL_BATCH_SIZE,
  };
}
