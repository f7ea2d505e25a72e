import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { GitHubClient } from '../../src/action/github.js';
import { ApiError } from '../../src/errors.js';
import { startGitHubSimulator, type GitHubSimulator } from '../support/github-simulator.js';

const REPO = 'acme/platform';
const TOKEN = 'ghs_writeToken000000000000000000000000';
const READ_TOKEN = 'ghs_readOnlyToken0000000000000000000000';

describe('github simulator answers like api.github.com', () => {
  let sim: GitHubSimulator;
  before(async () => {
    sim = await startGitHubSimulator({ repository: REPO, issues: [7], writeTokens: [TOKEN], readTokens: [READ_TOKEN] });
    for (let i = 0; i < 5; i++) sim.seed(7, `comment ${i}`);
  });
  after(() => sim.close());

  const get = async (path: string, headers: Record<string, string>) => {
    const res = await request(`${sim.url}${path}`, { headers });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  };

  it('paginates with absolute Link headers', async () => {
    const res = await get(`/repos/${REPO}/issues/7/comments?per_page=2&page=2`, { authorization: `token ${TOKEN}`, 'user-agent': 't' });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body).map((c: { body: string }) => c.body), ['comment 2', 'comment 3']);
    const link = String(res.headers['link']);
    assert.match(link, new RegExp(`<${sim.url}/repos/acme/platform/issues/7/comments\\?per_page=2&page=3>; rel="next"`));
    assert.match(link, /page=3>; rel="last"/);
    assert.match(link, /page=1>; rel="prev"/);
    const last = await get(`/repos/${REPO}/issues/7/comments?per_page=2&page=3`, { authorization: `Bearer ${TOKEN}`, 'user-agent': 't' });
    assert.doesNotMatch(String(last.headers['link']), /rel="next"/);
  });

  it('answers GitHub error bodies for bad tokens, anonymous reads, missing User-Agent and unknown issues', async () => {
    const bad = await get(`/repos/${REPO}/issues/7/comments`, { authorization: 'Bearer nope', 'user-agent': 't' });
    assert.equal(bad.status, 401);
    assert.deepEqual(JSON.parse(bad.body), { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    const anon = await get(`/repos/${REPO}/issues/7/comments`, { 'user-agent': 't' });
    assert.equal(anon.status, 404);
    assert.equal(JSON.parse(anon.body).message, 'Not Found');
    const noUa = await get(`/repos/${REPO}/issues/7/comments`, { authorization: `Bearer ${TOKEN}` });
    assert.equal(noUa.status, 403);
    assert.match(noUa.body, /User-Agent header/);
    const missing = await get(`/repos/${REPO}/issues/8/comments`, { authorization: `Bearer ${TOKEN}`, 'user-agent': 't' });
    assert.equal(missing.status, 404);
  });
});

