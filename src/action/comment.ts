/**
 * The pull-request comments: a hidden marker that later runs find one by, the rendered plan or
 * apply result, and a footer naming the run, kept inside GitHub's comment size limit.
 */
import type { ApplyReport } from '../apply/executor.js';
import { describeFailure } from '../commands/exit.js';
import { safe } from '../render/index.js';

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * The hidden first line identifying the plan (or apply result) comment of one cluster, so a matrix
 * of clusters keeps one comment of each kind per cluster. The name is percent-encoded so it can
 * never close the HTML comment.
 */
export function commentMarker(cluster: string, kind: 'plan' | 'apply' = 'plan'): string {
  return `<!-- kafkaform:${kind} cluster=${encodeURIComponent(cluster)} -->`;
}

/** What the comment says besides the plan. */
export interface CommentParts {
  cluster: string;
  /** Default `plan`. */
  kind?: 'plan' | 'apply';
  /** The plan (or error report) as markdown. */
  markdown: string;
  /** A line naming the run and commit, e.g. with a link to the run. */
  footer: string;
}

/** The whole comment body, at most `limit` characters, the plan cut with a note when needed. */
export function commentBody(parts: CommentParts, limit = COMMENT_LIMIT): string {
  const head = `${commentMarker(parts.cluster, parts.kind)}\n`;
  const tail = `\n\n${parts.footer}\n`;
  const note = `\n\n> **Note:** this plan is too long for a pull-request comment and was cut; the job summary and the saved JSON plan have all of it.`;
  return head + truncateMarkdown(parts.markdown, limit - head.length - tail.length, note) + tail;
}

/**
 * What apply did, as markdown: counts, then the failed and not-attempted units, each in a text
 * block (labels and server messages are not markdown), and the done ones folded away.
 */
export function applyReportMarkdown(report: ApplyReport): string {
  const { done, failed, notAttempted } = report;
  const parts = [`**${done.length} done, ${failed.length} failed, ${notAttempted.length} not attempted.**`, ''];
  if (failed.length > 0) parts.push('Failed:', '', fence(failed.map((u) => `${safe(u.label)}: ${describeFailure(u.error)}`).join('\n')), '');
  if (notAttempted.length > 0) {
    parts.push('Not attempted (running apply again continues from here):', '', fence(notAttempted.map((u) => safe(u.label)).join('\n')), '');
  }
  if (done.length > 0) {
    parts.push(`<details><summary>Done (${done.length})</summary>`, '', fence(done.map((u) => safe(u.label)).join('\n')), '', '</details>', '');
  }
  return parts.join('\n');
}

/** A fenced block that its content cannot close. */
export function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}text\n${text}\n${ticks}`;
}

/**
 * `markdown` if it fits in `max` characters; otherwise its longest prefix that ends at a line,
 * with any open code fence and `<details>` block closed so the rest of the page still renders,
 * followed by `note`.
 */
export function truncateMarkdown(markdown: string, max: number, note: string): string {
  if (markdown.length <= max) return markdown;
  let budget = max - note.length;
  for (;;) {
    const cut = cutAtLine(markdown, Math.max(0, budget));
    const result = cut + closers(cut) + note;
    if (result.length <= max || budget <= 0) return result.length <= max ? result : note.slice(0, max);
    budget -= result.length - max;
  }
}

function cutAtLine(text: string, max: number): string {
  const prefix = text.slice(0, max);
  const end = prefix.lastIndexOf('\n');
  return end >= 0 ? prefix.slice(0, end + 1) : '';
}

/** What closes the blocks `text` leaves open: a code fence, then `<details>` elements. */
function closers(text: string): string {
  let fence: string | undefined;
  let openDetails = 0;
  for (const line of text.split('\n')) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] ?? '';
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    openDetails += (line.match(/<details[\s>]/g) ?? []).length;
    openDetails -= (line.match(/<\/details>/g) ?? []).length;
  }
  return (fence !== undefined ? `${fence}\n` : '') + '</details>\n'.repeat(Math.max(0, openDetails));
}
