import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '../../src/http/index.js';
import { ApiError, ConfigError } from '../../src/errors.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

async function httpsServer(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const server = createServer(
    { key: readFileSync(join(FIXTURES, 'server.key')), cert: readFileSync(join(FIXTURES, 'server.pem')) },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;
}

test('TLS is verified: an unknown CA fails with a hint, never retried', async (t) => {
  const url = await httpsServer(t);
  const sleeps: number[] = [];
  const http = new HttpClient({ baseUrl: url, sleep: async (ms) => void sleeps.push(ms) });
  t.after(() => http.close());
  await assert.rejects(http.request({ method: 'GET', path: '/clusters' }), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.match(e.message, /TLS certificate verification failed \([A-Z_]+\); set caFile to trust a private CA/);
    return true;
  });
  assert.deepEqual(sleeps, []);
});

test('a custom CA file makes the private certificate trusted', async (t) => {
  const url = await httpsServer(t);
  const http = new HttpClient({ baseUrl: url, caFile: join(FIXTURES, 'ca.pem') });
  t.after(() => http.close());
  assert.deepEqual((await http.request({ method: 'GET', path: '/clusters' })).body, { ok: true });
  assert.throws(() => new HttpClient({ baseUrl: url, caFile: join(FIXTURES, 'missing.pem') }), ConfigError);
});

test('the insecure opt-out works only when asked, and says so loudly', async (t) => {
  const url = await httpsServer(t);
  const logs: string[] = [];
  const http = new HttpClient({ baseUrl: url, insecureSkipTlsVerify: true, log: (l) => logs.push(l) });
  t.after(() => http.close());
  assert.deepEqual((await http.request({ method: 'GET', path: '/clusters' })).body, { ok: true });
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /^WARNING: TLS certificate verification is disabled for https:\/\/127\.0\.0\.1:\d+ \(insecureSkipTlsVerify\)/);
});
