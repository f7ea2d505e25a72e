import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { TOPIC_CONFIGS } from '../../src/kafka/configs.js';
import { MANIFEST_SCHEMA_URL, checkSchema } from '../../src/manifest/schema.js';
import { parseYaml } from '../../src/manifest/yaml.js';

const schema = JSON.parse(readFileSync(MANIFEST_SCHEMA_URL, 'utf8')) as {
  $schema: string;
  $defs: { config: { properties: Record<string, { description: string }> } };
};
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('manifest schema', () => {
  it('is a valid JSON Schema 2020-12 under ajv strict mode', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    assert.doesNotThrow(() => ajv.compile(schema));
  });

  it('describes every catalog config (for editor completion) and nothing else', () => {
    assert.deepEqual(Object.keys(schema.$defs.config.properties).sort(), [...TOPIC_CONFIGS.keys()].sort());
    assert.match(schema.$defs.config.properties['retention.ms']?.description ?? '', /Kafka default: 604800000 \(7d\)/);
  });

  it('accepts every example manifest', { skip: !existsSync(examples) && 'no examples/ directory' }, () => {
    const files = yamlFiles(examples).filter((f) => readFileSync(f, 'utf8').includes('apiVersion: kafkaform/'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const parsed = parseYaml(file, readFileSync(file, 'utf8'));
      assert.deepEqual(parsed.problems, [], file);
      for (const doc of parsed.documents) assert.deepEqual(checkSchema(doc.value, doc.locate), [], file);
    }
  });
});
