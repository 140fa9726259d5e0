import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, instantColumn, refColumn, refTo, textColumn } from '../../db/portable.js';

export class EarlyWarnings1764530001000 implements MigrationInterface {
  name = 'EarlyWarnings1764530001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'early_warnings',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          { name: 'vuln_id', type: 'varchar', length: '128' },
          { name: 'cve', type: 'varchar', length: '32', isNullable: true },
          refColumn('asset_id'),
          refColumn('finding_id'),
          textColumn('component'),
          { name: 'import_id', type: 'varchar', length: '64' },
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [refTo('finding_id', 'findings')],
        indices: [
          { name: 'IDX_early_warnings_tenant', columnNames: ['tenant_id', 'created_at'] },
          { name: 'IDX_early_warnings_vuln', columnNames: ['vuln_id'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('early_warnings');
  }
}
