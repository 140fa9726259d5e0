import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from './en.js';
import zhCN from './zh-CN.js';

/** Every leaf of a message tree as a dotted path, with its value. */
function leaves(tree: object, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'object' && value !== null) {
      for (const [leaf, leafValue] of leaves(value, path)) found.set(leaf, leafValue);
    } else {
      found.set(path, value);
    }
  }
  return found;
}

test('zh-CN and en have exactly the same message keys', () => {
  const enKeys = [...leaves(en).keys()].sort();
  const zhKeys = [...leaves(zhCN).keys()].sort();
  assert.deepEqual(zhKeys, enKeys);
  assert.ok(enKeys.length > 20, `expected a real message set, got ${String(enKeys.length)} keys`);
});

test('every message is a non-empty string in both locales', () => {
  for (const [name, tree] of [
    ['en', en],
    ['zh-CN', zhCN],
  ] as const) {
    for (const [key, value] of leaves(tree)) {
      assert.equal(typeof value, 'string', `${name}: ${key} is not a string`);
      assert.notEqual(value, '', `${name}: ${key} is empty`);
    }
  }
});

test('placeholders match between locales', () => {
  const zh = leaves(zhCN);
  for (const [key, value] of leaves(en)) {
    const placeholders = (text: unknown) =>
      [...new Set([...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
    assert.deepEqual(placeholders(zh.get(key)), placeholders(value), `placeholders differ at ${key}`);
  }
});
