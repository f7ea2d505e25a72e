// Property tests of the planner against a model cluster (the snapshot target's applyAction):
// random desired and live states, thousands of cases. fast-check prints the seed and the shrunk
// counterexample on failure; replay with fc.assert(..., { seed, path }).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AclBinding, DesiredState, LiveConfig, LiveState, LiveTopic, TargetCapabilities } from '../../src/model.js';
import { isInternalTopic, plan, type PlanOptions } from '../../src/plan/index.js';
import { parseSelectors, selectsAny } from '../../src/plan/select.js';
import { renderJson, renderMarkdown, renderText } from '../../src/render/index.js';
import { applyAction } from '../../src/targets/snapshot/mutate.js';
import { desiredAcl, topic } from './builders.js';
import { ownedByManifests } from '../support/ownership-oracle.js';

const RUNS = Number(process.env['PLAN_PROPERTY_RUNS'] ?? 1000);

const DESIRED_TOPICS = ['orders.a', 'orders.b', 'pay.a', 'misc'];
const LIVE_ONLY_TOPICS = ['orders.old', 'pay.old', 'other', '_schemas'];
const CONFIG_VALUES: Record<string, string[]> = {
  'retention.ms': ['1000', '86400000', '604800000'],
  'cleanup.policy': ['delete', 'compact', 'compact,delete'],
  'segment.bytes': ['1048576', '1073741824'],
  'x.custom': ['1', '2'],
  'confluent.tier': ['gold', 'silver'],
};
const CONFIG_KEYS = Object.keys(CONFIG_VALUES);
const PRINCIPALS = ['User:a', 'User:b', 'User:c'];

const configValue = (key: string) => fc.constantFrom(...(CONFIG_VALUES[key] as string[]));

const desiredConfig = fc
  .subarray(CONFIG_KEYS)
  .chain((keys) => fc.tuple(...keys.map((k) => configValue(k).map((v) => [k, v] as const))))
  .map((entries) => Object.fromEntries(entries) as Record<string, string>);

const liveConfigEntry = (key: string): fc.Arbitrary<LiveConfig> =>
  fc
    .record({
      setOnTopic: fc.boolean(),
      topicValue: configValue(key),
      inherited: fc.option(configValue(key), { nil: undefined }),
      readOnly: fc.boolean().map((b) => b && key === 'segment.bytes'),
    })
    .map(({ setOnTopic, topicValue, inherited, readOnly }): LiveConfig => {
      const value = setOnTopic ? topicValue : (inherited ?? topicValue);
      return {
        value,
        setOnTopic,
        source: setOnTopic ? 'DYNAMIC_TOPIC_CONFIG' : 'DEFAULT_CONFIG',
        ...(inherited !== undefined ? { inheritedValue: inherited } : {}),
        readOnly,
        sensitive: false,
      };
    });

const liveConfigs = fc
  .subarray(CONFIG_KEYS)
  .chain((keys) => fc.tuple(...keys.map((k) => liveConfigEntry(k).map((c) => [k, c] as const))))
  .map((entries) => Object.fromEntries(entries) as Record<string, LiveConfig>);

const binding: fc.Arbitrary<AclBinding> = fc.record({
  principal: fc.constantFrom(...PRINCIPALS),
  host: fc.constantFrom('*', '10.0.0.1'),
  resourceType: fc.constantFrom('TOPIC' as const, 'GROUP' as const),
  resourceName: fc.constantFrom('orders.', 'x'),
  patternType: fc.constantFrom('LITERAL' as const, 'PREFIXED' as const),
  operation: fc.constantFrom('READ' as const, 'WRITE' as const),
  permission: fc.constantFrom('ALLOW' as const, 'DENY' as const),
});

