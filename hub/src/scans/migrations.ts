import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
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

export class Scans1764200001000 implements MigrationInterface {
  name = 'Scans1764200001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'scans',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          textColumn('agent_ids'),
          textColumn('targets'),
          { name: 'profile', type: 'varchar', length: '16' },
          textColumn('options'),
          { name: 'schedule', type: 'varchar', length: '200', isNullable: true },
          textColumn('window', true),
          boolColumn('pending_run', false),
          { name: 'last_fired_minute', type: 'varchar', length: '32', isNullable: true },
          intColumn('run_count', false, 0),
          instantColumn(qr, 'cancelled_at', true),
          instantColumn(qr, 'created_at'),
          instantColumn(qr, 'updated_at'),
        ],
        foreignKeys: [refTo('tenant_id', 'tenants')],
        indices: [{ columnNames: ['tenant_id', 'created_at'] }, { columnNames: ['pending_run'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'scan_runs',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('scan_id'),
          intColumn('run_no'),
          refColumn('agent_id'),
          refColumn('task_id'),
          refColumn('cancel_task_id', true),
          instantColumn(qr, 'window_end_at', true),
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [
          refTo('tenant_id', 'tenants'),
          refTo('scan_id', 'scans'),
          refTo('agent_id', 'agents'),
          refTo('task_id', 'tasks'),
        ],
        uniques: [{ columnNames: ['task_id'] }],
        indices: [{ columnNames: ['tenant_id', 'scan_id', 'run_no'] }],
      }),
    );
    // Raw per-host scan results, one row per DiscoveryReport; the asset ledger correlates them.
    await qr.createTable(
      new Table({
        name: 'discovery_observations',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('scan_id'),
          refColumn('task_id'),
          refColumn('agent_id'),
          instantColumn(qr, 'observed_at'),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'primary_ip', type: 'varchar', length: '64', isNullable: true },
          textColumn('ips'),
          textColumn('macs'),
          textColumn('hostnames'),
          { name: 'os_name', type: 'varchar', length: '1024', isNullable: true },
          intColumn('os_accuracy', true),
          textColumn('ports'),
          intColumn('open_ports', false, 0),
          intColumn('weak_credentials', false, 0),
          bigintColumn('raw_bytes', false, 0),
          instantColumn(qr, 'received_at'),
        ],
        foreignKeys: [
          refTo('tenant_id', 'tenants'),
          refTo('scan_id', 'scans'),
          refTo('task_id', 'tasks'),
          refTo('agent_id', 'agents'),
        ],
        indices: [
          { columnNames: ['tenant_id', 'scan_id'] },
          { columnNames: ['tenant_id', 'primary_ip'] },
          { columnNames: ['tenant_id', 'task_id'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['discovery_observations', 'scan_runs', 'scans']) await qr.dropTable(t);
  }
}

export const scansMigrations = [Scans1764200001000];
