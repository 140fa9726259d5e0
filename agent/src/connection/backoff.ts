// Exponential backoff with full jitter: attempt n waits uniformly in [0, min(cap, base * 2^n)].
export interface Backoff {
  next(): number;
  reset(): void;
}

export function createBackoff(maxMs: number, baseMs = 1000, random: () => number = Math.random): Backoff {
  let attempt = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
      attempt += 1;
      return Math.floor(random() * ceiling);
    },
    reset() {
      attempt = 0;
    },
  };
}
