import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testdata } from '../../testing/paths.js';
import { exePath, parseBootTime, parseProcStat, parseStatusUid } from './parse.js';
import { parseOsRelease } from '../host/parse.js';

test('/proc/<pid>/stat with spaces and parentheses in the name', () => {
  assert.deepEqual(parseProcStat(readFileSync(testdata('handmade-proc-stat-pid'), 'utf8')), {
    pid: 4242,
    name: 'my (odd) proc',
    ppid: 1,
    startTicks: 123456,
  });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('status Uid, btime, exe link', () => {
  assert.equal(parseStatusUid('Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\n'), 1000);
  assert.equal(parseStatusUid('Name:\tbash\n'), undefined);
  assert.equal(parseBootTime('cpu  1 2 3\nbtime 1700000000\nprocesses 5\n'), 1_700_000_000);
  assert.equal(exePath('/usr/bin/old (deleted)'), '/usr/bin/old');
  assert.equal(exePath(undefined), '');
});

test('os-release quoting', () => {
  const r = parseOsRelease(
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n# c\nX=\'single\'\n',
  );
  assert.deepEqual(r, {
    PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
    ID: 'debian',
    VERSION_ID: '12',
    VERSION_CODENAME: 'bookworm',
    X: 'single',
  });
});
