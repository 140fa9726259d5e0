import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  bigintColumn,
  boolColumn,
  idColumn,
  instantColumn,
  intColumn,
  refColumn,
  refTo,
  textColumn,
} from '../db/portable.js';

const tenantFk = refTo('tenant_id', 'tenants');
const agentFk = refTo('agent_id', 'agents');

export class Tasks1764000002000 implements MigrationInterface {
  name = 'Tasks1764000002000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tasks',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('agent_id'),
          { name: 'kind', type: 'varchar', length: '64' },
          textColumn('params'),
          { name: 'state', type: 'varchar', length: '16' },
          intColumn('percent', false, 0),
          bigintColumn('progress_count', false, 0),
          { name: 'last_message', type: 'text', default: "''" },
          { name: 'error_code', type: 'varchar', length: '64', isNullable: true },
          textColumn('error_message', true),
          textColumn('summary', true),
          boolColumn('has_result', false),
          bigintColumn('hub_seq', true),
          instantColumn(qr, 'expires_at'),
          instantColumn(qr, 'sent_at', true),
          instantColumn(qr, 'created_at'),
          instantColumn(qr, 'updated_at'),
        ],
        foreignKeys: [tenantFk, agentFk],
        indices: [{ columnNames: ['tenant_id', 'agent_id', 'state'] }],
      }),
    );
    // One row per ingested TaskProgress/TaskResult; (agent_id, seq) unique = stored exactly once.
    await qr.createTable(
      new Table({
        name: 'task_events',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('task_id'),
          refColumn('agent_id'),
          bigintColumn('seq'),
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          intColumn('percent', false, 0),
          bigintColumn('counter', false, 0),
          { name: 'message', type: 'text', default: "''" },
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [
          tenantFk,
          agentFk,
          { columnNames: ['task_id'], referencedTableName: 'tasks', referencedColumnNames: ['id'] },
        ],
        uniques: [{ columnNames: ['agent_id', 'seq'] }],
        indices: [{ columnNames: ['tenant_id', 'task_id'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('task_events');
    await qr.dropTable('tasks');
  }
}

/** tasks.eta_at: the ETA of the latest TaskProgress as an instant (hub clock + eta_ms). */
export class TaskEta1764410001000 implements MigrationInterface {
  name = 'TaskEta1764410001000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('tasks', new TableColumn(instantColumn(qr, 'eta_at', true)));
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('tasks', 'eta_at');
  }
}

export const tasksMigrations = [Tasks1764000002000, TaskEta1764410001000];
