// Content validation of sequenced messages (pure). A message that decodes but fails here is
// recorded in ingest_rejects and answered with Reject{seq, code}; it never reaches a domain.
import { RejectCode, watchpost } from '@watchpost/proto';
import { checkInventoryReport } from '../assets/index.js';
import { checkDiscoveryReport } from '../scans/index.js';
import { checkBaselineReport } from '../baselines/index.js';
import { checkDriftReport } from '../drift/index.js';

const MAX_TEXT = 4096;
const MAX_SUMMARY = 64 * 1024;
const EVENT_CODE_RE = /^[A-Z][A-Z0-9_]{0,63}$/;

export type SequencedBodyKind =
  | 'inventory'
  | 'taskProgress'
  | 'taskResult'
  | 'agentEvent'
  | 'discoveryReport'
  | 'baselineReport'
  | 'driftReport';
export const SEQUENCED_BODIES: ReadonlySet<string> = new Set([
  'inventory',
  'taskProgress',
  'taskResult',
  'agentEvent',
  'discoveryReport',
  'baselineReport',
  'driftReport',
]);

export interface ContentRejection {
  code: RejectCode;
  reason: string;
}

const reject = (code: RejectCode, reason: string): ContentRejection => ({ code, reason });

/** Inventory checks belong to the asset ledger; the gateway applies them before the batch. */
export function validateInventory(r: watchpost.v1.IInventoryReport): ContentRejection | null {
  const rej = checkInventoryReport(r);
  return rej ? { code: rej.code, reason: rej.reason } : null;
}

export function validateTaskProgress(p: watchpost.v1.ITaskProgress): ContentRejection | null {
  if (!p.taskId) return reject(RejectCode.INVALID_MESSAGE, 'task_progress.task_id is empty');
  if ((p.percent ?? 0) > 100) return reject(RejectCode.INVALID_MESSAGE, 'task_progress.percent over 100');
  if ((p.payload?.length ?? 0) > 4096)
    return reject(RejectCode.LIMIT_EXCEEDED, 'task_progress.payload over 4096 bytes');
  if ((p.message?.length ?? 0) > MAX_TEXT)
    return reject(RejectCode.LIMIT_EXCEEDED, 'task_progress.message too long');
  return null;
}

const RESULT_STATES: ReadonlySet<number> = new Set([
  watchpost.v1.TaskState.TASK_STATE_SUCCEEDED,
  watchpost.v1.TaskState.TASK_STATE_FAILED,
  watchpost.v1.TaskState.TASK_STATE_REFUSED,
  watchpost.v1.TaskState.TASK_STATE_CANCELLED,
]);

export function validateTaskResult(r: watchpost.v1.ITaskResult): ContentRejection | null {
  if (!r.taskId) return reject(RejectCode.INVALID_MESSAGE, 'task_result.task_id is empty');
  if (!RESULT_STATES.has(r.state ?? 0))
    return reject(RejectCode.INVALID_MESSAGE, 'task_result.state is not final');
  if ((r.errorMessage?.length ?? 0) > MAX_TEXT)
    return reject(RejectCode.LIMIT_EXCEEDED, 'task_result.error_message too long');
  const summary = r.summaryJson ?? '';
  if (summary.length > MAX_SUMMARY)
    return reject(RejectCode.LIMIT_EXCEEDED, 'task_result.summary_json over 64 KiB');
  if (summary !== '') {
    try {
      JSON.parse(summary);
    } catch {
      return reject(RejectCode.INVALID_MESSAGE, 'task_result.summary_json is not JSON');
    }
  }
  return null;
}

export function validateAgentEvent(e: watchpost.v1.IAgentEvent): ContentRejection | null {
  if (!EVENT_CODE_RE.test(e.code ?? ''))
    return reject(RejectCode.INVALID_MESSAGE, 'agent_event.code is not UPPER_SNAKE');
  if ((e.message?.length ?? 0) > MAX_TEXT)
    return reject(RejectCode.LIMIT_EXCEEDED, 'agent_event.message too long');
  if (Object.keys(e.details ?? {}).length > 100)
    return reject(RejectCode.LIMIT_EXCEEDED, 'agent_event.details over 100 keys');
  return null;
}

export function validateSequenced(env: watchpost.v1.AgentEnvelope): ContentRejection | null {
  switch (env.body) {
    case 'inventory':
      return env.inventory
        ? validateInventory(env.inventory)
        : reject(RejectCode.INVALID_MESSAGE, 'empty inventory');
    case 'taskProgress':
      return env.taskProgress
        ? validateTaskProgress(env.taskProgress)
        : reject(RejectCode.INVALID_MESSAGE, 'empty');
    case 'taskResult':
      return env.taskResult
        ? validateTaskResult(env.taskResult)
        : reject(RejectCode.INVALID_MESSAGE, 'empty');
    case 'discoveryReport':
      return env.discoveryReport
        ? checkDiscoveryReport(env.discoveryReport)
        : reject(RejectCode.INVALID_MESSAGE, 'empty discovery report');
    case 'baselineReport':
      return env.baselineReport
        ? checkBaselineReport(env.baselineReport)
        : reject(RejectCode.INVALID_MESSAGE, 'empty baseline report');
    case 'driftReport':
      return env.driftReport
        ? checkDriftReport(env.driftReport)
        : reject(RejectCode.INVALID_MESSAGE, 'empty drift report');
    case 'agentEvent':
      return env.agentEvent
        ? validateAgentEvent(env.agentEvent)
        : reject(RejectCode.INVALID_MESSAGE, 'empty');
    default:
      return reject(RejectCode.INVALID_MESSAGE, `no known sequenced body (${env.body ?? 'none'})`);
  }
}
