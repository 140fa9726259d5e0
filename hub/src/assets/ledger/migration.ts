// The multi-source asset ledger (#3): identity keys per asset, open ports/services with first and
// last seen, and the asset's timeline (merges, address reuse, ports opened/closed, service
// changes). Table API only: the same migration runs on SQLite and PostgreSQL.
import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, instantColumn, intColumn, refColumn, textColumn } from '../../db/portable.js';

const assetFk = (table: string) => ({
  name: `FK_${table}_asset`,
  columnNames: ['asset_id'],
  referencedTableName: 'assets',
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

export class AssetLedger1764300000000 implements MigrationInterface {
  name = 'AssetLedger1764300000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('assets', [
      new TableColumn({ name: 'zone', type: 'varchar', length: '64', default: "'internal'" }),
      new TableColumn({ name: 'source', type: 'varchar', length: '16', default: "'agent'" }),
      new TableColumn({ name: 'registered', type: 'boolean', default: false }),
      new TableColumn({ name: 'hostnames', type: 'text', default: "'[]'" }),
      new TableColumn({ name: 'merged_into_id', type: 'varchar', length: '36', isNullable: true }),
      // Attributes people keep (PATCH /assets/:id), with history in asset_events.
      ...['owner_person', 'owner_team', 'owner_contact', 'business_system', 'location'].map(
        (name) => new TableColumn({ name, type: 'text', isNullable: true }),
      ),
      ...['cia_confidentiality', 'cia_integrity', 'cia_availability'].map(
        (name) => new TableColumn({ name, type: 'integer', isNullable: true }),
      ),
      new TableColumn({ name: 'tags', type: 'text', default: "'[]'" }),
    ]);
    await qr.createTable(
      new Table({
        name: 'asset_identities',
        columns: [
          idColumn(),
          { name: 'tenant_id', type: 'varchar', length: '64' },
          refColumn('asset_id'),
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'zone', type: 'varchar', length: '64' },
          { name: 'value', type: 'varchar', length: '255' },
          instantColumn(qr, 'first_seen_at'),
          instantColumn(qr, 'last_seen_at'),
        ],
        foreignKeys: [assetFk('asset_identities')],
        indices: [
          // One machine id / MAC / address-in-a-zone belongs to one asset of a tenant.
          {
            name: 'UQ_asset_identities_key',
            columnNames: ['tenant_id', 'kind', 'zone', 'value'],
            isUnique: true,
          },
          { name: 'IDX_asset_identities_asset', columnNames: ['asset_id'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'asset_ports',
        columns: [
          idColumn(),
          { name: 'tenant_id', type: 'varchar', length: '64' },
          refColumn('asset_id'),
          { name: 'protocol', type: 'varchar', length: '8' },
          intColumn('port'),
          { name: 'state', type: 'varchar', length: '24' },
          textColumn('service', true),
          textColumn('product', true),
          textColumn('version', true),
          textColumn('extra_info', true),
          textColumn('tunnel', true),
          textColumn('cpes'),
          instantColumn(qr, 'first_seen_at'),
          instantColumn(qr, 'last_seen_at'),
          { name: 'last_scan_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'seen_by_agent_id', type: 'varchar', length: '64', isNullable: true },
        ],
        foreignKeys: [assetFk('asset_ports')],
        indices: [
          { name: 'UQ_asset_ports', columnNames: ['asset_id', 'protocol', 'port'], isUnique: true },
          { name: 'IDX_asset_ports_tenant', columnNames: ['tenant_id', 'state'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'asset_events',
        columns: [
          idColumn(),
          { name: 'tenant_id', type: 'varchar', length: '64' },
          refColumn('asset_id'),
          instantColumn(qr, 'at'),
          { name: 'kind', type: 'varchar', length: '32' },
          textColumn('detail'),
          { name: 'source', type: 'varchar', length: '64' },
        ],
        foreignKeys: [assetFk('asset_events')],
        indices: [{ name: 'IDX_asset_events_asset', columnNames: ['tenant_id', 'asset_id', 'at'] }],
      }),
    );
    await qr.createIndex(
      'assets',
      new TableIndex({ name: 'IDX_assets_tenant_zone', columnNames: ['tenant_id', 'zone'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('assets', 'IDX_assets_tenant_zone');
    for (const t of ['asset_events', 'asset_ports', 'asset_identities']) await qr.dropTable(t);
    for (const c of ['merged_into_id', 'hostnames', 'registered', 'source', 'zone'])
      await qr.dropColumn('assets', c);
  }
}
