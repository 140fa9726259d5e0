// apk ordering: cases taken from apk-tools' test/version.data, plus hand-made edge cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apkCompare } from './apk.js';

const VERSION_DATA = `
2.34 > 0.1.0_alpha
23_foo > 4_beta
1.0 < 1.0bc
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
1.0.4-r3 < 1.0.4-r4
1.1 > 1.1_alpha1
1.2.1 > 1.2
1.3_alpha2 < 1.3_alpha3
0.7.0 < 0.8_beta1
0.8_beta4 < 4.8-r1
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
0.12.3 > 0.12
0.12 < 0.13_beta1
1.2.11 < 1.2.12.1
3.1_p16 < 3.1_p17
1.06-r6 < 006
1.2.2-r1 > 1.2.2
20050718-r1 < 20050718-r2
3.9.8-r5 > 2.01.01_alpha10
1.0 > 0.99.3.20040818
1.00_beta2 > 0.9.2
4.2.52_p2-r1 < 4.2.52_p4-r2
2.18.3-r10 > 1.05-r18
20060720 > 3.0.20060720
1.3.5-r10 > 1.3.5-r8
2.0.0_rc3-r1 > 1.5
3.0.0-r2 < 021109-r3
3.9_pre20060124 > 0.01
1.1.7 < 6b-r7
0.10.0 < 0.10.1_rc1
0.15.1b-r2 > 0.15.1b
22.7.3-r1 > 22.7
2.1_pre20 < 2.1_pre26
2.10.1 > 02.08.01b
1.2.07.8 < 1.2.12.04
1.6d > 1.2.07.8
0.1_pre20060810 < 0.1_pre20060817
0.59s-r11 < 0.65
0.20070118 < 0.20070207_rc1
4.5_p1-r1 > 4.5_p1
0.9.8c-r1 < 0.9.8d
1.7 < 1.7b
1.8.5 < 1.8.5_p2
2.9.11_pre20051101-r3 > 2.9.11_pre20051101
1.6.8_p12-r1 > 1.6.8_p9-r2
0.9.28.1 > 0.9.28
1.2.5_rc2 > 0.1
2.12r-r4 < 2.12r-r5
7.0.17 < 7.0.174
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
`;

const WANT = { '<': -1, '=': 0, '>': 1 } as const;

test('apkCompare agrees with apk-tools test/version.data, both directions', () => {
  const lines = VERSION_DATA.trim().split('\n');
  assert.ok(lines.length > 50);
  for (const line of lines) {
    const [a, op, b] = line.split(/\s+/) as [string, keyof typeof WANT, string];
    assert.equal(apkCompare(a, b), WANT[op], line);
    assert.equal(apkCompare(b, a), 0 - WANT[op], `reversed: ${line}`);
  }
});

test('apk suffix order: alpha < beta < pre < rc < bare < cvs < svn < git < hg < p', () => {
  const order = [
    '1.0_alpha',
    '1.0_beta',
    '1.0_pre',
    '1.0_rc',
    '1.0',
    '1.0_cvs',
    '1.0_svn',
    '1.0_git',
    '1.0_hg',
    '1.0_p',
  ];
  for (let k = 1; k < order.length; k++) assert.equal(apkCompare(order[k - 1] ?? '', order[k] ?? ''), -1);
  assert.equal(apkCompare('3.0.8-r0', '3.0.8-r1'), -1);
  assert.equal(apkCompare('3.1.4-r5', '3.1.4-r5'), 0);
  assert.equal(apkCompare('1.01', '1.1'), -1); // leading zero after a dot: a fraction
});
