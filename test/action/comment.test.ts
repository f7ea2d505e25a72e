import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMENT_LIMIT, applyReportMarkdown, commentBody, commentMarker, truncateMarkdown } from '../../src/action/comment.js';
import { ApiError } from '../../src/errors.js';

describe('comment marker', () => {
  it('names the cluster and cannot be closed early by it', () => {
    assert.equal(commentMarker('prod'), '<!-- kafkaform:plan cluster=prod -->');
    const hostile = commentMarker('x --> <script>');
    assert.equal(hostile.indexOf('-->'), hostile.length - 3);
    assert.notEqual(commentMarker('prod'), commentMarker('prod-eu'));
    assert.equal(commentMarker('prod-eu').startsWith(commentMarker('prod')), false, 'one marker is never a prefix of another');
    assert.equal(commentMarker('prod', 'apply'), '<!-- kafkaform:apply cluster=prod -->');
  });
});

describe('apply result', () => {
  const unit = (label: string) => ({ label, actions: [] });

  it('counts done, failed and not attempted, lists the last two in text blocks and folds the done ones', () => {
    const markdown = applyReportMarkdown({
      done: [unit('create topic orders.a')],
      failed: [{ ...unit('alter configs of topic orders.b'), error: new ApiError('request refused', { method: 'PATCH', url: '/x', status: 403 }) }],
      notAttempted: [unit('create acl User:`x` ALLOW READ on TOPIC orders.b'), unit('delete topic orders.c')],
    });
    assert.equal(
      markdown,
      [
        '**1 done, 1 failed, 2 not attempted.**',
        '',
        'Failed:',
        '',
        '```text\nalter configs of topic orders.b: request refused (HTTP 403)\n```',
        '',
        'Not attempted (running apply again continues from here):',
        '',
        '```text\ncreate acl User:`x` ALLOW READ on TOPIC orders.b\ndelete topic orders.c\n```',
        '',
        '<details><summary>Done (1)</summary>',
        '',
        '```text\ncreate topic orders.a\n```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('cannot be closed early by a label full of backticks', () => {
    const markdown = applyReportMarkdown({ done: [], failed: [], notAttempted: [unit('topic ```` evil')] });
    assert.match(markdown, /\n`{5}text\ntopic `{4} evil\n`{5}\n/);
  });
});

describe('comment body', () => {
  it('is marker, plan and footer when it fits', () => {
    const body = commentBody({ cluster: 'prod', markdown: '## Plan\n\nno changes', footer: '<sub>run 1</sub>' });
    assert.equal(body, '<!-- kafkaform:plan cluster=prod -->\n## Plan\n\nno changes\n\n<sub>run 1</sub>\n');
  });

  it('stays within the limit, closes open fences and details, and keeps marker and footer', () => {
    const section = (i: number): string => `<details><summary>topic t${i}</summary>\n\n\`\`\`diff\n${'+ retention.ms = 7d\n'.repeat(200)}\`\`\`\n</details>\n`;
    const markdown = `## Plan\n\n${Array.from({ length: 40 }, (_, i) => section(i)).join('\n')}`;
    assert.ok(markdown.length > COMMENT_LIMIT);
    const body = commentBody({ cluster: 'prod', markdown, footer: 'FOOTER' });
    assert.ok(body.length <= COMMENT_LIMIT, `${body.length} characters`);
    assert.ok(body.startsWith('<!-- kafkaform:plan cluster=prod -->\n## Plan\n'));
    assert.ok(body.endsWith('\n\nFOOTER\n'));
    assert.match(body, /> \*\*Note:\*\* this plan is too long for a pull-request comment and was cut/);
    const fences = body.split('\n').filter((l) => l.startsWith('```')).length;
    assert.equal(fences % 2, 0, 'every code fence is closed');
    assert.equal((body.match(/<details>/g) ?? []).length, (body.match(/<\/details>/g) ?? []).length);
  });

  it('cuts at a line, never mid-line', () => {
    const md = 'aaaa\nbbbb\ncccc\n';
    assert.equal(truncateMarkdown(md, 100, '!'), md);
    assert.equal(truncateMarkdown(md, 12, '!'), 'aaaa\nbbbb\n!');
    assert.equal(truncateMarkdown(md, 7, '!'), 'aaaa\n!');
    assert.equal(truncateMarkdown('```\nx\ny\nzzzz\n', 12, '!'), '```\nx\n```\n!');
  });
});
