// The build: the ahead-of-time schema validators (scripts/manifest-validators.mjs), then the CLI
// bundle in dist/bundle/ that bin/kafkaform.js runs (scripts/bundle-cli.mjs). Nothing else is
// needed at run time; type checking is `npm run typecheck`.
//
// `npm run build` always builds. `--prepare` is npm's `prepare` script, which `npx kafkaform` in a
// clone also runs: npx links the clone into its cache and prepares it first. `npm ci` already
// built it, so an existing bundle is used as it is (npx's later runs skip `prepare` anyway).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not imported from action/build.mjs: that module loads esbuild, which may not be installed yet.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const prepare = process.argv.includes('--prepare');

if (prepare && process.env.npm_command === 'exec' && existsSync(join(repoRoot, 'dist', 'bundle', 'main.cjs'))) process.exit(0);

run('manifest-validators.mjs');
run('bundle-cli.mjs');

function run(script) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', script)], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
