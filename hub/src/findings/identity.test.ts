import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundExcerpt, findingIdentityKey, MAX_EXCERPT_BYTES } from './identity.js';

const base = {
  type: 'vulnerability' as const,
  assetId: '7a1c1f3e-2b1d-4c55-9f0e-3f1f5d3b2a10',
  component: 'openssl',
  ruleId: 'CVE-2024-5535',
};

describe('findingIdentityKey', () => {
  it('is a stable sha-256 hex of the identity parts', () => {
    const k = findingIdentityKey(base);
    assert.match(k, /^[0-9a-f]{64}$/);
    assert.equal(findingIdentityKey({ ...base }), k);
    assert.equal(
      findingIdentityKey({ ...base, port: null, protocol: null }),
      k,
      'absent and null are the same',
    );
  });

  it('differs when any part differs; protocol case does not matter', () => {
    const k = findingIdentityKey(base);
    assert.notEqual(findingIdentityKey({ ...base, type: 'exposure' }), k);
    assert.notEqual(findingIdentityKey({ ...base, assetId: base.assetId.replace('7a', '7b') }), k);
    assert.notEqual(findingIdentityKey({ ...base, component: 'libssl3' }), k);
    assert.notEqual(findingIdentityKey({ ...base, ruleId: 'CVE-2024-5536' }), k);
    assert.notEqual(
      findingIdentityKey({ ...base, port: 22, protocol: 'tcp' }),
      findingIdentityKey({ ...base, port: 2222, protocol: 'tcp' }),
    );
    assert.equal(
      findingIdentityKey({ ...base, port: 22, protocol: 'TCP' }),
      findingIdentityKey({ ...base, port: 22, protocol: 'tcp' }),
    );
    // Parts are not concatenated: moving text between fields cannot collide.
    assert.notEqual(
      findingIdentityKey({ ...base, component: 'a', ruleId: 'bc' }),
      findingIdentityKey({ ...base, component: 'ab', ruleId: 'c' }),
    );
  });
});

describe('boundExcerpt', () => {
  it('keeps short text as is', () => {
    assert.equal(boundExcerpt('22/tcp open ssh OpenSSH 9.2p1'), '22/tcp open ssh OpenSSH 9.2p1');
    assert.equal(boundExcerpt('x'.repeat(MAX_EXCERPT_BYTES)).length, MAX_EXCERPT_BYTES);
  });

  it('cuts long text to 8 KiB of UTF-8 with a marker saying how much was dropped', () => {
    const out = boundExcerpt('a'.repeat(20_000));
    assert.ok(Buffer.byteLength(out) <= MAX_EXCERPT_BYTES);
    const m = /\n…\[truncated (\d+) of 20000 bytes\]$/.exec(out);
    assert.ok(m, out.slice(-60));
    assert.equal(out.length - m[0].length + Number(m[1]), 20_000);
  });

  it('never splits a multi-byte character', () => {
    const text = 'é€😀'.repeat(2_000);
    const out = boundExcerpt(text);
    assert.ok(Buffer.byteLength(out) <= MAX_EXCERPT_BYTES);
    assert.equal(out.includes('\uFFFD'), false);
    const kept = out.slice(0, out.indexOf('\n…[truncated'));
    assert.ok(text.startsWith(kept));
  });

  it('replaces NUL, which PostgreSQL text cannot hold', () => {
    assert.equal(boundExcerpt('a\u0000b'), 'a\uFFFDb');
  });
});
