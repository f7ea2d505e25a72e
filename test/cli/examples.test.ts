import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaform, read, ROOT } from './helpers.js';

// examples/github holds workflow files, not manifests (the GitHub Action's own tests cover them).
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'github')
  .map((e) => e.name)
  .sort();

describe('examples', { concurrency: true }, () => {
  it('exist', async () => {
    assert.ok(EXAMPLES.includes('quickstart'));
    assert.ok(EXAMPLES.length >= 3);
  });

  for (const name of EXAMPLES) {
    it(`${name} validates offline, and every manifest names the schema for editors`, async () => {
      const r = await kafkaform(['validate', join('examples', name)], { cwd: ROOT });
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const manifests = readdirSync(join(ROOT, 'examples', name)).filter((f) => /\.ya?ml$/.test(f));
      assert.ok(manifests.length > 0);
      for (const file of manifests) {
        assert.match(
          read(join(ROOT, 'examples', name, file)),
          /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/manifest\.schema\.json\n/,
          file,
        );
      }
    });
  }
});
