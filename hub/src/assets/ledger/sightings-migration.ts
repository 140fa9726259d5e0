// Who saw each asset (#3: shadow assets list "who saw them"): one row per (asset, scanning agent)
// with first and last seen, written by applyDiscovery. Older sightings survive only as
// asset_ports.seen_by_agent_id, which the list's seenBy also reads (no backfill needed).
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, instantColumn, refColumn } from '../../db/portable.js';

export class AssetSightings1764400000000 implements MigrationInterface {
  name = 'AssetSightings1764400000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'asset_sightings',
        columns: [
          idColumn(),
          { name: 'tenant_id', type: 'varchar', length: '64' },
          refColumn('asset_id'),
          { name: 'agent_id', type: 'varchar', length: '64' },
          instantColumn(qr, 'first_seen_at'),
          instantColumn(qr, 'last_seen_at'),
        ],
        foreignKeys: [
          {
            name: 'FK_asset_sightings_asset',
            columnNames: ['asset_id'],
            referencedTableName: 'assets',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [
          { name: 'UQ_asset_sightings', columnNames: ['tenant_id', 'asset_id', 'agent_id'], isUnique: true },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('asset_sightings');
  }
}
