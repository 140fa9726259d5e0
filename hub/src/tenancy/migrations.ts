import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { TenantScope1764200000000 } from './scope.js';
import { TenantTimezone1764410000000 } from './timezone.js';
import { idColumn, instantColumn, intColumn, refColumn, refTo, textColumn } from '../db/portable.js';

export class Tenancy1764000000000 implements MigrationInterface {
  name = 'Tenancy1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenants',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '200', isUnique: true },
          instantColumn(qr, 'created_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'enrollment_tokens',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          instantColumn(qr, 'expires_at'),
          intColumn('uses_left', true),
          intColumn('uses_count', false, 0),
          instantColumn(qr, 'revoked_at', true),
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [refTo('tenant_id', 'tenants')],
        indices: [{ columnNames: ['tenant_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          instantColumn(qr, 'revoked_at', true),
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [refTo('tenant_id', 'tenants')],
        indices: [{ columnNames: ['tenant_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'hub_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          textColumn('private_key_pem'),
          { name: 'public_key_raw', type: 'varchar', length: '64' },
          instantColumn(qr, 'created_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['hub_keys', 'api_tokens', 'enrollment_tokens', 'tenants']) await qr.dropTable(t);
  }
}

export const tenancyMigrations = [
  Tenancy1764000000000,
  TenantScope1764200000000,
  TenantTimezone1764410000000,
];
