// Flow control: more unacknowledged sequenced messages than maxInFlight closes 4429; nothing of
// that connection's uncommitted batch is stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloseCode } from '@watchpost/proto';
import { countRows, enrollAgent, startHub, TestAgentClient } from '../testing/index.js';

test('over maxInFlight closes 4429 and the hub keeps serving', async () => {
  // A long batch delay keeps messages unacknowledged, so the window is exceeded deterministically.
  const hub = await startHub({
    env: { WATCHPOST_MAX_IN_FLIGHT: '5', WATCHPOST_MAX_BATCH_DELAY_MS: '60000', WATCHPOST_MAX_BATCH: '500' },
  });
  try {
    await hub.cli(['tenant', 'create', 'acme']);
    const token = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
    const a = await enrollAgent(hub.wsUrl, token);
    const c = await TestAgentClient.connect(hub.wsUrl);
    const w = await c.session(a.key, a.agentId);
    assert.equal(w.limits?.maxInFlight, 5);
    for (let s = 1; s <= 6; s++) c.sendSeq(s, { agentEvent: { code: 'OUTBOX_FULL', message: `${s}` } });
    const closed = await c.closed;
    assert.equal(closed.code, CloseCode.RATE_LIMITED);
    const n = await countRows(hub);
    assert.equal(n.agentEventsOf(a.agentId), 0);
    assert.equal(n.lastSeqOf(a.agentId), 0);
    const again = await TestAgentClient.connect(hub.wsUrl);
    assert.equal((await again.session(a.key, a.agentId)).lastSeq.toString(), '0');
    again.close();
  } finally {
    assert.equal(await hub.kill('SIGTERM'), 0);
  }
});

test('SIGTERM commits and acks what was received, then closes agents with 1001', async () => {
  // Batches of 2 commit at once; a lone third message would wait 60 s for its batch.
  const hub = await startHub({ env: { WATCHPOST_MAX_BATCH_DELAY_MS: '60000', WATCHPOST_MAX_BATCH: '2' } });
  await hub.cli(['tenant', 'create', 'acme']);
  const token = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
  const a = await enrollAgent(hub.wsUrl, token);
  const c = await TestAgentClient.connect(hub.wsUrl);
  await c.session(a.key, a.agentId);
  for (let s = 1; s <= 3; s++) c.sendSeq(s, { agentEvent: { code: 'OUTBOX_FULL', message: `${s}` } });
  // Ack 2 proves the hub has read the frames sent with it; seq 3 is received but uncommitted.
  await c.ackFor(2);
  assert.equal((await countRows(hub)).agentEventsOf(a.agentId), 2);
  const exit = hub.kill('SIGTERM');
  await c.ackFor(3);
  assert.equal((await c.closed).code, CloseCode.GOING_AWAY);
  assert.equal(await exit, 0);
  const n = await countRows(hub);
  assert.equal(n.agentEventsOf(a.agentId), 3);
  assert.equal(n.lastSeqOf(a.agentId), 3);
});
