// Shared helpers for turning client-library errors into attempt outcomes. Only an error's message
// and code are ever read: library errors may carry the command and its arguments (ioredis puts
// AUTH's password in err.command.args), so the error object itself is never logged or returned.
import { isLockoutMessage } from '../spec.js';
import type { AttemptOutcome } from '../types.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'unknown error';
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = err.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** Lockout and network failures are the same for every protocol; anything else is check-specific. */
export function commonOutcome(err: unknown): AttemptOutcome | undefined {
  const text = errorText(err);
  if (isLockoutMessage(text)) return { kind: 'lockout', detail: text };
  const code = errorCode(err);
  if (code !== undefined && NETWORK_CODES.has(code))
    return { kind: 'unreachable', detail: `${code}: ${text}` };
  return undefined;
}

/** Runs `release` once when the attempt's signal aborts; returns a function that detaches it. */
export function onAbort(signal: AbortSignal, release: () => void): () => void {
  if (signal.aborted) {
    release();
    return () => undefined;
  }
  signal.addEventListener('abort', release, { once: true });
  return () => signal.removeEventListener('abort', release);
}
