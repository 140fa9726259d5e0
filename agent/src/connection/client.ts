// Keeps one session to the hub alive: reconnects forever with exponential backoff and full
// jitter, except after close 4403 (revoked), where it stops for good.
import { CloseCode, FATAL_CLOSE_CODES } from '@watchpost/proto';
import type { Logger } from '../log.js';
import { createBackoff } from './backoff.js';
import { Session, type SessionOptions } from './session.js';

export type ClientEnd = 'stopped' | 'revoked';

export interface ClientStatus {
  connected: boolean;
  lastAckSeq: number;
  lastAckAt: string | null;
  lastCloseCode: number | null;
}

export class HubClient {
  private session: Session | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private lastAckSeq = 0;
  private lastAckAt: string | null = null;
  private lastCloseCode: number | null = null;

  constructor(
    private readonly opts: Omit<SessionOptions, 'hooks'> & {
      hooks: SessionOptions['hooks'];
      backoffMaxMs: number;
      log: Logger;
    },
  ) {}

  status(): ClientStatus {
    return {
      connected: this.session?.connected ?? false,
      lastAckSeq: this.lastAckSeq,
      lastAckAt: this.lastAckAt,
      lastCloseCode: this.lastCloseCode,
    };
  }

  async run(): Promise<ClientEnd> {
    const backoff = createBackoff(this.opts.backoffMaxMs);
    const hooks: SessionOptions['hooks'] = {
      ...this.opts.hooks,
      onAck: (upTo) => {
        this.lastAckSeq = Math.max(this.lastAckSeq, upTo);
        this.lastAckAt = new Date().toISOString();
        this.opts.hooks.onAck(upTo);
      },
      onWelcome: (w) => {
        backoff.reset();
        this.lastAckSeq = Math.max(this.lastAckSeq, w.lastSeq);
        this.opts.hooks.onWelcome(w);
      },
    };
    while (!this.stopping) {
      this.session = new Session({ ...this.opts, hooks });
      this.opts.log.debug({ url: this.opts.url }, 'connecting to the hub');
      const end = await this.session.run();
      this.lastCloseCode = end.code;
      if (this.isStopping()) break;
      if (FATAL_CLOSE_CODES.has(end.code)) {
        this.opts.log.error(
          { code: end.code, reason: end.reason },
          'agent revoked by the hub: stopping (re-enrollment needed)',
        );
        return 'revoked';
      }
      const delay = backoff.next();
      this.opts.log.warn(
        { code: end.code, reason: end.reason, retryInMs: delay },
        'hub connection closed, reconnecting',
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return 'stopped';
  }

  /** A method, not the field, so the loop re-reads it after each await. */
  private isStopping(): boolean {
    return this.stopping;
  }

  stop(): void {
    this.stopping = true;
    this.session?.close(CloseCode.NORMAL, 'agent shutting down');
    this.wake?.();
  }
}
