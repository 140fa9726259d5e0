// Entities over the drift tables (migrations.ts).
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

export const DRIFT_KINDS = [
  'file',
  'directory',
  'port',
  'process',
  'user',
  'group',
  'package',
  'service',
  'cron',
  'sysctl',
  'kernel_module',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];
export const DRIFT_STATUSES = ['open', 'accepted', 'violation'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];
export type ChangeName = 'added' | 'removed' | 'modified';
export type DriftSourceName = 'watch' | 'scan' | 'snapshot' | 'unspecified';

/** One watched thing's value (StateItem without kind/key). */
export interface ItemValue {
  digest: string;
  valueJson: string;
  secret: boolean;
}

interface KeyedRow {
  id: string;
  tenantId: string;
  assetId: string;
  kind: string;
  key: string;
  keyHash: string;
  digest: string;
  valueJson: string;
  secret: boolean;
}
export interface BaselineItemRow extends KeyedRow {
  acceptedBy: string;
  acceptedAt: Date;
  reason: string;
}
export interface StateItemRow extends KeyedRow {
  updatedAt: Date;
}

export interface SnapshotRow {
  id: string;
  tenantId: string;
  agentId: string;
  assetId: string;
  snapshotId: string;
  chunkCount: number;
  takenAt: Date;
  state: 'assembling' | 'applied';
  items: number;
  createdAt: Date;
  appliedAt: Date | null;
}
export interface ChunkRow {
  id: string;
  tenantId: string;
  snapshotRowId: string;
  chunk: number;
  /** JSON array of StateItem-shaped objects. */
  items: string;
}

export interface DriftEventRow {
  id: string;
  tenantId: string;
  assetId: string;
  kind: string;
  key: string;
  keyHash: string;
  change: ChangeName;
  /** JSON ItemValue, null for an addition / removal. */
  beforeJson: string | null;
  afterJson: string | null;
  diff: string;
  coalesced: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  source: DriftSourceName;
  status: DriftStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  findingId: string | null;
  linkedFindingId: string | null;
  linkedCheckId: string | null;
  createdAt: Date;
}

const id: EntitySchemaColumnOptions = { type: 'varchar', length: 36, primary: true };
const ref = (name: string, nullable = false): EntitySchemaColumnOptions => ({
  type: 'varchar',
  length: 36,
  name,
  nullable,
});
const tenantId: EntitySchemaColumnOptions = { type: 'varchar', length: 64, name: 'tenant_id' };
const instant = (name: string, nullable = false): EntitySchemaColumnOptions => ({
  type: Date,
  name,
  nullable,
});
const keyed = {
  id,
  tenantId,
  assetId: ref('asset_id'),
  kind: { type: 'varchar', length: 32 },
  key: { type: 'text' },
  keyHash: { type: 'varchar', length: 64, name: 'key_hash' },
  digest: { type: 'varchar', length: 64 },
  valueJson: { type: 'text', name: 'value_json' },
  secret: { type: 'boolean' },
} satisfies Record<string, EntitySchemaColumnOptions>;

export const BaselineItemEntity = new EntitySchema<BaselineItemRow>({
  name: 'DriftBaselineItem',
  tableName: 'drift_baseline',
  columns: {
    ...keyed,
    acceptedBy: { type: 'varchar', length: 128, name: 'accepted_by' },
    acceptedAt: instant('accepted_at'),
    reason: { type: 'text' },
  },
});

export const StateItemEntity = new EntitySchema<StateItemRow>({
  name: 'DriftStateItem',
  tableName: 'drift_state',
  columns: { ...keyed, updatedAt: instant('updated_at') },
});

export const SnapshotEntity = new EntitySchema<SnapshotRow>({
  name: 'DriftSnapshot',
  tableName: 'drift_snapshots',
  columns: {
    id,
    tenantId,
    agentId: ref('agent_id'),
    assetId: ref('asset_id'),
    snapshotId: { type: 'varchar', length: 64, name: 'snapshot_id' },
    chunkCount: { type: 'integer', name: 'chunk_count' },
    takenAt: instant('taken_at'),
    state: { type: 'varchar', length: 16 },
    items: { type: 'integer' },
    createdAt: instant('created_at'),
    appliedAt: instant('applied_at', true),
  },
});

export const ChunkEntity = new EntitySchema<ChunkRow>({
  name: 'DriftSnapshotChunk',
  tableName: 'drift_snapshot_chunks',
  columns: {
    id,
    tenantId,
    snapshotRowId: ref('snapshot_row_id'),
    chunk: { type: 'integer' },
    items: { type: 'text' },
  },
});

export const DriftEventEntity = new EntitySchema<DriftEventRow>({
  name: 'DriftEvent',
  tableName: 'drift_events',
  columns: {
    id,
    tenantId,
    assetId: ref('asset_id'),
    kind: { type: 'varchar', length: 32 },
    key: { type: 'text' },
    keyHash: { type: 'varchar', length: 64, name: 'key_hash' },
    change: { type: 'varchar', length: 16 },
    beforeJson: { type: 'text', name: 'before_json', nullable: true },
    afterJson: { type: 'text', name: 'after_json', nullable: true },
    diff: { type: 'text' },
    coalesced: { type: 'integer' },
    firstSeenAt: instant('first_seen_at'),
    lastSeenAt: instant('last_seen_at'),
    source: { type: 'varchar', length: 16 },
    status: { type: 'varchar', length: 16 },
    decidedBy: { type: 'varchar', length: 128, name: 'decided_by', nullable: true },
    decidedAt: instant('decided_at', true),
    decisionReason: { type: 'text', name: 'decision_reason', nullable: true },
    findingId: ref('finding_id', true),
    linkedFindingId: ref('linked_finding_id', true),
    linkedCheckId: { type: 'varchar', length: 128, name: 'linked_check_id', nullable: true },
    createdAt: instant('created_at'),
  },
});

export const driftEntities = [
  BaselineItemEntity,
  StateItemEntity,
  SnapshotEntity,
  ChunkEntity,
  DriftEventEntity,
];
