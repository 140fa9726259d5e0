import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, testdata } from '../../testing/paths.js';
import { DpkgStatusParser, parseDpkgStatus, parseSourceField } from './parse.js';

test('hand-made stanzas: Source with version, multi-arch, non-installed states', () => {
  const pkgs = parseDpkgStatus(readFileSync(testdata('handmade-dpkg-status'), 'utf8'));
  assert.deepEqual(
    pkgs.map((p) => `${p.name}:${p.arch}=${p.version} src=${p.sourceName}@${p.sourceVersion}`),
    [
      'libc6:amd64=2.36-9+deb12u4 src=glibc@',
      'libc6:i386=2.36-9+deb12u4 src=glibc@',
      'libssl3:amd64=3.0.11-1~deb12u2+b1 src=openssl@3.0.11-1~deb12u2',
      'bash:amd64=5.2.15-2+b2 src=@',
      'selfsourced:all=1:4.0-2 src=@1:4.0-2',
    ],
  );
  assert.ok(pkgs.every((p) => p.manager === 'dpkg'));
});

test('chunked input gives the same result as one string, whatever the chunk size', () => {
  const text = readFileSync(testdata('handmade-dpkg-status'), 'utf8');
  const whole = parseDpkgStatus(text);
  for (const size of [1, 7, 64, 1000]) {
    const parser = new DpkgStatusParser();
    const out = [];
    for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
    out.push(...parser.end());
    assert.deepEqual(out, whole, `chunk size ${size}`);
  }
});

test('Source field forms', () => {
  assert.deepEqual(parseSourceField('glibc (2.36-9)'), { name: 'glibc', version: '2.36-9' });
  assert.deepEqual(parseSourceField('glibc'), { name: 'glibc', version: '' });
  assert.deepEqual(parseSourceField(undefined), { name: '', version: '' });
});

test('real fixture: status-this-machine (718 installed packages)', (t) => {
  const path = fixture('dpkg/status-this-machine');
  if (!path) return t.skip('fixture dpkg/status-this-machine not found (set WATCHPOST_FIXTURES)');
  const text = readFileSync(path, 'utf8');
  const pkgs = parseDpkgStatus(text);
  assert.equal(pkgs.length, 718);
  // Every stanza in this file is installed: the parser must keep exactly the Package: lines.
  assert.equal(pkgs.length, (text.match(/^Package: /gm) ?? []).length);
  const adduser = pkgs.find((p) => p.name === 'adduser');
  assert.deepEqual(adduser, {
    name: 'adduser',
    version: '3.134',
    arch: 'all',
    manager: 'dpkg',
    sourceName: '',
    sourceVersion: '',
  });
  assert.ok(pkgs.every((p) => p.name && p.version && p.arch));
  assert.ok(
    pkgs.some((p) => p.sourceName !== ''),
    'some packages come from another source package',
  );
});

test('real fixture: status-osv-scalibr-valid', (t) => {
  const path = fixture('dpkg/status-osv-scalibr-valid');
  if (!path) return t.skip('fixture dpkg/status-osv-scalibr-valid not found (set WATCHPOST_FIXTURES)');
  const text = readFileSync(path, 'utf8');
  const pkgs = parseDpkgStatus(text);
  const expected = text
    .split(/\n\s*\n/)
    .filter((s) => /^Status: \S+ \S+ installed$/m.test(s))
    .map((s) => /^Package: (.+)$/m.exec(s)?.[1]);
  assert.ok(pkgs.length > 0);
  assert.deepEqual(
    pkgs.map((p) => p.name),
    expected,
  );
  const extra = pkgs.find((p) => p.name === 'util-linux-extra');
  assert.equal(extra?.sourceName, 'util-linux');
  assert.equal(extra?.sourceVersion, '2.38.1-5');
  assert.equal(extra?.version, '2.38.1-5+b1');
  assert.equal(pkgs.find((p) => p.name === 'libacl1')?.sourceName, 'acl');
});
