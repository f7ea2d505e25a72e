/**
 * Times the YAML fast path (`parseSimpleYaml`) on the bench's big explicit-bindings manifests, each
 * run in a fresh process on an esbuild bundle as the CLI runs it: a cold process is what a
 * `kafkaform` run is, so JIT warm-up counts. Prints the median CPU and wall time of the runs.
 *
 *     npx tsx bench/yaml-fast.ts [--runs 7] [--against <git ref>]
 *
 * `--against` times that revision's `src/manifest/yaml-fast.ts` too, the two alternating run by run
 * so that other load on the machine falls on both alike.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { writeManifests } from './manifests.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, against: { type: 'string' } } });
const runs = Number(values.runs);

const dir = mkdtempSync(join(tmpdir(), 'yaml-fast-bench-'));
try {
  const manifests = writeManifests(join(dir, 'manifests'), { kind: 'v3', topics: 10_000, acls: 20_000, aclStyle: 'explicit' });
  const files = ['topics.yaml', 'acls.yaml'].map((f) => join(manifests, f));
  const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);

  const bundles: { name: string; file: string }[] = [];
  const bundle = async (name: string, source: string): Promise<void> => {
    const file = join(dir, `${name.replace(/\W/g, '_')}.mjs`);
    await build({ stdin: { contents: source, resolveDir: join(root, 'src/manifest'), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: file, logLevel: 'warning' });
    bundles.push({ name, file });
  };
  await bundle('working tree', readFileSync(join(root, 'src/manifest/yaml-fast.ts'), 'utf8'));
  if (values.against !== undefined) {
    await bundle(values.against, execFileSync('git', ['show', `${values.against}:src/manifest/yaml-fast.ts`], { cwd: root, encoding: 'utf8' }));
  }

  // The child reads the files first; only parsing is timed.
  const child = join(dir, 'child.mjs');
  writeFileSync(
    child,
    `import { readFileSync } from 'node:fs';
const [bundle, ...files] = process.argv.slice(2);
const { parseSimpleYaml } = await import(bundle);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const cpu = process.cpuUsage();
const wall = performance.now();
for (const t of texts) if (parseSimpleYaml(t) === undefined) throw new Error('left the fast path');
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 }));
`,
  );
  const times = new Map(bundles.map((b) => [b.name, [] as { wall: number; cpu: number }[]]));
  for (let r = 0; r < runs; r++) {
    for (const b of bundles) {
      const out = spawnSync(process.execPath, [child, b.file, ...files], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      times.get(b.name)?.push(JSON.parse(out.stdout) as { wall: number; cpu: number });
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] ?? NaN;
  };
  console.log(`parseSimpleYaml, ${(bytes / 1e6).toFixed(2)} MB, cold process, median of ${runs}`);
  for (const [name, ts] of times) {
    const cpu = median(ts.map((t) => t.cpu));
    const wall = median(ts.map((t) => t.wall));
    console.log(`  ${name.padEnd(14)} cpu ${cpu.toFixed(1).padStart(6)} ms   wall ${wall.toFixed(1).padStart(6)} ms   ${(bytes / 1e3 / wall).toFixed(1)} MB/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
