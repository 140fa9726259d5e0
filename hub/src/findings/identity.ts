// Pure helpers: a finding's stable identity key and the bounded raw excerpt.
import { createHash } from 'node:crypto';
import type { FindingType } from './entities.js';

export interface IdentityParts {
  type: FindingType;
  assetId: string;
  component: string;
  ruleId: string;
  port?: number | null | undefined;
  protocol?: string | null | undefined;
}

/**
 * sha-256 (hex) over the parts that say "the same problem on the same thing": a producer that
 * sees it again (or another producer that sees it too) lands on the same finding. Versioned so
 * the recipe can change without colliding with old keys.
 */
export function findingIdentityKey(p: IdentityParts): string {
  const parts = [
    'finding-v1',
    p.type,
    p.assetId,
    p.component,
    p.ruleId,
    p.port ?? null,
    p.protocol?.toLowerCase() ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export const MAX_EXCERPT_BYTES = 8 * 1024;

/**
 * Cuts text to at most maxBytes of UTF-8, ending with a marker that says how much was dropped.
 * Never splits a multi-byte character. PostgreSQL text cannot hold NUL, so NULs become U+FFFD.
 */
export function boundExcerpt(text: string, maxBytes = MAX_EXCERPT_BYTES): string {
  const clean = text.replaceAll('\u0000', '\uFFFD');
  const bytes = Buffer.from(clean, 'utf8');
  if (bytes.length <= maxBytes) return clean;
  const marker = (dropped: number) => `\n…[truncated ${dropped} of ${bytes.length} bytes]`;
  // The marker's own length depends on the count it prints; the total's digits bound it.
  let keep = maxBytes - Buffer.byteLength(marker(bytes.length));
  while (keep > 0 && ((bytes[keep] ?? 0) & 0xc0) === 0x80) keep -= 1;
  return bytes.subarray(0, keep).toString('utf8') + marker(bytes.length - keep);
}
