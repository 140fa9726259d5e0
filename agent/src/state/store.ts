// The agent's local database (classic-level in D/state): one LevelDB, one sublevel per concern,
// so one batch can change several of them atomically (e.g. an outbox entry and the task
// counter it advances).
import { Level } from 'level';
import type { AbstractSublevel } from 'abstract-level';
import { agentError } from '../errors.js';

export type Db = Level<string, Buffer>;
export type Sub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, Buffer>;

export type StoreOp =
  { type: 'put'; sub: Sub; key: string; value: Buffer } | { type: 'del'; sub: Sub; key: string };

export interface Store {
  db: Db;
  /** Outbox entries, key = zero-padded seq. */
  outbox: Sub;
  /** Counters and small singletons (next seq, inventory digests, ...). */
  meta: Sub;
  /** Task ids accepted (replay protection), key = task id, value = acceptance order. */
  tasksAccepted: Sub;
  /** Acceptance order → task id, to prune the oldest ids. */
  tasksOrder: Sub;
  /** Tasks accepted and not finished, with their durable progress. */
  tasksRunning: Sub;
  /** Applied policies, key = policy id. */
  policies: Sub;
  /** Configuration-change monitoring: last snapshot (digest per kind+key), small file contents. */
  drift: Sub;
}

export async function openStore(dir: string): Promise<Store> {
  const db: Db = new Level<string, Buffer>(dir, { valueEncoding: 'buffer' });
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw agentError('STATE_LOCKED', `${dir} is in use: another "watchpost-agent run" uses this data dir`);
    }
    throw err;
  }
  const sub = (name: string): Sub => db.sublevel<string, Buffer>(name, { valueEncoding: 'buffer' });
  return {
    db,
    outbox: sub('outbox'),
    meta: sub('meta'),
    tasksAccepted: sub('tasks-accepted'),
    tasksOrder: sub('tasks-order'),
    tasksRunning: sub('tasks-running'),
    policies: sub('policies'),
    drift: sub('drift'),
  };
}

export async function writeOps(db: Db, ops: readonly StoreOp[]): Promise<void> {
  if (ops.length === 0) return;
  const batch = db.batch();
  for (const op of ops) {
    if (op.type === 'put') batch.put(op.key, op.value, { sublevel: op.sub });
    else batch.del(op.key, { sublevel: op.sub });
  }
  await batch.write();
}

export function jsonValue(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function parseJsonValue(buf: Buffer | undefined): unknown {
  return buf === undefined ? undefined : JSON.parse(buf.toString('utf8'));
}

export function orderKey(n: number): string {
  return n.toString().padStart(16, '0');
}