describe('GitHubClient', () => {
  let sim: GitHubSimulator;
  before(async () => {
    sim = await startGitHubSimulator({ repository: REPO, issues: [7, 9], writeTokens: [TOKEN], readTokens: [READ_TOKEN] });
  });
  after(() => sim.close());

  const client = (token = TOKEN, perPage = 3) =>
    new GitHubClient({ apiUrl: sim.url, token, repository: REPO, userAgent: 'kafkaform-test', perPage });

  it('lists every comment across pages', async () => {
    for (let i = 0; i < 7; i++) sim.seed(9, `c${i}`);
    const c = client();
    try {
      const all = await c.listIssueComments(9);
      assert.deepEqual(all.map((x) => x.body), ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
      const listCalls = sim.requests.filter((r) => r.path === `/repos/${REPO}/issues/9/comments`);
      assert.equal(listCalls.length, 3);
    } finally {
      await c.close();
    }
  });

  it('creates the marked comment once, then edits it in place even when it is on a later page', async () => {
    const marker = '<!-- kafkaform:plan cluster=prod -->';
    for (let i = 0; i < 4; i++) sim.seed(7, `review ${i}`);
    sim.seed(7, `> ${marker}\n> quoted by a reviewer`);
    const c = client();
    try {
      const first = await c.upsertComment(7, marker, `${marker}\nplan v1`);
      assert.equal(first.action, 'created');
      for (let i = 0; i < 4; i++) sim.seed(7, `later ${i}`);
      const second = await c.upsertComment(7, marker, `${marker}\nplan v2`);
      assert.equal(second.action, 'updated');
      assert.equal(second.comment.id, first.comment.id);
      const mine = sim.comments(7).filter((x) => x.body.includes('plan v'));
      assert.deepEqual(mine.map((x) => x.body), [`${marker}\nplan v2`]);
      assert.equal(sim.comments(7).filter((x) => x.body.startsWith(marker)).length, 1);
      assert.match(second.comment.htmlUrl, /^https:\/\/github\.com\/acme\/platform\/pull\/7#issuecomment-\d+$/);
    } finally {
      await c.close();
    }
  });

  it('turns GitHub errors into one sentence with a hint, without the token', async () => {
    const cases: Array<[string, RegExp]> = [
      ['ghs_wrong', /failed with 401: Bad credentials\. Check the github-token input\.$/],
      [READ_TOKEN, /failed with 403: Resource not accessible by integration\. The token may lack a permission: a job that posts plan comments needs `permissions: pull-requests: write`\.$/],
    ];
    for (const [token, message] of cases) {
      const c = client(token);
      try {
        await assert.rejects(c.upsertComment(7, 'm', 'm body'), (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.match(e.message, message);
          assert.equal(e.message.includes(token), false);
          assert.equal(JSON.stringify(e.details).includes(token), false);
          return true;
        });
      } finally {
        await c.close();
      }
    }
    const c = client();
    try {
      await assert.rejects(c.createComment(404, 'x'), /POST \/repos\/acme\/platform\/issues\/404\/comments failed with 404: Not Found\. The repository or pull request does not exist/);
      await assert.rejects(c.createComment(7, 'x'.repeat(65_537)), /failed with 422: Validation Failed \(body is too long \(maximum is 65536 characters\)\)\.$/);
    } finally {
      await c.close();
    }
  });

  it('repeats GETs and PATCHes through transient 5xx, never a POST', async () => {
    const c = new GitHubClient({ apiUrl: sim.url, token: TOKEN, repository: REPO, userAgent: 't', retryDelayMs: 1 });
    try {
      const marker = '<!-- retry -->';
      const created = await c.upsertComment(9, marker, `${marker}\nv1`);
      sim.failNext(2, 502, 'GET');
      sim.failNext(1, 503, 'PATCH');
      const updated = await c.upsertComment(9, marker, `${marker}\nv2`);
      assert.equal(updated.action, 'updated');
      assert.equal(updated.comment.id, created.comment.id);

      const posts = sim.requests.filter((r) => r.method === 'POST').length;
      sim.failNext(1, 502, 'POST');
      await assert.rejects(c.createComment(9, 'x'), /POST \/repos\/acme\/platform\/issues\/9\/comments failed with 502: HTTP 502\.$/);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, posts + 1, 'sent once');

      sim.failNext(3, 500, 'GET');
      await assert.rejects(c.listIssueComments(9), /failed with 500: Server Error\.$/);
    } finally {
      await c.close();
    }
  });

  it('refuses to follow a pagination link to another host with the token', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', link: '<https://evil.example/steal?page=2>; rel="next"' });
      res.end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const c = new GitHubClient({ apiUrl: `http://127.0.0.1:${port}`, token: TOKEN, repository: REPO, userAgent: 'x' });
    try {
      await assert.rejects(c.listIssueComments(1), /pagination pointed to another host \(https:\/\/evil\.example\); refusing to send the token there/);
    } finally {
      await c.close();
      server.close();
    }
  });
});
