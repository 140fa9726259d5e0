// Masking for proofs and logs: a finding must show *which* default worked without carrying it.

const MASK = '******';

/** "guest" → "g******t". Short secrets (≤ 3 chars) are fully masked: first+last would reveal them. */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '(empty)';
  if (secret.length <= 3) return MASK;
  return `${secret.slice(0, 1)}${MASK}${secret.slice(-1)}`;
}

/** Replaces every occurrence of any secret in free text (server error messages, library errors). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.split(secret).join(maskSecret(secret));
  }
  return out;
}
