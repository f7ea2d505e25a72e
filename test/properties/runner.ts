/**
 * How the property suites run fast-check: case counts (scaled up by `KAFKAFORM_SOAK`), a seed that
 * is printed before every run and can be replayed with `KAFKAFORM_SEED` (plus `KAFKAFORM_PATH` to
 * jump straight to the shrunk counterexample fast-check reports), and counters for the figures.
 *
 *   KAFKAFORM_SEED=1234 KAFKAFORM_PATH="7:1:0" node test/run.mjs test/properties/convergence.test.ts
 *   KAFKAFORM_SOAK=1 node test/run.mjs test/properties   # 25× the cases; KAFKAFORM_SOAK=100 for 100×
 */
import fc from 'fast-check';
import type { TestContext } from 'node:test';

/** The soak multiplier: 1 normally, 25 with `KAFKAFORM_SOAK=1`, N with `KAFKAFORM_SOAK=N`. */
export function soakFactor(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['KAFKAFORM_SOAK'];
  if (raw === undefined || raw === '' || raw === '0') return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n > 1 ? n : 25;
}

/** The seed CI runs with, so a submission is judged on the same cases every time it is run. */
export const CI_SEED = 20261121;

/**
 * The seed of this run: `KAFKAFORM_SEED` when set; under CI (`CI` set) the fixed `CI_SEED`, so CI
 * is reproducible; otherwise a fresh one, so developers' runs keep exploring new cases. Always
 * printed, so any run can be replayed.
 */
export function runSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['KAFKAFORM_SEED'];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new Error(`KAFKAFORM_SEED must be an integer, got ${JSON.stringify(raw)}`);
    return n | 0;
  }
  if (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false') return CI_SEED;
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

/** Named counters a property bumps, printed next to the case count. */
export class Tally {
  readonly counts = new Map<string, number>();
  /** Adds one to `name` when `when` is true. */
  bump(name: string, when = true): void {
    if (when) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  /** `name` so far. */
  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
  /** `a=1, b=2`, sorted by name. */
  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  }
}

/**
 * Runs `property` for `baseRuns × soakFactor()` cases with this run's seed; prints the seed and the
 * tally as test diagnostics, and on failure rethrows fast-check's report with the replay command.
 * `shrink: false` reports the first counterexample as found (for properties that spawn processes).
 */
export async function check<T>(
  t: TestContext,
  name: string,
  baseRuns: number,
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
  tally?: Tally,
  options: { shrink?: boolean } = {},
): Promise<void> {
  const seed = runSeed();
  const numRuns = baseRuns * soakFactor();
  const path = process.env['KAFKAFORM_PATH'];
  // Shrinking replays the property hundreds of times: off for the ones that spawn processes.
  const endOnFailure = path !== undefined || options.shrink === false;
  const params: fc.Parameters<T> = { seed, numRuns, ...(path ? { path } : {}), ...(endOnFailure ? { endOnFailure: true } : {}) };
  t.diagnostic(`${name}: seed ${seed}, ${numRuns} cases`);
  try {
    if (property.isAsync()) await fc.assert(property as fc.IAsyncProperty<T>, params);
    else fc.assert(property as fc.IProperty<T>, params);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const failedPath = /path: "([^"]*)"/.exec(message)?.[1];
    throw new Error(
      `${message}\n\nReplay: KAFKAFORM_SEED=${seed}${failedPath ? ` KAFKAFORM_PATH="${failedPath}"` : ''} node test/run.mjs ${process.argv.find((a) => a.endsWith('.test.ts')) ?? 'test/properties'}`,
      { cause: e },
    );
  }
  if (tally) t.diagnostic(`${name}: ${tally.toString()}`);
}
