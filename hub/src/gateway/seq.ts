// Per-connection sequence bookkeeping (pure): what to do with an incoming seq given what was
// received and what is committed. See PROTOCOL.md "Sequencing, acks, exactly-once".
export type SeqDecision = 'duplicate' | 'next' | 'gap';

export function classifySeq(seq: bigint, lastReceived: bigint): SeqDecision {
  if (seq <= lastReceived) return 'duplicate';
  if (seq === lastReceived + 1n) return 'next';
  return 'gap';
}

/** Token bucket: `rate` per second, burst = 2 s worth. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.tokens = rate * 2;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.rate * 2, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
