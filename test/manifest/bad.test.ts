// The corpus of bad manifests: each test/manifest/bad/<case>.yaml is loaded on its own and must
// fail with exactly the problems in <case>.expected (one `line:column severity message (path)` per
// line); each directory test/manifest/bad/<case>/ is walked as a user's manifest folder and must
// fail with the problems in <case>.expected, prefixed by the file relative to the folder.
// KAFKAFORM_UPDATE_BAD=1 rewrites the expectations; review the diff before committing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestError } from '../../src/errors.js';
import { loadManifests } from '../../src/manifest/index.js';
import { clusterSettingProblems } from '../../src/targets/index.js';

const dir = fileURLToPath(new URL('./bad/', import.meta.url));
const update = process.env['KAFKAFORM_UPDATE_BAD'] === '1';

describe('bad manifests', () => {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || statSync(join(dir, f)).isDirectory())
    .sort();
  it('has cases', () => assert.ok(cases.length >= 10));
  for (const file of cases) {
    it(file, async () => {
      const path = join(dir, file);
      let lines: string[] | undefined;
      try {
        await loadManifests([path], { env: {}, clusterProblems: clusterSettingProblems });
      } catch (e) {
        if (!(e instanceof ManifestError)) throw e;
        const folder = !file.endsWith('.yaml');
        lines = e.problems.map((p) => {
          if (!folder) assert.equal(p.file, path);
          const where = folder ? `${relative(path, p.file) || '.'}:` : '';
          return `${where}${p.line}:${p.column} ${p.severity} ${p.message}${p.path ? ` (${p.path})` : ''}`;
        });
      }
      assert.ok(lines, `${file} was accepted`);
      const expectedFile = `${path.replace(/\.yaml$/, '')}.expected`;
      if (update) writeFileSync(expectedFile, `${lines.join('\n')}\n`);
      assert.ok(existsSync(expectedFile), `${expectedFile} is missing (run with KAFKAFORM_UPDATE_BAD=1)`);
      assert.deepEqual(lines, readFileSync(expectedFile, 'utf8').trimEnd().split('\n'));
    });
  }
});
