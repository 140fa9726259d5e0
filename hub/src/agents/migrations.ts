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

const tenantFk = refTo('tenant_id', 'tenants');
const agentFk = refTo('agent_id', 'agents');

export class Agents1764000001000 implements MigrationInterface {
  name = 'Agents1764000001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'agents',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          { name: 'public_key', type: 'varchar', length: '64' },
          { name: 'hostname', type: 'varchar', length: '255', default: "''" },
          { name: 'version', type: 'varchar', length: '64', default: "''" },
          instantColumn(qr, 'enrolled_at'),
          refColumn('enrollment_token_id', true),
          instantColumn(qr, 'revoked_at', true),
          boolColumn('online', false),
          { name: 'owner_node', type: 'varchar', length: '200', isNullable: true },
          instantColumn(qr, 'last_seen_at', true),
          bigintColumn('last_seq', false, 0),
          bigintColumn('hub_seq', false, 0),
          refColumn('asset_id', true),
          bigintColumn('outbox_messages', false, 0),
          bigintColumn('outbox_bytes', false, 0),
          bigintColumn('outbox_budget_bytes', false, 0),
          boolColumn('collection_paused', false),
          { name: 'applied_policies', type: 'text', default: "'[]'" },
        ],
        foreignKeys: [tenantFk],
        indices: [{ columnNames: ['tenant_id'] }, { columnNames: ['owner_node'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'agent_events',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('agent_id'),
          bigintColumn('seq'),
          { name: 'code', type: 'varchar', length: '64' },
          intColumn('severity', false, 0),
          textColumn('message'),
          { name: 'ref', type: 'varchar', length: '200' },
          textColumn('details'),
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [tenantFk, agentFk],
        uniques: [{ columnNames: ['agent_id', 'seq'] }],
        indices: [{ columnNames: ['tenant_id', 'agent_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ingest_rejects',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('agent_id'),
          bigintColumn('seq'),
          { name: 'code', type: 'varchar', length: '64' },
          textColumn('reason'),
          { name: 'body_kind', type: 'varchar', length: '64' },
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [tenantFk, agentFk],
        uniques: [{ columnNames: ['agent_id', 'seq'] }],
        indices: [{ columnNames: ['tenant_id', 'agent_id'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['ingest_rejects', 'agent_events', 'agents']) await qr.dropTable(t);
  }
}

export const agentsMigrations = [Agents1764000001000];
