import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifySeq, TokenBucket } from './seq.js';

test('seq bookkeeping: duplicate, next, gap', () => {
  assert.equal(classifySeq(1n, 0n), 'next');
  assert.equal(classifySeq(5n, 5n), 'duplicate');
  assert.equal(classifySeq(3n, 5n), 'duplicate');
  assert.equal(classifySeq(6n, 5n), 'next');
  assert.equal(classifySeq(7n, 5n), 'gap');
  assert.equal(classifySeq(2n ** 63n, 0n), 'gap');
});

test('token bucket: burst of 2 s worth, then refills with time', () => {
  const b = new TokenBucket(10, 0);
  let taken = 0;
  while (b.take(0)) taken++;
  assert.equal(taken, 20);
  assert.equal(b.take(50), false); // 0.5 token refilled: still empty
  assert.equal(b.take(200), true); // 2 tokens refilled by t=200ms
});
