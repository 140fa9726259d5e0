// Intel tables. Global, not tenant-owned: feeds are shared by every tenant. Dates from feeds are
// kept as ISO-8601 text (they sort as text and keep the feed's precision); hub instants use
// instantType(). Child rows (affected, CPE products, distro fixes) are replaced per record.
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { instantType } from '../../db/portable.js';

const col = (name: string, type: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type,
  ...extra,
});
const vc = (name: string, length: number, nullable = false) =>
  col(name, 'varchar', { length: String(length), isNullable: nullable });
const recordCols = () => [vc('source', 32, false), vc('record_key', 300, false), vc('vuln_id', 128, false)];

export class IntelInit1764520000000 implements MigrationInterface {
  name = 'IntelInit1764520000000';

  async up(qr: QueryRunner): Promise<void> {
    const instant = instantType(qr);
    await qr.createTable(
      new Table({
        name: 'intel_imports',
        columns: [
          col('id', 'varchar', { length: '36', isPrimary: true }),
          col('seq', 'integer'),
          vc('format', 32, true),
          col('file_name', 'text'),
          vc('state', 16),
          col('bytes_total', 'bigint'),
          col('bytes_read', 'bigint'),
          col('count_new', 'integer'),
          col('count_updated', 'integer'),
          col('count_unchanged', 'integer'),
          col('count_failed', 'integer'),
          col('count_changed_ids', 'integer'),
          vc('error_code', 64, true),
          col('error_message', 'text', { isNullable: true }),
          col('failures', 'text'),
          vc('requested_by', 128, true),
          col('started_at', instant),
          col('finished_at', instant, { isNullable: true }),
        ],
        uniques: [{ name: 'UQ_intel_imports_seq', columnNames: ['seq'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_vulns',
        columns: [
          ...recordCols().map((c) => (c.name === 'vuln_id' ? c : { ...c, isPrimary: true })),
          vc('published', 32, true),
          vc('modified', 32, true),
          col('cvss3_score', 'double precision', { isNullable: true }),
          col('cvss4_score', 'double precision', { isNullable: true }),
          vc('content_hash', 64),
          col('doc', 'text'),
          // The configurations alone, so CPE matching need not parse whole records.
          col('configs', 'text'),
          vc('import_id', 36),
        ],
        indices: [
          { name: 'IDX_intel_vulns_vuln', columnNames: ['vuln_id'] },
          { name: 'IDX_intel_vulns_source_modified', columnNames: ['source', 'modified'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_aliases',
        columns: [
          ...recordCols().map((c) => ({ ...c, isPrimary: true })),
          col('alias', 'varchar', { length: '128', isPrimary: true }),
        ],
        indices: [{ name: 'IDX_intel_aliases_alias', columnNames: ['alias'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_affected',
        columns: [
          ...recordCols().map((c) => (c.name === 'vuln_id' ? c : { ...c, isPrimary: true })),
          col('ordinal', 'integer', { isPrimary: true }),
          vc('ecosystem', 128),
          vc('package', 256),
          col('doc', 'text'),
        ],
        indices: [{ name: 'IDX_intel_affected_pkg', columnNames: ['ecosystem', 'package'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_cpe_products',
        columns: [
          ...recordCols().map((c) => (c.name === 'vuln_id' ? c : { ...c, isPrimary: true })),
          col('part', 'varchar', { length: '1', isPrimary: true }),
          col('vendor', 'varchar', { length: '128', isPrimary: true }),
          col('product', 'varchar', { length: '128', isPrimary: true }),
        ],
        indices: [{ name: 'IDX_intel_cpe_products_product', columnNames: ['vendor', 'product', 'part'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_distro_fixes',
        columns: [
          ...recordCols().map((c) => (c.name === 'vuln_id' ? c : { ...c, isPrimary: true })),
          col('ordinal', 'integer', { isPrimary: true }),
          vc('ecosystem', 128),
          vc('source_package', 256),
          vc('release', 32, true),
          vc('state', 16),
          vc('fixed_version', 256, true),
          vc('urgency', 32, true),
          col('aliases', 'text'),
        ],
        indices: [{ name: 'IDX_intel_distro_fixes_pkg', columnNames: ['ecosystem', 'source_package'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_kev',
        columns: [
          col('cve', 'varchar', { length: '128', isPrimary: true }),
          vc('date_added', 10),
          vc('content_hash', 64),
          col('doc', 'text'),
          vc('import_id', 36),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_epss',
        columns: [
          col('cve', 'varchar', { length: '128', isPrimary: true }),
          col('score', 'double precision'),
          col('percentile', 'double precision'),
          vc('score_date', 10),
          vc('model_version', 64),
          vc('import_id', 36),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_changes',
        columns: [
          col('seq', 'integer', { isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
          vc('import_id', 36),
          vc('vuln_id', 128),
          vc('source', 32),
          vc('kind', 16),
          col('fields', 'text'),
          col('changed_at', instant),
        ],
        indices: [
          { name: 'IDX_intel_changes_vuln', columnNames: ['vuln_id'] },
          { name: 'IDX_intel_changes_import', columnNames: ['import_id'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'intel_sources',
        columns: [
          col('source', 'varchar', { length: '32', isPrimary: true }),
          col('records', 'integer'),
          vc('newest_modified', 32, true),
          vc('newest_published', 32, true),
          vc('last_import_id', 36, true),
          col('updated_at', instant),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'intel_sources',
      'intel_changes',
      'intel_epss',
      'intel_kev',
      'intel_distro_fixes',
      'intel_cpe_products',
      'intel_affected',
      'intel_aliases',
      'intel_vulns',
      'intel_imports',
    ])
      await qr.dropTable(t);
  }
}
