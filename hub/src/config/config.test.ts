import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHubError } from '../platform/errors.js';
import { loadConfig } from './load.js';

const base = { WATCHPOST_DATA_DIR: '/tmp/wp-config-test' };

test('defaults: SQLite in the data dir, 127.0.0.1:7080, protocol limits', () => {
  const c = loadConfig({}, base);
  assert.equal(c.databaseUrl, undefined);
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 7080 });
  assert.equal(c.limits.maxBatch, 500);
  assert.equal(c.dataDir, '/tmp/wp-config-test');
});

test('flags win over env; env overrides defaults', () => {
  const c = loadConfig(
    { listen: '127.0.0.1:0', dataDir: '/tmp/flag' },
    { ...base, WATCHPOST_LISTEN: '127.0.0.1:9000', WATCHPOST_MAX_BATCH: '50' },
  );
  assert.equal(c.listen.port, 0);
  assert.equal(c.dataDir, '/tmp/flag');
  assert.equal(c.limits.maxBatch, 50);
});

test('a bad value fails fast naming the key and its env variable', () => {
  assert.throws(
    () => loadConfig({}, { ...base, WATCHPOST_MAX_BATCH: 'lots' }),
    (e: unknown) => isHubError(e) && /limits\.maxBatch \(WATCHPOST_MAX_BATCH\)/.test(e.message),
  );
  assert.throws(
    () => loadConfig({}, { ...base, WATCHPOST_DATABASE_URL: 'mysql://x' }),
    (e: unknown) => isHubError(e) && /WATCHPOST_DATABASE_URL/.test(e.message),
  );
  assert.throws(() => loadConfig({ listen: 'nowhere' }, base), /listen/);
});

test('TLS cert and key must come together', () => {
  assert.throws(() => loadConfig({}, { ...base, WATCHPOST_TLS_CERT_FILE: '/x.pem' }), /tlsKeyFile/);
});

test('the database URL can come from a *_FILE secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-cfg-'));
  const f = join(dir, 'db-url');
  writeFileSync(f, 'postgres://postgres@127.0.0.1:5432/x\n');
  const c = loadConfig({}, { ...base, WATCHPOST_DATABASE_URL_FILE: f });
  assert.equal(c.databaseUrl, 'postgres://postgres@127.0.0.1:5432/x');
});
