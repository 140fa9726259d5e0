// Tasks and policies end to end through the real agent (runAgent) and the in-test hub peer:
// accepted tasks run and report through the outbox; every refusal is reported and runs nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AgentEventCode,
  generateEd25519,
  POLICY_FORMAT,
  privateKeyFromPem,
  SignPurpose,
  toLong,
  toSafeNumber,
  watchpost,
  type AgentEnvelope,
} from '@watchpost/proto';
import { TestHub } from '../testing/testHub.js';
import { enrolledDataDir } from '../testing/agentHarness.js';
import { startAgent } from '../testing/agentRun.js';
import { GOOD_DOC } from '../policies/testing/signedPolicy.js';

const { TaskState } = watchpost.v1;

async function setup(t: { after: (fn: () => unknown) => void }) {
  const hub = new TestHub({ heartbeatIntervalS: 1 });
  await hub.start();
  t.after(() => hub.stop());
  const { paths, identity } = await enrolledDataDir(hub, t);
  const agent = startAgent(paths);
  t.after(() => agent.stop());
  const stored = (): AgentEnvelope[] => hub.agents.get(identity.agentId)?.stored ?? [];
  await hub.waitFor(() => stored().some((e) => e.inventory), 'first inventory report');
  return { hub, paths, identity, agent, stored, agentId: identity.agentId };
}

const forTask = (envs: AgentEnvelope[], taskId: string) => ({
  progress: envs
    .filter((e) => e.taskProgress?.taskId === taskId)
    .map((e) => e.taskProgress as watchpost.v1.ITaskProgress),
  results: envs
    .filter((e) => e.taskResult?.taskId === taskId)
    .map((e) => e.taskResult as watchpost.v1.ITaskResult),
  events: envs
    .filter((e) => e.agentEvent?.ref === taskId)
    .map((e) => e.agentEvent as watchpost.v1.IAgentEvent),
});

test('first inventory report is full and carries real host data', async (t) => {
  const { stored } = await setup(t);
  const report = stored().find((e) => e.inventory)?.inventory;
  assert.ok(report);
  assert.deepEqual(report.unchangedSections, []);
  for (const section of ['host', 'interfaces', 'accounts', 'groups', 'packages'])
    assert.ok(report.sections?.includes(section), section);
  assert.ok((report.packages?.length ?? 0) > 0);
  assert.match(report.digests?.['packages'] ?? '', /^[0-9a-f]{64}$/);
  assert.ok(report.host?.hostname);
});

test('pipeline_probe: ACCEPTED, then counters 1..N in order, then SUCCEEDED {"count":N}', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const taskId = hub.sendTask(agentId, { pipelineProbe: { count: 1000, payloadBytes: 32 } });
  await hub.waitFor(() => forTask(stored(), taskId).results.length === 1, 'probe result');
  const { progress, results } = forTask(stored(), taskId);
  assert.equal(progress[0]?.state, TaskState.TASK_STATE_ACCEPTED);
  const running = progress.slice(1);
  assert.deepEqual(
    running.map((p) => toSafeNumber(p.counter)),
    Array.from({ length: 1000 }, (_, i) => i + 1),
  );
  assert.ok(running.every((p) => p.state === TaskState.TASK_STATE_RUNNING && p.payload?.length === 32));
  assert.equal(running[999]?.percent, 100);
  assert.equal(results[0]?.state, TaskState.TASK_STATE_SUCCEEDED);
  assert.deepEqual(JSON.parse(results[0]?.summaryJson ?? ''), { count: 1000 });
});

