// Login back-off. Per account (in the database, so every hub node agrees): after 5 consecutive
// failures the account locks for 5 s, doubling per further failure up to 15 min. Per client
// address (in memory, per node): at most 30 attempts in 5 minutes.
import { hubError } from '../platform/errors.js';

const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 5_000;
const MAX_LOCK_MS = 15 * 60_000;
const IP_WINDOW_MS = 5 * 60_000;
const IP_MAX_FAILURES = 30;
const MAX_TRACKED_IPS = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: () => Date) {}

  static lockUntil(failures: number, now: Date): Date | null {
    if (failures < FREE_FAILURES) return null;
    const ms = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_FAILURES));
    return new Date(now.getTime() + ms);
  }

  checkIp(ip: string): void {
    const recent = this.recent(ip);
    if (recent.length >= IP_MAX_FAILURES) {
      const oldest = recent[0] ?? this.clock().getTime();
      throw hubError('RATE_LIMITED', 'too many failed logins from this address: try again later', {
        retryAfterS: Math.ceil((oldest + IP_WINDOW_MS - this.clock().getTime()) / 1000),
      });
    }
  }

  recordFailure(ip: string): void {
    const recent = this.recent(ip);
    recent.push(this.clock().getTime());
    this.failures.set(ip, recent);
    if (this.failures.size > MAX_TRACKED_IPS) {
      const first = this.failures.keys().next();
      if (!first.done) this.failures.delete(first.value);
    }
  }

  private recent(ip: string): number[] {
    const cutoff = this.clock().getTime() - IP_WINDOW_MS;
    return (this.failures.get(ip) ?? []).filter((t) => t > cutoff);
  }
}
