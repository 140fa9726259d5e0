import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enrollmentRefusal, generateSecret, hashesEqual, hashSecret, parseDuration } from './secrets.js';

test('secrets are prefixed, >= 32 random bytes, and hashed with SHA-256', () => {
  const a = generateSecret('api');
  const e = generateSecret('enrollment');
  assert.match(a, /^wpa_[A-Za-z0-9_-]{43}$/);
  assert.match(e, /^wpe_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(generateSecret('api'), a);
  assert.match(hashSecret(a), /^[0-9a-f]{64}$/);
  assert.ok(hashesEqual(hashSecret(a), hashSecret(a)));
  assert.equal(hashesEqual(hashSecret(a), hashSecret(e)), false);
  assert.equal(hashesEqual('', ''), false);
});

test('durations', () => {
  assert.equal(parseDuration('30m'), 30 * 60_000);
  assert.equal(parseDuration('24h'), 86_400_000);
  assert.equal(parseDuration('7d'), 7 * 86_400_000);
  assert.throws(() => parseDuration('1w'), /invalid duration/);
  assert.throws(() => parseDuration('0h'), /positive/);
});

test('enrollment token state: expiry, revocation, uses', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-02T00:00:00Z');
  const ok = { expiresAt: later, revokedAt: null, usesLeft: null };
  assert.equal(enrollmentRefusal(ok, now), null);
  assert.equal(enrollmentRefusal(null, now), 'UNKNOWN');
  assert.equal(enrollmentRefusal({ ...ok, expiresAt: now }, now), 'EXPIRED');
  assert.equal(enrollmentRefusal({ ...ok, revokedAt: now }, now), 'REVOKED');
  assert.equal(enrollmentRefusal({ ...ok, usesLeft: 0 }, now), 'USED_UP');
  assert.equal(enrollmentRefusal({ ...ok, usesLeft: 1 }, now), null);
});
