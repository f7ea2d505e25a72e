import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ESM script without types; it exports `generate` and `validatorsPath`.
import { generate, validatorsPath } from '../../scripts/manifest-validators.mjs';

describe('precompiled manifest validators', () => {
  it('are in sync with schemas/manifest.schema.json (run `npm run build:validators` and commit the file)', () => {
    const fresh = (generate as () => string)();
    const committed = readFileSync(validatorsPath as string, 'utf8');
    assert.ok(fresh === committed, `src/manifest/schema.validators.ts is stale: regenerated ${fresh.length} characters, committed ${committed.length}`);
  });
});
