import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, ROOT } from './step.js';

describe('action bundle', () => {
  it('is in sync with the sources (run `npm run build:action` and commit action/index.mjs)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kafkaform-bundle-')), 'index.mjs');
    const build = spawnSync(process.execPath, [join(ROOT, 'action', 'build.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const fresh = readFileSync(out);
    const committed = readFileSync(BUNDLE);
    assert.ok(fresh.equals(committed), `action/index.mjs is stale: rebuilt ${fresh.length} bytes, committed ${committed.length} bytes`);
  });

  it('carries no path of the machine that built it', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    assert.equal(text.includes(ROOT), false);
    assert.doesNotMatch(text, /\/(home|Users|tmp)\/[^'"\s]*kafkaform/);
  });
});
