// One agent WebSocket: challenge, Enroll or Hello, then the session (ordered ingest in batched
// transactions, acks after commit, heartbeats, task delivery). Every protocol violation closes
// only this connection, with the documented code, after a Reject{seq: 0} explaining why.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket, RawData } from 'ws';
import {
  CloseCode,
  DecodeError,
  decodeAgentEnvelope,
  encodeHubEnvelope,
  toBigInt,
  toLong,
  type watchpost,
} from '@watchpost/proto';
import type { Agent } from '../agents/index.js';
import { newId } from '../platform/ids.js';
import type { GatewayContext } from './context.js';
import { handleEnroll, handleHello } from './handshake.js';
import { commitBatch, SeqConflictError } from './ingest.js';
import { classifySeq, TokenBucket } from './seq.js';
import type { LiveSession } from './sessions.js';
import { SEQUENCED_BODIES } from './validate.js';

type Phase = 'challenge' | 'handshaking' | 'session' | 'closed';

/** Stored on the agent row at every Heartbeat: bounded (policy ids are uuids; ≤ 1000 policies). */
function appliedPoliciesJson(list: readonly watchpost.v1.IAppliedPolicy[]): string {
  return JSON.stringify(
    list
      .filter((p) => (p.policyId ?? '').length <= 128)
      .slice(0, 1000)
      .map((p) => ({
        policyId: p.policyId ?? '',
        version: p.version ?? 0,
        appliedAtMs: Number(toBigInt(p.appliedAtMs)),
      })),
  );
}

const CLOSE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(CloseCode).map(([k, v]) => [v, k]),
);

export class AgentConnection implements LiveSession {
  private phase: Phase = 'challenge';
  private readonly nonce = randomBytes(32);
  private chain: Promise<void> = Promise.resolve();
  private handshakeTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private readonly bucket: TokenBucket;
  private readonly log: Logger;
  private agent: Agent | null = null;
  // Sequencing state (session phase).
  private lastCommitted = 0n;
  private lastReceived = 0n;
  private lastAcked = 0n;
  private pending: watchpost.v1.AgentEnvelope[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private readonly sentTaskIds = new Set<string>();
  /** Policy id → revision this connection already sent. */
  private readonly sentPolicies = new Map<string, number>();
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: GatewayContext,
    remote: string,
  ) {
    this.log = ctx.log.child({ conn: newId().slice(0, 8), remote });
    this.bucket = new TokenBucket(ctx.config.limits.maxMessagesPerSecond, Date.now());
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', (code) => this.onClosed(code));
    ws.on('error', (err) => this.log.warn({ err: err.message }, 'agent socket error'));
    this.handshakeTimer = setTimeout(
      () => this.closeWith(CloseCode.HANDSHAKE_TIMEOUT, 'no Enroll/Hello in time'),
      ctx.config.limits.handshakeTimeoutS * 1000,
    );
    this.send({ challenge: { nonce: this.nonce, hubTimeMs: toLong(Date.now(), false) } });
  }

  get agentId(): string {
    return this.agent?.id ?? '';
  }
  get tenantId(): string {
    return this.agent?.tenantId ?? '';
  }

