import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigintColumn, instantColumn } from '../db/portable.js';

export class AgentBuilds1764550000000 implements MigrationInterface {
  name = 'AgentBuilds1764550000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'agent_builds',
        columns: [
          { name: 'version', type: 'varchar', length: '64', isPrimary: true },
          { name: 'platform', type: 'varchar', length: '32', isPrimary: true },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'signature', type: 'varchar', length: '128' },
          bigintColumn('size_bytes'),
          { name: 'file', type: 'varchar', length: '255' },
          instantColumn(qr, 'created_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('agent_builds');
  }
}

export const buildsMigrations = [AgentBuilds1764550000000];
