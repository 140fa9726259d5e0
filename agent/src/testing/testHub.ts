// A protocol peer for the agent's tests: a small WebSocket server speaking PROTOCOL.md from the
// hub's side (Challenge, Enroll/Enrolled, Hello/Welcome, in-order seq checks, cumulative Acks,
// Rejects, signed tasks and policies, revocation). It keeps its state in memory and across
// stop()/start() on the same port, like a hub restarting over its database. Test-only code.
import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CloseCode,
  decodeAgentEnvelope,
  encodeHubEnvelope,
  generateEd25519,
  privateKeyFromPem,
  signPayload,
  SignPurpose,
  toLong,
  toSafeNumber,
  verifyPayload,
  watchpost,
  type AgentEnvelope,
} from '@watchpost/proto';

export interface TestAgentRecord {
  id: string;
  publicKey: Buffer;
  lastSeq: number;
  revoked: boolean;
  hubSeq: number;
  stored: AgentEnvelope[];
  heartbeats: AgentEnvelope[];
  hellos: AgentEnvelope[];
}

export interface TestHubOptions {
  maxInFlight?: number;
  heartbeatIntervalS?: number;
  /** Returns a reject code for a sequenced message the hub should reject. */
  rejectWhen?: (env: AgentEnvelope) => string | undefined;
}

export class TestHub extends EventEmitter {
  readonly tokens = new Set<string>();
  readonly agents = new Map<string, TestAgentRecord>();
  readonly hubPrivateKey: KeyObject;
  readonly hubPublicKey: Buffer;
  /** Acks are held (not sent) while true; releaseAcks() sends one covering everything. */
  holdAcks = false;
  maxObservedInFlight = 0;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private port = 0;
  private readonly live = new Map<string, WebSocket>();
  private readonly unacked = new Map<string, number>();

  constructor(readonly opts: TestHubOptions = {}) {
    super();
    const keys = generateEd25519();
    this.hubPrivateKey = privateKeyFromPem(keys.privateKeyPem);
    this.hubPublicKey = keys.publicKeyRaw;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/agent/v1', maxPayload: 4 * 1024 * 1024 });
    wss.on('connection', (ws) => this.onConnection(ws));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  async stop(code: number = CloseCode.GOING_AWAY): Promise<void> {
    for (const ws of this.wss?.clients ?? []) ws.close(code, 'hub stopping');
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.live.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
    this.wss = undefined;
  }

  createToken(): string {
    const token = `wpe_${randomBytes(32).toString('base64url')}`;
    this.tokens.add(token);
    return token;
  }

  revoke(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent) agent.revoked = true;
    const ws = this.live.get(agentId);
    if (ws) this.closeWith(ws, CloseCode.AGENT_REVOKED, 'AGENT_REVOKED', 'agent revoked');
  }

  isConnected(agentId: string): boolean {
    return this.live.has(agentId);
  }

  /** Signs and sends a task (fields override the defaults); returns the task id. */
  sendTask(
    agentId: string,
    fields: watchpost.v1.ITask,
    signWith: KeyObject = this.hubPrivateKey,
    purpose: SignPurpose = SignPurpose.TASK,
  ): string {
    const agent = this.mustAgent(agentId);
    agent.hubSeq += 1;
    const task = watchpost.v1.Task.encode({
      taskId: randomUUID(),
      agentId,
      hubSeq: toLong(agent.hubSeq),
      issuedAtMs: toLong(Date.now(), false),
      expiresAtMs: toLong(Date.now() + 600_000, false),
      ...fields,
    }).finish();
    const taskId = watchpost.v1.Task.decode(task).taskId;
    this.sendTo(agentId, {
      seq: toLong(agent.hubSeq),
      task: { task, signature: signPayload(signWith, purpose, task) },
    });
    return taskId;
  }

  sendPolicy(
    agentId: string,
    fields: watchpost.v1.IPolicyUpdate,
    signWith: KeyObject = this.hubPrivateKey,
  ): void {
    const agent = this.mustAgent(agentId);
    agent.hubSeq += 1;
    const policy = watchpost.v1.PolicyUpdate.encode({
      agentId,
      issuedAtMs: toLong(Date.now(), false),
      ...fields,
    }).finish();
    this.sendTo(agentId, {
      seq: toLong(agent.hubSeq),
      policyUpdate: { policy, signature: signPayload(signWith, SignPurpose.POLICY, policy) },
    });
  }

  releaseAcks(): void {
    this.holdAcks = false;
    for (const [agentId, ws] of this.live) {
      const agent = this.agents.get(agentId);
      if (agent) this.send(ws, { ack: { upToSeq: toLong(agent.lastSeq) } });
      this.unacked.set(agentId, 0);
    }
  }

