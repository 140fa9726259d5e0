// Bearer secrets: random 32 bytes, base64url, with a kind prefix. Only the SHA-256 hash is stored;
// lookups go by hash and the final comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hubError } from '../platform/errors.js';

export const TOKEN_PREFIX = { api: 'wpa_', enrollment: 'wpe_' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIX;

export function generateSecret(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30m", "24h", "7d", "45s" → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) {
    throw hubError('VALIDATION_FAILED', `invalid duration "${text}" (expected e.g. 30m, 24h, 7d)`);
  }
  const n = Number(m[1]);
  if (n <= 0) throw hubError('VALIDATION_FAILED', `duration must be positive: "${text}"`);
  return n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export type EnrollmentRefusal = 'UNKNOWN' | 'EXPIRED' | 'REVOKED' | 'USED_UP' | 'WRONG_TENANT';

/** Pure check of an enrollment token's state at `now` (the repository then consumes a use). */
export function enrollmentRefusal(
  token: { expiresAt: Date; revokedAt: Date | null; usesLeft: number | null } | null,
  now: Date,
): EnrollmentRefusal | null {
  if (!token) return 'UNKNOWN';
  if (token.revokedAt !== null) return 'REVOKED';
  if (token.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  if (token.usesLeft !== null && token.usesLeft <= 0) return 'USED_UP';
  return null;
}
