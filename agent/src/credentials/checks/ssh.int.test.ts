// SSH against a test-started ssh2 server that accepts one default account and can count failures
// into a "too many authentication failures" disconnect like OpenSSH's MaxAuthTries.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, test } from 'node:test';
import ssh2 from 'ssh2';
import { runChecks } from '../run.js';
import { captureLog, parsed } from '../testing/captureLog.js';
import { sshCheck } from './ssh.js';

const hostKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
}).privateKey;

async function startSshServer(opts: { accept?: string; lockoutAfter?: number }): Promise<{
  port: number;
  tried: string[];
}> {
  const tried: string[] = [];
  let failures = 0;
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'password') return ctx.reject(['password']);
      tried.push(ctx.username);
      if (opts.lockoutAfter !== undefined && failures >= opts.lockoutAfter) {
        // What OpenSSH sends when MaxAuthTries is exceeded.
        client.end();
        return;
      }
      if (`${ctx.username}:${ctx.password}` === opts.accept) return ctx.accept();
      failures += 1;
      ctx.reject(['password']);
    });
    client.on('ready', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, tried };
}

test('finds admin:admin after root:root and root:toor fail, then stops', async () => {
  const peer = await startSshServer({ accept: 'admin:admin' });
  const { log, lines } = captureLog();
  const results = await runChecks([sshCheck], [{ host: '127.0.0.1', port: peer.port, service: 'ssh' }], {
    perHostIntervalMs: 0,
    logger: log,
  });
  assert.equal(results.length, 1);
  assert.equal(results[0]?.username, 'admin');
  assert.equal(results[0]?.method, 'default_password');
  assert.match(
    results[0]?.proof ?? '',
    /^password login as admin with a\*{6}n accepted; server=SSH-2\.0-ssh2js/,
  );
  assert.deepEqual(
    peer.tried,
    ['root', 'root', 'admin'],
    'stops at the first success (pi:raspberry never tried)',
  );
  assert.ok(!lines.join('\n').includes('toor') && !JSON.stringify(results).includes('toor'));
});

test('a server that keeps refusing yields no finding after the whole list', async () => {
  const peer = await startSshServer({});
  const results = await runChecks([sshCheck], [{ host: '127.0.0.1', port: peer.port, service: 'ssh' }], {
    perHostIntervalMs: 0,
  });
  assert.deepEqual(results, []);
  assert.equal(peer.tried.length, 4);
});

test('a server that hangs up after a failure (MaxAuthTries-like) stops the check', async () => {
  const peer = await startSshServer({ lockoutAfter: 1 });
  const { log, lines } = captureLog();
  const results = await runChecks([sshCheck], [{ host: '127.0.0.1', port: peer.port, service: 'ssh' }], {
    perHostIntervalMs: 0,
    logger: log,
  });
  assert.deepEqual(results, []);
  assert.deepEqual(peer.tried, ['root', 'root'], 'no attempt after the server hung up');
  const stopped = parsed(lines).find((entry) => entry['msg'] === 'credential check stopped');
  assert.equal(stopped?.['reason'], 'unreachable');
});
