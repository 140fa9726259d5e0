// rpmvercmp cases from rpm's own test suite (tests/rpmvercmp.at), plus caret and EVR cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRpmEvr, rpmCompare, rpmvercmp } from './rpm.js';

const RPMVERCMP_AT: Array<[string, string, -1 | 0 | 1]> = [
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p10', '5.5p10', 0],
  ['5.5p1', '5.5p10', -1],
  ['10xyz', '10.1xyz', -1],
  ['xyz10', 'xyz10', 0],
  ['xyz10', 'xyz10.1', -1],
  ['xyz.4', 'xyz.4', 0],
  ['xyz.4', '8', -1],
  ['xyz.4', '2', -1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '6.5p1', -1],
  ['6.0.rc1', '6.0', 1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0],
  ['1.0a', '1.0aa', -1],
  ['10.0001', '10.0001', 0],
  ['10.0001', '10.1', 0],
  ['10.0001', '10.0039', -1],
  ['4.999.9', '5.0', -1],
  ['20101121', '20101121', 0],
  ['20101121', '20101122', -1],
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['a', 'a', 0],
  ['a+', 'a+', 0],
  ['a+', 'a_', 0],
  ['+a', '+a', 0],
  ['+a', '_a', 0],
  ['+_', '+_', 0],
  ['_+', '+_', 0],
  ['+', '_', 0],
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  // Caret (post-release snapshot) cases, from rpm's caret tests.
  ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1],
  ['1.0^git1', '1.0', 1],
  ['1.0^git1', '1.01', -1],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0^20160101^git1', '1.0^20160101', 1],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0^git1~pre', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1],
];

test('rpmvercmp agrees with rpm tests/rpmvercmp.at, both directions', () => {
  for (const [a, b, want] of RPMVERCMP_AT) {
    assert.equal(rpmvercmp(a, b), want, `${a} vs ${b}`);
    assert.equal(rpmvercmp(b, a), 0 - want, `${b} vs ${a}`);
  }
});

test('parseRpmEvr splits epoch:version-release', () => {
  assert.deepEqual(parseRpmEvr('2:1.0-3.el9'), { epoch: '2', version: '1.0', release: '3.el9' });
  assert.deepEqual(parseRpmEvr('1.0'), { epoch: '', version: '1.0', release: '' });
});

test('rpmCompare orders epoch, then version, then release', () => {
  assert.equal(rpmCompare('1:1.0-1', '2.0-1'), 1);
  assert.equal(rpmCompare('0:1.0-1', '1.0-1'), 0);
  assert.equal(rpmCompare('3.0.7-16.el9_2', '3.0.7-24.el9'), -1);
  assert.equal(rpmCompare('1.1.1k-9.el8_7', '1.1.1k-12.el8_9'), -1);
  assert.equal(rpmCompare('1.0-1', '1.0'), 0); // a missing release matches any release
  assert.equal(rpmCompare('2.0-1', '1.9-99'), 1);
});
