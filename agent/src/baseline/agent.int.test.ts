// Baseline runs through the real agent (runAgent) and the in-test hub peer: a signed policy is
// applied and evaluated (POLICY_CHANGE), a BaselineEvaluate task reports then answers, an
// invalid update is refused while the last good version keeps being evaluated, and a restart
// evaluates at the first connect (STARTUP).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AgentEventCode,
  POLICY_FORMAT,
  TaskErrorCode,
  watchpost,
  type AgentEnvelope,
} from '@watchpost/proto';
import { enrolledDataDir } from '../testing/agentHarness.js';
import { startAgent } from '../testing/agentRun.js';
import { TestHub } from '../testing/testHub.js';
import { makeTree } from './testing/tree.js';

const { BaselineTrigger, CheckStatus, TaskState } = watchpost.v1;

const DOC = {
  id: 'tree-policy',
  title: 'tree policy',
  version: '1',
  checks: [
    {
      id: 'root-login',
      title: 'root login over SSH is disabled',
      rationale: 'r',
      remediation: 'set PermitRootLogin no',
      rules: [
        {
          kind: 'file',
          path: '/etc/ssh/sshd_config',
          tests: [{ type: 'regex', pattern: '^PermitRootLogin\\s+no' }],
        },
      ],
    },
    {
      id: 'cmd',
      title: 'a command',
      rationale: 'r',
      remediation: 'm',
      rules: [{ kind: 'command', command: 'true' }],
    },
  ],
};

test('policy → evaluation → report; task; invalid update refused; startup run after restart', async (t) => {
  const tree = makeTree({ '/etc/ssh/sshd_config': 'PermitRootLogin No\n' });
  t.after(() => tree.cleanup());
  const hub = new TestHub({ heartbeatIntervalS: 1 });
  await hub.start();
  t.after(() => hub.stop());
  const { paths, identity } = await enrolledDataDir(hub, t);
  const config = { baseline: { root: tree.root } };
  let agent = startAgent(paths, config);
  const stored = (): AgentEnvelope[] => hub.agents.get(identity.agentId)?.stored ?? [];
  const reports = () => stored().flatMap((e) => (e.baselineReport ? [e.baselineReport] : []));
  await hub.waitFor(() => hub.isConnected(identity.agentId), 'connected');

  const document = (doc: unknown) => Buffer.from(JSON.stringify(doc));
  hub.sendPolicy(identity.agentId, {
    policyId: 'tree-policy',
    version: 1,
    format: POLICY_FORMAT,
    document: document(DOC),
  });
  await hub.waitFor(() => reports().length === 1, 'POLICY_CHANGE report');
  const first = reports()[0];
  assert.equal(first?.trigger, BaselineTrigger.BASELINE_TRIGGER_POLICY_CHANGE);
  assert.equal(first?.policyVersion, 1);
  // "PermitRootLogin No" does not match the case-sensitive regex; commands are off by default.
  assert.deepEqual(
    first?.results?.map((r) => [r.checkId, r.status, r.reason]),
    [
      ['root-login', CheckStatus.CHECK_STATUS_FAIL, ''],
      ['cmd', CheckStatus.CHECK_STATUS_NOT_APPLICABLE, 'commands disabled on this agent'],
    ],
  );
  assert.equal(first?.results?.[0]?.evidence?.[0]?.found, 'no matching line');

  // Version 2 is signed but invalid (a check without rules): refused, version 1 keeps running.
  const broken = { ...DOC, checks: [{ ...DOC.checks[0], rules: [] }] };
  hub.sendPolicy(identity.agentId, {
    policyId: 'tree-policy',
    version: 2,
    format: POLICY_FORMAT,
    document: document(broken),
  });
  const invalid = () =>
    stored().find((e) => e.agentEvent?.code === AgentEventCode.POLICY_INVALID)?.agentEvent;
  await hub.waitFor(() => invalid() !== undefined, 'POLICY_INVALID');
  assert.equal(invalid()?.ref, 'tree-policy');
  assert.equal(invalid()?.details?.['version'], '2');
  assert.match(invalid()?.details?.['reason'] ?? '', /^checks\.0\.rules: /);

  const taskId = hub.sendTask(identity.agentId, { baselineEvaluate: { policyIds: [] } });
  const result = () => stored().find((e) => e.taskResult?.taskId === taskId)?.taskResult;
  await hub.waitFor(() => result() !== undefined, 'baseline task result');
  assert.equal(result()?.state, TaskState.TASK_STATE_SUCCEEDED);
  assert.deepEqual(JSON.parse(result()?.summaryJson ?? '{}'), {
    policies: 1,
    passed: 0,
    failed: 1,
    notApplicable: 1,
    errors: 0,
  });
  const taskReport = reports().find((r) => r.taskId === taskId);
  assert.equal(taskReport?.trigger, BaselineTrigger.BASELINE_TRIGGER_TASK);
  assert.equal(taskReport?.policyVersion, 1, 'the last good version was evaluated');

  const unknownId = hub.sendTask(identity.agentId, { baselineEvaluate: { policyIds: ['nope'] } });
  const unknown = () => stored().find((e) => e.taskResult?.taskId === unknownId)?.taskResult;
  await hub.waitFor(() => unknown() !== undefined, 'unknown policy task result');
  assert.equal(unknown()?.state, TaskState.TASK_STATE_FAILED);
  assert.equal(unknown()?.errorCode, TaskErrorCode.BASELINE_FAILED);

  // A restart evaluates what is applied at the first connect.
  await agent.stop();
  const before = reports().length;
  agent = startAgent(paths, config);
  t.after(() => agent.stop());
  await hub.waitFor(() => reports().length > before, 'STARTUP report');
  assert.equal(reports()[before]?.trigger, BaselineTrigger.BASELINE_TRIGGER_STARTUP);
  assert.equal(reports()[before]?.policyVersion, 1);
});
