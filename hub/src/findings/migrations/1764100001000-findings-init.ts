// Creates findings and their evidences. Runs after the asset ledger's migration (timestamp).
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { instantType } from '../../db/portable.js';

const col = (name: string, type: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type,
  ...extra,
});
const ref = (name: string) => col(name, 'varchar', { length: '36' });

export class FindingsInit1764100001000 implements MigrationInterface {
  name = 'FindingsInit1764100001000';

  async up(qr: QueryRunner): Promise<void> {
    const instant = instantType(qr);
    await qr.createTable(
      new Table({
        name: 'findings',
        columns: [
          col('id', 'varchar', { length: '36', isPrimary: true }),
          col('tenant_id', 'varchar', { length: '64' }),
          ref('asset_id'),
          col('type', 'varchar', { length: '32' }),
          col('identity_key', 'varchar', { length: '64' }),
          col('rule_id', 'text'),
          col('component', 'text'),
          col('port', 'integer', { isNullable: true }),
          col('protocol', 'varchar', { length: '16', isNullable: true }),
          col('title', 'text'),
          col('description', 'text'),
          col('severity', 'varchar', { length: '16' }),
          col('severity_rank', 'integer'),
          col('cvss_score', 'double precision', { isNullable: true }),
          col('risk_score', 'double precision', { isNullable: true }),
          col('risk_factors', 'text'),
          col('status', 'varchar', { length: '16' }),
          col('first_seen_at', instant),
          col('last_seen_at', instant),
          col('resolved_at', instant, { isNullable: true }),
          col('recurrence_count', 'integer'),
          col('source_count', 'integer'),
        ],
        uniques: [{ name: 'UQ_findings_tenant_identity', columnNames: ['tenant_id', 'identity_key'] }],
        indices: [
          { name: 'IDX_findings_tenant_asset', columnNames: ['tenant_id', 'asset_id', 'type'] },
          // The default listing: most severe, most recent first.
          {
            name: 'IDX_findings_tenant_rank_seen',
            columnNames: ['tenant_id', 'severity_rank', 'last_seen_at'],
          },
          { name: 'IDX_findings_tenant_status', columnNames: ['tenant_id', 'status'] },
        ],
        foreignKeys: [
          {
            name: 'FK_findings_asset',
            columnNames: ['asset_id'],
            referencedTableName: 'assets',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'finding_evidences',
        columns: [
          col('id', 'varchar', { length: '36', isPrimary: true }),
          col('tenant_id', 'varchar', { length: '64' }),
          ref('finding_id'),
          col('source', 'varchar', { length: '64' }),
          col('observed_at', instant),
          col('recorded_at', instant),
          col('raw_excerpt', 'text', { isNullable: true }),
          col('details', 'text'),
        ],
        // One evidence per (finding, source, observation time): replays add nothing.
        uniques: [
          { name: 'UQ_finding_evidences_observation', columnNames: ['finding_id', 'source', 'observed_at'] },
        ],
        indices: [{ name: 'IDX_finding_evidences_tenant_finding', columnNames: ['tenant_id', 'finding_id'] }],
        foreignKeys: [
          {
            name: 'FK_finding_evidences_finding',
            columnNames: ['finding_id'],
            referencedTableName: 'findings',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('finding_evidences');
    await qr.dropTable('findings');
  }
}
