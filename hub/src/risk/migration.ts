// One SLA policy row per tenant (absent = the defaults).
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantColumn } from '../db/portable.js';

export class RiskConfig1764540000100 implements MigrationInterface {
  name = 'RiskConfig1764540000100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'risk_configs',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'config', type: 'text' },
          instantColumn(qr, 'updated_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('risk_configs');
  }
}
