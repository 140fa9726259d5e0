import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRpmQuery, parseSourceRpm } from './parse.js';

test('rpm query lines with epoch, source rpm, gpg-pubkey skipped', () => {
  const text =
    'openssl-libs\t1:3.0.7-27.el9\tx86_64\topenssl-3.0.7-27.el9.src.rpm\nbash\t5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\ngpg-pubkey\t5a6340b3-6229229e\t(none)\t(none)\n';
  assert.deepEqual(parseRpmQuery(text), [
    {
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      arch: 'x86_64',
      manager: 'rpm',
      sourceName: 'openssl',
      sourceVersion: '3.0.7-27.el9',
    },
    {
      name: 'bash',
      version: '5.1.8-9.el9',
      arch: 'x86_64',
      manager: 'rpm',
      sourceName: '',
      sourceVersion: '5.1.8-9.el9',
    },
  ]);
  assert.deepEqual(parseSourceRpm('(none)'), { name: '', version: '' });
});
