// Per-host pacing: an attempt against a host starts at least `intervalMs` after the previous
// attempt against that host *finished*, whatever service either targeted. Measuring from the end
// (not the start) means a slow service cannot squeeze attempts together, and the host sees at
// least one quiet interval between two logins.

export class HostPacer {
  private readonly lastEnd = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when the next attempt against `host` may start; rejects with signal.reason on abort. */
  async wait(host: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const last = this.lastEnd.get(host);
    const delay = last === undefined ? 0 : last + this.intervalMs - this.now();
    if (delay > 0) await abortableSleep(Math.ceil(delay), signal);
  }

  /** Marks the end of an attempt against `host` (call it whatever the outcome). */
  done(host: string): void {
    this.lastEnd.set(host, this.now());
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      const reason: unknown = signal?.reason;
      reject(reason instanceof Error ? reason : new Error(String(reason)));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
