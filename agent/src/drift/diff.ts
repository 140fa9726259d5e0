// The unified diff carried by a file's DriftChange: before → after text, redacted, bounded.
import { createTwoFilesPatch } from 'diff';
import { redactPatch } from './redact.js';

/** A diff larger than this is cut (the hub still gets both digests). */
export const MAX_DIFF_BYTES = 32 * 1024;
const TRUNCATED = '\n\\ diff truncated by the agent\n';

/**
 * `before`/`after` undefined = the file had / has no kept text (absent, binary, too large,
 * secret): then there is no diff unless the other side is an absent file (ADDED / REMOVED).
 */
export function fileDiff(
  path: string,
  before: string | undefined,
  after: string | undefined,
  existed: { before: boolean; after: boolean },
): string {
  if ((before === undefined && existed.before) || (after === undefined && existed.after)) return '';
  const oldText = before ?? '';
  const newText = after ?? '';
  if (oldText === newText) return '';
  // maxEditLength bounds the Myers search so a pathological pair cannot stall the agent.
  const patch = createTwoFilesPatch(
    existed.before ? `a${path}` : '/dev/null',
    existed.after ? `b${path}` : '/dev/null',
    oldText,
    newText,
    undefined,
    undefined,
    { context: 3, maxEditLength: 20_000 },
  );
  if (patch === undefined) return '';
  const redacted = redactPatch(patch);
  return Buffer.byteLength(redacted) <= MAX_DIFF_BYTES
    ? redacted
    : truncateUtf8(redacted, MAX_DIFF_BYTES) + TRUNCATED;
}

function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8').subarray(0, maxBytes);
  // Drop a partial multi-byte character and the partial last line.
  const cut = buf.toString('utf8').replace(/\uFFFD$/, '');
  const nl = cut.lastIndexOf('\n');
  return nl > 0 ? cut.slice(0, nl) : cut;
}
