// The build: the ahead-of-time schema validators (scripts/manifest-validators.mjs), then the CLI
// bundle in dist/bundle/ that bin/kafkaform.js runs (scripts/bundle-cli.mjs). Nothing else is
// needed at run time; type checking is `npm run typecheck`.
//
// `npm run build` always builds. `--prepare` is npm's `prepare` script, which npm also runs where
// building is wrong or impossible as it stands:
// - `npx kafkaform` in a clone links the clone into npx's cache and runs `prepare` on it first;
//   `npm ci` already built it, so an existing bundle is used as it is (later npx runs skip
//   `prepare` anyway).
// - `npm install -g git+…` prepares the clone with an `npm install` that inherits the global
//   install's settings (npm/cli#8440): it installs nothing into the clone, so the build's own
//   dependencies (esbuild, ajv) are missing. They are installed into the clone here, from the
//   lockfile, before building. `npm install -g <folder>` of a clone without node_modules is the same case.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not imported from action/build.mjs: that module loads esbuild, which may not be installed yet.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const prepare = process.argv.includes('--prepare');
const env = process.env;

if (prepare && env.npm_command === 'exec' && existsSync(join(repoRoot, 'dist', 'bundle', 'main.js'))) process.exit(0);

if (prepare && env.npm_config_global === 'true' && !resolvable('esbuild')) {
  const npm = env.npm_execpath?.endsWith('.js') ? [process.execPath, env.npm_execpath] : ['npm'];
  const local = Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_config_(global|prefix|location)$/i.test(key)));
  const args = ['install', '--global=false', `--prefix=${repoRoot}`, '--include=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund'];
  run(npm[0], [...npm.slice(1), ...args], local);
}

run(process.execPath, [join(repoRoot, 'scripts', 'manifest-validators.mjs')], env);
run(process.execPath, [join(repoRoot, 'scripts', 'bundle-cli.mjs')], env);

function resolvable(name) {
  try {
    createRequire(join(repoRoot, 'package.json')).resolve(name);
    return true;
  } catch {
    return false;
  }
}

function run(command, args, childEnv) {
  const result = spawnSync(command, args, { cwd: repoRoot, env: childEnv, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
