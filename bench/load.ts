/**
 * Manifest loading alone: `loadManifests` on a directory, in a fresh process (a cold start, as
 * every CLI run is), then the desired state of its cluster. Run in its own process by
 * `bench/run.ts`; prints `{ms, cpuMs, bytes}` as JSON.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests } from '../src/manifest/index.js';

const dir = process.argv[2] ?? '.';
const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const cpu0 = process.cpuUsage();
const started = performance.now();
const manifests = await loadManifests([dir], { env: {} });
for (const c of manifests.clusters) manifests.desiredFor(c.name);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes }));
