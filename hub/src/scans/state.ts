// A scan's state, derived from the tasks of its latest run (pure). The task rows are the one
// source of truth for progress; a scan row never duplicates them.
export const SCAN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'partial'] as const;
export type ScanState = (typeof SCAN_STATES)[number];

export interface RunTaskState {
  state: string; // a tasks state name
  errorCode: string | null;
}

const PENDING = new Set(['queued', 'sent']);
const ACTIVE = new Set(['accepted', 'running']);
// Stopped early but what was reported so far stands (PROTOCOL.md: WINDOW_ENDED, TIMEOUT).
const PARTIAL_CODES = new Set(['WINDOW_ENDED', 'TIMEOUT']);

function outcome(t: RunTaskState): ScanState {
  if (t.errorCode !== null && PARTIAL_CODES.has(t.errorCode)) return 'partial';
  if (t.state === 'succeeded') return 'succeeded';
  if (t.state === 'cancelled') return 'cancelled';
  return 'failed'; // failed, refused, expired
}

export function scanState(tasks: readonly RunTaskState[], cancelRequested: boolean): ScanState {
  if (tasks.length === 0) return cancelRequested ? 'cancelled' : 'queued';
  if (tasks.some((t) => ACTIVE.has(t.state))) return 'running';
  if (tasks.some((t) => PENDING.has(t.state))) {
    return tasks.every((t) => PENDING.has(t.state)) ? 'queued' : 'running';
  }
  const outcomes = new Set(tasks.map(outcome));
  if (outcomes.size === 1) return [...outcomes][0] as ScanState;
  return 'partial';
}
