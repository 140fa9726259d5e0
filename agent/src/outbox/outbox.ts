// Durable outbox: every sequenced message is written here, with its seq, before it is sent, and
// deleted only once an Ack (or a Reject) covers it. Seq assignment and the write are one atomic
// batch that also stores the seq counter. Bounded by a disk budget: when full, producers wait
// (nothing is dropped) and an OUTBOX_FULL event is queued in the reserved headroom.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { AgentEventCode, encodeAgentEnvelope, toLong, watchpost } from '@watchpost/proto';
import { agentError } from '../errors.js';
import type { Logger } from '../log.js';
import { orderKey, writeOps, type Store, type StoreOp } from '../state/store.js';
import { budgetLimits, type BudgetLimits } from './budget.js';

/** The body of a sequenced message; seq, message id and time are set by the outbox. */
export type OutboxBody = Omit<watchpost.v1.IAgentEnvelope, 'seq' | 'messageId' | 'createdAtMs'>;

export interface OutboxEntry {
  seq: number;
  frame: Uint8Array;
}

export interface OutboxStats {
  messages: number;
  bytes: number;
  budgetBytes: number;
  paused: boolean;
  nextSeq: number;
}

const NEXT_SEQ_KEY = 'outbox.nextSeq';

export interface OutboxEvents {
  appended: [];
  acked: [upTo: number];
  rejected: [seq: number];
  paused: [];
  resumed: [];
}

export class Outbox extends EventEmitter<OutboxEvents> {
  private count = 0;
  private bytes = 0;
  private nextSeq = 1;
  private paused = false;
  private closed = false;
  /** Every seq <= this is gone: iterations start after it instead of wading through tombstones. */
  private trimmedThrough = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private readonly limits: BudgetLimits;

  private constructor(
    private readonly store: Store,
    budgetBytes: number,
    private readonly log: Logger,
  ) {
    super();
    this.limits = budgetLimits(budgetBytes);
  }

  /** Opens the outbox and recounts entries and bytes from disk (counters are never trusted). */
  static async open(store: Store, budgetBytes: number, log: Logger): Promise<Outbox> {
    const outbox = new Outbox(store, budgetBytes, log);
    const stored = await store.meta.get(NEXT_SEQ_KEY);
    let next = stored === undefined ? 1 : Number(stored.toString('utf8'));
    for await (const [key, value] of store.outbox.iterator()) {
      outbox.count += 1;
      outbox.bytes += entrySize(key, value);
      next = Math.max(next, Number(key) + 1);
    }
    outbox.nextSeq = next;
    let first: number | undefined;
    for await (const key of store.outbox.keys({ limit: 1 })) first = Number(key);
    outbox.trimmedThrough = (first ?? next) - 1;
    outbox.paused = outbox.bytes > outbox.limits.producerBytes;
    return outbox;
  }

  stats(): OutboxStats {
    return {
      messages: this.count,
      bytes: this.bytes,
      budgetBytes: this.limits.budgetBytes,
      paused: this.paused,
      nextSeq: this.nextSeq,
    };
  }

