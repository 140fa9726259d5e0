// The drift domain's only TypeORM code; every query is scoped by tenant.
import { And, type EntityManager, type EntitySchema, In, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import {
  BaselineItemEntity,
  ChunkEntity,
  DriftEventEntity,
  SnapshotEntity,
  StateItemEntity,
  type BaselineItemRow,
  type ChunkRow,
  type DriftEventRow,
  type DriftStatus,
  type SnapshotRow,
  type StateItemRow,
} from './entities.js';

const CHUNK = 200;
const MAX_LINK_CANDIDATES = 5000;

export interface EventFilters {
  assetId?: string | undefined;
  status?: DriftStatus[] | undefined;
  kind?: string[] | undefined;
  findingId?: string | undefined;
}

export class DriftRepository {
  constructor(private readonly em: EntityManager) {}

  private async insertMany<T extends object>(entity: EntitySchema<T>, rows: T[]): Promise<void> {
    const repo = this.em.getRepository(entity);
    for (let i = 0; i < rows.length; i += CHUNK) await repo.insert(rows.slice(i, i + CHUNK));
  }

  // --- baseline and state -------------------------------------------------------------------
  hasBaseline(tenantId: string, assetId: string): Promise<boolean> {
    return this.em.getRepository(BaselineItemEntity).existsBy({ tenantId, assetId });
  }
  baseline(tenantId: string, assetId: string): Promise<BaselineItemRow[]> {
    return this.em
      .getRepository(BaselineItemEntity)
      .find({ where: { tenantId, assetId }, order: { kind: 'ASC', key: 'ASC' } });
  }
  /** The first `limit` items of the accepted baseline and how many there are (for the API). */
  baselinePage(tenantId: string, assetId: string, limit: number): Promise<[BaselineItemRow[], number]> {
    return this.em
      .getRepository(BaselineItemEntity)
      .findAndCount({ where: { tenantId, assetId }, order: { kind: 'ASC', key: 'ASC' }, take: limit });
  }
  state(tenantId: string, assetId: string): Promise<StateItemRow[]> {
    return this.em.getRepository(StateItemEntity).find({ where: { tenantId, assetId } });
  }
  stateItem(tenantId: string, assetId: string, keyHash: string): Promise<StateItemRow | null> {
    return this.em.getRepository(StateItemEntity).findOneBy({ tenantId, assetId, keyHash });
  }
  insertBaseline(rows: BaselineItemRow[]): Promise<void> {
    return this.insertMany(BaselineItemEntity, rows);
  }
  insertState(rows: StateItemRow[]): Promise<void> {
    return this.insertMany(StateItemEntity, rows);
  }
  /** Replaces (or with `row` undefined, removes) one key of the accepted baseline. */
  async setBaselineItem(
    tenantId: string,
    assetId: string,
    keyHash: string,
    row: BaselineItemRow | undefined,
  ) {
    await this.em.getRepository(BaselineItemEntity).delete({ tenantId, assetId, keyHash });
    if (row) await this.em.getRepository(BaselineItemEntity).insert(row);
  }
  async setStateItem(tenantId: string, assetId: string, keyHash: string, row: StateItemRow | undefined) {
    await this.em.getRepository(StateItemEntity).delete({ tenantId, assetId, keyHash });
    if (row) await this.em.getRepository(StateItemEntity).insert(row);
  }

  // --- snapshots ----------------------------------------------------------------------------
  findSnapshot(tenantId: string, agentId: string, snapshotId: string): Promise<SnapshotRow | null> {
    return this.em.getRepository(SnapshotEntity).findOneBy({ tenantId, agentId, snapshotId });
  }
  async insertSnapshot(row: SnapshotRow): Promise<void> {
    await this.em.getRepository(SnapshotEntity).insert(row);
  }
  /**
   * Marks the snapshot applied and drops its chunks, and those of the agent's older snapshots
   * still assembling: the agent has moved on, their missing chunks will never come.
   */
  async markApplied(row: SnapshotRow, items: number, at: Date): Promise<void> {
    const { tenantId, id } = row;
    const snapshots = this.em.getRepository(SnapshotEntity);
    await snapshots.update({ tenantId, id }, { state: 'applied', items, appliedAt: at });
    const stale = await snapshots.find({
      select: { id: true },
      where: {
        tenantId,
        agentId: row.agentId,
        state: 'assembling',
        createdAt: LessThanOrEqual(row.createdAt),
      },
    });
    const ids = [id, ...stale.map((s) => s.id)];
    await this.em.getRepository(ChunkEntity).delete({ tenantId, snapshotRowId: In(ids) });
    if (stale.length > 0) await snapshots.delete({ tenantId, id: In(stale.map((s) => s.id)) });
  }
  hasChunk(tenantId: string, snapshotRowId: string, chunk: number): Promise<boolean> {
    return this.em.getRepository(ChunkEntity).existsBy({ tenantId, snapshotRowId, chunk });
  }
  async insertChunk(row: ChunkRow): Promise<void> {
    await this.em.getRepository(ChunkEntity).insert(row);
  }
  chunkCount(tenantId: string, snapshotRowId: string): Promise<number> {
    return this.em.getRepository(ChunkEntity).countBy({ tenantId, snapshotRowId });
  }
  chunks(tenantId: string, snapshotRowId: string): Promise<ChunkRow[]> {
    return this.em
      .getRepository(ChunkEntity)
      .find({ where: { tenantId, snapshotRowId }, order: { chunk: 'ASC' } });
  }

  // --- events -------------------------------------------------------------------------------
  insertEvents(rows: DriftEventRow[]): Promise<void> {
    return this.insertMany(DriftEventEntity, rows);
  }
  findEvent(tenantId: string, id: string): Promise<DriftEventRow | null> {
    return this.em.getRepository(DriftEventEntity).findOneBy({ tenantId, id });
  }
  async updateEvent(tenantId: string, id: string, patch: Partial<DriftEventRow>): Promise<void> {
    await this.em.getRepository(DriftEventEntity).update({ tenantId, id }, patch);
  }
  listEvents(
    tenantId: string,
    f: EventFilters,
    page: { limit: number; offset: number },
  ): Promise<[DriftEventRow[], number]> {
    return this.em.getRepository(DriftEventEntity).findAndCount({
      where: {
        tenantId,
        ...(f.assetId ? { assetId: f.assetId } : {}),
        ...(f.status?.length ? { status: In(f.status) } : {}),
        ...(f.kind?.length ? { kind: In(f.kind) } : {}),
        ...(f.findingId ? { linkedFindingId: f.findingId } : {}),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }
  /** Undecided-or-flagged, unlinked events last seen in (since, until]. */
  linkCandidates(
    tenantId: string,
    assetId: string,
    since: Date | null,
    until: Date,
  ): Promise<DriftEventRow[]> {
    const lastSeenAt = since ? And(MoreThan(since), LessThanOrEqual(until)) : LessThanOrEqual(until);
    return this.em.getRepository(DriftEventEntity).find({
      where: { tenantId, assetId, linkedFindingId: IsNull(), status: In(['open', 'violation']), lastSeenAt },
      order: { lastSeenAt: 'DESC' },
      take: MAX_LINK_CANDIDATES,
    });
  }
  /** Flagged events of the asset (their findings may be resolvable). */
  violations(tenantId: string, assetId: string): Promise<Pick<DriftEventRow, 'kind' | 'key' | 'keyHash'>[]> {
    return this.em.getRepository(DriftEventEntity).find({
      select: { kind: true, key: true, keyHash: true },
      where: { tenantId, assetId, status: 'violation' },
      take: MAX_LINK_CANDIDATES,
    });
  }
  baselineItem(tenantId: string, assetId: string, keyHash: string): Promise<BaselineItemRow | null> {
    return this.em.getRepository(BaselineItemEntity).findOneBy({ tenantId, assetId, keyHash });
  }
  linkedTo(tenantId: string, findingIds: string[]): Promise<Pick<DriftEventRow, 'id' | 'linkedFindingId'>[]> {
    return this.em.getRepository(DriftEventEntity).find({
      select: { id: true, linkedFindingId: true },
      where: { tenantId, linkedFindingId: In(findingIds) },
      order: { createdAt: 'ASC' },
    });
  }
}
