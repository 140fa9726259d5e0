// Creates the asset ledger. Table API only, so the same migration runs on SQLite and PostgreSQL.
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { instantType } from '../../db/portable.js';

const col = (name: string, type: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type,
  ...extra,
});
const idCol = col('id', 'varchar', { length: '36', isPrimary: true });
const tenantCol = col('tenant_id', 'varchar', { length: '64' });
const assetCol = col('asset_id', 'varchar', { length: '36' });
const textCol = (name: string, nullable = true) => col(name, 'text', { isNullable: nullable });

const assetForeignKey = (table: string) => ({
  name: `FK_${table}_asset`,
  columnNames: ['asset_id'],
  referencedTableName: 'assets',
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

const CHILD_TABLES = [
  'asset_interfaces',
  'asset_packages',
  'asset_listeners',
  'asset_accounts',
  'asset_groups',
  'asset_services',
  'asset_process_snapshots',
] as const;

export class AssetsInit1764100000000 implements MigrationInterface {
  name = 'AssetsInit1764100000000';

  async up(qr: QueryRunner): Promise<void> {
    const instant = instantType(qr);
    await qr.createTable(
      new Table({
        name: 'assets',
        columns: [
          idCol,
          tenantCol,
          col('agent_id', 'varchar', { length: '64', isNullable: true }),
          col('kind', 'varchar', { length: '16' }),
          textCol('name', false),
          ...['hostname', 'fqdn', 'machine_id', 'os_platform', 'os_distro', 'os_id', 'os_version'].map((n) =>
            textCol(n),
          ),
          ...['os_codename', 'kernel', 'arch', 'manufacturer', 'model', 'serial'].map((n) => textCol(n)),
          col('virtual', 'boolean'),
          textCol('cpu_brand'),
          col('cpu_cores', 'integer'),
          col('memory_bytes', 'bigint'),
          col('boot_time_at', instant, { isNullable: true }),
          textCol('timezone'),
          textCol('ips', false),
          col('package_count', 'integer'),
          col('process_count', 'integer'),
          textCol('section_digests', false),
          col('first_seen_at', instant),
          col('last_seen_at', instant),
          col('inventory_at', instant, { isNullable: true }),
        ],
        // One asset per (tenant, agent); several scan-discovered assets may have no agent (NULLs
        // never collide in a unique index on either database).
        uniques: [{ name: 'UQ_assets_tenant_agent', columnNames: ['tenant_id', 'agent_id'] }],
        indices: [
          { name: 'IDX_assets_tenant_name', columnNames: ['tenant_id', 'name'] },
          { name: 'IDX_assets_tenant_machine', columnNames: ['tenant_id', 'machine_id'] },
        ],
      }),
    );

    const child = (name: string, columns: TableColumnOptions[]) =>
      new Table({
        name,
        columns: [idCol, tenantCol, assetCol, ...columns],
        indices: [{ name: `IDX_${name}_tenant_asset`, columnNames: ['tenant_id', 'asset_id'] }],
        foreignKeys: [assetForeignKey(name)],
      });

    await qr.createTable(
      child('asset_interfaces', [
        textCol('name', false),
        textCol('mac'),
        textCol('ipv4', false),
        textCol('ipv6', false),
        col('internal', 'boolean'),
        col('virtual', 'boolean'),
        col('up', 'boolean'),
        col('mtu', 'integer'),
      ]),
    );
    await qr.createTable(
      new Table({
        name: 'asset_packages',
        columns: [
          idCol,
          tenantCol,
          assetCol,
          textCol('manager', false),
          textCol('name', false),
          textCol('arch', false),
          textCol('version', false),
          textCol('source_name'),
          textCol('source_version'),
        ],
        // The unique index also serves "all packages of one asset" (its leading column).
        uniques: [{ name: 'UQ_asset_packages_key', columnNames: ['asset_id', 'manager', 'name', 'arch'] }],
        // "Which hosts of this tenant have package X" — what vulnerability matching (#5) asks.
        indices: [{ name: 'IDX_asset_packages_tenant_name', columnNames: ['tenant_id', 'name'] }],
        foreignKeys: [assetForeignKey('asset_packages')],
      }),
    );
    await qr.createTable(
      child('asset_listeners', [
        textCol('protocol', false),
        col('family', 'integer'),
        textCol('address', false),
        col('port', 'integer'),
        col('pid', 'integer', { isNullable: true }),
        textCol('process'),
      ]),
    );
    await qr.createTable(
      child('asset_accounts', [
        textCol('name', false),
        col('uid', 'bigint'),
        col('gid', 'bigint'),
        textCol('home'),
        textCol('shell'),
        textCol('gecos'),
        col('password_state', 'varchar', { length: '16' }),
        col('login_shell', 'boolean'),
        col('password_changed_at', instant, { isNullable: true }),
      ]),
    );
    await qr.createTable(
      child('asset_groups', [textCol('name', false), col('gid', 'bigint'), textCol('members', false)]),
    );
    await qr.createTable(
      child('asset_services', [
        textCol('manager', false),
        textCol('name', false),
        col('running', 'boolean'),
        col('enabled', 'boolean'),
      ]),
    );
    await qr.createTable(
      new Table({
        name: 'asset_process_snapshots',
        columns: [
          col('asset_id', 'varchar', { length: '36', isPrimary: true }),
          tenantCol,
          col('process_count', 'integer'),
          textCol('processes', false),
        ],
        indices: [{ name: 'IDX_asset_process_snapshots_tenant', columnNames: ['tenant_id'] }],
        foreignKeys: [assetForeignKey('asset_process_snapshots')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of [...CHILD_TABLES].reverse()) await qr.dropTable(table);
    await qr.dropTable('assets');
  }
}
