import { isAbsolute, resolve } from 'node:path';
import type { JsonValue } from '../../model.js';
import { integerSetting, requireValidSettings, settingValue, type SettingText, type SettingsChecker } from '../settings.js';
import { ConfigError } from '../../errors.js';
import { mskIamRegion } from './auth-msk-iam.js';

/** SASL mechanisms a `type: kafka` cluster may name. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER', 'AWS_MSK_IAM'] as const;
/** A SASL mechanism. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** SASL settings, by mechanism. */
export type SaslSettings =
  | { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string }
  | { mechanism: 'OAUTHBEARER'; token: string }
  | { mechanism: 'AWS_MSK_IAM'; region: string };

/** TLS settings; file paths are absolute. */
export interface TlsSettings {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  /** Disables certificate verification; loudly named because it exposes the credentials. */
  insecureSkipTlsVerify: boolean;
}

/** A broker address. */
export interface BrokerAddress {
  host: string;
  port: number;
}

/** A `type: kafka` cluster's settings, after `${VAR}` resolution and checks. */
export interface KafkaSettings {
  bootstrapServers: BrokerAddress[];
  /** Absent: no authentication. */
  sasl?: SaslSettings;
  /** Absent: plaintext. */
  tls?: TlsSettings;
  clientId: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Defaults for the connection. */
export const KAFKA_DEFAULTS = { clientId: 'kafkaform', connectTimeoutMs: 10_000, requestTimeoutMs: 60_000 } as const;

type Raw = Record<string, JsonValue>;

// `[::1]:9092` for IPv6, `host:port` otherwise; the port is required, as Kafka clients require it.
const ADDRESS = /^(?:\[([^\]]+)\]|([^:\s\[\]]+)):(\d{1,5})$/;

function address(text: string): BrokerAddress | undefined {
  const m = ADDRESS.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  return m && port >= 1 && port <= 65535 ? { host: (m[1] ?? m[2]) as string, port } : undefined;
}

/** Whether what is known of one address can still be `host:port`: all of it, or the port after a reference. */
function mayBeAddress(text: SettingText): boolean {
  const literal = text.literal;
  if (literal !== undefined) return address(literal) !== undefined;
  // `${HOST}:9092`: a literal port after the last reference must be one.
  const port = /:([^:\]]*)$/.exec(text.tail.trim())?.[1];
  return port === undefined || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535);
}

/** `true`/`false` as a boolean or its spelling; undefined when absent or not literal. */
function literalFlag(v: JsonValue | undefined): boolean | undefined {
  return v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
}

/**
 * Everything a `type: kafka` cluster's settings must satisfy beyond their schema, for the settings
 * as written (literal parts) and as resolved. Addresses are not quoted back: a variable may hold them.
 */
export function checkKafkaSettings(c: SettingsChecker): void {
  const servers = c.texts('/bootstrapServers');
  const pieces = (servers ?? []).flatMap((s) => s.text.split(',').map((text) => ({ path: s.path, text })));
  if (c.value('/bootstrapServers') === undefined) c.error('/bootstrapServers', 'bootstrapServers is required');
  else if (servers !== undefined && pieces.length === 0) c.error('/bootstrapServers', 'bootstrapServers must list at least one host:port address');
  for (const { path, text } of pieces) {
    if (!mayBeAddress(text)) c.error(path, 'bootstrapServers must hold host:port addresses (e.g. broker-1.example.com:9092, [::1]:9092)');
  }

  if (c.mapping('/sasl')) {
    const mechanism = c.oneOf('/sasl/mechanism', SASL_MECHANISMS, true);
    if (mechanism === 'PLAIN' || mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') {
      c.text('/sasl/username', true);
      c.text('/sasl/password', true);
      c.secret('/sasl/password');
    } else if (mechanism === 'OAUTHBEARER') {
      c.text('/sasl/token', true);
      c.secret('/sasl/token');
    } else if (mechanism === 'AWS_MSK_IAM') {
      c.text('/sasl/region', false);
    }
  }

  const tls = c.value('/tls');
  if (tls !== undefined && typeof tls === 'object' && !Array.isArray(tls)) {
    for (const key of ['caFile', 'certFile', 'keyFile', 'serverName']) c.text(`/tls/${key}`, false);
    if ((c.value('/tls/certFile') === undefined) !== (c.value('/tls/keyFile') === undefined)) {
      c.error('/tls', 'tls.certFile and tls.keyFile go together (mutual TLS needs both)');
    }
  } else {
    c.boolean('/tls');
  }
  c.boolean('/insecureSkipTlsVerify');
  const tlsOff = tls === undefined || literalFlag(tls) === false;
  if (literalFlag(c.value('/insecureSkipTlsVerify')) === true && tlsOff) {
    c.error('/insecureSkipTlsVerify', 'insecureSkipTlsVerify only applies with tls');
  }

  c.text('/clientId', false);
  if (c.mapping('/timeouts')) {
    c.integer('/timeouts/connectMs', 1);
    c.integer('/timeouts/requestMs', 1);
  }
}

