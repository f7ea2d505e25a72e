import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Plan } from '../../src/model.js';
import { renderJson } from '../../src/render/index.js';
import { everythingPlan, hostilePlan } from './fixtures.js';

/** Rebuilds every object with its keys in reverse order, as a foreign writer might. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('renderJson', () => {
  const p = everythingPlan();
  const json = renderJson(p);

  it('is two-space JSON with a trailing newline that parses back to the plan', () => {
    assert.ok(json.endsWith('}\n') && !json.endsWith('\n\n'));
    assert.ok(
      json.startsWith(
        '{\n  "formatVersion": 2,\n  "cluster": {\n    "name": "prod",\n    "type": "confluent"\n  },\n  "options": {\n    "allowDelete": false,\n    "maxAclDeletes": 50\n  },\n  "desiredDigest": "sha256:',
      ),
      json.slice(0, 300),
    );
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(p)));
  });

  it('has one key order whatever order the plan was built or parsed in', () => {
    const shuffled = reverseKeys(JSON.parse(json)) as Plan;
    assert.notEqual(JSON.stringify(shuffled), JSON.stringify(JSON.parse(json)));
    assert.equal(renderJson(shuffled), json);
  });

  it('orders top-level and resource keys as the plan format documents them', () => {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), [
      'formatVersion',
      'cluster',
      'options',
      'desiredDigest',
      'fingerprint',
      'summary',
      'actions',
      'errors',
      'heldBack',
      'unmanaged',
      'warnings',
    ]);
    const aclAction = p.actions.find((a) => a.resource.kind === 'acl');
    assert.ok(aclAction);
    const rendered = (parsed.actions as { resource: object }[])[p.actions.indexOf(aclAction)];
    assert.deepEqual(Object.keys(rendered?.resource ?? {}), ['kind', 'principal', 'host', 'resourceType', 'resourceName', 'patternType', 'operation', 'permission']);
  });

  it('keeps hostile names intact but escaped (JSON escapes control characters)', () => {
    const out = renderJson(hostilePlan());
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(out.replace(/\n/g, '')));
    assert.ok(out.includes('name\\u202e|'), 'bidi override written as an escape');
    assert.ok(out.includes('orders.evil\\u001b[2J'));
    const back = JSON.parse(out) as Plan;
    assert.ok(back.actions.some((a) => a.resource.kind === 'topic' && a.resource.name.includes('\u001b[2J')));
  });
});
