// Bounded reads of text through the HostView, with fs errors mapped to stable outcomes:
// a missing file is an answer (the rule is false); an unreadable or oversized one is not
// (the rule cannot be evaluated → invalid, reported with its reason).
import type { HostView } from '../host.js';
import { EVAL_LIMITS, REASONS } from '../types.js';

export type TextRead =
  { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

export function errnoCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

export async function readText(host: HostView, path: string): Promise<TextRead> {
  try {
    const st = await host.stat(path);
    // Only regular files have lines: a directory (or a symlink to one in a `directory` rule's
    // listing) has none, and opening a FIFO or socket would block the run.
    if (st.type !== 'file') return { kind: 'missing' };
    if (st.size > EVAL_LIMITS.maxFileBytes) return { kind: 'invalid', reason: REASONS.tooLarge(st.size) };
    // /proc files claim size 0: the read itself is capped too.
    const buf = await host.readFile(path, EVAL_LIMITS.maxFileBytes + 1);
    if (buf.length > EVAL_LIMITS.maxFileBytes)
      return { kind: 'invalid', reason: REASONS.tooLarge(buf.length) };
    return { kind: 'text', text: buf.toString('utf8') };
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'invalid', reason: REASONS.unreadable(code) };
  }
}
