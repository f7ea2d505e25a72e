/**
 * Cluster connection settings: kept verbatim at load, resolved from the environment only when the
 * cluster is used, so `validate` and offline plans never need credentials.
 */
import { ConfigError } from '../errors.js';
import type { ClusterSpec, JsonValue, SourceLocation } from '../model.js';
import { interpolateValue, type Env } from './interpolate.js';

function settingName(path: string): string {
  return path.slice(1).replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');
}

function where(spec: ClusterSpec, path: string): SourceLocation {
  return spec.settingSources?.[path] ?? spec.source;
}

/**
 * The cluster's settings with every `${VAR}` / `${VAR:-default}` resolved from `env`. Throws a
 * `ConfigError` naming each unset or empty variable (an empty credential or URL is a mistake in
 * the environment, not a value) with the file and line that uses it; the message never contains
 * a resolved value.
 */
export function resolveClusterSettings(spec: ClusterSpec, env: Env): Record<string, JsonValue> {
  const r = interpolateValue(spec.settings, env, '');
  const sentences = [
    ...r.missing.map((m) => {
      const at = where(spec, m.path);
      return `${at.file}:${at.line}:${at.column}: environment variable ${m.name} is not set (cluster ${spec.name}, setting ${settingName(m.path)})`;
    }),
    ...r.empty.map((m) => {
      const at = where(spec, m.path);
      return `${at.file}:${at.line}:${at.column}: environment variable ${m.name} is set but empty (cluster ${spec.name}, setting ${settingName(m.path)}); write \${${m.name}:-default} if a default is meant`;
    }),
    ...r.bad.map((b) => {
      const at = where(spec, b.path);
      // The text is not echoed: a malformed reference may sit inside a literal secret.
      return `${at.file}:${at.line}:${at.column}: malformed \${...} reference; write \${NAME} or \${NAME:-default}, or $\${ for a literal \${ (cluster ${spec.name}, setting ${settingName(b.path)})`;
    }),
  ];
  if (sentences.length > 0) throw new ConfigError(sentences.join('\n'));
  return r.value as Record<string, JsonValue>;
}
