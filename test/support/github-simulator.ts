/**
 * A loopback stand-in for the GitHub REST API endpoints the action uses (issue comments, the pull
 * requests associated with a commit), behaving
 * as api.github.com does: token authentication (`Bearer` or `token`), `User-Agent` required,
 * `per_page`/`page` pagination with absolute `Link` headers (next, last, first, prev), comments
 * ordered by ascending id, the 65,536-character body limit, and GitHub's error bodies
 * (`{ message, documentation_url, status }`, 401 Bad credentials, 403 Resource not accessible by
 * integration for read-only tokens, 404 Not Found for what the token cannot see, 422 Validation Failed).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stored comment, in GitHub's response shape. */
export interface SimComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
  author_association: string;
}

/** One request the simulator received. */
export interface SimRequest {
  method: string;
  path: string;
  query: string;
  authorized: boolean;
}

/** Options for {@link startGitHubSimulator}. */
export interface GitHubSimulatorOptions {
  /** `owner/name` of the one repository served. */
  repository: string;
  /** Issue and pull-request numbers that exist. */
  issues: number[];
  /** Tokens with `pull-requests: write`. */
  writeTokens: string[];
  /** Tokens that may read but not write (a fork pull request's GITHUB_TOKEN). */
  readTokens?: string[];
  /** Private repositories answer 404 to anonymous reads, as GitHub does. Default true. */
  private?: boolean;
  /** Commits (full sha) and the pull requests each belongs to; other shas are unknown commits. */
  commits?: Record<string, number[]>;
}

