// Renderers on hostile input: plans computed from names, keys and values full of control
// characters, ANSI/OSC sequences, bidi overrides, lone surrogates and markdown syntax. No renderer
// throws, none lets a raw control character through, and the JSON says exactly what the plan says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AclBinding, DesiredState, LiveConfig, LiveState, Plan } from '../../src/model.js';
import { ACL_OPERATIONS, PATTERN_TYPES, RESOURCE_TYPES } from '../../src/model.js';
import { plan } from '../../src/plan/index.js';
import { renderJson, renderMarkdown, renderText, safe } from '../../src/render/index.js';
import { capabilities, hostileString } from '../support/arbitraries.js';
import { check, Tally } from './runner.js';

/**
 * What a terminal or a markdown viewer may interpret: C0 (except the newlines the renderer itself
 * writes), DEL, C1, bidi controls, line/paragraph separators, BOM, lone surrogates. Written here
 * independently of src/render/escape.ts.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
/** The renderer's own colour codes: SGR sequences only. */
const SGR = /\u001b\[[0-9;]*m/g;

const name = fc.oneof(hostileString, fc.constantFrom('orders.a', 'orders.b', 'payments.x'));

const liveConfig: fc.Arbitrary<LiveConfig> = fc.record({
  value: fc.option(hostileString, { nil: null }),
  setOnTopic: fc.boolean(),
  source: fc.constantFrom('DYNAMIC_TOPIC_CONFIG' as const, 'DEFAULT_CONFIG' as const),
  readOnly: fc.boolean(),
  sensitive: fc.boolean(),
});

const binding: fc.Arbitrary<AclBinding> = fc.record({
  principal: fc.oneof(hostileString, fc.constant('User:alice')),
  host: fc.oneof(hostileString, fc.constant('*')),
  resourceType: fc.constantFrom(...RESOURCE_TYPES),
  resourceName: name,
  patternType: fc.constantFrom(...PATTERN_TYPES),
  operation: fc.constantFrom(...ACL_OPERATIONS),
  permission: fc.constantFrom('ALLOW' as const, 'DENY' as const),
});

const hostileInputs = fc.record({
  desiredTopics: fc.uniqueArray(
    fc.record({
      name,
      partitions: fc.integer({ min: 1, max: 5 }),
      replicationFactor: fc.integer({ min: 1, max: 3 }),
      config: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
    }),
    { selector: (t) => t.name, maxLength: 4 },
  ),
  liveTopics: fc.uniqueArray(
    fc.record({
      name,
      partitions: fc.integer({ min: 1, max: 5 }),
      replicationFactor: fc.integer({ min: 1, max: 3 }),
      internal: fc.boolean(),
      configs: fc.dictionary(hostileString, liveConfig, { maxKeys: 3 }),
    }),
    { selector: (t) => t.name, maxLength: 4 },
  ),
  desiredAcls: fc.array(binding, { maxLength: 3 }),
  liveAcls: fc.array(binding, { maxLength: 4 }),
  prefixes: fc.subarray(['', 'orders.', '\u001b'], { maxLength: 2 }),
  principals: fc.array(fc.oneof(hostileString, fc.constant('User:alice')), { maxLength: 2 }),
  cluster: fc.oneof(hostileString, fc.constant('prod')),
  capabilities,
  allowDelete: fc.boolean(),
  maxAclDeletes: fc.integer({ min: 0, max: 5 }),
});

type HostileInputs = typeof hostileInputs extends fc.Arbitrary<infer U> ? U : never;

function hostilePlan(i: HostileInputs): Plan {
  const source = { file: 'x.yaml', line: 1, column: 1, path: '' };
  const desired: DesiredState = {
    topics: i.desiredTopics.map((t) => ({ ...t, source })),
    acls: i.desiredAcls.map((a) => ({ ...a, source })),
    scope: { topicPrefixes: i.prefixes, groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: i.principals },
  };
  const live: LiveState = { clusterId: 'c', topics: i.liveTopics, acls: i.liveAcls, principals: ['User:alice'] };
  return plan(desired, live, {
    cluster: { name: i.cluster, type: 'snapshot' },
    capabilities: i.capabilities,
    allowDelete: i.allowDelete,
    maxAclDeletes: i.maxAclDeletes,
  });
}

function firstUnsafe(text: string): string | undefined {
  const m = UNSAFE.exec(text);
  return m ? `${JSON.stringify(m[0])} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}` : undefined;
}

describe('renderers on hostile names and values', () => {
  it('never throw, never emit raw control characters, and show every resource escaped', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'renderers',
      1500,
      fc.property(hostileInputs, (inputs) => {
        const p = hostilePlan(inputs);
        tally.bump('plans with actions', p.actions.length > 0);
        tally.bump('plans with errors', p.errors.length > 0);
        tally.bump('plans with warnings', p.warnings.length > 0);

        const plain = renderText(p, { color: false });
        assert.ok(!plain.includes('\u001b'), 'ESC in uncoloured text');
        assert.equal(firstUnsafe(plain), undefined, 'text');
        const colored = renderText(p, { color: true });
        assert.equal(firstUnsafe(colored.replace(SGR, '')), undefined, 'coloured text');
        assert.equal(colored.replace(SGR, ''), plain, 'colour changes only colour');

        const md = renderMarkdown(p);
        assert.equal(firstUnsafe(md), undefined, 'markdown');

        const json = renderJson(p);
        assert.equal(firstUnsafe(json), undefined, 'JSON');
        assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(p)), 'JSON round trip');

        // Every topic acted on is shown, in its escaped form.
        for (const a of p.actions) {
          if (a.resource.kind !== 'topic') continue;
          assert.ok(plain.includes(safe(a.resource.name)), `topic ${JSON.stringify(a.resource.name)} missing from the text plan`);
        }
        tally.bump('hostile names shown', p.actions.some((a) => a.resource.kind === 'topic' && safe(a.resource.name) !== a.resource.name));
      }),
      tally,
    );
    assert.ok(tally.get('hostile names shown') > 100, tally.toString());
  });
});
