import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/render/index.js';
import { UNMANAGED_SHOWN } from '../../src/render/text.js';
import { plan } from '../../src/plan/index.js';
import { acl, desired, live, liveTopic, options, topic } from '../plan/builders.js';
import { deletingPlan, emptyPlan, everythingPlan, hostilePlan } from './fixtures.js';

// Our own SGR sequences; anything else starting with ESC would be an injection.
const OWN_SGR = /\u001b\[(?:1|2|22|31|32|33|39)m/g;

describe('renderText', () => {
  const text = renderText(everythingPlan(), { color: false });
  const lines = text.split('\n');

  it('shows creates with + and every field aligned, config values quoted with human units', () => {
    const start = lines.indexOf('  + topic orders.created.v1');
    assert.ok(start > 0, text);
    assert.deepEqual(lines.slice(start + 1, start + 5), [
      '      + partitions        = 12',
      '      + replicationFactor = 3',
      '      + cleanup.policy    = "delete"',
      '      + retention.ms      = "604800000" (7d)',
    ]);
  });

  it('shows updates with ~, aligned old -> new, resets as - ... -> (default), sensitive values hidden', () => {
    const start = lines.lastIndexOf('  ~ topic orders.updated.v1');
    assert.ok(start > 0, text);
    assert.deepEqual(lines.slice(start + 1, start + 4), [
      '      ~ retention.ms  = "604800000" (7d)    -> "86400000" (1d)',
      '      ~ secret.x      = (sensitive value)   -> (sensitive value)',
      '      - segment.bytes = "1073741824" (1GiB) -> (default)',
    ]);
    assert.ok(!text.includes('hunter2') && !text.includes('old-secret'));
  });

  it('groups actions under phase headings in phase order', () => {
    const headings = lines.filter((l) => l.startsWith('Phase '));
    assert.deepEqual(headings, [
      'Phase 1: create topics',
      'Phase 2: increase partitions / change replication factor',
      'Phase 3: alter topic configs',
      'Phase 4: create ACLs',
      'Phase 5: delete ACLs',
    ]);
    assert.ok(lines.includes('  + acl User:orders-svc ALLOW WRITE on TOPIC orders. (prefixed)'));
    assert.ok(lines.includes('  - acl User:old-svc ALLOW READ on TOPIC orders.legacy'));
  });

  it('lists held back, unmanaged (ACLs counted per principal), warnings and errors', () => {
    assert.ok(lines.includes('  topic orders.gone: deleting a topic needs --allow-delete'), text);
    assert.ok(lines.includes('  topic analytics.raw'));
    assert.ok(lines.includes('  2 ACL bindings of User:bi'));
    assert.ok(lines.some((l) => l.startsWith('  Warning: topic orders.updated.v1: config.secret.y is sensitive')));
    assert.ok(lines.includes('  Error: topic orders.shrunk.v1: partitions cannot decrease from 3 to 1: Kafka only adds partitions (recreate the topic to shrink it)'));
  });

  it('closes with the Terraform-style summary, and says when errors block the plan', () => {
    assert.deepEqual(lines.slice(-3), ['Plan: 2 to create, 1 to update, 1 to delete.', 'The plan has 1 error and cannot be applied.', '']);
    assert.ok(renderText(deletingPlan(), { color: false }).endsWith('\n  - topic orders.legacy\n\nPlan: 0 to create, 0 to update, 1 to delete.\n'));
  });

  it('says "No changes." when there is nothing to do', () => {
    const empty = renderText(emptyPlan(), { color: false });
    assert.ok(empty.endsWith('\nNo changes. The cluster matches the manifests.\n'), empty);
    assert.ok(!empty.includes('Phase'));
  });

  it('does not claim the cluster matches when changes are held back or impossible', () => {
    const held = renderText(plan(desired({ topicPrefixes: ['orders.'] }), live({ topics: [liveTopic('orders.old')] }), options()), { color: false });
    assert.ok(held.endsWith('\nNo changes. 1 change held back (see above).\n'), held);
    const impossible = renderText(plan(desired({ topics: [topic('t', { partitions: 1 })] }), live({ topics: [liveTopic('t')] }), options()), { color: false });
    assert.ok(impossible.endsWith('\nPlan: 0 to create, 0 to update, 0 to delete.\nThe plan has 1 error and cannot be applied.\n'), impossible);
  });

  it('names the first unmanaged topics and principals and counts the rest', () => {
    const names = Array.from({ length: UNMANAGED_SHOWN + 5 }, (_, i) => `other.${String(i).padStart(3, '0')}`);
    const p = plan(
      desired(),
      live({ topics: names.map((n) => liveTopic(n)), acls: names.flatMap((n) => [acl(`User:${n}`, 'READ', n), acl(`User:${n}`, 'WRITE', n)]) }),
      options(),
    );
    const lines = renderText(p, { color: false }).split('\n');
    assert.ok(lines.includes(`  topic other.${String(UNMANAGED_SHOWN - 1).padStart(3, '0')}`));
    assert.ok(!lines.includes(`  topic other.${String(UNMANAGED_SHOWN).padStart(3, '0')}`));
    assert.ok(lines.includes('  ... and 5 more topics (all in -o json)'));
    assert.ok(lines.includes(`  2 ACL bindings of User:other.${String(UNMANAGED_SHOWN - 1).padStart(3, '0')}`));
    assert.ok(lines.includes('  ... and the ACL bindings of 5 more principals (all in -o json)'));
    assert.equal(p.unmanaged.length, names.length * 3);
  });

  it('uses colour only when asked', () => {
    assert.ok(!text.includes('\u001b'));
    const colored = renderText(everythingPlan(), { color: true });
    assert.ok(colored.includes('\u001b[32m+ topic orders.created.v1\u001b[39m'));
    assert.ok(colored.includes('\u001b[31m- acl User:old-svc'));
    assert.equal(colored.replace(OWN_SGR, ''), text);
  });

  it('escapes control characters, ANSI sequences and bidi overrides from servers and manifests', () => {
    for (const color of [false, true]) {
      const out = renderText(hostilePlan(), { color }).replace(OWN_SGR, '');
      assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(out), JSON.stringify(out));
      assert.ok(out.includes('"orders.evil\\x1b[2J\\x1b]0;pwned\\x07\\r\\nname\\u202e|`<script>@org/team"'), out);
      // Every line the renderer produces is one line: no injected newline splits a name.
      assert.ok(out.split('\n').every((l) => !l.startsWith('name')));
    }
  });
});
