import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generateEd25519 } from '@watchpost/proto';
import { installCommand, renderInstallScript } from './install-script.js';
import { AGENT_UNIT } from './unit.js';

test('install.sh writes exactly the .deb unit', () => {
  const deb = readFileSync(
    new URL('../../../agent/packaging/watchpost-agent.service', import.meta.url),
    'utf8',
  );
  assert.equal(AGENT_UNIT, deb);
});

test('install.sh is templated with the hub URL, version and key, and is valid sh', () => {
  const key = generateEd25519();
  const script = renderInstallScript({
    hubUrl: 'https://hub.example:7443',
    version: '1.2.3',
    hubPublicKeyRaw: key.publicKeyRaw,
  });
  assert.match(script, /^HUB='https:\/\/hub\.example:7443'$/m);
  assert.match(script, /^WS_HUB='wss:\/\/hub\.example:7443\/agent\/v1'$/m);
  assert.match(script, /^VERSION='1\.2\.3'$/m);
  assert.match(script, /-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]+\n-----END PUBLIC KEY-----'/);
  assert.doesNotMatch(script, /@@[A-Z_]+@@/);
  assert.equal(spawnSync('sh', ['-n'], { input: script }).status, 0);
});

test('a hub URL that could break out of the sh quoting is rejected', () => {
  const key = generateEd25519();
  assert.throws(() =>
    renderInstallScript({
      hubUrl: "http://x'; rm -rf /; '",
      version: '1',
      hubPublicKeyRaw: key.publicKeyRaw,
    }),
  );
});

test('the one-liner', () => {
  assert.equal(
    installCommand('https://hub.example', 'wpe_abc'),
    'curl -fsSL https://hub.example/install.sh | sudo sh -s -- --token wpe_abc',
  );
});