/** A running simulator. */
export interface GitHubSimulator {
  /** Base URL, as `GITHUB_API_URL`. */
  url: string;
  requests: SimRequest[];
  /** The comments of `issue`, ascending id. */
  comments(issue: number): SimComment[];
  /** Adds a comment as another user, e.g. a reviewer. */
  seed(issue: number, body: string, login?: string): SimComment;
  /**
   * Answers the next `times` requests (of `method`, when given) with a 5xx as GitHub's edge does
   * under load (502/503/504: an HTML page; 500: `{"message":"Server Error"}`), before doing anything.
   */
  failNext(times: number, status: 500 | 502 | 503 | 504, method?: string): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/issues/comments';
const BODY_LIMIT = 65_536;

/** Starts the simulator on 127.0.0.1, port 0. */
export async function startGitHubSimulator(options: GitHubSimulatorOptions): Promise<GitHubSimulator> {
  const comments = new Map<number, SimComment[]>(options.issues.map((n) => [n, []]));
  const requests: SimRequest[] = [];
  const outages: Array<{ status: number; method?: string; left: number }> = [];
  let nextId = 1_000_001;
  let origin = '';
  const clock = Date.UTC(2026, 0, 1);

  const make = (issue: number, body: string, login: string, type: 'Bot' | 'User'): SimComment => {
    const id = nextId++;
    const at = new Date(clock + id * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id,
      node_id: `IC_kwDO${id.toString(36)}`,
      url: `${origin}/repos/${options.repository}/issues/comments/${id}`,
      html_url: `https://github.com/${options.repository}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${origin}/repos/${options.repository}/issues/${issue}`,
      body,
      user: { login, id: type === 'Bot' ? 41898282 : 583231, type },
      created_at: at,
      updated_at: at,
      author_association: type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const fail = (res: ServerResponse, status: number, message: string, doc: string, extra: Record<string, unknown> = {}): void =>
    send(res, status, { message, ...extra, documentation_url: doc, status: String(status) });

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const auth = req.headers.authorization ?? '';
    const token = /^(?:Bearer|token) (.+)$/i.exec(auth)?.[1];
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, authorized: token !== undefined });
    const raw = await readBody(req);

    const outage = outages.find((o) => o.left > 0 && (o.method === undefined || o.method === req.method));
    if (outage) {
      outage.left--;
      if (outage.status === 500) return fail(res, 500, 'Server Error', 'https://docs.github.com/rest');
      res.writeHead(outage.status, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>${outage.status} Server Error</h1>\n<p>We couldn't respond to your request in time.</p></body></html>\n`);
      return;
    }

    if (!req.headers['user-agent']) {
      const text =
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header ' +
        '(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). ' +
        'Check https://developer.github.com for other possible causes.\n';
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
      return;
    }
    const canWrite = token !== undefined && options.writeTokens.includes(token);
    const canRead = canWrite || (token !== undefined && (options.readTokens ?? []).includes(token));
    if (token !== undefined && !canRead) return fail(res, 401, 'Bad credentials', 'https://docs.github.com/rest');

    const [, owner, repo, ...rest] = url.pathname.split('/').slice(1);
    const repoMatches = url.pathname.startsWith('/repos/') && `${owner}/${repo}` === options.repository;
    const tail = rest.join('/');
    const pulls = /^commits\/([^/]+)\/pulls$/.exec(tail);
    if (repoMatches && pulls && req.method === 'GET') {
      const doc = 'https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit';
      if (token === undefined && (options.private ?? true)) return fail(res, 404, 'Not Found', doc);
      const sha = decodeURIComponent(pulls[1] ?? '');
      const numbers = options.commits?.[sha];
      if (numbers === undefined) return fail(res, 422, `No commit found for SHA: ${sha}`, doc);
      return send(
        res,
        200,
        numbers.map((number) => ({
          url: `${origin}/repos/${options.repository}/pulls/${number}`,
          id: 2_000_000 + number,
          number,
          state: 'closed',
          title: `Pull request ${number}`,
          html_url: `https://github.com/${options.repository}/pull/${number}`,
          merged_at: new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          merge_commit_sha: sha,
          head: { ref: `topic-${number}`, sha: `head${number}`.padEnd(40, '0') },
          base: { ref: 'main' },
        })),
      );
    }
    const list = /^issues\/(\d+)\/comments$/.exec(tail);
    const one = /^issues\/comments\/(\d+)$/.exec(tail);
    const method = req.method ?? 'GET';
    const route = list && method === 'GET' ? 'list' : list && method === 'POST' ? 'create' : one && method === 'PATCH' ? 'update' : undefined;
    const doc = route === 'list' ? `${DOCS}#list-issue-comments` : route === 'create' ? `${DOCS}#create-an-issue-comment` : `${DOCS}#update-an-issue-comment`;

    if (!repoMatches || route === undefined) return fail(res, 404, 'Not Found', 'https://docs.github.com/rest');
    if (token === undefined) {
      if (options.private ?? true) return fail(res, 404, 'Not Found', doc);
      if (route !== 'list') return fail(res, 401, 'Requires authentication', doc);
    }

    if (route === 'list') {
      const issue = Number(list?.[1]);
      const items = comments.get(issue);
      if (!items) return fail(res, 404, 'Not Found', doc);
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const pageLink = (p: number, rel: string): string => {
        const u = new URL(url.pathname, origin);
        u.searchParams.set('per_page', String(perPage));
        u.searchParams.set('page', String(p));
        return `<${u.href}>; rel="${rel}"`;
      };
      const links: string[] = [];
      if (page > 1) links.push(pageLink(page - 1, 'prev'));
      if (page < last) links.push(pageLink(page + 1, 'next'), pageLink(last, 'last'));
      if (page > 1) links.push(pageLink(1, 'first'));
      return send(res, 200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
    }

    if (!canWrite) return fail(res, 403, 'Resource not accessible by integration', doc);
    let payload: unknown;
    try {
      payload = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return fail(res, 400, 'Problems parsing JSON', doc);
    }
    const body = typeof payload === 'object' && payload !== null ? (payload as { body?: unknown }).body : undefined;
    if (typeof body !== 'string') return fail(res, 422, 'Invalid request.\n\n"body" wasn\'t supplied.', doc);
    if ([...body].length > BODY_LIMIT) {
      return fail(res, 422, 'Validation Failed', doc, {
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }],
      });
    }

    if (route === 'create') {
      const issue = Number(list?.[1]);
      const items = comments.get(issue);
      if (!items) return fail(res, 404, 'Not Found', doc);
      const comment = make(issue, body, 'github-actions[bot]', 'Bot');
      items.push(comment);
      return send(res, 201, comment, { location: comment.url });
    }

    const id = Number(one?.[1]);
    const found = [...comments.values()].flat().find((c) => c.id === id);
    if (!found) return fail(res, 404, 'Not Found', doc);
    found.body = body;
    found.updated_at = new Date(clock + (nextId++) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return send(res, 200, found);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    requests,
    comments: (issue) => [...(comments.get(issue) ?? [])],
    seed: (issue, body, login = 'octocat') => {
      const items = comments.get(issue);
      if (!items) throw new Error(`issue ${issue} is not simulated`);
      const comment = make(issue, body, login, 'User');
      items.push(comment);
      return comment;
    },
    failNext: (times, status, method) => {
      outages.push({ status, left: times, ...(method === undefined ? {} : { method }) });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
