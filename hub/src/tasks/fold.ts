// Pure task state bookkeeping: folds the progress/results/refusals of one ingest batch into a
// task's row. States only move forward; the first terminal state wins.
import { watchpost } from '@watchpost/proto';
import { TERMINAL_STATES, type TaskRow, type TaskStateName } from './entities.js';

const RANK: Record<TaskStateName, number> = {
  queued: 0,
  sent: 1,
  accepted: 2,
  running: 3,
  succeeded: 4,
  failed: 4,
  refused: 4,
  cancelled: 4,
  expired: 4,
};

export type TaskFoldEvent =
  | {
      kind: 'progress';
      state: watchpost.v1.TaskState;
      percent: number;
      message: string;
      /** From etaFromProgress; absent = leave the stored ETA as it is. */
      etaAt?: Date | null;
    }
  | {
      kind: 'result';
      state: watchpost.v1.TaskState;
      errorCode: string;
      errorMessage: string;
      summary: string;
    }
  | { kind: 'refusal'; code: string; message: string };

export type TaskFoldState = Pick<
  TaskRow,
  | 'state'
  | 'percent'
  | 'progressCount'
  | 'lastMessage'
  | 'errorCode'
  | 'errorMessage'
  | 'summary'
  | 'hasResult'
  | 'etaAt'
>;

const MAX_ETA_MS = 366n * 86_400_000n;

/** TaskProgress.eta_ms as an instant on the hub's clock; 0 (unknown), negative or over a year: null. */
export function etaFromProgress(etaMs: bigint, receivedAt: Date): Date | null {
  return etaMs > 0n && etaMs <= MAX_ETA_MS ? new Date(receivedAt.getTime() + Number(etaMs)) : null;
}

export function progressStateName(s: watchpost.v1.TaskState): TaskStateName {
  return s === watchpost.v1.TaskState.TASK_STATE_ACCEPTED ? 'accepted' : 'running';
}

export function resultStateName(s: watchpost.v1.TaskState): TaskStateName {
  switch (s) {
    case watchpost.v1.TaskState.TASK_STATE_SUCCEEDED:
      return 'succeeded';
    case watchpost.v1.TaskState.TASK_STATE_REFUSED:
      return 'refused';
    case watchpost.v1.TaskState.TASK_STATE_CANCELLED:
      return 'cancelled';
    default:
      return 'failed';
  }
}

export function foldTaskEvents(start: TaskFoldState, events: readonly TaskFoldEvent[]): TaskFoldState {
  const t: TaskFoldState = { ...start };
  let count = BigInt(t.progressCount);
  for (const e of events) {
    const terminal = TERMINAL_STATES.has(t.state);
    if (e.kind === 'progress') {
      count += 1n;
      if (terminal) continue;
      const next = progressStateName(e.state);
      if (RANK[next] >= RANK[t.state]) t.state = next;
      t.percent = Math.min(100, Math.max(0, e.percent));
      if (e.message !== '') t.lastMessage = e.message;
      if (e.etaAt !== undefined) t.etaAt = e.etaAt;
    } else if (e.kind === 'result') {
      if (terminal) continue;
      // An accepted task is not refused later: that is the agent declining a re-delivery (replay).
      if (e.state === watchpost.v1.TaskState.TASK_STATE_REFUSED && RANK[t.state] >= RANK.accepted) continue;
      t.state = resultStateName(e.state);
      if (t.state === 'succeeded') t.percent = 100;
      t.errorCode = e.errorCode === '' ? null : e.errorCode;
      t.errorMessage = e.errorMessage === '' ? null : e.errorMessage;
      t.summary = e.summary === '' ? null : e.summary;
      t.hasResult = true;
    } else {
      if (terminal || RANK[t.state] >= RANK.accepted) continue;
      t.state = 'refused';
      t.errorCode = e.code;
      t.errorMessage = e.message;
      t.hasResult = true;
    }
  }
  if (TERMINAL_STATES.has(t.state)) t.etaAt = null;
  t.progressCount = count.toString();
  return t;
}
