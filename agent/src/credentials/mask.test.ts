import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskSecret, redactSecrets } from './mask.js';

test('maskSecret keeps first and last character only', () => {
  assert.equal(maskSecret('guest'), 'g******t');
  assert.equal(maskSecret('raspberry'), 'r******y');
  assert.equal(maskSecret('toor'), 't******r');
});

test('maskSecret never reveals short or empty secrets', () => {
  assert.equal(maskSecret(''), '(empty)');
  assert.equal(maskSecret('a'), '******');
  assert.equal(maskSecret('ab'), '******');
  assert.equal(maskSecret('abc'), '******');
});

test('masked output never contains the secret', () => {
  for (const secret of ['password', 'foobared', 'mysql', 'admin', 'xy', 'root']) {
    assert.ok(!maskSecret(secret).includes(secret), secret);
  }
});

test('redactSecrets replaces every occurrence of every secret', () => {
  assert.equal(
    redactSecrets('AUTH foobared failed; retry foobared with s3cret', ['foobared', 's3cret', '']),
    'AUTH f******d failed; retry f******d with s******t',
  );
  assert.equal(redactSecrets('nothing here', ['secret']), 'nothing here');
});
