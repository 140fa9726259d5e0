// HTTP basic against a test-started server: open pages are no finding, a protected path with a
// default account is, and 429 stops the check.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { runChecks } from '../run.js';
import { captureLog, parsed } from '../testing/captureLog.js';
import { httpBasicCheck } from './http.js';

interface Seen {
  path: string;
  auth: string | undefined;
}

async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{
  port: number;
  seen: Seen[];
}> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.unref();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, seen };
}

const basic = (user: string, pass: string): string =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

test('finds admin:admin on /admin and not on the open / page', async () => {
  const peer = await startServer((req, res) => {
    if (req.url === '/') res.writeHead(200).end('welcome');
    else if (req.url !== '/admin') res.writeHead(404).end();
    else if (req.headers.authorization === basic('admin', 'admin')) res.writeHead(200).end('admin area');
    else res.writeHead(401, { 'www-authenticate': 'Basic realm="admin"' }).end();
  });
  const { log, lines } = captureLog();
  const results = await runChecks(
    [httpBasicCheck],
    [{ host: '127.0.0.1', port: peer.port, service: 'http' }],
    {
      perHostIntervalMs: 0,
      logger: log,
    },
  );
  assert.deepEqual(results, [
    {
      service: 'http-basic',
      port: peer.port,
      protocol: 'tcp',
      username: 'admin',
      method: 'default_password',
      proof: 'HTTP 200 on /admin with Basic admin:a******n (401 without)',
      path: '/admin',
    },
  ]);
  // "/" is probed once without credentials and then left alone; /admin: probe + first credential.
  assert.deepEqual(
    peer.seen.map((s) => `${s.path} ${s.auth ? 'auth' : 'none'}`),
    ['/ none', '/admin none', '/admin auth'],
  );
  assert.ok(
    !lines.join('\n').includes(basic('admin', 'admin').slice(6)),
    'the base64 credential is never logged',
  );
});

test('HTTP 429 is a lockout: the check stops and reports nothing', async () => {
  const peer = await startServer((req, res) => {
    if (req.headers.authorization) res.writeHead(429).end();
    else res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
  });
  const { log, lines } = captureLog();
  const results = await runChecks(
    [httpBasicCheck],
    [{ host: '127.0.0.1', port: peer.port, service: 'http' }],
    {
      perHostIntervalMs: 0,
      logger: log,
    },
  );
  assert.deepEqual(results, []);
  assert.equal(peer.seen.length, 2, 'probe, one credential, then stop');
  const stopped = parsed(lines).find((entry) => entry['msg'] === 'credential check stopped');
  assert.equal(stopped?.['reason'], 'lockout');
});
