/**
 * The pull-request comment: a hidden marker that later runs find it by, the rendered plan, and a
 * footer naming the run, kept inside GitHub's comment size limit.
 */

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * The hidden first line identifying the plan comment of one cluster, so a matrix of clusters keeps
 * one comment each. The name is percent-encoded so it can never close the HTML comment.
 */
export function commentMarker(cluster: string): string {
  return `<!-- kafkaform:plan cluster=${encodeURIComponent(cluster)} -->`;
}

/** What the comment says besides the plan. */
export interface CommentParts {
  cluster: string;
  /** The plan (or error report) as markdown. */
  markdown: string;
  /** A line naming the run and commit, e.g. with a link to the run. */
  footer: string;
}

/** The whole comment body, at most `limit` characters, the plan cut with a note when needed. */
export function commentBody(parts: CommentParts, limit = COMMENT_LIMIT): string {
  const head = `${commentMarker(parts.cluster)}\n`;
  const tail = `\n\n${parts.footer}\n`;
  const note = `\n\n> **Note:** this plan is too long for a pull-request comment and was cut; the job summary and the saved JSON plan have all of it.`;
  return head + truncateMarkdown(parts.markdown, limit - head.length - tail.length, note) + tail;
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
