import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../src/render/index.js';
import { mdText } from '../../src/render/markdown.js';
import type { Plan } from '../../src/model.js';
import { plan } from '../../src/plan/index.js';
import { desired, live, liveTopic, options, topic } from '../plan/builders.js';
import { emptyPlan, everythingPlan, hostilePlan } from './fixtures.js';

/** Markdown outside fenced code blocks, where escaping is what keeps it inert. */
function outsideFences(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '');
}

describe('renderMarkdown', () => {
  const md = renderMarkdown(everythingPlan());

  it('puts errors first, in a caution block', () => {
    const lines = md.split('\n');
    assert.equal(lines[0], '### kafkaform plan for prod (confluent)');
    assert.deepEqual(lines.slice(2, 6), [
      '> [!CAUTION]',
      '> **The plan has 1 error and cannot be applied.**',
      '>',
      '> - topic orders.shrunk.v1: partitions cannot decrease from 3 to 1: Kafka only adds partitions (recreate the topic to shrink it)',
    ]);
  });

  it('has a summary table', () => {
    assert.ok(md.includes('| Create | Update | Delete | Errors | Held back | Unmanaged |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n| 2 | 1 | 1 | 1 | 2 | 3 |\n'), md);
  });

  it('lists destructive changes first', () => {
    const rows = md.split('\n').filter((l) => /^\| (\*\*delete\*\*|update|create) \|/.test(l));
    assert.deepEqual(rows, [
      '| **delete** | acl User:old-svc ALLOW READ on TOPIC orders.legacy |  |',
      '| update | topic orders.updated.v1 | partitions 3 → 6 |',
      '| update | topic orders.updated.v1 | retention.ms 7d → 1d<br>secret.x (sensitive) → (sensitive)<br>segment.bytes 1GiB → (default) |',
      '| create | topic orders.created.v1 | 12 partitions × 3 replicas, 2 configs |',
      '| create | acl User:orders-svc ALLOW WRITE on TOPIC orders. (prefixed) |  |',
    ]);
    const deleting = renderMarkdown(
      plan(desired({ topics: [topic('orders.new')], topicPrefixes: ['orders.'] }), live({ topics: [liveTopic('orders.old')] }), options({ allowDelete: true })),
    );
    const order = deleting.split('\n').filter((l) => l.startsWith('| **delete**') || l.startsWith('| create'));
    assert.deepEqual(order, ['| **delete** | topic orders.old |  |', '| create | topic orders.new | 3 partitions × 3 replicas |']);
  });

  it('keeps details collapsible, as a diff block with markers in the first column', () => {
    const details = md.slice(md.indexOf('<details><summary>Plan details (5 actions)</summary>'));
    assert.ok(details.startsWith('<details><summary>Plan details (5 actions)</summary>\n\n```diff\n# Phase 1: create topics\n+ topic orders.created.v1\n+     partitions        = 12\n'), details);
    assert.ok(details.includes('\n! topic orders.updated.v1\n!     retention.ms  = "604800000" (7d)    -> "86400000" (1d)\n'));
    assert.ok(details.includes('\n-     segment.bytes = "1073741824" (1GiB) -> (default)\n'));
    assert.ok(md.includes('<details><summary>Unmanaged (3, outside the manifests\' scope, never touched)</summary>\n\n- topic analytics.raw\n- 2 ACL bindings of User:bi\n\n</details>'));
    assert.ok(md.includes('**Held back** (2, not in this plan):\n\n- topic orders.gone: deleting a topic needs --allow-delete\n- topic orders.legacy: deleting a topic needs --allow-delete\n'));
    assert.ok(md.endsWith('\n**Plan: 2 to create, 1 to update, 1 to delete.**\n'));
    assert.ok(!md.includes('hunter2') && !md.includes('old-secret'));
  });

  it('puts warnings before the change table, so a comment cut for size keeps them', () => {
    const warning = md.indexOf('> [!WARNING]\n> - topic orders.updated.v1: config.secret.y is sensitive');
    assert.ok(warning > md.indexOf('| Create |'), md);
    assert.ok(warning < md.indexOf('| Action | Resource | Change |'));
  });

  it('shortens long values in the change table; the details keep them whole', () => {
    const long = 'x'.repeat(100);
    const p = plan(desired({ topics: [topic('t', { config: { 'x.k': long } })] }), live({ topics: [liveTopic('t')] }), options());
    const out = renderMarkdown(p);
    assert.ok(out.includes(`| update | topic t | x.k (none) → ${'x'.repeat(39)}… |`), out);
    assert.ok(out.includes(`+     x.k = "${long}"`));
  });

  it('names at most 100 unmanaged topics in a comment and counts the rest', () => {
    const names = Array.from({ length: 105 }, (_, i) => `other.${String(i).padStart(3, '0')}`);
    const out = renderMarkdown(plan(desired(), live({ topics: names.map((n) => liveTopic(n)) }), options()));
    assert.ok(out.includes('\n- topic other.099\n- ... and 5 more topics\n'), out);
    assert.ok(!out.includes('other.100'));
  });

  it('says No changes and leaves out empty sections', () => {
    const empty = renderMarkdown(emptyPlan());
    assert.ok(empty.endsWith('**No changes. The cluster matches the manifests.**\n'));
    assert.ok(!empty.includes('<details>') && !empty.includes('CAUTION'));
  });

  it('escapes names so they cannot inject markdown, HTML, tables, mentions or terminal codes', () => {
    const out = renderMarkdown(hostilePlan());
    const prose = outsideFences(out);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(out), 'raw control characters');
    assert.ok(!prose.includes('<script>') && !prose.includes('@org'));
    assert.ok(!/(^|[^\\])`/.test(prose), 'unescaped backtick outside code');
    // Every table row still has exactly its columns: no name added a cell.
    for (const row of prose.split('\n').filter((l) => l.startsWith('| **delete**') || l.startsWith('| update') || l.startsWith('| create'))) {
      assert.equal(row.replace(/\\\|/g, '').split('|').length, 5, row);
    }
  });

  it('escapes every markdown-active character in text', () => {
    assert.equal(mdText('a|b`c*d_e[f]g~h$i<j>k&l@m#n\\o'), 'a\\|b\\`c\\*d\\_e\\[f\\]g\\~h\\$i&lt;j&gt;k&amp;l&#64;m&#35;n\\\\o');
    assert.equal(mdText('orders.created-v1:x'), 'orders.created-v1:x');
  });

  it('makes the code fence longer than any backtick run inside it', () => {
    const p: Plan = plan(desired({ topics: [topic('t', { config: { 'x.k': 'a```b````c' } })] }), live(), options());
    const out = renderMarkdown(p);
    assert.ok(out.includes('\n`````diff\n'), out);
    assert.ok(out.includes('\n`````\n'));
  });
});
