/**
 * Which values the action must keep out of logs, summaries and comments: the credentials in the
 * clusters' resolved settings.
 */
import type { ClusterSpec, JsonValue } from '../model.js';
import { resolveClusterSettings } from '../manifest/index.js';
import type { RunnerEnv } from './runner.js';

// Setting names that hold credentials (auth.password, auth.token, token, apiKey, clientSecret, ...).
const SECRET_KEY = /pass|secret|token|key|credential|auth/i;
// Settings under a secret key that only name a mechanism; masking "basic" would garble the log.
const NOT_SECRET = new Set(['type', 'mechanism']);

/**
 * Every credential value in the clusters' settings, resolved from `env`, sorted. A cluster whose
 * variables are not all set is skipped: the command using it reports that, and nothing resolved.
 */
export function clusterSecrets(clusters: readonly ClusterSpec[], env: RunnerEnv): string[] {
  const found = new Set<string>();
  for (const spec of clusters) {
    let settings: Record<string, JsonValue>;
    try {
      settings = resolveClusterSettings(spec, env);
    } catch {
      continue;
    }
    collect(settings, false, found);
  }
  return [...found].sort();
}

function collect(value: JsonValue, secret: boolean, found: Set<string>): void {
  if (typeof value === 'string') {
    if (secret && value.trim() !== '') found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, secret, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      collect(child, (secret || SECRET_KEY.test(key)) && !NOT_SECRET.has(key), found);
    }
  }
}
