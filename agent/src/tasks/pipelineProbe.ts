// pipeline_probe: `count` numbered TaskProgress messages through the outbox (so they obey its
// budget back-pressure), then TaskResult SUCCEEDED {"count":N}. The counter reached is stored in
// the same batch as the messages, so a restart resumes exactly after the last one written.
import { toLong } from '@watchpost/proto';
import type { Outbox } from '../outbox/index.js';
import type { Store } from '../state/store.js';
import { taskProgress, taskResult, TaskState } from './messages.js';
import { deleteRunning, putRunning, type RunningTask } from './runningTasks.js';

export const PROBE_LIMITS = { minCount: 1, maxCount: 1_000_000, maxPayloadBytes: 4096 } as const;
const CHUNK_BYTES = 256 * 1024;
const CHUNK_MESSAGES = 512;

export function probeParamsError(count: number, payloadBytes: number): string | undefined {
  if (!Number.isInteger(count) || count < PROBE_LIMITS.minCount || count > PROBE_LIMITS.maxCount) {
    return `count must be ${PROBE_LIMITS.minCount}..${PROBE_LIMITS.maxCount}, got ${count}`;
  }
  if (!Number.isInteger(payloadBytes) || payloadBytes < 0 || payloadBytes > PROBE_LIMITS.maxPayloadBytes) {
    return `payloadBytes must be 0..${PROBE_LIMITS.maxPayloadBytes}, got ${payloadBytes}`;
  }
  return undefined;
}

export async function runPipelineProbe(
  task: Extract<RunningTask, { kind: 'pipeline_probe' }>,
  deps: { outbox: Outbox; store: Store; stopped: () => boolean },
): Promise<'done' | 'stopped'> {
  const { count, payloadBytes, taskId } = task;
  const payload = Buffer.alloc(payloadBytes, 0x2e);
  // A chunk is one atomic outbox write: keep it well under the budget so back-pressure stays smooth.
  const chunkBytes = Math.min(CHUNK_BYTES, Math.floor(deps.outbox.stats().budgetBytes / 8));
  const perChunk = Math.max(1, Math.min(CHUNK_MESSAGES, Math.floor(chunkBytes / (payloadBytes + 128))));
  let counter = task.counter;
  while (counter < count) {
    if (deps.stopped()) return 'stopped';
    const last = Math.min(count, counter + perChunk);
    const bodies = [];
    for (let i = counter + 1; i <= last; i++) {
      bodies.push(
        taskProgress(taskId, TaskState.TASK_STATE_RUNNING, {
          counter: toLong(i),
          percent: Math.floor((i * 100) / count),
          payload,
        }),
      );
    }
    await deps.outbox.append(bodies, [putRunning(deps.store, { ...task, counter: last })]);
    counter = last;
  }
  await deps.outbox.append(
    [taskResult(taskId, TaskState.TASK_STATE_SUCCEEDED, { summaryJson: JSON.stringify({ count }) })],
    [deleteRunning(deps.store, taskId)],
  );
  return 'done';
}
