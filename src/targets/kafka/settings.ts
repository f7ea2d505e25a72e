import { isAbsolute, resolve } from 'node:path';
import type { JsonValue } from '../../model.js';
import { SettingsReader } from '../settings.js';

/** SASL mechanisms a `type: kafka` cluster may name. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER', 'AWS_MSK_IAM'] as const;
/** A SASL mechanism. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** SASL settings, by mechanism. */
export type SaslSettings =
  | { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string }
  | { mechanism: 'OAUTHBEARER'; token: string }
  | { mechanism: 'AWS_MSK_IAM' };

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

function flag(r: SettingsReader, obj: Raw, key: string, where: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return r.fail(`${where}${key} must be true or false`);
}

function address(r: SettingsReader, text: string): BrokerAddress {
  // `[::1]:9092` for IPv6, `host:port` otherwise; the port is required, as Kafka clients require it.
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return r.fail(`bootstrapServers: "${text.trim()}" is not a host:port address`);
  return { host: (m[1] ?? m[2]) as string, port };
}

/**
 * Checks resolved settings and turns them into `KafkaSettings`. `cluster` names the cluster in
 * messages; relative file paths resolve against `baseDir`. Secrets are never quoted back.
 */
export function parseKafkaSettings(raw: Raw, cluster: string, baseDir: string): KafkaSettings {
  const r = new SettingsReader(raw, cluster);
  const file = (obj: Raw, key: string): string | undefined => {
    const v = r.str(obj, key, 'tls.', false);
    return v === undefined ? undefined : isAbsolute(v) ? v : resolve(baseDir, v);
  };

  const servers = raw.bootstrapServers;
  let texts: string[];
  if (typeof servers === 'string') texts = servers.split(',').filter((s) => s.trim() !== '');
  else if (Array.isArray(servers) && servers.every((s): s is string => typeof s === 'string')) texts = servers;
  else texts = [];
  if (texts.length === 0) r.fail('bootstrapServers must list at least one host:port address');
  const bootstrapServers = texts.map((t) => address(r, t));

  let sasl: SaslSettings | undefined;
  if (raw.sasl !== undefined && raw.sasl !== null) {
    const s = r.obj('sasl');
    const mechanism = s.mechanism;
    switch (mechanism) {
      case 'PLAIN':
      case 'SCRAM-SHA-256':
      case 'SCRAM-SHA-512':
        sasl = { mechanism, username: r.str(s, 'username', 'sasl.', true), password: r.str(s, 'password', 'sasl.', true) };
        break;
      case 'OAUTHBEARER':
        sasl = { mechanism, token: r.str(s, 'token', 'sasl.', true) };
        break;
      case 'AWS_MSK_IAM':
        sasl = { mechanism };
        break;
      default:
        r.fail(`sasl.mechanism must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
  }

  const insecure = flag(r, raw, 'insecureSkipTlsVerify', '') === true;
  let tls: TlsSettings | undefined;
  const tlsRaw = raw.tls;
  if (tlsRaw !== undefined && tlsRaw !== null && typeof tlsRaw === 'object' && !Array.isArray(tlsRaw)) {
    const caFile = file(tlsRaw, 'caFile');
    const certFile = file(tlsRaw, 'certFile');
    const keyFile = file(tlsRaw, 'keyFile');
    const serverName = r.str(tlsRaw, 'serverName', 'tls.', false);
    if ((certFile === undefined) !== (keyFile === undefined)) r.fail('tls.certFile and tls.keyFile go together (mutual TLS needs both)');
    tls = {
      ...(caFile !== undefined ? { caFile } : {}),
      ...(certFile !== undefined ? { certFile } : {}),
      ...(keyFile !== undefined ? { keyFile } : {}),
      ...(serverName !== undefined ? { serverName } : {}),
      insecureSkipTlsVerify: insecure,
    };
  } else if (flag(r, raw, 'tls', '') === true) {
    tls = { insecureSkipTlsVerify: insecure };
  }
  if (insecure && tls === undefined) r.fail('insecureSkipTlsVerify only applies with tls');

  const timeouts = r.obj('timeouts');
  return {
    bootstrapServers,
    ...(sasl !== undefined ? { sasl } : {}),
    ...(tls !== undefined ? { tls } : {}),
    clientId: r.str(raw, 'clientId', '', false) ?? KAFKA_DEFAULTS.clientId,
    connectTimeoutMs: r.num(timeouts, 'connectMs', 'timeouts.', 1) ?? KAFKA_DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: r.num(timeouts, 'requestMs', 'timeouts.', 1) ?? KAFKA_DEFAULTS.requestTimeoutMs,
  };
}
