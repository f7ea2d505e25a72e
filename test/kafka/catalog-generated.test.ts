import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain ESM script without types; it exports `generate`, `toolsPresent`, `catalogDir`.
import { catalogDir, generate, toolsPresent } from '../../scripts/kafka-catalog/generate.mjs';

const tools = (toolsPresent as () => boolean)();

describe('generated Kafka catalogs', () => {
  it(
    'match what Kafka\'s own jars define (run `node scripts/kafka-catalog/generate.mjs` and commit)',
    { skip: !tools && 'needs java and mvn to regenerate the catalogs (CI has both)' },
    () => {
      const fresh = (generate as () => Map<string, string>)();
      const dir = catalogDir as string;
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.json')).sort(), [...fresh.keys()].sort());
      for (const [name, text] of fresh) {
        assert.ok(existsSync(join(dir, name)) && readFileSync(join(dir, name), 'utf8') === text, `src/kafka/catalog/${name} is stale`);
      }
    },
  );
});
