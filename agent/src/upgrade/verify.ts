// Pure checks of an upgrade build: where it may come from, and whether the bytes are the ones
// the hub signed. A refusal names the first failed check; nothing is swapped.
import { createHash } from 'node:crypto';
import { SignPurpose, verifyPayload } from '@watchpost/proto';

/** The largest executable the agent accepts (a SEA build is ~100 MiB). */
export const MAX_BUILD_BYTES = 512 * 1024 * 1024;

export type Verdict =
  { ok: true } | { ok: false; check: 'size' | 'sha256' | 'signature' | 'params'; reason: string };

export interface UpgradeParams {
  version: string;
  path: string;
  sha256: Uint8Array;
  signature: Uint8Array;
  sizeBytes: number;
}

/**
 * The download URL: the hub's own origin (ws→http, wss→https) + a path under /agent/builds/.
 * Anything else (absolute URL, `..`, query, another host) is refused: the agent talks only to its hub.
 */
export function buildUrl(hubUrl: string, path: string): URL | string {
  if (!/^\/agent\/builds\/[A-Za-z0-9._+~-]+\/[A-Za-z0-9._-]+$/.test(path) || path.includes('..'))
    return `build path ${JSON.stringify(path)} is not a hub build path`;
  const hub = new URL(hubUrl);
  const scheme = hub.protocol === 'wss:' || hub.protocol === 'https:' ? 'https:' : 'http:';
  return new URL(`${scheme}//${hub.host}${path}`);
}

export function checkParams(p: UpgradeParams): Verdict {
  if (!/^[0-9][0-9A-Za-z.+~-]{0,63}$/.test(p.version))
    return { ok: false, check: 'params', reason: `bad version ${JSON.stringify(p.version)}` };
  if (p.sha256.length !== 32) return { ok: false, check: 'params', reason: 'sha256 must be 32 bytes' };
  if (p.signature.length !== 64) return { ok: false, check: 'params', reason: 'signature must be 64 bytes' };
  if (!(p.sizeBytes > 0 && p.sizeBytes <= MAX_BUILD_BYTES))
    return { ok: false, check: 'params', reason: `size ${p.sizeBytes} outside 1..${MAX_BUILD_BYTES}` };
  return { ok: true };
}

/** Signature first (over what the task claims), then the downloaded bytes against the claim. */
export function checkBuild(
  p: UpgradeParams,
  hubPublicKey: Uint8Array,
  downloaded: { size: number; sha256: Uint8Array },
): Verdict {
  const params = checkParams(p);
  if (!params.ok) return params;
  if (!verifyPayload(hubPublicKey, p.signature, SignPurpose.BUILD, p.sha256, Buffer.from(p.version, 'utf8')))
    return {
      ok: false,
      check: 'signature',
      reason: 'build signature does not verify with the pinned hub key',
    };
  if (downloaded.size !== p.sizeBytes)
    return {
      ok: false,
      check: 'size',
      reason: `downloaded ${downloaded.size} bytes, expected ${p.sizeBytes}`,
    };
  if (!Buffer.from(downloaded.sha256).equals(Buffer.from(p.sha256)))
    return { ok: false, check: 'sha256', reason: 'sha256 of the download does not match' };
  return { ok: true };
}

export function sha256Of(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}
