import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, path, type HttpClientOptions } from '../../src/http/index.js';
import { ApiError, DeadlineError, InterruptedError } from '../../src/errors.js';
import { USER_AGENT } from '../../src/http/version.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A loopback server answering with `handler`; `n` counts requests from 1. */
async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[]; close(): Promise<void> }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => handler(req, res, requests.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/kafka/v3`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function client(url: string, extra: Partial<HttpClientOptions> = {}): { http: HttpClient; sleeps: number[]; logs: string[] } {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const http = new HttpClient({
    baseUrl: url,
    retry: { maxAttempts: 4, baseDelayMs: 8, maxDelayMs: 5_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    log: (l) => logs.push(l),
    ...extra,
  });
  return { http, sleeps, logs };
}

const HTML_429 =
  '<html><head><title>Error 429 Too Many Requests</title></head><body><h2>HTTP ERROR 429 Too Many Requests</h2></body></html>';

test('sends user agent, auth and encoded path segments and query values', async (t) => {
  const s = await serve((_req, res) => json(res, 200, { ok: true }));
  t.after(() => s.close());
  const { http } = client(s.url, { auth: { type: 'bearer', token: 'tok-123456' } });
  t.after(() => http.close());
  const res = await http.request({
    method: 'GET',
    path: path`/clusters/${'lkc-1'}/topics/${'a/b..c'}/configs`,
    query: { principal: 'User:CN=svc,OU=x', host: '*' },
  });
  assert.deepEqual(res.body, { ok: true });
  const req = s.requests[0]!;
  assert.equal(req.url, '/kafka/v3/clusters/lkc-1/topics/a%2Fb..c/configs?host=*&principal=User%3ACN%3Dsvc%2COU%3Dx');
  assert.equal(req.headers['user-agent'], USER_AGENT);
  assert.match(USER_AGENT, /^kafkaform\/\d+\.\d+\.\d+/);
  assert.equal(req.headers.authorization, 'Bearer tok-123456');
});

test('basic auth is sent as a Basic header', async (t) => {
  const s = await serve((_req, res) => json(res, 200, {}));
  t.after(() => s.close());
  const { http } = client(s.url, { auth: { type: 'basic', username: 'KEY1', password: 'se:cret' } });
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/clusters' });
  assert.equal(s.requests[0]!.headers.authorization, `Basic ${Buffer.from('KEY1:se:cret').toString('base64')}`);
});

test('429 with an HTML body and Retry-After in seconds is retried after at least that long', async (t) => {
  const s = await serve((_req, res, n) => {
    if (n === 1) {
      res.writeHead(429, { 'content-type': 'text/html', 'retry-after': '3' });
      res.end(HTML_429);
    } else json(res, 200, { data: [] });
  });
  t.after(() => s.close());
  const { http, sleeps } = client(s.url);
  t.after(() => http.close());
  const res = await http.request({ method: 'GET', path: '/clusters' });
  assert.equal(res.status, 200);
  assert.deepEqual(sleeps, [3000]);
  assert.equal(s.requests.length, 2);
});

test('Retry-After as an HTTP date is honoured', async (t) => {
  const s = await serve((_req, res, n) => {
    if (n === 1) {
      res.writeHead(429, { 'retry-after': new Date(Date.now() + 4_000).toUTCString() });
      res.end(HTML_429);
    } else json(res, 200, {});
  });
  t.after(() => s.close());
  const { http, sleeps } = client(s.url);
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/x' });
  assert.equal(sleeps.length, 1);
  // The date has one-second resolution and some time passes before it is parsed.
  assert.ok(sleeps[0]! >= 2_000 && sleeps[0]! <= 4_000, `slept ${sleeps[0]}`);
});

test('502, 503 and 504 are retried with growing backoff', async (t) => {
  const statuses = [502, 503, 504];
  const s = await serve((_req, res, n) => (n <= 3 ? json(res, statuses[n - 1]!, { message: 'busy' }) : json(res, 200, {})));
  t.after(() => s.close());
  const { http, sleeps } = client(s.url);
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/x' });
  assert.equal(s.requests.length, 4);
  // random() = 0.5 → half of base·2^(retry-1): 4, 8, 16.
  assert.deepEqual(sleeps, [4, 8, 16]);
});

test('every retry is announced on the log without debug: path without query, delay, cause, attempt', async (t) => {
  const s = await serve((_req, res, n) => {
    if (n === 1) json(res, 503, { message: 'busy' });
    else if (n === 2) json(res, 500, { error_code: 50003, message: 'coordinator not available' });
    else json(res, 200, {});
  });
  t.after(() => s.close());
  const { http, logs } = client(s.url, { auth: { type: 'bearer', token: 'tok-secret-1' }, retriable: (f) => f.errorCode === 50003 });
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/clusters/c1/topics', query: { page_token: 'tok-secret-1' } });
  assert.deepEqual(logs, [
    'retrying GET /kafka/v3/clusters/c1/topics in 4 ms after HTTP 503 (attempt 2 of 4)',
    'retrying GET /kafka/v3/clusters/c1/topics in 8 ms after HTTP 500 (error 50003) (attempt 3 of 4)',
  ]);
});

test('an aborted signal ends a hung request at once: the deadline names the request, the host and the timeout', async (t) => {
  const s = await serve(() => undefined);
  t.after(() => s.close());
  const controller = new AbortController();
  const { http } = client(s.url, { signal: controller.signal });
  t.after(() => http.close());
  const pending = http.request({ method: 'GET', path: '/x' });
  while (s.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
  controller.abort(new DeadlineError(90_000, 'unused'));
  const host = new URL(s.url).host;
  await assert.rejects(pending, (err: unknown) => {
    assert.ok(err instanceof DeadlineError);
    assert.equal(err.message, `GET ${s.url}/x: no answer from ${host} within the command's 90 s deadline; raise it with --timeout`);
    return true;
  });
});

