// Builders for the task-related sequenced messages the agent sends.
import { watchpost } from '@watchpost/proto';
import type { OutboxBody } from '../outbox/index.js';

const { TaskState, Severity } = watchpost.v1;

export function taskProgress(
  taskId: string,
  state: watchpost.v1.TaskState,
  fields: Partial<watchpost.v1.ITaskProgress> = {},
): OutboxBody {
  return { taskProgress: { ...fields, taskId, state } };
}

export function taskResult(
  taskId: string,
  state: watchpost.v1.TaskState,
  fields: Partial<watchpost.v1.ITaskResult> = {},
): OutboxBody {
  return { taskResult: { ...fields, taskId, state } };
}

export function refusal(
  code: string,
  reason: string,
  ref: string | undefined,
  details: Record<string, string> = {},
): OutboxBody {
  return { agentEvent: { code, severity: Severity.SEVERITY_HIGH, message: reason, ref: ref ?? '', details } };
}

export { TaskState };
