import { test } from 'node:test';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAgentEnvelope, toLong, toSafeNumber, AgentEventCode } from '@watchpost/proto';
import { pino } from 'pino';
import { openStore, type Store } from '../state/store.js';
import { Outbox, type OutboxBody } from './outbox.js';

const log = pino({ level: 'silent' });

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-outbox-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function probe(i: number, payloadBytes = 0): OutboxBody {
  return {
    taskProgress: { taskId: 't', state: 2, counter: toLong(i), payload: Buffer.alloc(payloadBytes, 1) },
  };
}

async function withOutbox<T>(
  dir: string,
  budget: number,
  fn: (o: Outbox, s: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(dir);
  try {
    return await fn(await Outbox.open(store, budget, log), store);
  } finally {
    await store.db.close();
  }
}

test('append assigns contiguous seqs, ack removes, everything survives a reopen', async (t) => {
  const dir = tempDir(t);
  await withOutbox(dir, 1 << 20, async (o) => {
    assert.deepEqual(await o.append([probe(1), probe(2)]), [1, 2]);
    assert.deepEqual(await o.append([probe(3)]), [3]);
    assert.equal(o.stats().messages, 3);
    assert.equal(await o.ackUpTo(1), 1);
    assert.equal(o.stats().messages, 2);
  });
  await withOutbox(dir, 1 << 20, async (o) => {
    const stats = o.stats();
    assert.equal(stats.messages, 2);
    assert.equal(stats.nextSeq, 4);
    const entries = await o.readAfter(0, 10);
    assert.deepEqual(
      entries.map((e) => e.seq),
      [2, 3],
    );
    const env = decodeAgentEnvelope(entries[0]!.frame);
    assert.equal(toSafeNumber(env.seq), 2);
    assert.equal(toSafeNumber(env.taskProgress?.counter), 2);
    assert.deepEqual(await o.append([probe(4)]), [4]);
    await o.ackUpTo(4);
    assert.equal(o.stats().messages, 0);
    assert.equal(o.stats().bytes, 0);
  });
  // Seqs are never reused, even after the outbox was emptied.
  await withOutbox(dir, 1 << 20, async (o) => {
    assert.equal(o.stats().messages, 0);
    assert.deepEqual(await o.append([probe(5)]), [5]);
  });
});

test('byte counters are recounted on open and match after many open/close cycles', async (t) => {
  const dir = tempDir(t);
  let expected = { messages: 0, bytes: 0 };
  for (let cycle = 0; cycle < 5; cycle++) {
    expected = await withOutbox(dir, 1 << 22, async (o) => {
      assert.equal(o.stats().messages, expected.messages);
      assert.equal(o.stats().bytes, expected.bytes);
      await o.append(Array.from({ length: 50 }, (_, i) => probe(i, cycle * 10)));
      const first = (await o.readAfter(0, 1))[0];
      assert.ok(first);
      await o.ackUpTo(first.seq + 19);
      return { messages: o.stats().messages, bytes: o.stats().bytes };
    });
  }
  assert.equal(expected.messages, 5 * 30);
});

test('rejected entries are removed and the hub being ahead moves the seq forward', async (t) => {
  const dir = tempDir(t);
  await withOutbox(dir, 1 << 20, async (o) => {
    await o.append([probe(1), probe(2), probe(3)]);
    await o.reject(2);
    assert.deepEqual(
      (await o.readAfter(0, 10)).map((e) => e.seq),
      [1, 3],
    );
    await o.syncWithHub(10);
    assert.equal(o.stats().messages, 0);
    assert.deepEqual(await o.append([probe(4)]), [11]);
  });
});

test('over budget: producers wait, OUTBOX_FULL then OUTBOX_RESUMED are queued, nothing is dropped', async (t) => {
  const dir = tempDir(t);
  await withOutbox(dir, 64 * 1024, async (o) => {
    let paused = 0;
    o.on('paused', () => (paused += 1));
    const pausedOnce = once(o, 'paused');
    let written = 0;
    const producer = (async () => {
      for (let i = 1; i <= 200; i++) {
        await o.append([probe(i, 1000)]);
        written = i;
      }
    })();
    // Wait until the producer is blocked by the budget.
    await pausedOnce;
    assert.equal(o.stats().paused, true);
    assert.ok(written < 200, 'producer must be blocked');
    assert.ok(o.stats().bytes <= 64 * 1024);
    assert.equal(paused, 1);
    // Drain like a hub would, checking every message arrives once, in order.
    const counters: number[] = [];
    const events: string[] = [];
    let acked = 0;
    while (counters.length < 200) {
      const batch = await o.readAfter(acked, 20);
      if (batch.length === 0) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      for (const e of batch) {
        const env = decodeAgentEnvelope(e.frame);
        if (env.agentEvent) events.push(env.agentEvent.code ?? '');
        else counters.push(toSafeNumber(env.taskProgress?.counter));
      }
      acked = batch[batch.length - 1]!.seq;
      await o.ackUpTo(acked);
    }
    await producer;
    assert.deepEqual(
      counters,
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    assert.equal(events[0], AgentEventCode.OUTBOX_FULL);
    assert.ok(events.includes(AgentEventCode.OUTBOX_RESUMED));
    assert.equal(o.stats().paused, false);
  });
});
