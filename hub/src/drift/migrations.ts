// Configuration-change monitoring: the accepted baseline and the current state per asset, full
// snapshots being assembled from chunks, and drift events. Table API only (SQLite + PostgreSQL).
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  boolColumn,
  idColumn,
  instantColumn,
  intColumn,
  refColumn,
  refTo,
  textColumn,
} from '../db/portable.js';

const tenantColumn = { name: 'tenant_id', type: 'varchar', length: '64' };
const assetRef = { ...refTo('asset_id', 'assets'), onDelete: 'CASCADE' };
const kindColumn = { name: 'kind', type: 'varchar', length: '32' };
/** sha-256 of kind + key: keys (paths) can be longer than an index entry may be. */
const keyHashColumn = { name: 'key_hash', type: 'varchar', length: '64' };
const digestColumn = { name: 'digest', type: 'varchar', length: '64' };

export class DriftInit1764510000001 implements MigrationInterface {
  name = 'DriftInit1764510000001';

  async up(qr: QueryRunner): Promise<void> {
    for (const name of ['drift_baseline', 'drift_state']) {
      const accepted = name === 'drift_baseline';
      await qr.createTable(
        new Table({
          name,
          columns: [
            idColumn(),
            tenantColumn,
            refColumn('asset_id'),
            kindColumn,
            textColumn('key'),
            keyHashColumn,
            digestColumn,
            textColumn('value_json'),
            boolColumn('secret', false),
            ...(accepted
              ? [
                  { name: 'accepted_by', type: 'varchar', length: '128' },
                  instantColumn(qr, 'accepted_at'),
                  textColumn('reason'),
                ]
              : [instantColumn(qr, 'updated_at')]),
          ],
          foreignKeys: [assetRef],
          uniques: [{ name: `UQ_${name}_key`, columnNames: ['tenant_id', 'asset_id', 'key_hash'] }],
        }),
      );
    }
    await qr.createTable(
      new Table({
        name: 'drift_snapshots',
        columns: [
          idColumn(),
          tenantColumn,
          refColumn('agent_id'),
          refColumn('asset_id'),
          { name: 'snapshot_id', type: 'varchar', length: '64' },
          intColumn('chunk_count'),
          instantColumn(qr, 'taken_at'),
          { name: 'state', type: 'varchar', length: '16' },
          intColumn('items'),
          instantColumn(qr, 'created_at'),
          instantColumn(qr, 'applied_at', true),
        ],
        foreignKeys: [assetRef],
        uniques: [{ name: 'UQ_drift_snapshots_id', columnNames: ['tenant_id', 'agent_id', 'snapshot_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'drift_snapshot_chunks',
        columns: [
          idColumn(),
          tenantColumn,
          refColumn('snapshot_row_id'),
          intColumn('chunk'),
          textColumn('items'),
        ],
        foreignKeys: [{ ...refTo('snapshot_row_id', 'drift_snapshots'), onDelete: 'CASCADE' }],
        uniques: [{ name: 'UQ_drift_chunks', columnNames: ['snapshot_row_id', 'chunk'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'drift_events',
        columns: [
          idColumn(),
          tenantColumn,
          refColumn('asset_id'),
          kindColumn,
          textColumn('key'),
          keyHashColumn,
          { name: 'change', type: 'varchar', length: '16' },
          textColumn('before_json', true),
          textColumn('after_json', true),
          textColumn('diff'),
          intColumn('coalesced'),
          instantColumn(qr, 'first_seen_at'),
          instantColumn(qr, 'last_seen_at'),
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'decided_by', type: 'varchar', length: '128', isNullable: true },
          instantColumn(qr, 'decided_at', true),
          textColumn('decision_reason', true),
          refColumn('finding_id', true),
          refColumn('linked_finding_id', true),
          { name: 'linked_check_id', type: 'varchar', length: '128', isNullable: true },
          instantColumn(qr, 'created_at'),
        ],
        foreignKeys: [assetRef],
        indices: [
          { name: 'IDX_drift_events_asset', columnNames: ['tenant_id', 'asset_id', 'created_at'] },
          { name: 'IDX_drift_events_status', columnNames: ['tenant_id', 'status', 'created_at'] },
          { name: 'IDX_drift_events_linked', columnNames: ['tenant_id', 'linked_finding_id'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'drift_events',
      'drift_snapshot_chunks',
      'drift_snapshots',
      'drift_state',
      'drift_baseline',
    ])
      await qr.dropTable(t);
  }
}
