import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { HostPacer } from './pacer.js';

async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  return done;
}

test('pacer holds the next attempt until the interval after the previous one ended', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  let clock = 1000;
  const pacer = new HostPacer(500, () => clock);
  assert.equal(await settled(pacer.wait('a')), true, 'first attempt does not wait');
  clock = 1200;
  pacer.done('a');
  clock = 1300; // 100 ms after the end: 400 ms still to go
  const next = pacer.wait('a');
  assert.equal(await settled(next), false);
  mock.timers.tick(399);
  assert.equal(await settled(next), false);
  mock.timers.tick(1);
  assert.equal(await settled(next), true);
  assert.equal(await settled(pacer.wait('b')), true, 'another host is independent');
});

test('pacer wait is abortable and rejects with the signal reason', async () => {
  const pacer = new HostPacer(600_000);
  pacer.done('h');
  const controller = new AbortController();
  const waiting = pacer.wait('h', controller.signal);
  controller.abort(new Error('stop now'));
  await assert.rejects(waiting, /stop now/);
});
