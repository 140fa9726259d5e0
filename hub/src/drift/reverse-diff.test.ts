import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reverseUnifiedDiff } from './reverse-diff.js';

const forward = [
  '--- a/etc/ssh/sshd_config',
  '+++ b/etc/ssh/sshd_config',
  '@@ -1,4 +1,5 @@',
  ' Port 22',
  '-PermitRootLogin no',
  '+PermitRootLogin yes',
  '+PasswordAuthentication yes',
  ' UsePAM yes',
  ' X11Forwarding no',
  '',
].join('\n');

describe('reverseUnifiedDiff', () => {
  test('swaps headers, hunk ranges and line directions, removals first', () => {
    assert.equal(
      reverseUnifiedDiff(forward),
      [
        '--- b/etc/ssh/sshd_config',
        '+++ a/etc/ssh/sshd_config',
        '@@ -1,5 +1,4 @@',
        ' Port 22',
        '-PermitRootLogin yes',
        '-PasswordAuthentication yes',
        '+PermitRootLogin no',
        ' UsePAM yes',
        ' X11Forwarding no',
        '',
      ].join('\n'),
    );
  });

  test('reversing twice gives the original back (modulo change-run order)', () => {
    assert.equal(reverseUnifiedDiff(reverseUnifiedDiff(forward)), forward);
  });

  test('single-line ranges, several hunks, and a trailing no-newline marker', () => {
    const d = [
      '@@ -3 +3 @@',
      '-a',
      '+b',
      '@@ -10,0 +11,2 @@ ctx',
      '+x',
      '+y',
      '\\ No newline at end of file',
    ].join('\n');
    assert.equal(
      reverseUnifiedDiff(d),
      ['@@ -3 +3 @@', '-b', '+a', '@@ -11,2 +10,0 @@ ctx', '-x', '-y', '\\ No newline at end of file'].join(
        '\n',
      ),
    );
  });

  test('an empty diff (binary or secret file) stays empty', () => {
    assert.equal(reverseUnifiedDiff(''), '');
  });
});
