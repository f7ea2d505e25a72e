import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Plan } from '../../src/model.js';
import { plan } from '../../src/plan/index.js';
import { renderJson } from '../../src/render/index.js';
import { acl, desired, KAFKA, live, liveTopic, onTopic, options, topic } from './builders.js';
import { deletingPlan, emptyPlan, everythingPlan, hostilePlan } from '../render/fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function valid(value: unknown): boolean {
  return validate(value) === true;
}

describe('schemas/plan.schema.json', () => {
  const plans: [string, Plan][] = [
    ['everything', everythingPlan()],
    ['deleting', deletingPlan()],
    ['empty', emptyPlan()],
    ['hostile', hostilePlan()],
    [
      'replication factor change',
      plan(desired({ topics: [topic('t', { replicationFactor: 2 })] }), live({ topics: [liveTopic('t')] }), options({ capabilities: { ...KAFKA, replicationFactorChange: true } })),
    ],
    [
      'blast radius exceeded',
      plan(desired({ principals: ['User:a'] }), live({ acls: [acl('User:a', 'READ', 'a'), acl('User:a', 'READ', 'b')] }), options({ maxAclDeletes: 1 })),
    ],
  ];

  for (const [name, p] of plans) {
    it(`accepts the planner's output: ${name}`, () => {
      assert.ok(valid(JSON.parse(renderJson(p))), JSON.stringify(validate.errors, null, 2));
    });
  }

  const base = JSON.parse(renderJson(everythingPlan())) as Plan;
  const malformed: [string, (p: Plan) => unknown][] = [
    ['an unknown top-level key', (p) => ({ ...p, extra: true })],
    ['a missing fingerprint', ({ fingerprint: _, ...rest }) => rest],
    ['a fingerprint that is not sha256', (p) => ({ ...p, fingerprint: 'md5:abc' })],
    ['another format version', (p) => ({ ...p, formatVersion: 1 })],
    ['no options', ({ options: _, ...rest }) => rest],
    ['an option of the wrong type', (p) => ({ ...p, options: { ...p.options, allowDelete: 'yes' } })],
    ['a desired digest that is not sha256', (p) => ({ ...p, desiredDigest: 'sha256:xyz' })],
    ['a negative summary count', (p) => ({ ...p, summary: { ...p.summary, create: -1 } })],
    ['phase 1 deleting', (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 1 ? { ...a, action: 'delete' } : a)) })],
    ['an ACL created in the topic phase', (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 4 ? { ...a, phase: 1 } : a)) })],
    ['phase 7', (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 6 || a.phase === 5 ? { ...a, phase: 7 } : a)) })],
    ['a config change in phase 2', (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 2 ? { ...a, changes: [{ field: 'config.x', from: '1', to: '2' }] } : a)) })],
    ['a numeric config value', (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 3 ? { ...a, changes: [{ field: 'config.x', from: '1', to: 2 }] } : a)) })],
    ['an unknown ACL operation', (p) => ({ ...p, unmanaged: p.unmanaged.map((r) => (r.kind === 'acl' ? { ...r, operation: 'FLY' } : r)) })],
    ['a topic resource with extra fields', (p) => ({ ...p, unmanaged: [{ kind: 'topic', name: 'x', partitions: 3 }] })],
    ['a patch with a move operation', (p) => ({ ...p, actions: p.actions.map((a) => ({ ...a, patch: [{ op: 'move', from: '/a', path: '/b' }] })) })],
    ['an action without a patch', (p) => ({ ...p, actions: p.actions.map((a) => ({ ...a, patch: [] })) })],
    ['an inherited value on a change that is not a reset', (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 3 ? { ...a, changes: [{ field: 'config.x', from: '1', to: '2', inherited: '0' }] } : a)) })],
    [
      'an inherited value next to a redacted one',
      (p) => ({ ...p, actions: p.actions.map((a) => (a.phase === 3 ? { ...a, changes: [{ field: 'config.x', from: '(sensitive)', to: null, sensitive: true, inherited: 's' }] } : a)) }),
    ],
    ['an error without a reason', (p) => ({ ...p, errors: [{ resource: { kind: 'topic', name: 'x' } }] })],
  ];
  for (const [name, mutate] of malformed) {
    it(`rejects ${name}`, () => {
      assert.ok(valid(base), 'the base plan must be valid for this test to mean anything');
      assert.equal(valid(mutate(structuredClone(base))), false);
    });
  }

  it('accepts a config change marked sensitive and rejects sensitive: false noise', () => {
    const p = plan(
      desired({ topics: [topic('t', { config: { 's.k': 'secret' } })] }),
      live({ topics: [liveTopic('t', { configs: { 's.k': onTopic('old', { sensitive: true }) } })] }),
      options(),
    );
    const parsed = JSON.parse(renderJson(p)) as Plan;
    assert.ok(valid(parsed), JSON.stringify(validate.errors, null, 2));
    const change = parsed.actions[0]?.changes[0];
    assert.ok(change);
    change.sensitive = false as unknown as true;
    assert.equal(valid(parsed), false);
  });
});
