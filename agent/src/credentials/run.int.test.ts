// The runner against test-started peers: pacing, lockout, timeout, abort, and no secret leaks.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { redisCheck } from './checks/redis.js';
import { runChecks } from './run.js';
import type { DefaultCredential } from './spec.js';
import { captureLog, parsed } from './testing/captureLog.js';
import { startFakeRedis, startSilentListener } from './testing/fakeRedis.js';
import type { ServiceCheck } from './types.js';

const CANARIES = ['canary-pw-1-Zq8', 'canary-pw-2-Xk3', 'canary-pw-3-Vb7', 'canary-pw-4-Nm1'];
const canaryCredentials: DefaultCredential[] = [
  { username: '', password: null, method: 'no_auth', why: 'test' },
  ...CANARIES.map((password) => ({
    username: '',
    password,
    method: 'default_password' as const,
    why: 'test',
  })),
];
const canaryRedis: ServiceCheck = { ...redisCheck, credentials: canaryCredentials };

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

test('attempts to one host are paced, stop at the first success, and never leak a password', async () => {
  const accepted = CANARIES[2] ?? '';
  const peer = await startFakeRedis({ acceptPassword: accepted });
  cleanups.push(peer.close);
  const { log, lines } = captureLog();
  const interval = 200;
  const results = await runChecks([canaryRedis], [{ host: '127.0.0.1', port: peer.port, service: 'redis' }], {
    perHostIntervalMs: interval,
    logger: log,
  });

  assert.equal(results.length, 1);
  const [finding] = results;
  assert.equal(finding?.method, 'default_password');
  assert.equal(finding?.service, 'redis');
  assert.equal(finding?.port, peer.port);
  assert.match(
    finding?.proof ?? '',
    /AUTH accepted with password c\*{6}7; INFO server redis_version=7\.0\.99-fake/,
  );
  // no_auth + 3 AUTHs, then stop: the 4th canary is never tried.
  assert.equal(peer.connectionTimes.length, 4);
  assert.equal(peer.authCount(), 3);
  // Measured at the peer (same clock): the pacer waits an interval after an attempt *ends*, and an
  // attempt ends after its connection arrived, so arrivals are at least one interval apart.
  for (let i = 1; i < peer.connectionTimes.length; i += 1) {
    const gap = (peer.connectionTimes[i] ?? 0) - (peer.connectionTimes[i - 1] ?? 0);
    assert.ok(
      gap >= interval,
      `gap ${gap.toFixed(1)} ms < ${interval} ms between attempts ${i - 1} and ${i}`,
    );
  }
  const serialized = JSON.stringify(results) + lines.join('\n');
  assert.ok(lines.some((line) => line.includes('weak credential found')));
  for (const password of CANARIES) assert.ok(!serialized.includes(password), `password ${password} leaked`);
});

test('a lockout answer stops the service: no further attempts, no finding, reason logged', async () => {
  const peer = await startFakeRedis({ lockoutAfter: 2 });
  cleanups.push(peer.close);
  const { log, lines } = captureLog();
  const results = await runChecks([canaryRedis], [{ host: '127.0.0.1', port: peer.port, service: 'redis' }], {
    perHostIntervalMs: 0,
    logger: log,
  });
  assert.deepEqual(results, []);
  // no_auth, 2 failed AUTHs, the 3rd AUTH gets the lockout → stop (the 4th canary is never sent).
  assert.equal(peer.authCount(), 3);
  assert.equal(peer.connectionTimes.length, 4);
  const stopped = parsed(lines).find((entry) => entry['msg'] === 'credential check stopped');
  assert.equal(stopped?.['reason'], 'lockout');
  assert.match(String(stopped?.['detail']), /too many authentication failures/);
  for (const password of CANARIES) assert.ok(!lines.join('\n').includes(password));
});

test('a listener that never answers yields no finding and the attempt times out', async () => {
  const peer = await startSilentListener();
  cleanups.push(peer.close);
  const { log, lines } = captureLog();
  const results = await runChecks([canaryRedis], [{ host: '127.0.0.1', port: peer.port, service: 'redis' }], {
    perHostIntervalMs: 0,
    timeoutMs: 300,
    logger: log,
  });
  assert.deepEqual(results, []);
  assert.equal(peer.connections(), 1, 'a silent service is not retried with every credential');
  const stopped = parsed(lines).find((entry) => entry['msg'] === 'credential check stopped');
  assert.equal(stopped?.['reason'], 'unreachable');
  assert.match(String(stopped?.['detail']), /no answer within 300 ms/);
  await waitFor(() => peer.openSockets() === 0, 'the timed-out client closes its socket');
});

test('abort during an attempt rejects at once and closes the socket', async () => {
  const peer = await startSilentListener();
  cleanups.push(peer.close);
  const controller = new AbortController();
  const run = runChecks([canaryRedis], [{ host: '127.0.0.1', port: peer.port, service: 'redis' }], {
    timeoutMs: 600_000,
    signal: controller.signal,
  });
  await waitFor(() => peer.connections() === 1, 'the attempt connects');
  controller.abort(new Error('task cancelled'));
  await assert.rejects(run, /task cancelled/);
  await waitFor(() => peer.openSockets() === 0, 'the aborted client closes its socket');
});

test('abort between attempts (while pacing) rejects and starts no further attempt', async () => {
  const peer = await startFakeRedis({});
  cleanups.push(peer.close);
  const controller = new AbortController();
  const run = runChecks([canaryRedis], [{ host: '127.0.0.1', port: peer.port, service: 'redis' }], {
    perHostIntervalMs: 600_000,
    signal: controller.signal,
  });
  await waitFor(() => peer.connectionTimes.length === 1 && peer.openSockets() === 0, 'first attempt done');
  controller.abort(new Error('task cancelled'));
  await assert.rejects(run, /task cancelled/);
  assert.equal(peer.connectionTimes.length, 1);
});

test('an already aborted signal starts nothing', async () => {
  const peer = await startFakeRedis({});
  cleanups.push(peer.close);
  const signal = AbortSignal.abort(new Error('gone'));
  await assert.rejects(
    runChecks([canaryRedis], [{ host: '127.0.0.1', port: peer.port, service: 'redis' }], { signal }),
    /gone/,
  );
  assert.equal(peer.connectionTimes.length, 0);
});

test('a host:port listed twice is checked once', async () => {
  const peer = await startFakeRedis({ acceptPassword: CANARIES[0] ?? '' });
  cleanups.push(peer.close);
  const target = { host: '127.0.0.1', port: peer.port, service: 'redis' };
  const results = await runChecks([canaryRedis], [target, { ...target }], { perHostIntervalMs: 0 });
  assert.equal(results.length, 1);
  assert.equal(peer.connectionTimes.length, 2, 'no_auth + first AUTH, once');
});

test('targets without a check are ignored', async () => {
  const results = await runChecks([canaryRedis], [{ host: '127.0.0.1', port: 1, service: 'domain' }], {});
  assert.deepEqual(results, []);
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting: ${what}`);
}
