import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetriableNetworkError, parseRetryAfter, retryDelay } from '../../src/http/retry.js';

const opts = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 };

test('parseRetryAfter reads seconds and HTTP dates', () => {
  const now = Date.parse('Sat, 21 Nov 2026 10:00:00 GMT');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Sat, 21 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter(undefined, now), undefined);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-5', now), undefined);
});

test('retryDelay is full-jitter exponential backoff, capped', () => {
  assert.equal(retryDelay(1, opts, undefined, () => 0.999), 100);
  assert.equal(retryDelay(3, opts, undefined, () => 0.999), 400);
  assert.equal(retryDelay(3, opts, undefined, () => 0), 0);
  assert.equal(retryDelay(10, opts, undefined, () => 0.999), 999);
  for (let r = 1; r <= 8; r++) {
    const d = retryDelay(r, opts, undefined, Math.random);
    assert.ok(d >= 0 && d <= Math.min(1_000, 100 * 2 ** (r - 1)));
  }
});

test('retryDelay waits at least Retry-After, but never beyond maxDelayMs', () => {
  assert.equal(retryDelay(1, opts, 700, () => 0.5), 700);
  assert.equal(retryDelay(1, opts, 30_000, () => 0.5), 1_000);
  assert.equal(retryDelay(4, opts, 10, () => 0.5), 400);
});

test('network errors: resets and timeouts retry, refused connections do not', () => {
  assert.equal(isRetriableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' })), true);
  assert.equal(isRetriableNetworkError(new Error('x', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_HEADERS_TIMEOUT' }) })), true);
  assert.equal(isRetriableNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), false);
  assert.equal(isRetriableNetworkError(new Error('plain')), false);
});
