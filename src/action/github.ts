/**
 * The few GitHub REST API calls the action makes (issue comments on a pull request, the pull
 * requests of a commit), over undici.
 * The token goes only to the configured API origin; pagination links pointing elsewhere are refused.
 */
import { setTimeout } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { ApiError } from '../errors.js';

/** A pull request's issue comment, as far as the action reads it. */
export interface IssueComment {
  id: number;
  body: string;
  htmlUrl: string;
}

/** Connection settings for {@link GitHubClient}. */
export interface GitHubClientOptions {
  /** `GITHUB_API_URL`, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  apiUrl: string;
  token: string;
  /** `owner/name`. */
  repository: string;
  userAgent: string;
  /** Page size for listing comments (GitHub allows at most 100). */
  perPage?: number;
  timeoutMs?: number;
  /** Tries of a GET or PATCH that failed with a 5xx or a connection error; default 3. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one; default 1 s (tests pass 1 ms). */
  retryDelayMs?: number;
}

/** What {@link GitHubClient.upsertComment} did. */
export interface UpsertResult {
  action: 'created' | 'updated';
  comment: IssueComment;
}

/** A successful response: parsed body and headers. */
interface Answer {
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** GitHub's error body: `{ message, documentation_url, status, errors? }`. */
interface GitHubErrorBody {
  message?: unknown;
  errors?: unknown;
}

/** A minimal GitHub REST client for pull-request comments. */
export class GitHubClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly options: GitHubClientOptions) {
    this.base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
    this.agent = new Agent({
      connect: { timeout: options.timeoutMs ?? 30_000 },
      headersTimeout: options.timeoutMs ?? 30_000,
      bodyTimeout: options.timeoutMs ?? 30_000,
    });
  }

  /** Every comment of issue or pull request `issue`, following `Link: rel="next"` to the end. */
  async listIssueComments(issue: number, stopWhen?: (comment: IssueComment) => boolean): Promise<IssueComment[]> {
    const comments: IssueComment[] = [];
    let next: URL | undefined = this.url(`issues/${issue}/comments`, { per_page: String(this.options.perPage ?? 100) });
    while (next) {
      const { body, headers } = await this.call('GET', next);
      if (!Array.isArray(body)) throw this.unexpected('GET', next, 'a list of comments');
      for (const item of body) {
        const comment = toComment(item);
        if (!comment) throw this.unexpected('GET', next, 'comments with id and body');
        comments.push(comment);
        if (stopWhen?.(comment)) return comments;
      }
      next = this.nextPage(headers['link']);
    }
    return comments;
  }

  /** Adds a comment to issue or pull request `issue`. */
  async createComment(issue: number, body: string): Promise<IssueComment> {
    const url = this.url(`issues/${issue}/comments`);
    const comment = toComment((await this.call('POST', url, { body })).body);
    if (!comment) throw this.unexpected('POST', url, 'the created comment');
    return comment;
  }

  /** Replaces the body of comment `id`. */
  async updateComment(id: number, body: string): Promise<IssueComment> {
    const url = this.url(`issues/comments/${id}`);
    const comment = toComment((await this.call('PATCH', url, { body })).body);
    if (!comment) throw this.unexpected('PATCH', url, 'the updated comment');
    return comment;
  }

  /**
   * The numbers of the pull requests a commit belongs to: on the default branch, the merged one
   * that brought it there (GitHub's "list pull requests associated with a commit").
   */
  async pullRequestsOfCommit(sha: string): Promise<number[]> {
    const url = this.url(`commits/${encodeURIComponent(sha)}/pulls`, { per_page: '100' });
    const { body } = await this.call('GET', url);
    if (!Array.isArray(body)) throw this.unexpected('GET', url, 'a list of pull requests');
    const numbers = body.map((item: unknown) => (typeof item === 'object' && item !== null ? (item as { number?: unknown }).number : undefined));
    if (!numbers.every((n): n is number => typeof n === 'number')) throw this.unexpected('GET', url, 'pull requests with a number');
    return [...new Set(numbers)].sort((a, b) => a - b);
  }

  /**
   * Keeps exactly one comment carrying `marker` on the pull request: edits the first comment whose
   * body starts with it, or adds one.
   */
  async upsertComment(issue: number, marker: string, body: string): Promise<UpsertResult> {
    const mine = (c: IssueComment): boolean => c.body.startsWith(marker);
    const found = (await this.listIssueComments(issue, mine)).find(mine);
    if (found) return { action: 'updated', comment: await this.updateComment(found.id, body) };
    return { action: 'created', comment: await this.createComment(issue, body) };
  }

  /** Releases the connection pool. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private url(path: string, query: Record<string, string> = {}): URL {
    const [owner, repo] = this.options.repository.split('/');
    const url = new URL(`repos/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(repo ?? '')}/${path}`, this.base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  private nextPage(link: string | string[] | undefined): URL | undefined {
    const header = Array.isArray(link) ? link.join(', ') : link;
    if (!header) return undefined;
    for (const match of header.matchAll(/<([^>]*)>\s*;\s*rel="([^"]*)"/g)) {
      if (!(match[2] ?? '').split(/\s+/).includes('next')) continue;
      const next = new URL(match[1] ?? '', this.base);
      // The token must never follow a link to another host.
      if (next.origin !== this.base.origin) {
        throw new ApiError(`GitHub API pagination pointed to another host (${next.origin}); refusing to send the token there.`, {
          method: 'GET',
          url: `${next.origin}${next.pathname}`,
        });
      }
      return next;
    }
    return undefined;
  }

  private async call(method: 'GET' | 'POST' | 'PATCH', url: URL, payload?: Record<string, string>): Promise<Answer> {
    // A POST is sent once: a create whose answer was lost may have happened, and a second one
    // would add a duplicate comment. GET and PATCH (same body) are safe to repeat.
    const attempts = method === 'POST' ? 1 : Math.max(1, this.options.attempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, url, payload);
      } catch (error) {
        if (attempt >= attempts || !(error instanceof ApiError) || error.details.retriable !== true) throw error;
        await setTimeout((this.options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
      }
    }
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', url: URL, payload?: Record<string, string>): Promise<Answer> {
    const where = `${url.pathname}${url.search}`;
    let res;
    try {
      res = await request(url, {
        method,
        dispatcher: this.agent,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'user-agent': this.options.userAgent,
          'x-github-api-version': '2022-11-28',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload ? { body: JSON.stringify(payload) } : {}),
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(`Could not reach the GitHub API at ${url.origin}: ${reason}.`, { method, url: where, retriable: true });
    }
    const text = await res.body.text();
    let body: unknown = undefined;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return { body, headers: res.headers };
    throw githubError(method, where, res.statusCode, body, text);
  }

  private unexpected(method: string, url: URL, wanted: string): ApiError {
    return new ApiError(`GitHub API ${method} ${url.pathname} did not answer with ${wanted}.`, { method, url: url.pathname });
  }
}

function toComment(value: unknown): IssueComment | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v['id'] !== 'number' || typeof v['body'] !== 'string') return undefined;
  return { id: v['id'], body: v['body'], htmlUrl: typeof v['html_url'] === 'string' ? v['html_url'] : '' };
}

/** One sentence for a GitHub error, with what the user can do about the usual ones. */
function githubError(method: string, url: string, status: number, body: unknown, text: string): ApiError {
  const parsed = typeof body === 'object' && body !== null ? (body as GitHubErrorBody) : {};
  // Proxies in front of the API answer some 5xx with an HTML page: say only the status then.
  const plain = text.trim();
  let serverMessage = typeof parsed.message === 'string' ? parsed.message : plain !== '' && !plain.includes('<') ? plain.slice(0, 200) : `HTTP ${status}`;
  if (Array.isArray(parsed.errors)) {
    const details = parsed.errors
      .map((e) => (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : ''))
      .filter((m) => m !== '');
    if (details.length > 0) serverMessage = `${serverMessage} (${details.join('; ')})`;
  }
  const hint =
    status === 401
      ? ' Check the github-token input.'
      : status === 403
        ? ' The token may lack a permission: a job that posts plan comments needs `permissions: pull-requests: write`.'
        : status === 404
          ? ' The repository or pull request does not exist, or the token cannot see it.'
          : '';
  return new ApiError(`GitHub API ${method} ${url.split('?')[0]} failed with ${status}: ${serverMessage.replace(/\.$/, '')}.${hint}`, {
    method,
    url,
    status,
    serverMessage,
    retriable: status >= 500,
  });
}
