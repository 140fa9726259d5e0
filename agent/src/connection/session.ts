// One authenticated connection to the hub: Challenge → Hello → Welcome, then the outbox is
// streamed in seq order with at most max_in_flight unacknowledged messages, Acks/Rejects trim
// the outbox, heartbeats report the backlog, and signed tasks/policies are handed over.
import { WebSocket } from 'ws';
import {
  AgentEventCode,
  CloseCode,
  DEFAULT_LIMITS,
  decodeHubEnvelope,
  signPayload,
  SignPurpose,
  toLong,
  toSafeNumber,
  watchpost,
  type HubEnvelope,
} from '@watchpost/proto';
import { errorMessage } from '../errors.js';
import type { Identity } from '../identity/identity.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/index.js';
import { controlFrame, rawToBuffer } from './frames.js';
import { RateLimiter } from './rateLimiter.js';

export interface SessionHooks {
  appliedPolicies(): watchpost.v1.IAppliedPolicy[];
  onTask(task: watchpost.v1.ISignedTask, hubSeq: number): void;
  onPolicy(policy: watchpost.v1.ISignedPolicyUpdate, hubSeq: number): void;
  onWelcome(welcome: { lastSeq: number; heartbeatIntervalS: number }): void;
  onAck(upTo: number): void;
}

export interface SessionOptions {
  url: string;
  identity: Identity;
  outbox: Outbox;
  log: Logger;
  hooks: SessionHooks;
  version: string;
  hostname: string;
  capabilities: string[];
  heartbeatIntervalS?: number | undefined;
  handshakeTimeoutMs?: number;
}

export interface SessionEnd {
  code: number;
  reason: string;
  welcomed: boolean;
}

export class Session {
  private ws: WebSocket | undefined;
  private welcomed = false;
  private maxInFlight: number = DEFAULT_LIMITS.maxInFlight;
  private maxFrameBytes: number = DEFAULT_LIMITS.maxFrameBytes;
  /** Hub messages are handled strictly in arrival order. */
  private inbox: Promise<void> = Promise.resolve();
  private sentUpTo = 0;
  private inFlight: number[] = [];
  private pumping = false;
  private pumpAgain = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private missedBeats = 0;
  private limiter = new RateLimiter(DEFAULT_LIMITS.maxMessagesPerSecond);
  private ackTarget = 0;
  private ackApplied = 0;
  private acking = false;
  private lastReject: string | undefined;
  private readonly onAppended = (): void => this.pump();

  constructor(private readonly opts: SessionOptions) {}

  /** Runs the connection until it closes; never rejects. */
  run(): Promise<SessionEnd> {
    return new Promise((resolve) => {
      const ws = new WebSocket(this.opts.url, {
        maxPayload: DEFAULT_LIMITS.maxFrameBytes,
        handshakeTimeout: 15_000,
      });
      this.ws = ws;
      this.handshakeTimer = setTimeout(() => {
        this.opts.log.warn('no Welcome from the hub in time, dropping the connection');
        ws.terminate();
      }, this.opts.handshakeTimeoutMs ?? 30_000);
      ws.on('message', (data, isBinary) => {
        this.missedBeats = 0;
        if (!isBinary) {
          ws.close(CloseCode.BAD_FRAME, 'text frame');
          return;
        }
        let env: HubEnvelope;
        try {
          env = decodeHubEnvelope(rawToBuffer(data));
        } catch (err) {
          this.opts.log.warn({ err: errorMessage(err) }, 'undecodable frame from the hub');
          ws.close(CloseCode.BAD_FRAME, 'undecodable frame');
          return;
        }
        this.inbox = this.inbox
          .then(() => this.handle(env))
          .catch((err: unknown) => {
            this.opts.log.error({ err: errorMessage(err) }, 'handling a hub message failed');
            ws.close(CloseCode.INTERNAL, 'agent-side failure');
          });
      });
      ws.on('pong', () => (this.missedBeats = 0));
      ws.on('error', (err) =>
        this.opts.log.warn({ err: err.message, url: this.opts.url }, 'hub connection error'),
      );
      ws.on('close', (code, reasonBuf) => {
        this.cleanup();
        const reason = this.lastReject ?? reasonBuf.toString();
        resolve({ code, reason, welcomed: this.welcomed });
      });
    });
  }

