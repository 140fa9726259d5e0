import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateEd25519, privateKeyFromPem, SignPurpose, signPayload } from '@watchpost/proto';
import { buildUrl, checkBuild, sha256Of, type UpgradeParams } from './verify.js';

const hub = generateEd25519();
const other = generateEd25519();
const bytes = Buffer.from('pretend this is an executable');
const sha = sha256Of(bytes);

function params(over: Partial<UpgradeParams> = {}, key = hub.privateKeyPem): UpgradeParams {
  const version = over.version ?? '0.2.0';
  return {
    version,
    path: `/agent/builds/${version}/linux-x64`,
    sha256: sha,
    signature: signPayload(privateKeyFromPem(key), SignPurpose.BUILD, sha, Buffer.from(version)),
    sizeBytes: bytes.length,
    ...over,
  };
}
const got = { size: bytes.length, sha256: sha };

test('a build signed by the pinned hub key with matching bytes passes', () => {
  assert.deepEqual(checkBuild(params(), hub.publicKeyRaw, got), { ok: true });
});

test('a signature by another key is refused', () => {
  const v = checkBuild(params({}, other.privateKeyPem), hub.publicKeyRaw, got);
  assert.equal(v.ok ? 'ok' : v.check, 'signature');
});

test('a signature made for another version is refused (version is signed)', () => {
  const p = params();
  const v = checkBuild(
    { ...p, version: '0.2.1', path: '/agent/builds/0.2.1/linux-x64' },
    hub.publicKeyRaw,
    got,
  );
  assert.equal(v.ok ? 'ok' : v.check, 'signature');
});

test('a task signature purpose cannot stand in for a build signature', () => {
  const sig = signPayload(privateKeyFromPem(hub.privateKeyPem), SignPurpose.TASK, sha, Buffer.from('0.2.0'));
  const v = checkBuild(params({ signature: sig }), hub.publicKeyRaw, got);
  assert.equal(v.ok ? 'ok' : v.check, 'signature');
});

test('downloaded bytes must match size and sha256 of the signed claim', () => {
  const size = checkBuild(params(), hub.publicKeyRaw, { size: bytes.length + 1, sha256: sha });
  assert.equal(size.ok ? 'ok' : size.check, 'size');
  const tampered = checkBuild(params(), hub.publicKeyRaw, {
    size: bytes.length,
    sha256: sha256Of(Buffer.from('x')),
  });
  assert.equal(tampered.ok ? 'ok' : tampered.check, 'sha256');
});

test('malformed parameters are refused before anything else', () => {
  for (const bad of [
    { version: '../x' },
    { sha256: Buffer.alloc(31) },
    { signature: Buffer.alloc(10) },
    { sizeBytes: 0 },
  ]) {
    const v = checkBuild(params(bad), hub.publicKeyRaw, got);
    assert.equal(v.ok ? 'ok' : v.check, 'params', JSON.stringify(bad));
  }
});

test('builds download from the hub origin only', () => {
  assert.equal(
    String(buildUrl('wss://hub.example:7443/agent/v1', '/agent/builds/0.2.0/linux-x64')),
    'https://hub.example:7443/agent/builds/0.2.0/linux-x64',
  );
  assert.equal(
    String(buildUrl('ws://127.0.0.1:7080/agent/v1', '/agent/builds/0.2.0/linux-x64')),
    'http://127.0.0.1:7080/agent/builds/0.2.0/linux-x64',
  );
  for (const path of [
    'https://evil.example/agent/builds/1/linux-x64',
    '//evil.example/agent/builds/1/x',
    '/agent/builds/../../etc/passwd',
    '/agent/builds/1/linux-x64?x=1',
    '/other/1/linux-x64',
  ])
    assert.equal(typeof buildUrl('ws://127.0.0.1:7080/agent/v1', path), 'string', path);
});
