import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rateLimiter.js';
import { createBackoff } from './backoff.js';

test('rate limiter: a burst up to 90 % of the limit, then waits proportional to the deficit', () => {
  let now = 0;
  const limiter = new RateLimiter(1000, () => now);
  let sent = 0;
  while (limiter.take() === 0) sent++;
  assert.equal(sent, 900);
  assert.ok(limiter.take() > 0);
  now += 100; // 100 ms later: 90 more tokens
  let more = 0;
  while (limiter.take() === 0) more++;
  assert.equal(more, 90);
});

test('backoff: full jitter under an exponential ceiling capped at max, reset starts over', () => {
  const b = createBackoff(60_000, 1000, () => 0.999999);
  const delays = Array.from({ length: 10 }, () => b.next());
  assert.deepEqual(delays.slice(0, 4), [999, 1999, 3999, 7999]);
  assert.ok(delays.every((d) => d < 60_000));
  assert.equal(delays[9], 59_999);
  b.reset();
  assert.equal(b.next(), 999);
  const low = createBackoff(60_000, 1000, () => 0);
  assert.equal(low.next(), 0);
});
