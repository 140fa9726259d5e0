// A protocol-level simulated agent for benchmarks: enrolls with a real token, authenticates,
// waits for a signed pipeline_probe task from the real hub, then streams `count` TaskProgress
// messages and a TaskResult with at most `maxInFlight` unacknowledged, like the real agent.
import { randomUUID, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import {
  SignPurpose,
  decodeHubEnvelope,
  encodeAgentEnvelope,
  generateEd25519,
  privateKeyFromPem,
  signPayload,
  toBigInt,
  toLong,
  verifyPayload,
  watchpost,
  type HubEnvelope,
} from '@watchpost/proto';

type Body = Omit<watchpost.v1.AgentEnvelope.$Properties, 'seq' | 'messageId' | 'createdAtMs'>;

class Conn {
  private queue: HubEnvelope[] = [];
  private waiters: ((e: HubEnvelope) => void)[] = [];
  closed: { code: number; reason: string } | undefined;
  onEnvelope: ((e: HubEnvelope) => void) | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const env = decodeHubEnvelope(data);
      if (this.onEnvelope) return this.onEnvelope(env);
      const w = this.waiters.shift();
      if (w) w(env);
      else this.queue.push(env);
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static open(url: string): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { maxPayload: 8 * 1024 * 1024 });
      const c = new Conn(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  next(): Promise<HubEnvelope> {
    const e = this.queue.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(seq: bigint, body: Body): void {
    this.ws.send(
      encodeAgentEnvelope({
        seq: toLong(seq),
        messageId: randomUUID(),
        createdAtMs: toLong(Date.now(), false),
        ...body,
      }),
    );
  }
}

export interface SimIdentity {
  agentId: string;
  key: KeyObject;
  hubKey: Uint8Array;
}

export async function enrollSim(wsUrl: string, token: string, hostname: string): Promise<SimIdentity> {
  const keys = generateEd25519();
  const key = privateKeyFromPem(keys.privateKeyPem);
  const c = await Conn.open(wsUrl);
  const challenge = await c.next();
  const nonce = challenge.challenge!.nonce!;
  c.send(0n, {
    enroll: {
      token,
      publicKey: keys.publicKeyRaw,
      signature: signPayload(key, SignPurpose.ENROLL, nonce),
      hostname,
      version: 'bench',
    },
  });
  const reply = await c.next();
  if (!reply.enrolled) throw new Error(`enrollment refused: ${JSON.stringify(reply.reject ?? c.closed)}`);
  c.ws.close();
  return { agentId: reply.enrolled.agentId!, key, hubKey: reply.enrolled.hubPublicKey! };
}

export interface SimSession {
  /** Resolves with the task id of the next pipeline_probe the hub sends. */
  nextProbe(): Promise<{ taskId: string; count: number }>;
  /** Streams the probe's progress and result; resolves when the hub has acked everything. */
  stream(taskId: string, count: number, payloadBytes: number): Promise<void>;
  close(): void;
}

export async function connectSim(wsUrl: string, id: SimIdentity): Promise<SimSession> {
  const c = await Conn.open(wsUrl);
  const nonce = (await c.next()).challenge!.nonce!;
  c.send(0n, {
    hello: {
      agentId: id.agentId,
      version: 'bench',
      signature: signPayload(id.key, SignPurpose.HELLO, nonce, Buffer.from(id.agentId, 'utf8')),
    },
  });
  const welcome = await c.next();
  if (!welcome.welcome) throw new Error(`hello refused: ${JSON.stringify(welcome.reject ?? c.closed)}`);
  let seq = toBigInt(welcome.welcome.lastSeq);
  const maxInFlight = welcome.welcome.limits?.maxInFlight ?? 1024;
  let acked = seq;
  let ackWaiter: (() => void) | undefined;
  const tasks: watchpost.v1.Task[] = [];
  let taskWaiter: (() => void) | undefined;
  c.onEnvelope = (env) => {
    if (env.ack) {
      acked = toBigInt(env.ack.upToSeq);
      ackWaiter?.();
    } else if (env.reject) {
      throw new Error(`hub rejected seq ${String(env.reject.seq)}: ${env.reject.code} ${env.reject.reason}`);
    } else if (env.task) {
      const bytes = env.task.task!;
      if (!verifyPayload(id.hubKey, env.task.signature!, SignPurpose.TASK, bytes))
        throw new Error('bad task signature');
      tasks.push(watchpost.v1.Task.decode(bytes));
      taskWaiter?.();
    }
  };
  const waitAck = (atLeast: bigint) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (acked >= atLeast) resolve();
        else if (c.closed) reject(new Error(`connection closed ${JSON.stringify(c.closed)}`));
        else ackWaiter = check;
      };
      check();
    });
  return {
    async nextProbe() {
      for (;;) {
        const t = tasks.shift();
        if (t?.pipelineProbe) return { taskId: t.taskId, count: t.pipelineProbe.count ?? 0 };
        await new Promise<void>((r) => (taskWaiter = r));
      }
    },
    async stream(taskId, count, payloadBytes) {
      const payload = Buffer.alloc(payloadBytes, 0x61);
      c.send(++seq, { taskProgress: { taskId, state: watchpost.v1.TaskState.TASK_STATE_ACCEPTED } });
      for (let i = 1; i <= count; i++) {
        if (seq - acked >= BigInt(maxInFlight)) await waitAck(seq - BigInt(maxInFlight) / 2n);
        c.send(++seq, {
          taskProgress: {
            taskId,
            state: watchpost.v1.TaskState.TASK_STATE_RUNNING,
            counter: toLong(i),
            percent: Math.floor((i * 100) / count),
            payload,
          },
        });
      }
      c.send(++seq, {
        taskResult: {
          taskId,
          state: watchpost.v1.TaskState.TASK_STATE_SUCCEEDED,
          summaryJson: `{"count":${count}}`,
        },
      });
      await waitAck(seq);
    },
    close: () => c.ws.close(),
  };
}
