/**
 * Config values as a person writes them in a manifest: `7d` rather than `604800000`, `100MiB`
 * rather than `104857600`, numbers and booleans unquoted. A spelling is used only when the manifest
 * loader reads it back to exactly the value the cluster holds.
 */
import { canonicalConfigValue, humanizeConfigValue, normalizeConfigValue } from '../kafka/configs.js';
import type { WrittenConfigValue } from '../manifest/written.js';

/** A number or boolean for a canonical value that reads as one, else undefined. */
function typedScalar(value: string): number | boolean | undefined {
  if (value === 'true' || value === 'false') return value === 'true';
  if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(value)) return undefined;
  const n = Number(value);
  // Longs beyond 2^53 (and decimals a double cannot hold) stay strings.
  return String(n) === value ? n : undefined;
}

/**
 * How a manifest writes the value `value` (as the cluster reports it) of config `key`: with a
 * unit, as a number or boolean, or in Kafka's canonical spelling, whichever comes first in that
 * order and loads back to the same canonical value; else as the cluster spelled it.
 */
export function writtenConfigValue(key: string, value: string): WrittenConfigValue {
  const canonical = canonicalConfigValue(key, value);
  const human = humanizeConfigValue(key, canonical);
  const typed = typedScalar(canonical);
  for (const candidate of [human, typed, canonical]) {
    if (candidate === undefined) continue;
    const back = normalizeConfigValue(key, candidate);
    if (back.ok && back.value === canonical) return candidate;
  }
  return value;
}
