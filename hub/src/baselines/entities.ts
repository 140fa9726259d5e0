// Baseline run history (entities over the tables of migrations.ts).
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

export const CHECK_STATUSES = ['pass', 'fail', 'not_applicable', 'error'] as const;
export type CheckStatusName = (typeof CHECK_STATUSES)[number];
export const RUN_TRIGGERS = ['unspecified', 'schedule', 'policy_change', 'task', 'startup'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface BaselineRunRow {
  id: string;
  tenantId: string;
  assetId: string;
  agentId: string;
  agentRunId: string;
  policyKey: string;
  policyRevision: number;
  policyTitle: string;
  trigger: RunTrigger;
  taskId: string | null;
  startedAt: Date;
  durationMs: number;
  passed: number;
  failed: number;
  notApplicable: number;
  errors: number;
  score: number;
  requirementsUnmet: boolean;
  requirementsReason: string;
  receivedAt: Date;
}

export interface BaselineResultRow {
  id: string;
  tenantId: string;
  runId: string;
  checkId: string;
  status: CheckStatusName;
  reason: string;
  /** JSON array of {rule, target, found, matched}, bounded at ingest. */
  evidence: string;
  durationMs: number;
  /** Title, severity and remediation as the policy said when the run was stored. */
  title: string;
  severity: string;
  remediation: string;
  /** JSON array of what the check examined (paths, sysctl keys, packages…): links drift. */
  targets: string;
  findingId: string | null;
}

const id: EntitySchemaColumnOptions = { type: 'varchar', length: 36, primary: true };
const ref = (name: string, nullable = false): EntitySchemaColumnOptions => ({
  type: 'varchar',
  length: 36,
  name,
  nullable,
});
const tenantId: EntitySchemaColumnOptions = { type: 'varchar', length: 64, name: 'tenant_id' };
const int = (name: string): EntitySchemaColumnOptions => ({ type: 'integer', name });

export const BaselineRunEntity = new EntitySchema<BaselineRunRow>({
  name: 'BaselineRun',
  tableName: 'baseline_runs',
  columns: {
    id,
    tenantId,
    assetId: ref('asset_id'),
    agentId: ref('agent_id'),
    agentRunId: { type: 'varchar', length: 64, name: 'agent_run_id' },
    policyKey: { type: 'varchar', length: 128, name: 'policy_key' },
    policyRevision: int('policy_revision'),
    policyTitle: { type: 'text', name: 'policy_title' },
    trigger: { type: 'varchar', length: 16 },
    taskId: { type: 'varchar', length: 64, name: 'task_id', nullable: true },
    startedAt: { type: Date, name: 'started_at' },
    durationMs: int('duration_ms'),
    passed: int('passed'),
    failed: int('failed'),
    notApplicable: int('not_applicable'),
    errors: int('errors'),
    score: { type: 'double precision' },
    requirementsUnmet: { type: 'boolean', name: 'requirements_unmet' },
    requirementsReason: { type: 'text', name: 'requirements_reason' },
    receivedAt: { type: Date, name: 'received_at' },
  },
});

export const BaselineResultEntity = new EntitySchema<BaselineResultRow>({
  name: 'BaselineResult',
  tableName: 'baseline_results',
  columns: {
    id,
    tenantId,
    runId: ref('run_id'),
    checkId: { type: 'varchar', length: 128, name: 'check_id' },
    status: { type: 'varchar', length: 16 },
    reason: { type: 'text' },
    evidence: { type: 'text' },
    durationMs: int('duration_ms'),
    title: { type: 'text' },
    severity: { type: 'varchar', length: 16 },
    remediation: { type: 'text' },
    targets: { type: 'text' },
    findingId: ref('finding_id', true),
  },
});

export const baselineEntities = [BaselineRunEntity, BaselineResultEntity];
