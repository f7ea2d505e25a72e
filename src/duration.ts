/** Durations as people write and read them in flags and messages: `500ms`, `30s`, `10m`, `1h`. */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of a duration written with a unit (`500ms`, `30s`, `1.5m`, `2h`), or undefined when
 * the text is not one. A bare number is refused: seconds and milliseconds are both plausible.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1));
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** `250 ms`, `4 s`, `1.5 s`, `10 min`, `2 h`: the largest unit that keeps one decimal at most. */
export function formatDuration(ms: number): string {
  const round = (n: number): string => String(Math.round(n * 10) / 10);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${round(ms / 1000)} s`;
  if (ms < 3_600_000 || ms % 3_600_000 !== 0) return `${ms / 60_000} min`;
  return `${ms / 3_600_000} h`;
}
