// Runs one attempt under its deadline and the caller's AbortSignal. The runner stops waiting the
// moment either fires; the check's own abort listener then tears its socket down.
import type { Attempt, AttemptOutcome, CredentialTarget, ServiceCheck } from './types.js';

export async function runAttempt(
  check: ServiceCheck,
  target: CredentialTarget,
  attempt: Attempt,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<AttemptOutcome> {
  outer?.throwIfAborted();
  const controller = new AbortController();
  let settle: (outcome: AttemptOutcome) => void = () => undefined;
  let fail: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<AttemptOutcome>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const timer = setTimeout(() => {
    settle({ kind: 'unreachable', detail: `no answer within ${timeoutMs} ms` });
    controller.abort(new Error('attempt timed out'));
  }, timeoutMs);
  const onOuterAbort = (): void => {
    fail(outer?.reason);
    controller.abort(outer?.reason);
  };
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await Promise.race([check.attempt(target, attempt, controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    controller.abort(new Error('attempt finished'));
  }
}
