// Pure checks on a SignedTask before anything runs: signature with the pinned hub key, addressee,
// deadline, replay. The caller reports refusals; nothing here has side effects.
import { AgentEventCode, SignPurpose, toSafeNumber, verifyPayload, watchpost } from '@watchpost/proto';

export type TaskVerdict =
  | { ok: true; task: watchpost.v1.Task }
  | { ok: false; code: AgentEventCode; reason: string; taskId: string | undefined };

export interface VerifyContext {
  hubPublicKey: Uint8Array;
  agentId: string;
  nowMs: number;
  alreadyAccepted(taskId: string): boolean;
}

export function verifySignedTask(signed: watchpost.v1.ISignedTask, ctx: VerifyContext): TaskVerdict {
  const bytes = signed.task ?? new Uint8Array();
  const task = tryDecodeTask(bytes);
  const taskId = task?.taskId || undefined;
  const signature = signed.signature ?? new Uint8Array();
  if (!verifyPayload(ctx.hubPublicKey, signature, SignPurpose.TASK, bytes)) {
    return {
      ok: false,
      code: AgentEventCode.TASK_SIGNATURE_INVALID,
      reason: 'task unsigned or signature does not verify with the pinned hub key',
      taskId,
    };
  }
  if (!task || !task.taskId) {
    return {
      ok: false,
      code: AgentEventCode.TASK_UNSUPPORTED,
      reason: 'signed task does not decode or has no task id',
      taskId,
    };
  }
  if (task.agentId !== ctx.agentId) {
    return {
      ok: false,
      code: AgentEventCode.TASK_WRONG_AGENT,
      reason: `task addressed to agent ${task.agentId}`,
      taskId,
    };
  }
  const expiresAt = toSafeNumber(task.expiresAtMs);
  if (expiresAt !== 0 && expiresAt < ctx.nowMs) {
    return {
      ok: false,
      code: AgentEventCode.TASK_EXPIRED,
      reason: `task expired at ${new Date(expiresAt).toISOString()}`,
      taskId,
    };
  }
  if (ctx.alreadyAccepted(task.taskId)) {
    return { ok: false, code: AgentEventCode.TASK_REPLAYED, reason: 'task id already accepted', taskId };
  }
  return { ok: true, task };
}

function tryDecodeTask(bytes: Uint8Array): watchpost.v1.Task | undefined {
  try {
    return watchpost.v1.Task.decode(bytes);
  } catch {
    return undefined;
  }
}
