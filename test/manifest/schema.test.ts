import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { ACL_OPERATIONS, ACL_PERMISSIONS, PATTERN_TYPES, RESOURCE_TYPES, type JsonValue, type SourceLocation } from '../../src/model.js';
import { TOPIC_CONFIGS } from '../../src/kafka/configs.js';
import { MANIFEST_SCHEMA_URL, checkSchema } from '../../src/manifest/schema.js';
import { validateManifest } from '../../src/manifest/schema.validators.js';
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

describe('schema checks of topics and explicit ACL entries', () => {
  // checkSchema tests the plainest items itself and leaves the rest of the document to ajv; the
  // outcome must be what ajv says of the whole document. A valid role entry at the end of `acls`
  // is never one of those items, so it makes checkSchema hand ajv everything as written.
  const roleEntry = { principal: 'User:r', role: 'consumer', topics: ['t'] };
  const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 3 });
  const scalar = fc.constantFrom<JsonValue>('x', '', 0, -1, 1.5, true, false);
  const configValue = fc.oneof(scalar, fc.constant(null), fc.constant({}), fc.array(fc.oneof(scalar, fc.constant(null), fc.constant(['a']), fc.constant({})), { maxLength: 3 }));
  const config: fc.Arbitrary<JsonValue> = fc.oneof(fc.dictionary(fc.constantFrom('retention.ms', 'cleanup.policy', 'x.y'), configValue, { maxKeys: 3 }), fc.constantFrom<JsonValue>([], 'compact', null)) as fc.Arbitrary<JsonValue>;
  /**
   * Items near the schema's edge: a valid item with up to two fields replaced by a value from
   * `fields` (valid or not) or dropped (`undefined`), so most items are plain and many are one
   * change away from it.
   */
  const near = (base: fc.Arbitrary<Record<string, JsonValue>>, fields: Record<string, fc.Arbitrary<JsonValue | undefined>>): fc.Arbitrary<JsonValue> =>
    fc
      .tuple(base, fc.array(fc.oneof(...Object.entries(fields).map(([k, v]) => v.map((value) => [k, value] as const))), { maxLength: 2 }))
      .map(([item, changes]) => {
        const out: Record<string, JsonValue> = { ...item };
        for (const [k, v] of changes) {
          if (v === undefined) delete out[k];
          else out[k] = v;
        }
        return out;
      });
  const topic = near(
    fc.record({ name: fc.constantFrom('orders', 'a.b'), partitions: fc.constantFrom(1, 6), replicationFactor: fc.constantFrom(1, 3, 32767), config: fc.dictionary(fc.constantFrom('retention.ms', 'x.y'), scalar, { maxKeys: 2 }) }, { requiredKeys: ['name'] }),
    {
      name: fc.constantFrom<JsonValue | undefined>('', 3, null, undefined),
      partitions: fc.constantFrom<JsonValue | undefined>(0, -1, 1.5, '6', 2 ** 53, null, undefined),
      replicationFactor: fc.constantFrom<JsonValue | undefined>(32768, 0, 2.5, '3', undefined),
      config: fc.oneof(config, fc.constant(undefined)),
      replicas: fc.constant<JsonValue>(3),
    },
  );
  const binding = near(
    fc.record(
      {
        principal: fc.constantFrom('User:a', 'User:b'),
        resourceType: fc.constantFrom(...RESOURCE_TYPES),
        resourceName: fc.constantFrom('orders', '*'),
        patternType: fc.constantFrom(...PATTERN_TYPES),
        operations: fc.array(fc.constantFrom(...ACL_OPERATIONS), { minLength: 1, maxLength: 3 }),
        host: fc.constantFrom('*', '10.0.0.1'),
        permission: fc.constantFrom(...ACL_PERMISSIONS),
      },
      { requiredKeys: ['principal', 'resourceType', 'resourceName', 'operations'] },
    ),
    {
      principal: fc.constantFrom<JsonValue | undefined>('', 5, undefined),
      resourceType: fc.constantFrom<JsonValue | undefined>('topic', 'ANY', 1, undefined),
      resourceName: fc.constantFrom<JsonValue | undefined>('', 2, undefined),
      patternType: fc.constantFrom<JsonValue | undefined>('MATCH', 'literal', undefined),
      operations: fc.oneof(fc.array(fc.constantFrom<JsonValue>(...ACL_OPERATIONS, 'ANY', 'read', 4), { maxLength: 2 }), fc.constantFrom<JsonValue | undefined>('READ', null, undefined)),
      host: fc.constantFrom<JsonValue | undefined>('', 1, undefined),
      permission: fc.constantFrom<JsonValue | undefined>('allow', true, undefined),
      role: fc.constantFrom<JsonValue>('consumer', 'nobody'),
      topics: fc.constant<JsonValue>(['t']),
      extra: fc.constant<JsonValue>('x'),
    },
  );
  const document = fc.record(
    {
      topics: maybe(fc.oneof(fc.array(topic, { maxLength: 3 }), fc.constant<JsonValue>({}))),
      acls: maybe(fc.array(binding, { maxLength: 3 })),
      scope: maybe(fc.constantFrom<JsonValue>({ topics: ['a.'] }, 5)),
    },
    { requiredKeys: [] },
  );
  const locate = (path: string): SourceLocation => ({ file: 'm.yaml', line: 1, column: 1, path });
  const manifest = (parts: object): JsonValue =>
    JSON.parse(JSON.stringify({ apiVersion: 'kafkaform/v1', ...parts })) as JsonValue;

  it('reports what ajv reports on the whole document', () => {
    fc.assert(
      fc.property(document, (parts) => {
        const doc = manifest(parts);
        const acls: unknown[] = Array.isArray(parts.acls) ? [...parts.acls, roleEntry] : [roleEntry];
        const whole = checkSchema(manifest({ ...parts, acls }), locate);
        const problems = checkSchema(doc, locate);
        assert.deepEqual(problems.length === 0, validateManifest(doc), JSON.stringify(doc));
        assert.deepEqual(problems, whole, JSON.stringify(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it('knows the enums of the schema', () => {
    const defs = (schema as unknown as { $defs: Record<string, { properties: Record<string, { enum?: string[]; items?: { enum: string[] } }> }> }).$defs;
    const binding = defs['aclBinding']?.properties ?? {};
    assert.deepEqual([...(binding['resourceType']?.enum ?? [])].sort(), [...RESOURCE_TYPES].sort());
    assert.deepEqual([...(binding['patternType']?.enum ?? [])].sort(), [...PATTERN_TYPES].sort());
    assert.deepEqual([...(binding['operations']?.items?.enum ?? [])].sort(), [...ACL_OPERATIONS].sort());
  });
});
