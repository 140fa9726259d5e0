// Baseline run history: one row per policy run an agent reported, one row per check result.
// Table API only: the same migration runs on SQLite and PostgreSQL.
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  boolColumn,
  idColumn,
  instantColumn,
  intColumn,
  refColumn,
  refTo,
  textColumn,
} from '../db/portable.js';

const tenantColumn = { name: 'tenant_id', type: 'varchar', length: '64' };

export class BaselineRuns1764510000000 implements MigrationInterface {
  name = 'BaselineRuns1764510000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'baseline_runs',
        columns: [
          idColumn(),
          tenantColumn,
          refColumn('asset_id'),
          refColumn('agent_id'),
          { name: 'agent_run_id', type: 'varchar', length: '64' },
          { name: 'policy_key', type: 'varchar', length: '128' },
          intColumn('policy_revision'),
          textColumn('policy_title'),
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'task_id', type: 'varchar', length: '64', isNullable: true },
          instantColumn(qr, 'started_at'),
          intColumn('duration_ms'),
          intColumn('passed'),
          intColumn('failed'),
          intColumn('not_applicable'),
          intColumn('errors'),
          { name: 'score', type: 'double precision' },
          boolColumn('requirements_unmet', false),
          textColumn('requirements_reason'),
          instantColumn(qr, 'received_at'),
        ],
        foreignKeys: [{ ...refTo('asset_id', 'assets'), onDelete: 'CASCADE' }],
        indices: [
          {
            name: 'IDX_baseline_runs_asset',
            columnNames: ['tenant_id', 'asset_id', 'policy_key', 'started_at'],
          },
          { name: 'IDX_baseline_runs_started', columnNames: ['tenant_id', 'started_at'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'baseline_results',
        columns: [
          idColumn(),
          tenantColumn,
          refColumn('run_id'),
          { name: 'check_id', type: 'varchar', length: '128' },
          { name: 'status', type: 'varchar', length: '16' },
          textColumn('reason'),
          textColumn('evidence'),
          intColumn('duration_ms'),
          textColumn('title'),
          { name: 'severity', type: 'varchar', length: '16' },
          textColumn('remediation'),
          textColumn('targets'),
          refColumn('finding_id', true),
        ],
        foreignKeys: [{ ...refTo('run_id', 'baseline_runs'), onDelete: 'CASCADE' }],
        indices: [{ name: 'IDX_baseline_results_run', columnNames: ['tenant_id', 'run_id'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('baseline_results');
    await qr.dropTable('baseline_runs');
  }
}
