// The I/O layer against this machine: the installed set must equal what dpkg-query reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readDpkgPackages } from './linux/read.js';
import { DPKG_STATUS_PATH } from './spec.js';

test('dpkg status parser matches dpkg-query on this machine', async (t) => {
  if (!existsSync(DPKG_STATUS_PATH)) return t.skip(`${DPKG_STATUS_PATH} absent: not a dpkg system`);
  let listing: string;
  try {
    listing = execFileSync(
      'dpkg-query',
      ['-W', '-f', '${db:Status-Status} ${Package}:${Architecture} ${Version}\\n'],
      { encoding: 'utf8' },
    );
  } catch {
    return t.skip('dpkg-query not available');
  }
  const expected = listing
    .split('\n')
    .filter((l) => l.startsWith('installed '))
    .map((l) => l.slice('installed '.length))
    .sort();
  const pkgs = await readDpkgPackages();
  assert.ok(pkgs);
  const actual = pkgs.map((p) => `${p.name}:${p.arch} ${p.version}`).sort();
  assert.ok(expected.length > 0);
  assert.deepEqual(actual, expected);
});
