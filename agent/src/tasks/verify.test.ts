import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AgentEventCode,
  generateEd25519,
  privateKeyFromPem,
  signPayload,
  SignPurpose,
  toLong,
  watchpost,
} from '@watchpost/proto';
import { verifySignedTask } from './verify.js';

const hub = generateEd25519();
const hubKey = privateKeyFromPem(hub.privateKeyPem);
const agentId = 'agent-1';
const now = 1_800_000_000_000;

function signed(
  fields: watchpost.v1.ITask,
  key = hubKey,
  purpose: SignPurpose = SignPurpose.TASK,
): watchpost.v1.ISignedTask {
  const task = watchpost.v1.Task.encode({
    taskId: 'task-1',
    agentId,
    expiresAtMs: toLong(now + 1000, false),
    pipelineProbe: { count: 1 },
    ...fields,
  }).finish();
  return { task, signature: signPayload(key, purpose, task) };
}

const ctx = (accepted: string[] = []) => ({
  hubPublicKey: hub.publicKeyRaw,
  agentId,
  nowMs: now,
  alreadyAccepted: (id: string) => accepted.includes(id),
});

test('a well-signed, addressed, fresh task passes', () => {
  const v = verifySignedTask(signed({}), ctx());
  assert.equal(v.ok, true);
});

test('each defect is refused with its code and the task id when decodable', () => {
  const other = privateKeyFromPem(generateEd25519().privateKeyPem);
  const cases: Array<[watchpost.v1.ISignedTask, string]> = [
    [signed({}, other), AgentEventCode.TASK_SIGNATURE_INVALID],
    [signed({}, hubKey, SignPurpose.POLICY), AgentEventCode.TASK_SIGNATURE_INVALID],
    [{ task: signed({}).task ?? null }, AgentEventCode.TASK_SIGNATURE_INVALID],
    [signed({ agentId: 'agent-2' }), AgentEventCode.TASK_WRONG_AGENT],
    [signed({ expiresAtMs: toLong(now - 1, false) }), AgentEventCode.TASK_EXPIRED],
  ];
  for (const [task, code] of cases) {
    const v = verifySignedTask(task, ctx());
    assert.equal(v.ok, false);
    if (!v.ok) {
      assert.equal(v.code, code);
      assert.equal(v.taskId, 'task-1');
    }
  }
  const replay = verifySignedTask(signed({}), ctx(['task-1']));
  assert.equal(replay.ok ? 'ok' : replay.code, AgentEventCode.TASK_REPLAYED);
});

test('a tampered task body fails the signature', () => {
  const s = signed({});
  const bytes = Buffer.from(s.task ?? []);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  const v = verifySignedTask({ task: bytes, signature: s.signature ?? null }, ctx());
  assert.equal(v.ok ? 'ok' : v.code, AgentEventCode.TASK_SIGNATURE_INVALID);
});
