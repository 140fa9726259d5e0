// Test helper: a minimal, hand-rolled agent protocol client over a real WebSocket, for hub
// integration tests (the real agent lives in agent/). It speaks PROTOCOL.md and lets a test send
// anything, including frames a well-behaved agent never would.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  decodeHubEnvelope,
  encodeAgentEnvelope,
  rawPublicKey,
  SignPurpose,
  signPayload,
  toLong,
  type watchpost,
} from '@watchpost/proto';

export interface ClosedInfo {
  code: number;
  reason: string;
}

export class TestAgentClient {
  readonly ws: WebSocket;
  readonly inbox: watchpost.v1.HubEnvelope[] = [];
  nonce: Uint8Array = new Uint8Array();
  readonly closed: Promise<ClosedInfo>;
  private waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      this.inbox.push(decodeHubEnvelope(data as Buffer));
      this.wake();
    });
    this.closed = new Promise((res) =>
      ws.on('close', (code, reason) => {
        res({ code, reason: reason.toString() });
        this.wake();
      }),
    );
    ws.on('error', () => {});
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Opens the socket and waits for the Challenge. */
  static async connect(wsUrl: string, opts: WebSocket.ClientOptions = {}): Promise<TestAgentClient> {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false, ...opts });
    // Listen before 'open': the Challenge can arrive in the same chunk as the upgrade response.
    const c = new TestAgentClient(ws);
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    const ch = await c.next((m) => m.body === 'challenge');
    c.nonce = ch.challenge?.nonce ?? new Uint8Array();
    return c;
  }

  /** Resolves with the first received message matching `pred` (consumed), or rejects on close. */
  async next(
    pred: (m: watchpost.v1.HubEnvelope) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<watchpost.v1.HubEnvelope> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      const found = i >= 0 ? this.inbox.splice(i, 1)[0] : undefined;
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('connection closed while waiting');
      if (Date.now() > deadline) throw new Error('timed out waiting for a hub message');
      await new Promise<void>((res) => {
        const t = setTimeout(res, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  send(env: watchpost.v1.AgentEnvelope.$Properties): void {
    this.ws.send(
      encodeAgentEnvelope({ messageId: randomUUID(), createdAtMs: toLong(Date.now(), false), ...env }),
    );
  }

  sendSeq(seq: number | bigint, body: Omit<watchpost.v1.AgentEnvelope.$Properties, 'seq'>): void {
    this.send({ ...body, seq: toLong(BigInt(seq)) });
  }

  enroll(key: TestAgentKey, token: string, tenant = '', signNonce: Uint8Array = this.nonce): void {
    this.send({
      seq: toLong(0),
      enroll: {
        token,
        tenant,
        publicKey: key.publicKeyRaw,
        signature: signPayload(key.privateKey, SignPurpose.ENROLL, signNonce),
        hostname: 'test-host',
        version: '0.0.0-test',
      },
    });
  }

  hello(key: TestAgentKey, agentId: string, signNonce: Uint8Array = this.nonce): void {
    this.send({
      seq: toLong(0),
      hello: {
        agentId,
        version: '0.0.0-test',
        hostname: 'test-host',
        signature: signPayload(key.privateKey, SignPurpose.HELLO, signNonce, Buffer.from(agentId, 'utf8')),
      },
    });
  }

  /** Hello and wait for Welcome. */
  async session(key: TestAgentKey, agentId: string): Promise<watchpost.v1.Welcome> {
    this.hello(key, agentId);
    const m = await this.next((x) => x.body === 'welcome' || x.body === 'reject');
    if (m.body !== 'welcome') throw new Error(`no Welcome: ${m.reject?.code} ${m.reject?.reason}`);
    return m.welcome as watchpost.v1.Welcome;
  }

  /** Waits for an Ack covering `seq`. */
  async ackFor(seq: number | bigint): Promise<void> {
    const want = BigInt(seq);
    await this.next((m) => m.body === 'ack' && BigInt(m.ack?.upToSeq?.toString() ?? '0') >= want);
  }

  close(): void {
    this.ws.close(1000);
  }
}

export interface TestAgentKey {
  privateKey: KeyObject;
  publicKeyRaw: Buffer;
}

export function newAgentKey(): TestAgentKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyRaw: rawPublicKey(publicKey) };
}

/** Enrolls a fresh key with `token`; returns its identity or throws with the close code. */
export function enrollAgent(wsUrl: string, token: string, tenant = ''): Promise<EnrolledTestAgent> {
  return enrollAgentOver(wsUrl, token, {}, tenant);
}

export interface EnrolledTestAgent {
  key: TestAgentKey;
  agentId: string;
  tenantId: string;
  hubPublicKey: Uint8Array;
}

/** enrollAgent with WebSocket client options (e.g. `{ ca }` for a TLS hub). */
export async function enrollAgentOver(
  wsUrl: string,
  token: string,
  opts: WebSocket.ClientOptions,
  tenant = '',
): Promise<EnrolledTestAgent> {
  const key = newAgentKey();
  const c = await TestAgentClient.connect(wsUrl, opts);
  c.enroll(key, token, tenant);
  const m = await c
    .next((x) => x.body === 'enrolled' || x.body === 'reject')
    .catch(async () => {
      const cl = await c.closed;
      throw new Error(`enrollment closed ${cl.code} ${cl.reason}`);
    });
  const e = m.enrolled;
  if (m.body !== 'enrolled' || !e)
    throw new Error(`enrollment refused: ${m.reject?.code} ${m.reject?.reason}`);
  await c.closed;
  return {
    key,
    agentId: e.agentId ?? '',
    tenantId: e.tenantId ?? '',
    hubPublicKey: e.hubPublicKey ?? new Uint8Array(),
  };
}
