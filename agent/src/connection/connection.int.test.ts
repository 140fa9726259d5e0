// Connection logic against the in-test protocol peer (TestHub): acks trim the outbox,
// Welcome.last_seq drops committed entries, Rejects are handled, the in-flight window is
// respected, a hub restart loses nothing, 4403 stops the agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSafeNumber, toLong, watchpost } from '@watchpost/proto';
import { TestHub } from '../testing/testHub.js';
import { enrolledDataDir, hubClient, openHarness, until } from '../testing/agentHarness.js';
import type { OutboxBody } from '../outbox/index.js';

function probe(i: number): OutboxBody {
  return {
    taskProgress: { taskId: 'probe', state: watchpost.v1.TaskState.TASK_STATE_RUNNING, counter: toLong(i) },
  };
}

async function startHub(
  t: { after: (fn: () => Promise<void>) => void },
  opts: ConstructorParameters<typeof TestHub>[0] = {},
): Promise<TestHub> {
  const hub = new TestHub(opts);
  await hub.start();
  t.after(() => hub.stop());
  return hub;
}

const seqsOf = (hub: TestHub, agentId: string): number[] =>
  hub.agents.get(agentId)?.stored.map((e) => toSafeNumber(e.seq)) ?? [];
const countersOf = (hub: TestHub, agentId: string): number[] =>
  hub.agents.get(agentId)?.stored.map((e) => toSafeNumber(e.taskProgress?.counter)) ?? [];
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('streams the outbox in order; acks empty it; heartbeats carry the backlog', async (t) => {
  const hub = await startHub(t, { heartbeatIntervalS: 1 });
  const { paths, identity } = await enrolledDataDir(hub, t);
  const h = await openHarness(paths);
  t.after(() => h.store.db.close());
  for (let i = 1; i <= 50; i++) await h.outbox.append([probe(i)]);
  const client = hubClient(h, hub);
  const running = client.run();
  t.after(() => client.stop());
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 50, '50 stored');
  await h.outbox.append([probe(51)]);
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 51, 'live append delivered');
  await hub.waitFor(() => (hub.agents.get(identity.agentId)?.heartbeats.length ?? 0) >= 1, 'a heartbeat');
  assert.deepEqual(seqsOf(hub, identity.agentId), range(1, 51));
  assert.deepEqual(countersOf(hub, identity.agentId), range(1, 51));
  const hb = hub.agents.get(identity.agentId)?.heartbeats[0]?.heartbeat;
  assert.equal(toSafeNumber(hb?.outboxBudgetBytes), 64 * 1024 * 1024);
  await until(() => h.outbox.stats().messages === 0, 'acks applied');
  const hello = hub.agents.get(identity.agentId)?.hellos[0]?.hello;
  assert.equal(hello?.hostname, 'test-host');
  client.stop();
  assert.equal(await running, 'stopped');
});

test('Welcome.last_seq drops entries the hub already committed', async (t) => {
  const hub = await startHub(t);
  const { paths, identity } = await enrolledDataDir(hub, t);
  const h = await openHarness(paths);
  t.after(() => h.store.db.close());
  await h.outbox.append(range(1, 5).map(probe));
  // The hub committed 1..3 but the agent never saw the ack.
  const record = hub.agents.get(identity.agentId);
  assert.ok(record);
  record.lastSeq = 3;
  const client = hubClient(h, hub);
  const running = client.run();
  t.after(() => client.stop());
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 2, 'the two new ones');
  await until(() => h.outbox.stats().messages === 0, 'outbox drained');
  assert.deepEqual(seqsOf(hub, identity.agentId), [4, 5]);
  assert.equal(h.outbox.stats().messages, 0);
  client.stop();
  await running;
});

test('Reject{seq} removes that entry and the stream continues', async (t) => {
  const hub = await startHub(t, {
    rejectWhen: (env) => (toSafeNumber(env.taskProgress?.counter) === 7 ? 'INVALID_MESSAGE' : undefined),
  });
  const { paths, identity } = await enrolledDataDir(hub, t);
  const h = await openHarness(paths);
  t.after(() => h.store.db.close());
  const rejected: number[] = [];
  h.outbox.on('rejected', (seq) => rejected.push(seq));
  await h.outbox.append(range(1, 10).map(probe));
  const client = hubClient(h, hub);
  const running = client.run();
  t.after(() => client.stop());
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 9, '9 stored');
  await until(() => h.outbox.stats().messages === 0, 'outbox drained');
  assert.deepEqual(countersOf(hub, identity.agentId), [1, 2, 3, 4, 5, 6, 8, 9, 10]);
  assert.deepEqual(rejected, [7]);
  client.stop();
  await running;
});

test('never more than max_in_flight unacknowledged messages on the wire', async (t) => {
  const hub = await startHub(t, { maxInFlight: 8 });
  const { paths, identity } = await enrolledDataDir(hub, t);
  const h = await openHarness(paths);
  t.after(() => h.store.db.close());
  hub.holdAcks = true;
  await h.outbox.append(range(1, 100).map(probe));
  const client = hubClient(h, hub);
  const running = client.run();
  t.after(() => client.stop());
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 8, 'a full window');
  // With acks held the agent must stop at the window: release, and everything flows.
  assert.equal(h.outbox.stats().messages, 100);
  hub.releaseAcks();
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 100, 'all 100');
  assert.ok(hub.maxObservedInFlight <= 8, `in flight peaked at ${hub.maxObservedInFlight}`);
  assert.deepEqual(seqsOf(hub, identity.agentId), range(1, 100));
  client.stop();
  await running;
});

test('hub restart: reconnects with backoff and loses nothing, stores nothing twice', async (t) => {
  const hub = await startHub(t);
  const { paths, identity } = await enrolledDataDir(hub, t);
  const h = await openHarness(paths);
  t.after(() => h.store.db.close());
  const client = hubClient(h, hub);
  const running = client.run();
  t.after(() => client.stop());
  await h.outbox.append(range(1, 20).map(probe));
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 20, 'first 20');
  // Acks lost: the hub commits but the agent never hears about 21..30.
  hub.holdAcks = true;
  await h.outbox.append(range(21, 30).map(probe));
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 30, '30 committed');
  await hub.stop();
  hub.holdAcks = false;
  await h.outbox.append(range(31, 60).map(probe)); // written while the hub is down
  assert.ok(h.outbox.stats().messages >= 40);
  await hub.start();
  await hub.waitFor(() => seqsOf(hub, identity.agentId).length === 60, 'all 60 after restart');
  assert.deepEqual(seqsOf(hub, identity.agentId), range(1, 60));
  assert.deepEqual(countersOf(hub, identity.agentId), range(1, 60));
  client.stop();
  assert.equal(await running, 'stopped');
});

test('close 4403 (revoked) stops the client for good', async (t) => {
  const hub = await startHub(t);
  const { paths, identity } = await enrolledDataDir(hub, t);
  const h = await openHarness(paths);
  t.after(() => h.store.db.close());
  const client = hubClient(h, hub);
  const running = client.run();
  t.after(() => client.stop());
  await hub.waitFor(() => hub.isConnected(identity.agentId), 'connected');
  hub.revoke(identity.agentId);
  assert.equal(await running, 'revoked');
  assert.equal(client.status().lastCloseCode, 4403);
  assert.equal(hub.agents.get(identity.agentId)?.hellos.length, 1, 'no reconnect attempt after 4403');
});
