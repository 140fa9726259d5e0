// Durable record of accepted, unfinished tasks, so a restart resumes them instead of silently
// starting over (pipeline_probe continues after the last counter written to the outbox).
import { z } from 'zod';
import { jsonValue, type Store, type StoreOp } from '../state/store.js';

export const runningTaskSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pipeline_probe'),
    taskId: z.string(),
    count: z.number().int(),
    payloadBytes: z.number().int(),
    counter: z.number().int(),
  }),
  z.object({ kind: z.literal('collect_inventory'), taskId: z.string(), full: z.boolean() }),
  // The ScanTask as its protobuf encoding (base64): exact, and validated again on resume.
  z.object({ kind: z.literal('scan'), taskId: z.string(), scan: z.string() }),
  // BaselineEvaluate: policy ids (empty = every applied policy); evaluated again on resume.
  z.object({
    kind: z.literal('baseline_evaluate'),
    taskId: z.string(),
    policyIds: z.array(z.string()),
    snapshot: z.boolean(),
  }),
]);
export type RunningTask = z.infer<typeof runningTaskSchema>;

export function putRunning(store: Store, task: RunningTask): StoreOp {
  return { type: 'put', sub: store.tasksRunning, key: task.taskId, value: jsonValue(task) };
}

export function deleteRunning(store: Store, taskId: string): StoreOp {
  return { type: 'del', sub: store.tasksRunning, key: taskId };
}

export async function loadRunning(store: Store): Promise<RunningTask[]> {
  const out: RunningTask[] = [];
  for await (const [, value] of store.tasksRunning.iterator()) {
    const parsed = runningTaskSchema.safeParse(JSON.parse(value.toString('utf8')));
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