  /** Resolves when predicate() holds, re-checked after every hub event (no timing involved). */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('change', check);
        reject(new Error(`timed out waiting for: ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.off('change', check);
        resolve();
      };
      this.on('change', check);
    });
  }

  private mustAgent(agentId: string): TestAgentRecord {
    const agent = this.agents.get(agentId);
    if (!agent) throw new Error(`unknown agent ${agentId}`);
    return agent;
  }

  private onConnection(ws: WebSocket): void {
    const nonce = randomBytes(32);
    let agentId: string | undefined;
    this.send(ws, { challenge: { nonce, hubTimeMs: toLong(Date.now(), false) } });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return this.closeWith(ws, CloseCode.BAD_FRAME, 'BAD_FRAME', 'text frame');
      let env: AgentEnvelope;
      try {
        env = decodeAgentEnvelope(data as Buffer);
      } catch {
        return this.closeWith(ws, CloseCode.BAD_FRAME, 'BAD_FRAME', 'undecodable');
      }
      if (!agentId) {
        if (env.enroll) return this.onEnroll(ws, env.enroll, nonce);
        if (env.hello) {
          agentId = this.onHello(ws, env, nonce);
          return;
        }
        return this.closeWith(ws, CloseCode.BAD_FRAME, 'BAD_FRAME', 'expected Enroll or Hello');
      }
      this.onSessionMessage(ws, this.mustAgent(agentId), env);
    });
    ws.on('close', () => {
      if (agentId && this.live.get(agentId) === ws) this.live.delete(agentId);
      this.emit('change');
    });
  }

  private onEnroll(ws: WebSocket, enroll: watchpost.v1.IEnroll, nonce: Buffer): void {
    const publicKey = Buffer.from(enroll.publicKey ?? []);
    if (!enroll.token || !this.tokens.has(enroll.token)) {
      return this.closeWith(ws, CloseCode.ENROLLMENT_REFUSED, 'TOKEN_INVALID', 'enrollment token unknown');
    }
    if (!verifyPayload(publicKey, enroll.signature ?? new Uint8Array(), SignPurpose.ENROLL, nonce)) {
      return this.closeWith(ws, CloseCode.ENROLLMENT_REFUSED, 'PROOF_INVALID', 'bad proof of key');
    }
    const id = randomUUID();
    this.agents.set(id, {
      id,
      publicKey,
      lastSeq: 0,
      revoked: false,
      hubSeq: 0,
      stored: [],
      heartbeats: [],
      hellos: [],
    });
    this.send(ws, { enrolled: { agentId: id, tenantId: 'tenant-test', hubPublicKey: this.hubPublicKey } });
    ws.close(CloseCode.NORMAL);
    this.emit('change');
  }

  private onHello(ws: WebSocket, env: AgentEnvelope, nonce: Buffer): string | undefined {
    const hello = env.hello as watchpost.v1.IHello;
    const agent = this.agents.get(hello.agentId ?? '');
    if (
      !agent ||
      !verifyPayload(
        agent.publicKey,
        hello.signature ?? new Uint8Array(),
        SignPurpose.HELLO,
        nonce,
        Buffer.from(agent.id),
      )
    ) {
      this.closeWith(ws, CloseCode.AUTH_FAILED, 'AUTH_FAILED', 'unknown agent or bad signature');
      return undefined;
    }
    if (agent.revoked) {
      this.closeWith(ws, CloseCode.AGENT_REVOKED, 'AGENT_REVOKED', 'agent revoked');
      return undefined;
    }
    const older = this.live.get(agent.id);
    if (older) this.closeWith(older, CloseCode.SUPERSEDED, 'SUPERSEDED', 'newer connection');
    this.live.set(agent.id, ws);
    this.unacked.set(agent.id, 0);
    agent.hellos.push(env);
    this.send(ws, {
      welcome: {
        agentId: agent.id,
        lastSeq: toLong(agent.lastSeq),
        heartbeatIntervalS: this.opts.heartbeatIntervalS ?? 30,
        limits: {
          maxFrameBytes: 4 * 1024 * 1024,
          maxInFlight: this.opts.maxInFlight ?? 1024,
          maxMessagesPerSecond: 20_000,
        },
        hubTimeMs: toLong(Date.now(), false),
      },
    });
    this.emit('change');
    return agent.id;
  }

  private onSessionMessage(ws: WebSocket, agent: TestAgentRecord, env: AgentEnvelope): void {
    const seq = toSafeNumber(env.seq);
    if (seq === 0) {
      if (env.heartbeat) agent.heartbeats.push(env);
      this.emit('change');
      return;
    }
    const inFlight = (this.unacked.get(agent.id) ?? 0) + 1;
    this.unacked.set(agent.id, inFlight);
    this.maxObservedInFlight = Math.max(this.maxObservedInFlight, inFlight);
    if (inFlight > (this.opts.maxInFlight ?? 1024))
      return this.closeWith(ws, CloseCode.RATE_LIMITED, 'RATE_LIMITED', 'too many in flight');
    if (seq > agent.lastSeq + 1)
      return this.closeWith(
        ws,
        CloseCode.SEQ_OUT_OF_ORDER,
        'SEQ_OUT_OF_ORDER',
        `expected ${agent.lastSeq + 1}, got ${seq}`,
      );
    if (seq === agent.lastSeq + 1) {
      agent.lastSeq = seq;
      const rejectCode = this.opts.rejectWhen?.(env);
      if (rejectCode) {
        this.unacked.set(agent.id, inFlight - 1);
        this.send(ws, { reject: { seq: toLong(seq), code: rejectCode, reason: 'rejected by test hub' } });
        this.emit('change');
        return;
      }
      agent.stored.push(env);
    }
    if (!this.holdAcks) {
      this.unacked.set(agent.id, 0);
      this.send(ws, { ack: { upToSeq: toLong(agent.lastSeq) } });
    }
    this.emit('change');
  }

  private sendTo(agentId: string, env: watchpost.v1.IHubEnvelope): void {
    const ws = this.live.get(agentId);
    if (!ws) throw new Error(`agent ${agentId} is not connected`);
    this.send(ws, env);
  }

  private send(ws: WebSocket, env: watchpost.v1.IHubEnvelope): void {
    ws.send(
      encodeHubEnvelope({
        messageId: randomUUID(),
        createdAtMs: toLong(Date.now(), false),
        seq: toLong(0),
        ...env,
      }),
    );
  }

  private closeWith(ws: WebSocket, code: number, rejectCode: string, reason: string): void {
    this.send(ws, { reject: { seq: toLong(0), code: rejectCode, reason } });
    ws.close(code, reason);
  }
}