test('refusals: bad signature, wrong purpose, wrong agent, expired, replay, bad params — reported, nothing runs', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const stranger = privateKeyFromPem(generateEd25519().privateKeyPem);
  const probe = { pipelineProbe: { count: 3, payloadBytes: 0 } };
  const cases: Array<{ taskId: string; code: string; result: boolean }> = [
    {
      taskId: hub.sendTask(agentId, probe, stranger),
      code: AgentEventCode.TASK_SIGNATURE_INVALID,
      result: true,
    },
    {
      taskId: hub.sendTask(agentId, probe, hub.hubPrivateKey, SignPurpose.POLICY),
      code: AgentEventCode.TASK_SIGNATURE_INVALID,
      result: true,
    },
    {
      taskId: hub.sendTask(agentId, { ...probe, agentId: randomUUID() }),
      code: AgentEventCode.TASK_WRONG_AGENT,
      result: true,
    },
    {
      taskId: hub.sendTask(agentId, { ...probe, expiresAtMs: toLong(Date.now() - 60_000, false) }),
      code: AgentEventCode.TASK_EXPIRED,
      result: true,
    },
    {
      taskId: hub.sendTask(agentId, { pipelineProbe: { count: 0 } }),
      code: AgentEventCode.TASK_UNSUPPORTED,
      result: true,
    },
    {
      taskId: hub.sendTask(agentId, { pipelineProbe: { count: 1_000_001 } }),
      code: AgentEventCode.TASK_UNSUPPORTED,
      result: true,
    },
  ];
  // Replay: a valid task runs once; the same id again is refused.
  const replayId = hub.sendTask(agentId, probe);
  await hub.waitFor(() => forTask(stored(), replayId).results.length === 1, 'replayed task first run');
  hub.sendTask(agentId, { ...probe, taskId: replayId });
  cases.push({ taskId: replayId, code: AgentEventCode.TASK_REPLAYED, result: false });

  await hub.waitFor(
    () => cases.every((c) => forTask(stored(), c.taskId).events.length === 1),
    'one event per refusal',
  );
  for (const c of cases) {
    const { events, results, progress } = forTask(stored(), c.taskId);
    assert.equal(events[0]?.code, c.code, `${c.code} for ${c.taskId}`);
    if (c.code === AgentEventCode.TASK_REPLAYED) {
      // ran exactly once: ACCEPTED + 3 RUNNING, one SUCCEEDED result
      assert.equal(progress.length, 4);
      assert.deepEqual(
        results.map((r) => r.state),
        [TaskState.TASK_STATE_SUCCEEDED],
      );
    } else {
      assert.deepEqual(progress, [], `nothing ran for ${c.code}`);
      assert.deepEqual(
        results.map((r) => r.state),
        [TaskState.TASK_STATE_REFUSED],
      );
      assert.equal(results[0]?.errorCode, c.code);
    }
  }
});

test('collect_inventory task: a report, then unchanged sections are not re-sent unless full', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const first = stored().find((e) => e.inventory);
  assert.ok(first);
  // The hub acked the first report; the agent now knows its digests.
  const partialId = hub.sendTask(agentId, { collectInventory: { full: false } });
  await hub.waitFor(() => forTask(stored(), partialId).results.length === 1, 'partial inventory result');
  const fullId = hub.sendTask(agentId, { collectInventory: { full: true } });
  await hub.waitFor(() => forTask(stored(), fullId).results.length === 1, 'full inventory result');
  const reports = stored()
    .filter((e) => e.inventory)
    .map((e) => e.inventory as watchpost.v1.IInventoryReport);
  assert.equal(reports.length, 3);
  const [, partial, full] = reports;
  assert.ok(partial?.unchangedSections?.includes('packages'), 'packages unchanged since the acked report');
  assert.deepEqual(partial?.packages, []);
  assert.equal(partial?.digests?.['packages'], first.inventory?.digests?.['packages']);
  assert.deepEqual(full?.unchangedSections, []);
  assert.equal(full?.packages?.length, first.inventory?.packages?.length);
  const summary = JSON.parse(forTask(stored(), fullId).results[0]?.summaryJson ?? '{}') as {
    sections?: string[];
  };
  assert.ok(summary.sections?.includes('packages'));
});

test('policies: applied when signed and newer, reported in heartbeats; replays and bad signatures refused', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const record = hub.agents.get(agentId);
  assert.ok(record);
  hub.sendPolicy(agentId, {
    policyId: 'p1',
    version: 2,
    format: POLICY_FORMAT,
    document: Buffer.from(JSON.stringify(GOOD_DOC)),
  });
  await hub.waitFor(
    () =>
      record.heartbeats.some((h) =>
        h.heartbeat?.appliedPolicies?.some((p) => p.policyId === 'p1' && p.version === 2),
      ),
    'heartbeat reports p1 v2',
  );
  hub.sendPolicy(agentId, { policyId: 'p1', version: 2 });
  hub.sendPolicy(agentId, { policyId: 'p1', version: 1 });
  hub.sendPolicy(agentId, { policyId: 'p2', version: 1 }, privateKeyFromPem(generateEd25519().privateKeyPem));
  const events = (): string[] =>
    stored()
      .filter((e) => e.agentEvent?.code?.startsWith('POLICY_'))
      .map((e) => `${e.agentEvent?.code}:${e.agentEvent?.ref}`);
  await hub.waitFor(() => events().length === 3, 'three policy refusals');
  assert.deepEqual(events().sort(), [
    'POLICY_REPLAYED:p1',
    'POLICY_REPLAYED:p1',
    'POLICY_SIGNATURE_INVALID:p2',
  ]);
});

