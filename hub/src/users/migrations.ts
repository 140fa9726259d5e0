import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { boolColumn, idColumn, instantColumn, intColumn, refColumn, refTo } from '../db/portable.js';

export class Users1764560000000 implements MigrationInterface {
  name = 'Users1764560000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(),
          { name: 'email', type: 'varchar', length: '320', isUnique: true },
          { name: 'display_name', type: 'varchar', length: '200' },
          { name: 'password_hash', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '32' },
          refColumn('tenant_id', true),
          boolColumn('disabled', false),
          intColumn('failed_logins', false, 0),
          instantColumn(qr, 'locked_until', true),
          instantColumn(qr, 'password_changed_at'),
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [refTo('tenant_id', 'tenants')],
        indices: [{ columnNames: ['tenant_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'user_tenants',
        columns: [
          { ...refColumn('user_id'), isPrimary: true },
          { ...refColumn('tenant_id'), isPrimary: true },
        ],
        foreignKeys: [refTo('user_id', 'users'), refTo('tenant_id', 'tenants')],
        indices: [{ columnNames: ['tenant_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'sessions',
        columns: [
          idColumn(),
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          refColumn('user_id'),
          { name: 'csrf_token', type: 'varchar', length: '64' },
          instantColumn(qr, 'created_at'),
          instantColumn(qr, 'last_seen_at'),
          instantColumn(qr, 'expires_at'),
        ],
        foreignKeys: [refTo('user_id', 'users')],
        indices: [{ columnNames: ['user_id'] }, { columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sessions');
    await qr.dropTable('user_tenants');
    await qr.dropTable('users');
  }
}
