/**
 * The package as users get it: `npm pack`'s tarball, installed into a temporary prefix with its
 * production dependencies, then run by the `kafkaform` command npm links.
 *
 * Nothing goes to the network (`--offline`): the dependencies come from the npm cache, pinned by
 * the repository's package-lock.json, whose tarballs `npm ci` put there. A lockfile install needs
 * no registry metadata, which `npm install -g <tarball>` would (a CI cache filled by `npm ci` lacks
 * it). If the cache lacks a tarball, the test is skipped with a line saying so, unless
 * KAFKAFORM_REQUIRE_PACKAGE_INSTALL=1 (.ci/run) makes that a failure.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BUILT = existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  dependencies: Record<string, string>;
};

/** npm itself, as the node running the tests runs it (the one on PATH otherwise). */
function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return spawnSync('npm', args, { cwd, env, encoding: 'utf8' });
}

interface PackedFile {
  path: string;
}

describe('the npm package', { skip: !BUILT && 'dist/bundle is missing: run `npm run build` first (npm test does)' }, () => {
  const work = mkdtempSync(join(tmpdir(), 'kafkaform-package-'));
  let tarball = '';
  let files: string[] = [];
  let installed: string | undefined;
  let cacheMiss: string | undefined;

  before(() => {
    // --ignore-scripts: `prepare` would rebuild dist/bundle under the feet of tests running the CLI.
    const pack = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
    assert.equal(pack.status, 0, pack.stderr);
    const [result] = JSON.parse(pack.stdout) as Array<{ filename: string; files: PackedFile[] }>;
    tarball = join(work, result!.filename);
    files = result!.files.map((f) => f.path).sort();

    // A project depending on the tarball alone, its lockfile the tarball plus the production
    // entries of ours: exactly the versions the tests ran with.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const packages: Record<string, unknown> = {
      '': { name: 'kafkaform-install-test', dependencies: { kafkaform: `file:${result!.filename}` } },
      'node_modules/kafkaform': {
        version: manifest.version,
        resolved: `file:${result!.filename}`,
        license: manifest.license,
        dependencies: manifest.dependencies,
        bin: { kafkaform: 'bin/kafkaform.js' },
      },
    };
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && entry.dev !== true) packages[path] = entry;
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'kafkaform-install-test', private: true, dependencies: { kafkaform: `file:${result!.filename}` } }));
    writeFileSync(join(work, 'package-lock.json'), JSON.stringify({ name: 'kafkaform-install-test', lockfileVersion: 3, requires: true, packages }));

    const ci = npm(['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], work);
    if (ci.status === 0) installed = join(work, 'node_modules', '.bin', 'kafkaform');
    else if (/ENOTCACHED/.test(ci.stderr) && process.env['KAFKAFORM_REQUIRE_PACKAGE_INSTALL'] !== '1') cacheMiss = ci.stderr;
    else assert.fail(`npm ci of the packed tarball failed:\n${ci.stderr}`);
  });

  it('holds the CLI and nothing else: the bundle and its code cache, the schemas, the licence, no source maps', () => {
    const outside = files.filter(
      (f) => !/^(bin\/(kafkaform|load-cli)\.js|dist\/bundle\/([\w-]+\.cjs|main\.cache)|schemas\/[\w.]+\.schema\.json|LICENSE|README\.md|package\.json)$/.test(f),
    );
    assert.deepEqual(outside, []);
    assert.ok(files.includes('dist/bundle/main.cjs'));
    assert.ok(files.includes('dist/bundle/main.cache'));
    assert.ok(files.includes('LICENSE'));
    for (const f of files.filter((p) => p.startsWith('dist/') && p.endsWith('.cjs'))) {
      assert.doesNotMatch(readFileSync(join(ROOT, f), 'utf8'), /sourceMappingURL/, `${f} points at a source map`);
    }
  });

  it('carries the licence package.json names', () => {
    assert.equal(manifest.license, 'Apache-2.0');
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    assert.match(text, /^\s*Apache License\s+Version 2\.0, January 2004/);
  });

  it('installs from the tarball and runs `kafkaform --version` and the quickstart plan', (t) => {
    if (installed === undefined) {
      t.skip(`the npm cache lacks a dependency tarball (run \`npm ci\` first): ${cacheMiss?.split('\n').find((l) => l.includes('request to')) ?? 'ENOTCACHED'}`);
      return;
    }
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
    const version = spawnSync(installed, ['--version'], { cwd: work, env, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), manifest.version);

    // The quickstart as a user runs it with the installed command, in a copy of the example.
    const example = join(work, 'quickstart');
    cpSync(join(ROOT, 'examples', 'quickstart'), example, { recursive: true });
    const plan = spawnSync(installed, ['plan', '.'], { cwd: example, env, encoding: 'utf8' });
    assert.equal(plan.status, 0, plan.stderr);
    const fromRepo = spawnSync(process.execPath, [join(ROOT, 'bin', 'kafkaform.js'), 'plan', '.'], { cwd: example, env, encoding: 'utf8' });
    assert.equal(plan.stdout, fromRepo.stdout);
    assert.match(plan.stdout, /Plan: \d+ to create/);

    // A Kafka cluster loads the Kafka protocol client, which the bundle leaves to the installed
    // dependencies: it is found when the failure is the connection, not a missing module.
    const kafka = join(work, 'kafka');
    mkdirSync(kafka);
    writeFileSync(
      join(kafka, 'kafkaform.yaml'),
      'apiVersion: kafkaform/v1\nclusters:\n  local:\n    type: kafka\n    bootstrapServers: ["127.0.0.1:1"]\ntopics:\n  - name: t\n    partitions: 1\n    replicationFactor: 1\n',
    );
    const unreachable = spawnSync(installed, ['plan', '.', '--timeout', '10s'], { cwd: kafka, env, encoding: 'utf8' });
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /^error: Cannot connect to cluster local: no broker answered \(127\.0\.0\.1:1: connection refused\)$/m);
  });
});

describe('npx kafkaform in a clone', { skip: !BUILT && 'dist/bundle is missing: run `npm run build` first (npm test does)' }, () => {
  it('runs the build `npm ci` made instead of rebuilding it first', () => {
    // npx links the clone into its cache (a fresh one here, so this is its first run) and runs
    // `prepare` there; a rebuild would rewrite dist/bundle.
    const bundle = join(ROOT, 'dist', 'bundle', 'main.cjs');
    const before = { mtime: statSync(bundle).mtimeMs, text: readFileSync(bundle, 'utf8') };
    const cache = mkdtempSync(join(tmpdir(), 'kafkaform-npx-cache-'));
    const run = spawnSync('npx', ['--offline', 'kafkaform', '--version'], {
      cwd: ROOT,
      env: { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), manifest.version);
    assert.match(readFileSync(join(cache, '_logs', readdirSync(join(cache, '_logs'))[0]!), 'utf8'), /info run kafkaform@[\d.]+ prepare /, 'npx ran prepare');
    assert.equal(statSync(bundle).mtimeMs, before.mtime);
    assert.equal(readFileSync(bundle, 'utf8'), before.text);
  });
});
