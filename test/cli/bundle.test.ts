// The CLI bundle as `npm run build` leaves it (scripts/bundle-cli.mjs): its code cache is the one
// V8 takes, and the libraries kept in files of their own are read only by the runs that need them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.js';

/**
 * Runs `argv` through bin/load-cli.js in a plain `node` (no test runner flags: V8 checks its flags
 * against the cache's), then reports whether V8 took the cache and which of the bundle's own files
 * were `require`d.
 */
function loaded(argv: string[]): { rejected: boolean; code: number; files: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    import { loadCli } from ${JSON.stringify(pathToFileURL(join(ROOT, 'bin', 'load-cli.js')).href)};
    const { cli, script } = loadCli();
    const quiet = { stdout: () => undefined, stderr: () => undefined, env: {}, isTTY: false, prompt: async () => null };
    const code = await cli.main(${JSON.stringify(argv)}, quiet);
    const files = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('dist/bundle/')).map((f) => f.slice(f.lastIndexOf('/') + 1));
    process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, code, files }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { rejected: boolean; code: number; files: string[] };
}

describe('the CLI bundle', () => {
  it('is compiled with the code cache the build wrote', () => {
    assert.equal(loaded(['--version']).rejected, false);
  });

  it('bundles neither the yaml library nor undici into the file every run reads', () => {
    const text = readFileSync(join(ROOT, 'dist', 'bundle', 'main.cjs'), 'utf8');
    assert.doesNotMatch(text, /^\/\/ node_modules\/(yaml|undici)\//m);
  });

  it('plans the quickstart without reading yaml.cjs or undici.cjs; a message placed in a file reads yaml.cjs', () => {
    const quickstart = loaded(['plan', join(ROOT, 'examples', 'quickstart')]);
    assert.equal(quickstart.code, 0);
    assert.deepEqual(quickstart.files, []);

    // The line and column of a problem come from the library.
    const dir = mkdtempSync(join(tmpdir(), 'kafkaform-bundle-'));
    cpSync(join(ROOT, 'examples', 'quickstart'), dir, { recursive: true });
    writeFileSync(join(dir, 'extra.yaml'), 'apiVersion: kafkaform/v1\ntopics:\n  - name: extra\n    partitions: many\n');
    const located = loaded(['validate', dir]);
    assert.equal(located.code, 1);
    assert.deepEqual(located.files, ['yaml.cjs']);
  });
});
