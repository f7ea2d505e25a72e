import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitPacer } from '../../../src/targets/digitalocean/pacer.js';

/** A fake clock: sleeping advances it, and every sleep is recorded. */
function clock(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

test('without rate-limit headers, requests are never held back', async () => {
  const c = clock();
  const pacer = new RateLimitPacer(60_000, c.sleep, c.now);
  for (let i = 0; i < 20; i++) {
    await pacer.acquire();
    pacer.release(undefined);
  }
  assert.deepEqual(c.sleeps, []);
});

test('a spent budget waits for ratelimit-reset, then probes with one request', async () => {
  const c = clock(1_000_000);
  const pacer = new RateLimitPacer(60_000, c.sleep, c.now);
  await pacer.acquire();
  pacer.release({ 'ratelimit-remaining': '1', 'ratelimit-reset': '1005' });
  await pacer.acquire(); // the last slot of the budget
  assert.deepEqual(c.sleeps, []);
  pacer.release({ 'ratelimit-remaining': '0', 'ratelimit-reset': '1005' });
  await pacer.acquire();
  assert.deepEqual(c.sleeps, [5000], 'waits until the oldest request expires');
  pacer.release({ 'ratelimit-remaining': '3', 'ratelimit-reset': '1010' });
  await pacer.acquire();
  assert.deepEqual(c.sleeps, [5000]);
});

test('waits are capped, and concurrent callers do not stampede a freed slot', async () => {
  const c = clock(2_000_000);
  const pacer = new RateLimitPacer(250, c.sleep, c.now);
  await pacer.acquire();
  pacer.release({ 'ratelimit-remaining': '0', 'ratelimit-reset': '3000' });
  const order: string[] = [];
  const a = pacer.acquire().then(() => order.push('a'));
  const b = pacer.acquire().then(() => order.push('b'));
  await a;
  assert.deepEqual(c.sleeps, [250], 'a long reset is capped at the maximum wait');
  assert.deepEqual(order, ['a']);
  // b waits for a's answer instead of sending blind.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['a']);
  pacer.release({ 'ratelimit-remaining': '5', 'ratelimit-reset': '3000' });
  await b;
  assert.deepEqual(order, ['a', 'b']);
  assert.deepEqual(c.sleeps, [250]);
});

test('answers count requests still in flight against the announced budget', async () => {
  const c = clock(3_000_000);
  const pacer = new RateLimitPacer(60_000, c.sleep, c.now);
  await pacer.acquire();
  await pacer.acquire();
  await pacer.acquire();
  // The first answer says 2 remain, but two more requests are already out.
  pacer.release({ 'ratelimit-remaining': '2', 'ratelimit-reset': '3010' });
  let fourth = false;
  const next = pacer.acquire().then(() => {
    fourth = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(fourth, false);
  pacer.release({ 'ratelimit-remaining': '4', 'ratelimit-reset': '3010' });
  await next;
  assert.equal(fourth, true);
  assert.deepEqual(c.sleeps, []);
});
