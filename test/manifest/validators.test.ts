import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
// @ts-expect-error: a plain ESM script without types; it exports `generate` and `VALIDATORS`.
import { generate, VALIDATORS } from '../../scripts/manifest-validators.mjs';

describe('precompiled schema validators', () => {
  for (const target of VALIDATORS as { path: string; schema: string }[]) {
    it(`are in sync with schemas/${target.schema} (run \`npm run build:validators\` and commit the file)`, () => {
      const fresh = (generate as (t: unknown) => string)(target);
      const committed = readFileSync(target.path, 'utf8');
      assert.ok(fresh === committed, `${relative(process.cwd(), target.path)} is stale: regenerated ${fresh.length} characters, committed ${committed.length}`);
    });
  }
});