  get connected(): boolean {
    return this.isLive();
  }

  private isLive(): boolean {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  close(code: number = CloseCode.NORMAL, reason = 'agent shutting down'): void {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(code, reason);
  }

  private async handle(env: HubEnvelope): Promise<void> {
    if (env.challenge) {
      this.sendHello(env.challenge.nonce ?? new Uint8Array());
      return;
    }
    if (env.welcome) return this.onWelcome(env.welcome);
    if (env.ack) {
      this.onAck(toSafeNumber(env.ack.upToSeq));
      return;
    }
    if (env.reject) return this.onReject(env.reject);
    if (!this.welcomed) {
      this.close(CloseCode.BAD_FRAME, 'message before Welcome');
      return;
    }
    if (env.task) this.opts.hooks.onTask(env.task, toSafeNumber(env.seq));
    else if (env.policyUpdate) this.opts.hooks.onPolicy(env.policyUpdate, toSafeNumber(env.seq));
  }

  private sendHello(nonce: Uint8Array): void {
    const { identity } = this.opts;
    const signature = signPayload(
      identity.privateKey,
      SignPurpose.HELLO,
      nonce,
      Buffer.from(identity.agentId, 'utf8'),
    );
    this.send(
      controlFrame({
        hello: {
          agentId: identity.agentId,
          version: this.opts.version,
          capabilities: this.opts.capabilities,
          appliedPolicies: this.opts.hooks.appliedPolicies(),
          signature,
          hostname: this.opts.hostname,
        },
      }),
    );
  }

  private async onWelcome(welcome: watchpost.v1.IWelcome): Promise<void> {
    clearTimeout(this.handshakeTimer);
    const lastSeq = toSafeNumber(welcome.lastSeq);
    if (welcome.limits?.maxInFlight) this.maxInFlight = welcome.limits.maxInFlight;
    if (welcome.limits?.maxFrameBytes) this.maxFrameBytes = welcome.limits.maxFrameBytes;
    this.limiter = new RateLimiter(
      welcome.limits?.maxMessagesPerSecond || DEFAULT_LIMITS.maxMessagesPerSecond,
    );
    const heartbeatS =
      this.opts.heartbeatIntervalS ?? (welcome.heartbeatIntervalS || DEFAULT_LIMITS.heartbeatIntervalS);
    await this.opts.outbox.syncWithHub(lastSeq);
    this.sentUpTo = lastSeq;
    this.welcomed = true;
    this.opts.log.info(
      { lastSeq, maxInFlight: this.maxInFlight, heartbeatS, backlog: this.opts.outbox.stats().messages },
      'session established',
    );
    this.opts.hooks.onWelcome({ lastSeq, heartbeatIntervalS: heartbeatS });
    this.opts.outbox.on('appended', this.onAppended);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), heartbeatS * 1000);
    this.heartbeat();
    this.pump();
  }

  /**
   * Acks open the window at once; trimming the outbox runs behind, coalesced (a burst of acks
   * costs one delete range), since the hub may ack far faster than each could be applied.
   */
  private onAck(upTo: number): void {
    while (this.inFlight.length > 0 && (this.inFlight[0] ?? Infinity) <= upTo) this.inFlight.shift();
    this.ackTarget = Math.max(this.ackTarget, upTo);
    if (!this.acking) void this.applyAcks();
    this.pump();
  }

  private async applyAcks(): Promise<void> {
    this.acking = true;
    try {
      while (this.ackTarget > this.ackApplied) {
        const target = this.ackTarget;
        await this.opts.outbox.ackUpTo(target);
        this.ackApplied = target;
        this.opts.hooks.onAck(target);
      }
    } catch (err) {
      // Only possible while shutting down (store closed); the hub re-acks on the next Welcome.
      this.opts.log.debug({ err: errorMessage(err) }, 'could not apply an ack');
    } finally {
      this.acking = false;
    }
  }

  private async onReject(reject: watchpost.v1.IReject): Promise<void> {
    const seq = toSafeNumber(reject.seq);
    if (seq === 0) {
      this.lastReject = `${reject.code ?? ''}: ${reject.reason ?? ''}`;
      this.opts.log.warn({ code: reject.code, reason: reject.reason }, 'hub is closing the connection');
      return;
    }
    this.opts.log.warn({ seq, code: reject.code, reason: reject.reason }, 'hub rejected a message');
    this.inFlight = this.inFlight.filter((s) => s !== seq);
    await this.opts.outbox.reject(seq);
    this.pump();
  }

  /** Sends outbox entries after sentUpTo while the in-flight window has room. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    if (!this.connected) return;
    this.pumping = true;
    this.pumpLoop()
      .catch((err: unknown) =>
        this.opts.log.error({ err: errorMessage(err) }, 'sending from the outbox failed'),
      )
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  private async pumpLoop(): Promise<void> {
    while (this.connected && this.inFlight.length < this.maxInFlight) {
      this.pumpAgain = false;
      const room = this.maxInFlight - this.inFlight.length;
      const entries = await this.opts.outbox.readAfter(this.sentUpTo, Math.min(room, 256));
      if (entries.length === 0) return;
      for (const entry of entries) {
        if (!this.isLive()) return;
        for (let wait = this.limiter.take(); wait > 0; wait = this.limiter.take()) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          if (!this.isLive()) return;
        }
        let frame = entry.frame;
        if (frame.length > this.maxFrameBytes)
          frame = (await this.replaceOversized(entry.seq, frame.length)) ?? frame;
        this.send(frame);
        this.sentUpTo = entry.seq;
        this.inFlight.push(entry.seq);
      }
    }
  }

  /** A message over the hub's frame limit would only get the connection closed (1009). */
  private async replaceOversized(seq: number, size: number): Promise<Uint8Array | undefined> {
    this.opts.log.error(
      { seq, size, maxFrameBytes: this.maxFrameBytes },
      'message over the frame limit, replaced by an event',
    );
    return this.opts.outbox.replace(seq, {
      agentEvent: {
        code: AgentEventCode.MESSAGE_REJECTED,
        severity: watchpost.v1.Severity.SEVERITY_HIGH,
        message: `message of ${size} bytes exceeds the hub frame limit of ${this.maxFrameBytes} bytes; rejected locally`,
        details: { reason: 'FRAME_TOO_BIG', size: String(size) },
      },
    });
  }

  private heartbeat(): void {
    // Any frame or pong from the hub resets the count; three silent intervals mean a dead link.
    if (this.missedBeats >= 3) {
      this.opts.log.warn('hub silent for three heartbeat intervals, dropping the connection');
      this.ws?.terminate();
      return;
    }
    this.missedBeats += 1;
    this.ws?.ping();
    const stats = this.opts.outbox.stats();
    this.send(
      controlFrame({
        heartbeat: {
          agentTimeMs: toLong(Date.now(), false),
          outboxMessages: toLong(stats.messages),
          outboxBytes: toLong(stats.bytes),
          outboxBudgetBytes: toLong(stats.budgetBytes),
          collectionPaused: stats.paused,
          appliedPolicies: this.opts.hooks.appliedPolicies(),
        },
      }),
    );
  }

  private send(frame: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: true });
  }

  private cleanup(): void {
    this.welcomed = false;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.heartbeatTimer);
    this.opts.outbox.off('appended', this.onAppended);
  }
}
