import { EntitySchema } from 'typeorm';
import { bigintAsString } from '../db/portable.js';

export const TASK_STATES = [
  'queued',
  'sent',
  'accepted',
  'running',
  'succeeded',
  'failed',
  'refused',
  'cancelled',
  'expired',
] as const;
export type TaskStateName = (typeof TASK_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<TaskStateName> = new Set([
  'succeeded',
  'failed',
  'refused',
  'cancelled',
  'expired',
]);

export interface TaskRow {
  id: string;
  tenantId: string;
  agentId: string;
  kind: string;
  params: string; // JSON
  state: TaskStateName;
  percent: number;
  progressCount: string;
  lastMessage: string;
  errorCode: string | null;
  errorMessage: string | null;
  summary: string | null; // JSON text from TaskResult.summary_json
  hasResult: boolean;
  /** When the agent expects the task to finish (latest progress's ETA); null when unknown or ended. */
  etaAt: Date | null;
  hubSeq: string | null;
  expiresAt: Date;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'Task',
  tableName: 'tasks',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    agentId: { type: 'varchar', name: 'agent_id' },
    kind: { type: 'varchar' },
    params: { type: 'text' },
    state: { type: 'varchar' },
    percent: { type: 'integer' },
    progressCount: { type: 'bigint', name: 'progress_count', transformer: bigintAsString },
    lastMessage: { type: 'text', name: 'last_message' },
    errorCode: { type: 'varchar', name: 'error_code', nullable: true },
    errorMessage: { type: 'text', name: 'error_message', nullable: true },
    summary: { type: 'text', nullable: true },
    hasResult: { type: 'boolean', name: 'has_result' },
    etaAt: { type: Date, name: 'eta_at', nullable: true },
    hubSeq: { type: 'bigint', name: 'hub_seq', nullable: true, transformer: bigintAsString },
    expiresAt: { type: Date, name: 'expires_at' },
    sentAt: { type: Date, name: 'sent_at', nullable: true },
    createdAt: { type: Date, name: 'created_at' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
});

export const tasksEntities = [TaskEntity];