  private send(body: watchpost.v1.IHubEnvelope, seq = 0n): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const frame = encodeHubEnvelope({
      seq: toLong(seq),
      messageId: newId(),
      createdAtMs: toLong(Date.now(), false),
      ...body,
    });
    this.ws.send(frame);
  }

  closeWith(code: number, reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.pending = [];
    clearTimeout(this.batchTimer);
    if (code >= 4000) this.send({ reject: { seq: toLong(0), code: CLOSE_NAMES[code] ?? 'CLOSED', reason } });
    this.log.info({ code, reason, agentId: this.agent?.id }, 'closing agent connection');
    this.ws.close(code, reason.slice(0, 120));
    // A peer that does not complete the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Re-reads the phase (TypeScript narrows the field across awaits). */
  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  async drained(): Promise<void> {
    await this.flushing;
  }

  /** Hub shutdown: commit what was received, ack it, then close 1001. */
  async shutdown(): Promise<void> {
    if (this.phase === 'session') {
      clearTimeout(this.batchTimer);
      while (this.flushing || this.pending.length > 0) {
        if (!this.flushing) this.flush();
        await this.flushing;
      }
    }
    this.closeWith(CloseCode.GOING_AWAY, 'hub shutting down');
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    if (!isBinary) return this.closeWith(CloseCode.BAD_FRAME, 'text frames are not allowed');
    if (this.phase === 'session' && !this.bucket.take(Date.now())) {
      return this.closeWith(CloseCode.RATE_LIMITED, 'message rate over the limit');
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let env: watchpost.v1.AgentEnvelope;
    try {
      env = decodeAgentEnvelope(bytes);
    } catch (err) {
      return this.closeWith(
        CloseCode.BAD_FRAME,
        err instanceof DecodeError ? err.message : 'undecodable frame',
      );
    }
    this.touchIdle();
    if (this.phase === 'session') return this.onSessionMessage(env);
    if (this.phase === 'handshaking') return this.closeWith(CloseCode.BAD_FRAME, 'message before Welcome');
    this.phase = 'handshaking';
    this.chain = this.chain.then(() => this.onHandshake(env)).catch((err: unknown) => this.internal(err));
  }

  private internal(err: unknown): void {
    this.log.error({ err }, 'agent connection failed');
    this.closeWith(CloseCode.INTERNAL, 'hub-side failure');
  }

  private async onHandshake(env: watchpost.v1.AgentEnvelope): Promise<void> {
    if (toBigInt(env.seq) !== 0n) {
      this.closeWith(CloseCode.BAD_FRAME, 'handshake message must have seq 0');
      return;
    }
    if (env.body === 'enroll' && env.enroll) {
      const out = await handleEnroll(this.ctx, this.nonce, env.enroll);
      if (this.phase === 'closed') return;
      if (!out.ok) {
        this.closeWith(out.close, out.reason);
        return;
      }
      clearTimeout(this.handshakeTimer);
      this.log.info({ agentId: out.value.agentId, tenantId: out.value.tenantId }, 'agent enrolled');
      this.send({ enrolled: out.value });
      this.phase = 'closed';
      this.ws.close(CloseCode.NORMAL, 'enrolled');
      return;
    }
    if (env.body === 'hello' && env.hello) return this.onHello(env.hello as watchpost.v1.Hello);
    this.closeWith(CloseCode.BAD_FRAME, `expected Enroll or Hello, got ${env.body ?? 'nothing'}`);
  }

  private async onHello(hello: watchpost.v1.Hello): Promise<void> {
    const out = await handleHello(this.ctx, this.nonce, hello);
    if (this.phase === 'closed') return;
    if (!out.ok) {
      this.closeWith(out.close, out.reason);
      return;
    }
    clearTimeout(this.handshakeTimer);
    this.agent = out.value;
    const old = this.ctx.sessions.replace(this);
    if (old) {
      old.closeWith(CloseCode.SUPERSEDED, 'a newer connection of this agent took over');
      await old.drained();
    }
    const now = this.ctx.clock();
    await this.ctx.agents.markOnline(out.value.tenantId, out.value.id, this.ctx.config.nodeId, now, {
      hostname: hello.hostname || out.value.hostname,
      version: hello.version || out.value.version,
      appliedPolicies: appliedPoliciesJson(hello.appliedPolicies),
    });
    const fresh = await this.ctx.agents.find(out.value.tenantId, out.value.id);
    if (this.isClosed() || !fresh) return;
    this.agent = fresh;
    this.lastCommitted = this.lastReceived = this.lastAcked = BigInt(fresh.lastSeq);
    this.phase = 'session';
    const l = this.ctx.config.limits;
    this.send({
      welcome: {
        agentId: fresh.id,
        lastSeq: toLong(this.lastCommitted),
        heartbeatIntervalS: l.heartbeatIntervalS,
        limits: {
          maxFrameBytes: l.maxFrameBytes,
          maxInFlight: l.maxInFlight,
          maxMessagesPerSecond: l.maxMessagesPerSecond,
        },
        hubTimeMs: toLong(Date.now(), false),
      },
    });
    this.log.info({ agentId: fresh.id, lastSeq: fresh.lastSeq }, 'agent session started');
    this.deliverTasks();
  }

  private touchIdle(): void {
    if (this.phase !== 'session') return;
    this.lastFrameAt = Date.now();
    if (this.idleTimer) return;
    // Three missed heartbeats: the peer is gone even if TCP has not noticed. One timer per
    // connection, re-armed lazily (re-creating it per frame costs at 10k frames/s).
    const limitMs = this.ctx.config.limits.heartbeatIntervalS * 3000 + 1000;
    const check = () => {
      const idle = Date.now() - this.lastFrameAt;
      if (idle < limitMs) {
        this.idleTimer = setTimeout(check, limitMs - idle);
        return;
      }
      this.log.info({ agentId: this.agentId }, 'agent missed 3 heartbeats');
      this.closeWith(CloseCode.GOING_AWAY, 'no heartbeat');
    };
    this.idleTimer = setTimeout(check, limitMs);
  }

  private onSessionMessage(env: watchpost.v1.AgentEnvelope): void {
    const seq = toBigInt(env.seq);
    if (seq === 0n) {
      if (env.body === 'heartbeat' && env.heartbeat) {
        this.chain = this.chain
          .then(() => this.onHeartbeat(env.heartbeat as watchpost.v1.Heartbeat))
          .catch((e: unknown) => this.internal(e));
        return;
      }
      return this.closeWith(CloseCode.BAD_FRAME, `unexpected ${env.body ?? 'empty'} body with seq 0`);
    }
    if (env.body !== undefined && !SEQUENCED_BODIES.has(env.body)) {
      return this.closeWith(CloseCode.BAD_FRAME, `${env.body} must not carry a seq`);
    }
    const decision = classifySeq(seq, this.lastReceived);
    if (decision === 'duplicate') {
      if (!this.flushing && this.pending.length === 0) this.sendAck();
      return;
    }
    if (decision === 'gap') {
      return this.closeWith(CloseCode.SEQ_OUT_OF_ORDER, `seq ${seq} after ${this.lastReceived}`);
    }
    this.lastReceived = seq;
    if (this.lastReceived - this.lastAcked > BigInt(this.ctx.config.limits.maxInFlight)) {
      return this.closeWith(CloseCode.RATE_LIMITED, 'too many unacknowledged messages in flight');
    }
    this.pending.push(env);
    if (this.pending.length >= this.ctx.config.limits.maxBatch) this.flush();
    else if (!this.batchTimer && !this.flushing) {
      this.batchTimer = setTimeout(() => this.flush(), this.ctx.config.limits.maxBatchDelayMs);
    }
  }

  private flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.flushing || this.pending.length === 0 || !this.agent) return;
    const batch = this.pending.splice(0, this.ctx.config.limits.maxBatch);
    const who = { tenantId: this.agent.tenantId, agentId: this.agent.id };
    this.flushing = commitBatch(this.ctx.ingest, who, this.lastCommitted, batch)
      .then((out) => {
        this.lastCommitted = out.lastSeq;
        for (const r of out.rejects)
          this.send({ reject: { seq: toLong(r.seq), code: r.code, reason: r.reason } });
        this.sendAck();
        if (out.needsFullInventory) this.requestFullInventory(who);
      })
      .catch((err: unknown) => {
        if (err instanceof SeqConflictError) this.closeWith(CloseCode.SEQ_OUT_OF_ORDER, err.message);
        else this.internal(err);
      })
      .finally(() => {
        this.flushing = null;
        // What arrived during the commit is the next batch: at once when full, else after the
        // batch delay, like any other batch.
        if (this.phase !== 'session' || this.pending.length === 0) return;
        if (this.pending.length >= this.ctx.config.limits.maxBatch) this.flush();
        else this.batchTimer ??= setTimeout(() => this.flush(), this.ctx.config.limits.maxBatchDelayMs);
      });
  }

  private requestFullInventory(who: { tenantId: string; agentId: string }): void {
    this.log.info(who, 'stored inventory diverged from the agent: requesting a full report');
    this.ctx.tasks
      .create(who.tenantId, who.agentId, { kind: 'collect_inventory', params: { full: true } })
      .catch((err: unknown) => this.log.error({ err }, 'could not request a full inventory'));
  }

  private sendAck(): void {
    this.lastAcked = this.lastCommitted;
    this.send({ ack: { upToSeq: toLong(this.lastCommitted) } });
  }

  private async onHeartbeat(hb: watchpost.v1.Heartbeat): Promise<void> {
    if (!this.agent) return;
    await this.ctx.agents.heartbeat(this.agent.tenantId, this.agent.id, {
      lastSeenAt: this.ctx.clock(),
      outboxMessages: toBigInt(hb.outboxMessages).toString(),
      outboxBytes: toBigInt(hb.outboxBytes).toString(),
      outboxBudgetBytes: toBigInt(hb.outboxBudgetBytes).toString(),
      collectionPaused: hb.collectionPaused,
      appliedPolicies: appliedPoliciesJson(hb.appliedPolicies),
    });
    const revoked = await this.ctx.agents.revokedAmong([this.agent.id]);
    if (revoked.length > 0) this.closeWith(CloseCode.AGENT_REVOKED, 'agent revoked');
  }

  /**
   * Sends every task this agent has not accepted and this connection has not sent yet, then the
   * policy updates it is missing (its applied list versus what targets it).
   */
  deliverTasks(): void {
    const agent = this.agent;
    if (!agent) return;
    this.delivering = this.delivering
      .then(async () => {
        if (this.phase !== 'session') return;
        const deliveries = await this.ctx.tasks.prepareDeliveries(agent.tenantId, agent.id, this.sentTaskIds);
        for (const d of deliveries) {
          this.sentTaskIds.add(d.taskId);
          this.send({ task: d.signed }, d.hubSeq);
        }
        if (deliveries.length > 0)
          this.log.info({ agentId: agent.id, count: deliveries.length }, 'tasks delivered');
        // Policies share the per-agent hub seq with tasks, so both go out on this one chain, in seq order.
        const policies = this.ctx.policies
          ? await this.ctx.policies.prepare(agent.tenantId, agent.id, this.sentPolicies)
          : [];
        for (const p of policies) {
          this.sentPolicies.set(p.policyId, p.version);
          this.send({ policyUpdate: p.signed }, p.hubSeq);
        }
        if (policies.length > 0)
          this.log.info({ agentId: agent.id, count: policies.length }, 'policy updates delivered');
      })
      .catch((err: unknown) => this.log.error({ err, agentId: agent.id }, 'task delivery failed'));
  }

  private onClosed(code: number): void {
    const wasSession = this.agent !== null;
    this.phase = 'closed';
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.batchTimer);
    this.pending = [];
    this.log.debug({ code }, 'agent socket closed');
    if (wasSession && this.ctx.sessions.remove(this) && this.agent) {
      const { tenantId, id } = this.agent;
      void this.drained()
        .then(() => this.ctx.agents.markOffline(tenantId, id, this.ctx.config.nodeId, this.ctx.clock()))
        .catch((err: unknown) => this.log.error({ err }, 'marking agent offline failed'));
    }
  }
}
