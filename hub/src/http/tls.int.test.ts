// TLS: with WATCHPOST_TLS_CERT_FILE/KEY_FILE set the hub serves https and wss on one port.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { enrollAgentOver, startHub, TestAgentClient } from '../testing/index.js';

function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ed25519',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('https + wss with a configured certificate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-tls-'));
  const { cert, key } = selfSigned(dir);
  const ca = readFileSync(cert);
  const hub = await startHub({ env: { WATCHPOST_TLS_CERT_FILE: cert, WATCHPOST_TLS_KEY_FILE: key } });
  try {
    assert.match(hub.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(hub.wsUrl, /^wss:\/\/127\.0\.0\.1:\d+\/agent\/v1$/);
    const health = await httpsGet(`${hub.url}/healthz`, ca);
    assert.deepEqual([health.status, JSON.parse(health.body)], [200, { status: 'ok' }]);
    await hub.cli(['tenant', 'create', 'acme']);
    const token = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
    const a = await enrollAgentOver(hub.wsUrl, token, { ca });
    const c = await TestAgentClient.connect(hub.wsUrl, { ca });
    const w = await c.session(a.key, a.agentId);
    assert.equal(w.agentId, a.agentId);
    c.close();
    // Plain ws to a TLS port does not get a session.
    await assert.rejects(TestAgentClient.connect(hub.wsUrl.replace('wss:', 'ws:')));
  } finally {
    assert.equal(await hub.kill('SIGTERM'), 0);
  }
});
