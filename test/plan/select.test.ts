// `--target` selectors (src/plan/select.ts) and the planner's restriction to them: a targeted plan
// is the whole plan restricted to the resources the selectors match, deletions above all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Plan, PlanResource } from '../../src/model.js';
import { plan } from '../../src/plan/index.js';
import { parseSelector, selects } from '../../src/plan/select.js';
import { acl, desired, live, liveTopic, options, topic } from './builders.js';

function label(r: PlanResource): string {
  return r.kind === 'topic' ? `topic ${r.name}` : `${r.principal} ${r.operation} ${r.resourceName}`;
}

function actions(p: Plan): string[] {
  return p.actions.map((a) => `${a.action} ${label(a.resource)}`);
}

describe('parseSelector', () => {
  it('reads topic and acl selectors with * and ? globs; everything else matches itself', () => {
    const cases: [string, PlanResource, boolean][] = [
      ['topic:orders.*', { kind: 'topic', name: 'orders.created.v1' }, true],
      ['topic:orders.*', { kind: 'topic', name: 'orders' }, false],
      ['topic:orders.*', { kind: 'topic', name: 'ordersXcreated' }, false],
      ['topic:orders.v?', { kind: 'topic', name: 'orders.v2' }, true],
      ['topic:orders.v?', { kind: 'topic', name: 'orders.v12' }, false],
      ['topic:*', { kind: 'topic', name: 'anything' }, true],
      ['acl:User:billing', { kind: 'acl', ...acl('User:billing', 'READ', 'x') }, true],
      ['acl:User:billing', { kind: 'acl', ...acl('User:billing-2', 'READ', 'x') }, false],
      ['acl:User:CN=svc,OU=(a)+*', { kind: 'acl', ...acl('User:CN=svc,OU=(a)+b', 'READ', 'x') }, true],
      ['acl:User:billing', { kind: 'topic', name: 'User:billing' }, false],
      ['topic:x', { kind: 'acl', ...acl('User:a', 'READ', 'x') }, false],
    ];
    for (const [text, resource, expected] of cases) {
      const parsed = parseSelector(text);
      assert.ok(parsed.ok, text);
      assert.equal(selects(parsed.selector, resource), expected, `${text} on ${label(resource)}`);
    }
  });

  it('refuses unknown kinds, a missing kind and an empty glob, with a suggestion where one fits', () => {
    const message = (text: string): string => {
      const parsed = parseSelector(text);
      assert.ok(!parsed.ok, text);
      return parsed.message;
    };
    assert.equal(message('topics:orders.*'), 'unknown selector kind "topics" in "topics:orders.*" (did you mean "topic"?); selectors start with topic: or acl:');
    assert.equal(message('group:billing'), 'unknown selector kind "group" in "group:billing"; selectors start with topic: or acl:');
    assert.equal(message('orders.*'), '"orders.*" is not a selector: write topic: or acl: followed by a name or a glob, e.g. topic:orders.* or acl:User:billing');
    assert.equal(message('topic:'), '"topic:" names nothing: write a name or a glob after "topic:"');
  });
});

describe('plan with targets', () => {
  // The whole plan: create orders.new, grow orders.big, delete orders.old (allowed) and a binding of
  // each principal, create one binding each.
  const want = desired({
    topics: [topic('orders.new'), topic('orders.big', { partitions: 6 }), topic('payments.x')],
    acls: [acl('User:billing', 'READ', 'orders.new'), acl('User:ops', 'READ', 'orders.big')],
    topicPrefixes: ['orders.', 'payments.'],
  });
  const have = live({
    topics: [liveTopic('orders.big'), liveTopic('orders.old'), liveTopic('payments.x'), liveTopic('payments.old')],
    acls: [acl('User:billing', 'WRITE', 'orders.big'), acl('User:ops', 'WRITE', 'orders.big'), acl('User:other', 'READ', 'orders.big')],
  });

  it('without targets is the whole plan, and records none', () => {
    const p = plan(want, have, options({ allowDelete: true }));
    assert.deepEqual(actions(p), [
      'create topic orders.new',
      'update topic orders.big',
      'create User:billing READ orders.new',
      'create User:ops READ orders.big',
      'delete User:billing WRITE orders.big',
      'delete User:ops WRITE orders.big',
      'delete topic orders.old',
      'delete topic payments.old',
    ]);
    assert.equal(p.options.targets, undefined);
  });

  it('keeps only the targeted resources: their deletions, held-back changes and unmanaged entries, nothing else', () => {
    const p = plan(want, have, options({ allowDelete: true, targets: ['topic:orders.*', 'acl:User:billing'] }));
    assert.deepEqual(actions(p), [
      'create topic orders.new',
      'update topic orders.big',
      'create User:billing READ orders.new',
      'delete User:billing WRITE orders.big',
      'delete topic orders.old',
    ]);
    assert.deepEqual(p.summary, { create: 2, update: 1, delete: 2, errors: 0 });
    assert.deepEqual(p.options.targets, ['acl:User:billing', 'topic:orders.*']);
    assert.deepEqual(p.unmanaged.map(label), []);
    const held = plan(want, have, options({ targets: ['topic:payments.*'] }));
    assert.deepEqual(held.heldBack.map((h) => label(h.resource)), ['topic payments.old']);
    assert.deepEqual(actions(held), []);
  });

  it('checks the ACL-deletion limit against the targeted deletions only', () => {
    const whole = plan(want, have, options({ maxAclDeletes: 1 }));
    assert.equal(whole.errors.length, 1);
    const targeted = plan(want, have, options({ maxAclDeletes: 1, targets: ['acl:User:ops'] }));
    assert.deepEqual(targeted.errors, []);
    assert.deepEqual(actions(targeted), ['create User:ops READ orders.big', 'delete User:ops WRITE orders.big']);
  });

  it("drops other resources' errors and warns about a selector that matches nothing", () => {
    const shrink = desired({ topics: [topic('orders.big', { partitions: 1 }), topic('payments.x')] });
    const bigger = live({ topics: [liveTopic('orders.big', { partitions: 6 }), liveTopic('payments.x')] });
    assert.equal(plan(shrink, bigger, options()).errors.length, 1);
    const p = plan(shrink, bigger, options({ targets: ['topic:payments.x', 'topic:nothing.*'] }));
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.warnings, ['--target topic:nothing.* matches nothing in the manifests or on the cluster']);
  });
});
