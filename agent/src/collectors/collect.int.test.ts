// All collectors once against this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { collectSections } from './index.js';

test('collects every section on this Linux host', async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux collectors');
  const s = await collectSections(pino({ level: 'silent' }));
  assert.ok(s.host?.hostname);
  assert.ok((s.host?.memoryBytes ?? 0) > 0);
  assert.equal(s.host?.osPlatform, 'linux');
  const osRelease = readFileSync('/etc/os-release', 'utf8');
  assert.equal(s.host?.osId, /^ID=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, ''));
  const lo = s.interfaces?.find((i) => i.name === 'lo');
  assert.ok(lo?.ipv4.includes('127.0.0.1/8'), 'loopback carries 127.0.0.1/8');
  assert.equal(lo?.internal, true);
  const me = s.processes?.find((p) => p.pid === process.pid);
  assert.equal(me?.ppid, process.ppid);
  assert.equal(me?.path, process.execPath);
  assert.ok(me && !('cmdline' in me) && !('command' in me), 'no command line is collected');
  assert.ok(s.accounts?.some((a) => a.name === 'root' && a.uid === 0));
  assert.ok(s.groups?.some((g) => g.name === 'root' && g.gid === 0));
  assert.ok(Array.isArray(s.listeners));
  assert.ok(Array.isArray(s.services));
  assert.ok((s.packages?.length ?? 0) > 0);
});