  /**
   * Appends sequenced messages (one atomic batch together with `extraOps`), waiting while the
   * outbox is over its budget. Returns the seqs assigned.
   */
  async append(bodies: readonly OutboxBody[], extraOps: readonly StoreOp[] = []): Promise<number[]> {
    const frames = bodies.length;
    if (frames === 0) return [];
    for (;;) {
      this.assertOpen();
      const seqs = await this.serial(async () => {
        const size = estimateSize(bodies);
        if (this.paused || (this.count > 0 && this.bytes + size > this.limits.producerBytes)) {
          if (!this.paused) await this.enterPaused();
          return undefined;
        }
        return this.writeLocked(bodies, extraOps);
      });
      if (seqs) return seqs;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Appends into the reserved headroom, never waits: for the agent's own OUTBOX_* events. */
  private async appendReserved(body: OutboxBody): Promise<void> {
    if (this.bytes + estimateSize([body]) > this.limits.budgetBytes) {
      this.log.warn({ bytes: this.bytes }, 'outbox reserve exhausted, event not queued');
      return;
    }
    await this.writeLocked([body], []);
  }

  /** Cumulative ack: removes every entry with seq <= upTo. */
  async ackUpTo(upTo: number): Promise<number> {
    const removed = await this.serial(async () => {
      const ops: StoreOp[] = [];
      let bytes = 0;
      if (upTo <= this.trimmedThrough) return 0;
      for await (const [key, value] of this.store.outbox.iterator({
        gt: orderKey(this.trimmedThrough),
        lte: orderKey(upTo),
      })) {
        ops.push({ type: 'del', sub: this.store.outbox, key });
        bytes += entrySize(key, value);
      }
      await writeOps(this.store.db, ops);
      this.count -= ops.length;
      this.bytes -= bytes;
      this.trimmedThrough = Math.min(upTo, this.nextSeq - 1);
      await this.maybeResume();
      return ops.length;
    });
    this.emit('acked', upTo);
    return removed;
  }

  /** Reject{seq}: the hub recorded the rejection and acknowledged that seq. */
  async reject(seq: number): Promise<void> {
    await this.serial(async () => {
      const key = orderKey(seq);
      const value = await this.store.outbox.get(key);
      if (value === undefined) return;
      await this.store.outbox.del(key);
      this.count -= 1;
      this.bytes -= entrySize(key, value);
      await this.maybeResume();
    });
    this.emit('rejected', seq);
  }

  /**
   * Replaces an entry in place (same seq, so the stream keeps no gap), e.g. a message too big
   * for the hub's frame limit becomes a MESSAGE_REJECTED event.
   */
  async replace(seq: number, body: OutboxBody): Promise<Uint8Array | undefined> {
    return this.serial(async () => {
      const key = orderKey(seq);
      const old = await this.store.outbox.get(key);
      if (old === undefined) return undefined;
      const frame = Buffer.from(encodeAgentEnvelope(envelope(seq, body)));
      await this.store.outbox.put(key, frame);
      this.bytes += entrySize(key, frame) - entrySize(key, old);
      this.emit('rejected', seq);
      return frame;
    });
  }

  /** Entries with seq > afterSeq, in order. */
  async readAfter(afterSeq: number, limit: number): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for await (const [key, value] of this.store.outbox.iterator({ gt: orderKey(afterSeq), limit })) {
      out.push({ seq: Number(key), frame: value });
    }
    return out;
  }

  /**
   * Welcome.last_seq: drops entries the hub already committed and makes sure new seqs follow the
   * hub's (a reset data dir must not produce seqs the hub would treat as duplicates).
   */
  async syncWithHub(lastSeq: number): Promise<void> {
    if (lastSeq >= this.nextSeq) {
      await this.serial(async () => {
        this.log.warn(
          { lastSeq, nextSeq: this.nextSeq },
          'hub is ahead of the outbox; continuing after its last seq',
        );
        this.nextSeq = lastSeq + 1;
        await this.store.meta.put(NEXT_SEQ_KEY, Buffer.from(String(this.nextSeq)));
      });
    }
    if (lastSeq > 0) await this.ackUpTo(lastSeq);
  }

  /** Wakes waiting producers with an error; further appends fail. */
  close(): void {
    this.closed = true;
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  private async writeLocked(bodies: readonly OutboxBody[], extraOps: readonly StoreOp[]): Promise<number[]> {
    const seqs: number[] = [];
    const ops: StoreOp[] = [];
    let bytes = 0;
    let seq = this.nextSeq;
    for (const body of bodies) {
      const key = orderKey(seq);
      const frame = Buffer.from(encodeAgentEnvelope(envelope(seq, body)));
      ops.push({ type: 'put', sub: this.store.outbox, key, value: frame });
      bytes += entrySize(key, frame);
      seqs.push(seq);
      seq += 1;
    }
    ops.push({ type: 'put', sub: this.store.meta, key: NEXT_SEQ_KEY, value: Buffer.from(String(seq)) });
    ops.push(...extraOps);
    await writeOps(this.store.db, ops);
    this.nextSeq = seq;
    this.count += bodies.length;
    this.bytes += bytes;
    this.emit('appended');
    return seqs;
  }

  private async enterPaused(): Promise<void> {
    this.paused = true;
    this.log.warn(
      { bytes: this.bytes, budgetBytes: this.limits.budgetBytes },
      'outbox full: collection paused',
    );
    await this.appendReserved(
      agentEvent(
        AgentEventCode.OUTBOX_FULL,
        watchpost.v1.Severity.SEVERITY_MEDIUM,
        'outbox at its disk budget: collection paused, nothing dropped',
        this.bytes,
        this.limits.budgetBytes,
      ),
    );
    this.emit('paused');
  }

  private async maybeResume(): Promise<void> {
    if (!this.paused || this.bytes > this.limits.resumeBytes) return;
    this.paused = false;
    this.log.info({ bytes: this.bytes }, 'outbox drained: collection resumed');
    await this.appendReserved(
      agentEvent(
        AgentEventCode.OUTBOX_RESUMED,
        watchpost.v1.Severity.SEVERITY_INFO,
        'outbox back under budget: collection resumed',
        this.bytes,
        this.limits.budgetBytes,
      ),
    );
    this.emit('resumed');
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw agentError('OUTBOX_CLOSED', 'outbox is closed');
  }
}

function envelope(seq: number, body: OutboxBody): watchpost.v1.IAgentEnvelope {
  return { ...body, seq: toLong(seq), messageId: randomUUID(), createdAtMs: toLong(Date.now(), false) };
}

function agentEvent(
  code: string,
  severity: watchpost.v1.Severity,
  message: string,
  bytes: number,
  budget: number,
): OutboxBody {
  return {
    agentEvent: {
      code,
      severity,
      message,
      details: { outboxBytes: String(bytes), outboxBudgetBytes: String(budget) },
    },
  };
}

function entrySize(key: string, value: Uint8Array): number {
  return key.length + value.length;
}

function estimateSize(bodies: readonly OutboxBody[]): number {
  let total = 0;
  for (const body of bodies) total += watchpost.v1.AgentEnvelope.encode(body).finish().length + 64;
  return total;
}
