// Token bucket that keeps the agent under the hub's Limits.max_messages_per_second (the hub
// closes 4429 on a sustained excess). Runs at 90 % of the limit with a one-second burst.
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly rate: number;

  constructor(
    limitPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = Math.max(1, Math.floor(limitPerSecond * 0.9));
    this.tokens = this.rate;
    this.last = now();
  }

  /** Milliseconds to wait before `n` more messages may go (0 = now); takes them when 0. */
  take(n = 1): number {
    const t = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil(((n - this.tokens) * 1000) / this.rate);
  }
}
