import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, instantColumn, intColumn, refColumn, textColumn } from '../../db/portable.js';

export class MatchCandidates1764530000000 implements MigrationInterface {
  name = 'MatchCandidates1764530000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'match_candidates',
        columns: [
          idColumn(),
          refColumn('tenant_id'),
          refColumn('asset_id'),
          { name: 'vuln_id', type: 'varchar', length: '128' },
          textColumn('component'),
          intColumn('port', true),
          { name: 'protocol', type: 'varchar', length: '16', isNullable: true },
          textColumn('cpe'),
          textColumn('criteria'),
          textColumn('reason'),
          instantColumn(qr, 'created_at'),
        ],
        indices: [
          { name: 'IDX_match_candidates_asset', columnNames: ['tenant_id', 'asset_id'] },
          { name: 'IDX_match_candidates_vuln', columnNames: ['tenant_id', 'vuln_id'] },
        ],
      }),
    );
    // Early warning looks packages up by name across every tenant (one query for all the source
    // packages an import touched); the assets table's own index leads with tenant_id.
    await qr.createIndex(
      'asset_packages',
      new TableIndex({ name: 'IDX_asset_packages_source', columnNames: ['source_name'] }),
    );
    await qr.createIndex(
      'asset_packages',
      new TableIndex({ name: 'IDX_asset_packages_name', columnNames: ['name'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('asset_packages', 'IDX_asset_packages_name');
    await qr.dropIndex('asset_packages', 'IDX_asset_packages_source');
    await qr.dropTable('match_candidates');
  }
}
