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

describe('README', () => {
  it("shows the quickstart's real output (lines elided with ... aside)", async () => {
    const readme = read(join(ROOT, 'README.md'));
    const block = /```\n\$ npx kafkaform plan examples\/quickstart\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block !== undefined, 'the README opens with the quickstart plan');
    const r = await kafkaform(['plan', 'examples/quickstart'], { cwd: ROOT });
    assert.equal(r.code, 0);
    // Every shown line is in the real output, in the same order.
    const actual = r.stdout.split('\n');
    let at = 0;
    for (const line of block.split('\n').filter((l) => l !== '' && l !== '...')) {
      const found = actual.indexOf(line, at);
      assert.notEqual(found, -1, `README line not in the real output (after line ${at}): ${line}\n--- real output ---\n${r.stdout}`);
      at = found + 1;
    }
  });
});
