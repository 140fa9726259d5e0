// scanPaths on a prepared temp root: what is kept, what is only hashed, and the bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPaths, type FileScanContext } from './files.js';
import { SecretMatcher } from './redact.js';

function context(root: string, over: Partial<FileScanContext> = {}): FileScanContext {
  return {
    root,
    maxFiles: 1000,
    maxFileBytesForDiff: 1024,
    secrets: new SecretMatcher([]),
    owners: { users: new Map([[process.getuid?.() ?? 0, 'me']]), groups: new Map() },
    contentBudget: { left: 1 << 20 },
    ...over,
  };
}

test('scanPaths: text kept, binaries and large files hashed only, symlinks not followed, secrets', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wp-drift-files-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc/app/sub'), { recursive: true });
  writeFileSync(join(root, 'etc/app/a.conf'), 'x = 1\n');
  writeFileSync(join(root, 'etc/app/bin'), Buffer.from([1, 0, 2]));
  const big = Buffer.alloc(300_000, 'y');
  writeFileSync(join(root, 'etc/app/sub/big.txt'), big);
  writeFileSync(join(root, 'etc/app/id_ed25519'), 'not really a key\n');
  symlinkSync('/etc', join(root, 'etc/app/link'));
  const { items, truncated } = await scanPaths(['/etc/app', '/etc/missing'], context(root));
  assert.equal(truncated, false);
  const by = new Map(items.map((i) => [i.key, i]));
  assert.deepEqual([...by.keys()].sort(), [
    '/etc/app',
    '/etc/app/a.conf',
    '/etc/app/bin',
    '/etc/app/id_ed25519',
    '/etc/app/link',
    '/etc/app/sub',
    '/etc/app/sub/big.txt',
  ]);
  assert.equal(by.get('/etc/app/a.conf')?.content, 'x = 1\n');
  assert.equal(JSON.parse(by.get('/etc/app/a.conf')?.valueJson ?? '{}').owner, 'me');
  assert.equal(by.get('/etc/app/bin')?.content, undefined);
  const bigValue = JSON.parse(by.get('/etc/app/sub/big.txt')?.valueJson ?? '{}') as {
    sha256: string;
    size: number;
  };
  assert.equal(bigValue.sha256, createHash('sha256').update(big).digest('hex'));
  assert.equal(bigValue.size, 300_000);
  assert.equal(by.get('/etc/app/sub/big.txt')?.content, undefined);
  assert.equal(by.get('/etc/app/id_ed25519')?.secret, true);
  assert.equal(by.get('/etc/app/id_ed25519')?.content, undefined);
  assert.equal(JSON.parse(by.get('/etc/app/link')?.valueJson ?? '{}').target, '/etc');
  assert.equal(by.get('/etc/app')?.kind, 'directory');

  const bounded = await scanPaths(['/etc/app'], context(root, { maxFiles: 3 }));
  assert.equal(bounded.truncated, true);
  assert.equal(bounded.items.length, 3);
  const noBudget = await scanPaths(['/etc/app/a.conf'], context(root, { contentBudget: { left: 2 } }));
  assert.equal(noBudget.items[0]?.content, undefined, 'over the per-scan text budget: digest only');
});
