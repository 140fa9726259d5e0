import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickLocale } from './locale.js';

test('a saved choice wins over the browser language', () => {
  assert.equal(pickLocale('en', ['zh-CN']), 'en');
  assert.equal(pickLocale('zh-CN', ['en-US']), 'zh-CN');
});

test('without a saved choice the first known browser language decides', () => {
  assert.equal(pickLocale(null, ['zh-TW', 'en']), 'zh-CN');
  assert.equal(pickLocale(null, ['fr-FR', 'en-GB', 'zh-CN']), 'en');
  assert.equal(pickLocale(null, ['de-DE']), 'en');
  assert.equal(pickLocale(null, []), 'en');
});

test('an unknown saved value is ignored', () => {
  assert.equal(pickLocale('klingon', ['zh']), 'zh-CN');
});
