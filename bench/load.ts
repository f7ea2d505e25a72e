/**
 * Manifest loading alone: `loadManifests` on a directory, in a fresh process (a cold start, as
 * every CLI run is), then the desired state of its cluster. Run in its own process by
 * `bench/run.ts`; prints `{ms, cpuMs, bytes}` as JSON. It loads the compiled code (`dist/`, which
 * `npm run bench` builds first), as the CLI runs it: through tsx every function would also go
 * through its name-keeping wrapper, about a sixth of the time measured.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const compiled = new URL('../dist/manifest/index.js', import.meta.url).href;
const { loadManifests } = (await import(compiled)) as typeof import('../src/manifest/index.js');

const dir = process.argv[2] ?? '.';
const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const cpu0 = process.cpuUsage();
const started = performance.now();
const manifests = await loadManifests([dir], { env: {} });
for (const c of manifests.clusters) manifests.desiredFor(c.name);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes }));