test('an aborted signal ends a retry delay, and an interrupt comes through as it is', async (t) => {
  const s = await serve((_req, res) => json(res, 503, {}));
  t.after(() => s.close());
  const controller = new AbortController();
  const interrupt = new InterruptedError('Interrupted; nothing was changed.');
  const { http, logs } = client(s.url, {
    signal: controller.signal,
    // The first delay never ends by itself.
    sleep: () => {
      controller.abort(interrupt);
      return new Promise(() => undefined);
    },
  });
  t.after(() => http.close());
  await assert.rejects(http.request({ method: 'GET', path: '/x' }), (err: unknown) => err === interrupt);
  assert.equal(logs.length, 1);
  assert.equal(s.requests.length, 1);

  const deadline = new AbortController();
  const later = client(s.url, { signal: deadline.signal, sleep: () => (deadline.abort(new DeadlineError(2_000, 'unused')), new Promise(() => undefined)) });
  t.after(() => later.http.close());
  await assert.rejects(later.http.request({ method: 'GET', path: '/x' }), {
    message: `GET ${s.url}/x: ${new URL(s.url).host} still failing after 1 failed attempt (last: HTTP 503) within the command's 2 s deadline; raise it with --timeout`,
  });
});

test('gives up after maxAttempts with a typed error carrying the status', async (t) => {
  const s = await serve((_req, res) => {
    res.writeHead(429, { 'content-type': 'text/html' });
    res.end(HTML_429);
  });
  t.after(() => s.close());
  const { http } = client(s.url);
  t.after(() => http.close());
  await assert.rejects(http.request({ method: 'GET', path: '/x' }), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.details.status, 429);
    assert.equal(err.details.retriable, true);
    assert.equal(err.details.serverMessage, undefined);
    assert.match(err.message, /429 Too Many Requests/);
    return true;
  });
  assert.equal(s.requests.length, 4);
});

test('validation errors are never retried, even with a permissive predicate on 5xx', async (t) => {
  const s = await serve((_req, res) => json(res, 400, { error_code: 40002, message: 'Topic already exists.' }));
  t.after(() => s.close());
  const { http, sleeps } = client(s.url, { retriable: (f) => f.errorCode === 50003 });
  t.after(() => http.close());
  await assert.rejects(http.request({ method: 'POST', path: '/topics', body: {} }), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.details.status, 400);
    assert.equal(err.details.errorCode, 40002);
    assert.equal(err.details.serverMessage, 'Topic already exists.');
    return true;
  });
  assert.equal(s.requests.length, 1);
  assert.deepEqual(sleeps, []);
});