const desiredState: fc.Arbitrary<DesiredState> = fc
  .record({
    topics: fc.subarray(DESIRED_TOPICS).chain((names) =>
      fc.tuple(
        ...names.map((name) =>
          fc
            .record({ partitions: fc.integer({ min: 1, max: 6 }), replicationFactor: fc.constantFrom(1, 3), config: desiredConfig })
            .map((t) => topic(name, t)),
        ),
      ),
    ),
    acls: fc.array(binding, { maxLength: 6 }),
    topicPrefixes: fc.subarray(['orders.', 'pay.', '_', '']),
    groupPrefixes: fc.subarray(['orders.', 'x', '']),
    principals: fc.subarray(PRINCIPALS),
  })
  .map((d) => ({
    topics: d.topics,
    acls: d.acls.map(desiredAcl),
    scope: { topicPrefixes: d.topicPrefixes, groupPrefixes: d.groupPrefixes, transactionalIdPrefixes: [], cluster: false, principals: d.principals },
  }));

const liveState: fc.Arbitrary<LiveState> = fc
  .record({
    topics: fc.subarray([...DESIRED_TOPICS, ...LIVE_ONLY_TOPICS]).chain((names) =>
      fc.tuple(
        ...names.map((name) =>
          fc
            .record({ partitions: fc.integer({ min: 1, max: 6 }), replicationFactor: fc.constantFrom(1, 3), configs: liveConfigs })
            .map((t): LiveTopic => ({ name, internal: false, ...t })),
        ),
      ),
    ),
    // A cluster holds each binding once.
    acls: fc.uniqueArray(binding, { maxLength: 6, selector: (b) => JSON.stringify(b) }),
    principals: fc.option(fc.subarray(PRINCIPALS), { nil: undefined }),
  })
  .map((l) => ({
    clusterId: 'model',
    topics: [...l.topics, { name: '__consumer_offsets', partitions: 50, replicationFactor: 3, internal: true, configs: {} }],
    acls: l.acls,
    ...(l.principals ? { principals: l.principals } : {}),
  }));

const capabilities: fc.Arbitrary<TargetCapabilities> = fc.record({
  dryRun: fc.boolean(),
  replicationFactorChange: fc.boolean(),
  principalsMustExist: fc.boolean(),
  managedConfigPrefixes: fc.subarray(['confluent.']),
});

const planOptions: fc.Arbitrary<PlanOptions> = fc.record({
  cluster: fc.constant({ name: 'model', type: 'snapshot' }),
  capabilities,
  allowDelete: fc.boolean(),
  maxAclDeletes: fc.integer({ min: 0, max: 6 }),
  ignoreConfigPrefixes: fc.subarray(['x.']),
});

const scenario = fc.record({ desired: desiredState, live: liveState, options: planOptions });

