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

export class Policies1764500001000 implements MigrationInterface {
  name = 'Policies1764500001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'policies',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          { name: 'policy_key', type: 'varchar', length: '128' },
          { name: 'title', type: 'varchar', length: '512' },
          { name: 'source', type: 'varchar', length: '16' },
          boolColumn('builtin', false),
          textColumn('yaml'),
          textColumn('compiled'),
          intColumn('revision', false, 1),
          textColumn('assignment'),
          instantColumn(qr, 'deleted_at', true),
          { name: 'created_by', type: 'varchar', length: '128' },
          { name: 'updated_by', type: 'varchar', length: '128' },
          instantColumn(qr, 'created_at'),
          instantColumn(qr, 'updated_at'),
        ],
        foreignKeys: [refTo('tenant_id', 'tenants')],
        indices: [{ columnNames: ['tenant_id', 'policy_key'] }, { columnNames: ['updated_at'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('policies');
  }
}

export const policiesMigrations: (new () => MigrationInterface)[] = [Policies1764500001000];
