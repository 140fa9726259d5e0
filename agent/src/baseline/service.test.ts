// BaselineService: runs on policy change, startup, schedule and task, serialized, reported
// through the real outbox; the BaselineEvaluate task through the real TaskRunner.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  decodeAgentEnvelope,
  privateKeyFromPem,
  SignPurpose,
  signPayload,
  TaskErrorCode,
  toLong,
  watchpost,
} from '@watchpost/proto';
import { pino } from 'pino';
import { Outbox } from '../outbox/index.js';
import { PolicyStore } from '../policies/policies.js';
import { GOOD_DOC, hubKeys, signedPolicy } from '../policies/testing/signedPolicy.js';
import { openStore } from '../state/store.js';
import { TaskRunner } from '../tasks/runner.js';
import { createLinuxHost } from './linux/host.js';
import { BaselineFailedError, BaselineService } from './service.js';
import { makeTree } from './testing/tree.js';

const log = pino({ level: 'silent' });
const { BaselineTrigger, CheckStatus, TaskState } = watchpost.v1;

async function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'wp-baseline-svc-'));
  const tree = makeTree({});
  const store = await openStore(dir);
  t.after(async () => {
    await store.db.close();
    rmSync(dir, { recursive: true, force: true });
    tree.cleanup();
  });
  const outbox = await Outbox.open(store, 1 << 24, log);
  const policies = await PolicyStore.open({
    store,
    outbox,
    agentId: 'agent-1',
    hubPublicKey: hubKeys.publicKeyRaw,
    log,
  });
  const config = { allowCommands: false, root: tree.root, commandTimeoutMs: 5000 };
  const service = new BaselineService({
    policies,
    outbox,
    log,
    config,
    host: () => createLinuxHost(config),
    random: () => 0.5,
  });
  const reports = async () =>
    (await outbox.readAfter(0, 1000))
      .map((e) => decodeAgentEnvelope(e.frame))
      .filter((e) => e.baselineReport);
  return { store, outbox, policies, service, reports };
}

test('policy change, startup and schedule each produce one report per policy', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { policies, service, reports } = await setup(t);
  await policies.handle(signedPolicy(1, { ...GOOD_DOC, scheduleS: 600 }));
  await service.settled();
  service.start();
  service.start(); // a reconnect does not run STARTUP again
  await service.settled();
  t.mock.timers.tick(600_000); // jitter 0.5 → exactly scheduleS
  await service.settled();
  service.stop();
  const got = (await reports()).map((e) => e.baselineReport!);
  assert.deepEqual(
    got.map((r) => r.trigger),
    [
      BaselineTrigger.BASELINE_TRIGGER_POLICY_CHANGE,
      BaselineTrigger.BASELINE_TRIGGER_STARTUP,
      BaselineTrigger.BASELINE_TRIGGER_SCHEDULE,
    ],
  );
  const first = got[0]!;
  assert.equal(first.policyId, 'ssh-hardening');
  assert.equal(first.policyVersion, 1);
  assert.equal(first.passed, 1);
  assert.equal(first.score, 100);
  assert.equal(first.results?.[0]?.status, CheckStatus.CHECK_STATUS_PASS);
  assert.equal(first.results?.[0]?.evidence?.[0]?.target, '/etc/passwd');
  assert.notEqual(got[0]!.runId, got[1]!.runId);
});

test('runTask: unknown policy ids fail; known ones report with the task id', async (t) => {
  const { policies, service, reports } = await setup(t);
  await policies.handle(signedPolicy(1, GOOD_DOC));
  await service.settled();
  await assert.rejects(service.runTask('task-x', ['nope']), BaselineFailedError);
  const summary = await service.runTask('task-1', []);
  assert.deepEqual(summary, { policies: 1, passed: 1, failed: 0, notApplicable: 0, errors: 0 });
  const last = (await reports()).at(-1)?.baselineReport;
  assert.equal(last?.trigger, BaselineTrigger.BASELINE_TRIGGER_TASK);
  assert.equal(last?.taskId, 'task-1');
});

function signedTask(taskId: string, policyIds: string[]): watchpost.v1.ISignedTask {
  const task = watchpost.v1.Task.encode({
    taskId,
    agentId: 'agent-1',
    expiresAtMs: toLong(Date.now() + 60_000, false),
    baselineEvaluate: { policyIds },
  }).finish();
  return { task, signature: signPayload(privateKeyFromPem(hubKeys.privateKeyPem), SignPurpose.TASK, task) };
}

test('BaselineEvaluate through the TaskRunner: reports, then TaskResult with the summary', async (t) => {
  const { store, outbox, policies, service } = await setup(t);
  await policies.handle(signedPolicy(1, GOOD_DOC));
  await service.settled();
  const runner = await TaskRunner.open({
    store,
    outbox,
    agentId: 'agent-1',
    hubPublicKey: hubKeys.publicKeyRaw,
    inventory: { collectAndQueue: async () => ({}) },
    log,
    scope: ['127.0.0.1/32'],
    baseline: service,
  });
  await runner.handle(signedTask('task-ok', ['ssh-hardening']));
  await runner.handle(signedTask('task-bad', ['no-such-policy']));
  await runner.settled();
  const envelopes = (await outbox.readAfter(0, 1000)).map((e) => decodeAgentEnvelope(e.frame));
  const results = envelopes.filter((e) => e.taskResult).map((e) => e.taskResult!);
  const ok = results.find((r) => r.taskId === 'task-ok');
  assert.equal(ok?.state, TaskState.TASK_STATE_SUCCEEDED);
  assert.deepEqual(JSON.parse(ok?.summaryJson ?? '{}'), {
    policies: 1,
    passed: 1,
    failed: 0,
    notApplicable: 0,
    errors: 0,
  });
  const okReport = envelopes.findIndex((e) => e.baselineReport?.taskId === 'task-ok');
  const okResult = envelopes.findIndex((e) => e.taskResult?.taskId === 'task-ok');
  assert.ok(okReport >= 0 && okReport < okResult, 'the report precedes the TaskResult');
  const bad = results.find((r) => r.taskId === 'task-bad');
  assert.equal(bad?.state, TaskState.TASK_STATE_FAILED);
  assert.equal(bad?.errorCode, TaskErrorCode.BASELINE_FAILED);
  assert.match(bad?.errorMessage ?? '', /no-such-policy/);
});

test('a stalled run does not let scheduled runs pile up behind it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { policies, outbox, reports, service: other } = await setup(t);
  other.stop(); // only the gated service below evaluates
  const tree = makeTree({});
  t.after(() => tree.cleanup());
  const config = { allowCommands: false, root: tree.root, commandTimeoutMs: 5000 };
  // The real host, with its first read held until the test opens the gate.
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const service = new BaselineService({
    policies,
    outbox,
    log,
    config,
    host: () => {
      const host = createLinuxHost(config);
      return { ...host, osRelease: async () => (await gate, host.osRelease()) };
    },
    random: () => 0.5,
  });
  await policies.handle(signedPolicy(1, { ...GOOD_DOC, scheduleS: 600 }));
  for (let i = 0; i < 3; i++) t.mock.timers.tick(600_000);
  open();
  await service.settled();
  service.stop();
  const schedule = (await reports()).filter(
    (e) => e.baselineReport?.trigger === BaselineTrigger.BASELINE_TRIGGER_SCHEDULE,
  );
  assert.equal(schedule.length, 1);
});