test('a probe interrupted by a restart resumes after the last counter written, never from 1', async (t) => {
  const hub = new TestHub({ heartbeatIntervalS: 1 });
  await hub.start();
  t.after(() => hub.stop());
  const { paths, identity } = await enrolledDataDir(hub, t);
  const stored = (): AgentEnvelope[] => hub.agents.get(identity.agentId)?.stored ?? [];
  const count = 100_000;
  let agent = startAgent(paths);
  await hub.waitFor(() => hub.isConnected(identity.agentId), 'connected');
  const taskId = hub.sendTask(identity.agentId, { pipelineProbe: { count, payloadBytes: 0 } });
  // Predicates run on every stored message: keep them O(1).
  await hub.waitFor(() => stored().length > 1000, 'probe under way');
  await agent.stop();
  const before = forTask(stored(), taskId).progress.length;
  assert.ok(before < count, 'stopped mid-probe');
  agent = startAgent(paths);
  t.after(() => agent.stop());
  await hub
    .waitFor(
      () => stored().length > count && forTask(stored(), taskId).results.length === 1,
      'probe finished after restart',
      120_000,
    )
    .catch((err: unknown) => {
      const s = JSON.parse(readFileSync(paths.status, 'utf8')) as unknown;
      throw new Error(
        `${String(err)}; hub lastSeq ${hub.agents.get(identity.agentId)?.lastSeq}; agent status ${JSON.stringify(s)}`,
      );
    });
  const { progress, results } = forTask(stored(), taskId);
  const counters = progress.slice(1).map((p) => toSafeNumber(p.counter));
  assert.equal(counters.length, count);
  assert.ok(
    counters.every((c, i) => c === i + 1),
    'each counter exactly once, in order',
  );
  assert.equal(progress.filter((p) => p.state === TaskState.TASK_STATE_ACCEPTED).length, 1);
  assert.deepEqual(JSON.parse(results[0]?.summaryJson ?? ''), { count });
});

test('a probe larger than the outbox budget pauses collection, reports it, and loses nothing', async (t) => {
  const hub = new TestHub({ heartbeatIntervalS: 1, maxInFlight: 64 });
  await hub.start();
  t.after(() => hub.stop());
  const { paths, identity } = await enrolledDataDir(hub, t);
  const stored = (): AgentEnvelope[] => hub.agents.get(identity.agentId)?.stored ?? [];
  const agent = startAgent(paths, { outboxBudgetBytes: 256 * 1024 });
  t.after(() => agent.stop());
  await hub.waitFor(() => stored().some((e) => e.inventory), 'first inventory');
  hub.holdAcks = true;
  const count = 5000;
  const taskId = hub.sendTask(identity.agentId, { pipelineProbe: { count, payloadBytes: 512 } });
  const record = hub.agents.get(identity.agentId);
  await hub.waitFor(
    () => record?.heartbeats.at(-1)?.heartbeat?.collectionPaused === true,
    'heartbeat says paused',
  );
  hub.releaseAcks();
  await hub.waitFor(
    () => stored().length > count && forTask(stored(), taskId).results.length === 1,
    'probe done',
  );
  const counters = forTask(stored(), taskId)
    .progress.slice(1)
    .map((p) => toSafeNumber(p.counter));
  assert.deepEqual(
    counters,
    Array.from({ length: count }, (_, i) => i + 1),
  );
  const codes = stored()
    .map((e) => e.agentEvent?.code)
    .filter(Boolean);
  assert.ok(codes.includes(AgentEventCode.OUTBOX_FULL));
  assert.ok(codes.includes(AgentEventCode.OUTBOX_RESUMED));
});
