import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHubError } from '../../platform/errors.js';
import { attributeMatches, cpeText, isUnknownVersion, parseCpe } from './cpe.js';

test('parses a CPE 2.3 formatted string, with escapes and ANY/NA', () => {
  const c = parseCpe('cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*');
  assert.equal(cpeText(c.vendor), 'hp');
  assert.equal(cpeText(c.version), '7.4.0.1570');
  assert.equal(c.update.kind, 'na');
  assert.equal(c.edition.kind, 'any');
  assert.equal(cpeText(c.targetSw), 'win2003');
  const esc = parseCpe('cpe:2.3:a:foo\\:bar:big\\$money_2010:1\\.0:*:*:*:*:*:*:*');
  assert.equal(cpeText(esc.vendor), 'foo:bar');
  assert.equal(cpeText(esc.product), 'big$money_2010');
  assert.equal(cpeText(esc.version), '1.0');
});

test('parses nmap CPE 2.2 URIs, lower-casing and padding with ANY', () => {
  const c = parseCpe('cpe:/a:OpenBSD:openssh:7.4');
  assert.equal(cpeText(c.part), 'a');
  assert.equal(cpeText(c.vendor), 'openbsd');
  assert.equal(cpeText(c.version), '7.4');
  assert.equal(c.other.kind, 'any');
  assert.equal(parseCpe('cpe:/o:linux:linux_kernel').version.kind, 'any');
});

test('rejects malformed names with VALIDATION_FAILED', () => {
  for (const bad of [
    'cpe:2.3:a:only:four',
    'nope',
    'cpe:2.3:x:v:p:1:*:*:*:*:*:*:*',
    `cpe:2.3:a:${'v'.repeat(2000)}:p:*:*:*:*:*:*:*:*`,
    'cpe:2.3:a:v:p:1\\',
  ]) {
    assert.throws(
      () => parseCpe(bad),
      (e: unknown) => isHubError(e) && e.code === 'VALIDATION_FAILED',
      bad,
    );
  }
});

test('attribute matching: ANY, NA, wildcards, quoted wildcards', () => {
  const v = (s: string) => parseCpe(`cpe:2.3:a:v:p:${s}:*:*:*:*:*:*:*`).version;
  assert.ok(attributeMatches(v('*'), v('1.0')));
  assert.ok(attributeMatches(v('-'), v('-')));
  assert.ok(!attributeMatches(v('-'), v('1.0')));
  assert.ok(attributeMatches(v('1.*'), v('1.2')));
  assert.ok(!attributeMatches(v('1.*'), v('2.1')));
  assert.ok(attributeMatches(v('1.?'), v('1.5')));
  assert.ok(!attributeMatches(v('1\\*'), v('12')), 'a quoted * is a literal');
  assert.ok(attributeMatches(v('1\\*'), parseCpe('cpe:2.3:a:v:p:1\\*:*:*:*:*:*:*:*').version));
  assert.ok(!attributeMatches(v('1.0'), v('*')), 'an unknown target never equals a value');
});

test('empty, ANY and NA versions are unknown', () => {
  for (const s of ['*', '-'])
    assert.ok(isUnknownVersion(parseCpe(`cpe:2.3:a:v:p:${s}:*:*:*:*:*:*:*`).version));
  assert.ok(isUnknownVersion(parseCpe('cpe:/a:v:p').version));
  assert.ok(!isUnknownVersion(parseCpe('cpe:/a:v:p:1').version));
});