test('the target predicate makes 500/50003 retriable while a plain 500 is not', async (t) => {
  const s = await serve((req, res, n) => {
    if (req.url!.endsWith('/plain')) json(res, 500, { error_code: 500, message: 'boom' });
    else if (n === 1) json(res, 500, { error_code: 50003, message: 'retriable' });
    else json(res, 200, {});
  });
  t.after(() => s.close());
  const { http } = client(s.url, { retriable: (f) => f.errorCode === 50003 });
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/x' });
  assert.equal(s.requests.length, 2);
  await assert.rejects(http.request({ method: 'GET', path: '/plain' }), ApiError);
  assert.equal(s.requests.length, 3);
});

test('a dropped connection is retried', async (t) => {
  const s = await serve((req, res, n) => {
    if (n === 1) req.socket.destroy();
    else json(res, 200, { ok: 1 });
  });
  t.after(() => s.close());
  const { http } = client(s.url);
  t.after(() => http.close());
  const res = await http.request({ method: 'GET', path: '/x' });
  assert.deepEqual(res.body, { ok: 1 });
  assert.equal(s.requests.length, 2);
});

test('a read timeout is retried', async (t) => {
  const s = await serve((_req, res, n) => {
    if (n > 1) json(res, 200, {});
    // The first request is never answered.
  });
  t.after(() => s.close());
  const { http } = client(s.url, { readTimeoutMs: 100 });
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/x' });
  assert.equal(s.requests.length, 2);
});

test('a refused connection fails at once with a clear message', async (t) => {
  const s = await serve(() => undefined);
  const url = s.url;
  await s.close();
  const { http, sleeps } = client(url);
  t.after(() => http.close());
  await assert.rejects(http.request({ method: 'GET', path: '/x' }), /connection refused/);
  assert.deepEqual(sleeps, []);
});

test('credentials never appear in messages or debug lines, even when the server echoes them', async (t) => {
  const password = 'hunter2-very-secret';
  const s = await serve((req, res) =>
    json(res, 401, { error_code: 40101, message: `bad credentials ${password} ${req.headers.authorization}` }),
  );
  t.after(() => s.close());
  const { http, logs } = client(s.url, { auth: { type: 'basic', username: 'APIKEY9', password }, debug: true });
  t.after(() => http.close());
  const err = await http.request({ method: 'GET', path: '/clusters' }).catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  const encoded = Buffer.from(`APIKEY9:${password}`).toString('base64');
  const everything = [err.message, JSON.stringify(err.details), String(err.stack), ...logs].join('\n');
  assert.ok(logs.length > 0);
  for (const secret of [password, encoded, 'APIKEY9']) assert.ok(!everything.includes(secret), `leaked ${secret}`);
  assert.match(err.message, /401/);
});

test('base URLs with credentials are refused, and next links are rebased onto the configured origin', async (t) => {
  assert.throws(() => new HttpClient({ baseUrl: 'https://key:secret@example.com/kafka/v3' }), (e: Error) => !e.message.includes('secret'));
  const s = await serve((_req, res) => json(res, 200, {}));
  t.after(() => s.close());
  const { http } = client(s.url, { auth: { type: 'bearer', token: 'tok-abcdef' } });
  t.after(() => http.close());
  await http.request({ method: 'GET', path: 'http://elsewhere.invalid:9/kafka/v3/clusters/c/acls?page_token=a%2Bb' });
  assert.equal(s.requests[0]!.url, '/kafka/v3/clusters/c/acls?page_token=a%2Bb');
});

test('a parser hook replaces JSON.parse', async (t) => {
  const s = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": 12345678901234567890}');
  });
  t.after(() => s.close());
  const { http } = client(s.url, { parseJson: (text) => ({ raw: text }) });
  t.after(() => http.close());
  const res = await http.request({ method: 'GET', path: '/x' });
  assert.deepEqual(res.body, { raw: '{"id": 12345678901234567890}' });
});

test('the meter counts every attempt as a request and the bytes of every answer, failed ones too', async (t) => {
  const body = JSON.stringify({ data: 'x'.repeat(5000) });
  const s = await serve((_req, res, n) => {
    if (n === 1) json(res, 503, { message: 'busy' });
    else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    }
  });
  t.after(() => s.close());
  const meter = { requests: 0, bytes: 0, sent: () => meter.requests++, received: (n: number) => (meter.bytes += n) };
  const { http } = client(s.url, { meter });
  t.after(() => http.close());
  await http.request({ method: 'GET', path: '/clusters' });
  assert.equal(meter.requests, 2);
  assert.equal(meter.bytes, Buffer.byteLength(JSON.stringify({ message: 'busy' })) + Buffer.byteLength(body));
});