function file(raw: Raw, path: string, baseDir: string): string | undefined {
  const v = settingValue(raw, path);
  return typeof v === 'string' ? (isAbsolute(v) ? v : resolve(baseDir, v)) : undefined;
}

/**
 * Checks resolved settings and turns them into `KafkaSettings`. `cluster` names the cluster in
 * messages; relative file paths resolve against `baseDir`; `env` gives Amazon MSK IAM its
 * `AWS_REGION` fallback. Secrets are never quoted back.
 */
export function parseKafkaSettings(raw: Raw, cluster: string, baseDir: string, env: Record<string, string | undefined> = {}): KafkaSettings {
  requireValidSettings(raw, cluster, checkKafkaSettings);
  const servers = raw['bootstrapServers'];
  const serverTexts = (Array.isArray(servers) ? servers : [servers]).flatMap((s) => String(s).split(',')).filter((s) => s.trim() !== '');
  const bootstrapServers = serverTexts.map((s) => address(s) as BrokerAddress);

  const s = (path: string): string => String(settingValue(raw, path));
  let sasl: SaslSettings | undefined;
  const mechanism = settingValue(raw, '/sasl/mechanism') as SaslMechanism | undefined;
  if (mechanism === 'PLAIN' || mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') {
    sasl = { mechanism, username: s('/sasl/username'), password: s('/sasl/password') };
  } else if (mechanism === 'OAUTHBEARER') {
    sasl = { mechanism, token: s('/sasl/token') };
  } else if (mechanism === 'AWS_MSK_IAM') {
    const written = settingValue(raw, '/sasl/region');
    let region: string;
    try {
      region = mskIamRegion(written === undefined ? undefined : String(written), serverTexts, env);
    } catch (e) {
      throw e instanceof ConfigError ? new ConfigError(`Cluster "${cluster}": ${e.message}.`) : e;
    }
    sasl = { mechanism, region };
  }

  const insecureSkipTlsVerify = literalFlag(raw['insecureSkipTlsVerify']) === true;
  const tlsRaw = settingValue(raw, '/tls');
  let tls: TlsSettings | undefined;
  if (tlsRaw !== undefined && typeof tlsRaw === 'object') {
    const caFile = file(raw, '/tls/caFile', baseDir);
    const certFile = file(raw, '/tls/certFile', baseDir);
    const keyFile = file(raw, '/tls/keyFile', baseDir);
    const serverName = settingValue(raw, '/tls/serverName');
    tls = {
      ...(caFile !== undefined ? { caFile } : {}),
      ...(certFile !== undefined ? { certFile } : {}),
      ...(keyFile !== undefined ? { keyFile } : {}),
      ...(typeof serverName === 'string' ? { serverName } : {}),
      insecureSkipTlsVerify,
    };
  } else if (literalFlag(tlsRaw) === true) {
    tls = { insecureSkipTlsVerify };
  }

  const clientId = settingValue(raw, '/clientId');
  return {
    bootstrapServers,
    ...(sasl !== undefined ? { sasl } : {}),
    ...(tls !== undefined ? { tls } : {}),
    clientId: typeof clientId === 'string' ? clientId : KAFKA_DEFAULTS.clientId,
    connectTimeoutMs: integerSetting(raw, '/timeouts/connectMs') ?? KAFKA_DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: integerSetting(raw, '/timeouts/requestMs') ?? KAFKA_DEFAULTS.requestTimeoutMs,
  };
}
