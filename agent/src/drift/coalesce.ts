// Folds bursts of raw watch events per key: a burst ends after `quietMs` without an event for
// that key (or `maxWaitMs` after it began, so a file rewritten forever is still reported).
// The clock and timers are injected so the logic is tested without waiting.

export interface Burst {
  key: string;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface CoalescerOptions {
  quietMs: number;
  maxWaitMs: number;
  /** Most distinct keys pending at once; beyond it the overflow callback asks for a full scan. */
  maxPending: number;
  /** Events of one key closer together than this are one raw event (one save = several syscalls). */
  sameEventMs?: number;
  now: () => number;
  timers: Timers;
  onFlush: (bursts: Burst[]) => void;
  onOverflow: () => void;
}

export class Coalescer {
  private readonly pending = new Map<string, Burst>();
  private timer: unknown;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: CoalescerOptions) {}

  record(key: string): void {
    const now = this.opts.now();
    const burst = this.pending.get(key);
    if (burst) {
      if (now - burst.lastSeenMs >= (this.opts.sameEventMs ?? 0)) burst.count++;
      burst.lastSeenMs = now;
    } else {
      if (this.pending.size >= this.opts.maxPending) {
        this.opts.onOverflow();
        return;
      }
      this.pending.set(key, { key, count: 1, firstSeenMs: now, lastSeenMs: now });
    }
    this.schedule();
  }

  size(): number {
    return this.pending.size;
  }

  /** Ends every burst now (stop, or before a full scan that supersedes them). */
  drain(): Burst[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    this.cancelTimer();
    return all;
  }

  private dueAt(b: Burst): number {
    return Math.min(b.lastSeenMs + this.opts.quietMs, b.firstSeenMs + this.opts.maxWaitMs);
  }

  private schedule(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const b of this.pending.values()) next = Math.min(next, this.dueAt(b));
    if (next === this.timerAt) return;
    this.cancelTimer();
    if (!Number.isFinite(next)) return;
    this.timerAt = next;
    this.timer = this.opts.timers.set(() => this.fire(), Math.max(0, next - this.opts.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.opts.now();
    const due: Burst[] = [];
    for (const b of this.pending.values()) if (this.dueAt(b) <= now) due.push(b);
    for (const b of due) this.pending.delete(b.key);
    this.schedule();
    if (due.length > 0) this.opts.onFlush(due);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.opts.timers.clear(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
