/**
 * Manifest loading alone: `loadManifests` on a directory, in a fresh process (a cold start, as
 * every CLI run is), then the desired state of its cluster. Run in its own process by
 * `bench/run.ts`; prints `{ms, cpuMs, bytes}` as JSON. The manifest code is bundled first, with the
 * CLI's esbuild options, and run as the CLI runs it: through tsx every function would also go
 * through its name-keeping wrapper, about a sixth of the time measured; and with the CLI's V8
 * flags, which `bin/load-cli.js` sets when it is imported.
 */
import '../bin/load-cli.js';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/** `action/build.mjs`, which the CLI's bundle script uses too. */
interface BundleOptions {
  buildOptions(outfile: string): BuildOptions;
}
const { buildOptions } = (await import(new URL('../action/build.mjs', import.meta.url).href)) as BundleOptions;
const bundled = join(mkdtempSync(join(tmpdir(), 'kafkaform-load-')), 'manifest.mjs');
await build({ ...buildOptions(bundled), entryPoints: ['src/manifest/index.ts'], write: true });
const { loadManifests } = (await import(pathToFileURL(bundled).href)) as typeof import('../src/manifest/index.js');
rmSync(dirname(bundled), { recursive: true, force: true });

const dir = process.argv[2] ?? '.';
const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const cpu0 = process.cpuUsage();
const started = performance.now();
const manifests = await loadManifests([dir], { env: {} });
for (const c of manifests.clusters) manifests.desiredFor(c.name);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes }));