/** Applies every action of the plan to a copy of `live`, as a cluster would. */
function applied(live: LiveState, actions: ReturnType<typeof plan>['actions'], caps: TargetCapabilities): LiveState {
  const next = structuredClone(live);
  for (const action of actions) applyAction(next, action, caps);
  return next;
}

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const OWN_SGR = /\u001b\[(?:1|2|22|31|32|33|39)m/g;

describe('planner properties (model cluster)', () => {
  it('one round converges: after applying a plan, the next plan has no actions and no new errors', () => {
    fc.assert(
      fc.property(scenario, ({ desired, live, options }) => {
        const first = plan(desired, live, options);
        const after = applied(live, first.actions, options.capabilities);
        const second = plan(desired, after, options);
        assert.deepEqual(second.actions, []);
        const before = new Set(first.errors.map((e) => JSON.stringify(e)));
        for (const e of second.errors) assert.ok(before.has(JSON.stringify(e)), `new error after apply: ${e.reason}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('never touches anything out of scope, internal topics, or topic existence without allowDelete', () => {
    fc.assert(
      fc.property(scenario, ({ desired, live, options }) => {
        const p = plan(desired, live, options);
        const desiredTopics = new Set(desired.topics.map((t) => t.name));
        const liveByName = new Map(live.topics.map((t) => [t.name, t]));
        for (const a of p.actions) {
          if (a.resource.kind === 'topic') {
            assert.ok(!isInternalTopic(a.resource.name, liveByName.get(a.resource.name)), `touches internal ${a.resource.name}`);
            if (a.action === 'delete') {
              assert.ok(options.allowDelete, 'deletes a topic without allowDelete');
              assert.ok(!desiredTopics.has(a.resource.name));
              assert.ok(desired.scope.topicPrefixes.some((prefix) => a.resource.kind === 'topic' && a.resource.name.startsWith(prefix)));
            } else {
              assert.ok(desiredTopics.has(a.resource.name), `changes undeclared topic ${a.resource.name}`);
            }
          } else if (a.action === 'delete') {
            assert.ok(ownedByManifests(desired, a.resource), `deletes a binding of ${a.resource.principal} the manifests do not own`);
          }
        }
        for (const r of [...p.unmanaged, ...p.heldBack.map((h) => h.resource)]) {
          if (r.kind === 'topic') assert.ok(!isInternalTopic(r.name, liveByName.get(r.name)), `lists internal ${r.name}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a targeted plan is the whole plan restricted to its targets, and converges on them in one round', () => {
    const targets = fc.uniqueArray(fc.constantFrom('topic:orders.*', 'topic:pay.?', 'topic:misc', 'topic:*old', 'acl:User:a', 'acl:User:*'), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(scenario, targets, ({ desired, live, options }, chosen) => {
        const selectors = parseSelectors(chosen);
        const whole = plan(desired, live, options);
        const targeted = plan(desired, live, { ...options, targets: chosen });
        assert.deepEqual(targeted.actions, whole.actions.filter((a) => selectsAny(selectors, a.resource)));
        const after = applied(live, targeted.actions, options.capabilities);
        assert.deepEqual(plan(desired, after, { ...options, targets: chosen }).actions, []);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic whatever order the inputs come in', () => {
    fc.assert(
      fc.property(scenario, ({ desired, live, options }) => {
        const reversed: DesiredState = { ...desired, topics: [...desired.topics].reverse(), acls: [...desired.acls].reverse() };
        const liveReversed: LiveState = {
          ...live,
          topics: [...live.topics].reverse().map((t) => ({ ...t, configs: Object.fromEntries(Object.entries(t.configs).reverse()) })),
          acls: [...live.acls].reverse(),
        };
        assert.equal(renderJson(plan(reversed, liveReversed, options)), renderJson(plan(desired, live, options)));
      }),
      { numRuns: RUNS },
    );
  });

  it('always produces a schema-valid plan that every renderer renders without leaking control characters', () => {
    fc.assert(
      fc.property(scenario, ({ desired, live, options }) => {
        const p = plan(desired, live, options);
        assert.ok(validatePlan(JSON.parse(renderJson(p))), JSON.stringify(validatePlan.errors));
        for (const out of [renderText(p, { color: true }).replace(OWN_SGR, ''), renderText(p, { color: false }), renderMarkdown(p)]) {
          assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(out));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('renders arbitrary names and values without throwing and without raw control characters', () => {
    const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(anyText, anyText, anyText, (name, key, value) => {
        const p = plan(
          { topics: [topic(name, { config: { [key]: value } })], acls: [desiredAcl({ principal: name, host: key, resourceType: 'TOPIC', resourceName: value, patternType: 'LITERAL', operation: 'READ', permission: 'ALLOW' })], scope: { topicPrefixes: [], groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: [] } },
          { clusterId: 'x', topics: [{ name: `${name}.live`, partitions: 1, replicationFactor: 1, internal: false, configs: {} }], acls: [] },
          { cluster: { name, type: 'snapshot' }, capabilities: { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] } },
        );
        for (const out of [renderText(p, { color: true }).replace(OWN_SGR, ''), renderMarkdown(p)]) {
          assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(out), JSON.stringify(out));
        }
      }),
      { numRuns: RUNS },
    );
  });
});
