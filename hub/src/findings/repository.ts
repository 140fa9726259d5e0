// The only code in findings/ that touches TypeORM. Every method takes the tenant and filters on it.
import { In, LessThan, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import {
  EvidenceEntity,
  FindingEntity,
  type EvidenceRow,
  type FindingRow,
  type FindingStatus,
} from './entities.js';
import type { FindingFilters, PageRequest } from './schemas.js';
import type { Dialect } from '../db/portable.js';
import { EVIDENCE_COLUMNS, FINDING_COLUMNS, insertRows, toParam } from './raw-insert.js';

const ID_CHUNK = 900; // under SQLite's 999 bound variables, with room for the other parameters

export class FindingsRepository {
  constructor(private readonly em: EntityManager) {}

  private get isPostgres(): boolean {
    return this.em.dataSource.options.type === 'postgres';
  }

  private get dialect(): Dialect {
    return this.isPostgres ? 'postgres' : 'sqlite';
  }

  /** With `lock`, PostgreSQL holds the row until commit (SQLite serialises writers anyway). */
  findByKey(tenantId: string, identityKey: string, lock: boolean): Promise<FindingRow | null> {
    const qb = this.em
      .getRepository(FindingEntity)
      .createQueryBuilder('f')
      .where('f.tenantId = :tenantId AND f.identityKey = :identityKey', { tenantId, identityKey });
    if (lock && this.isPostgres) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findById(tenantId: string, id: string): Promise<FindingRow | null> {
    return this.em.getRepository(FindingEntity).findOneBy({ tenantId, id });
  }

  /** Inserts unless a finding with the same (tenant, identity key) exists; concurrent-safe. */
  async insertIfAbsent(row: FindingRow): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(FindingEntity)
      .values(row as QueryDeepPartialEntity<FindingRow>)
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  /** (id, identity key) of the findings with any of the keys (chunked). */
  async idsByKeys(tenantId: string, keys: string[]): Promise<Pick<FindingRow, 'id' | 'identityKey'>[]> {
    const out: Pick<FindingRow, 'id' | 'identityKey'>[] = [];
    for (let i = 0; i < keys.length; i += ID_CHUNK) {
      out.push(
        ...(await this.em.getRepository(FindingEntity).find({
          select: { id: true, identityKey: true },
          where: { tenantId, identityKey: In(keys.slice(i, i + ID_CHUNK)) },
        })),
      );
    }
    return out;
  }

  /** Full rows by id (chunked); with `lock`, PostgreSQL holds them until commit. */
  async findByIds(tenantId: string, ids: string[], lock: boolean): Promise<FindingRow[]> {
    const out: FindingRow[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const qb = this.em
        .getRepository(FindingEntity)
        .createQueryBuilder('f')
        .where('f.tenantId = :tenantId AND f.id IN (:...ids)', { tenantId, ids: ids.slice(i, i + ID_CHUNK) });
      if (lock && this.isPostgres) qb.setLock('pessimistic_write');
      out.push(...(await qb.getMany()));
    }
    return out;
  }

  /** (finding, source, observedAt) of every evidence of the findings: what upsertMany dedups on. */
  async evidenceFacts(
    tenantId: string,
    findingIds: string[],
  ): Promise<Pick<EvidenceRow, 'findingId' | 'source' | 'observedAt'>[]> {
    const out: Pick<EvidenceRow, 'findingId' | 'source' | 'observedAt'>[] = [];
    for (let i = 0; i < findingIds.length; i += ID_CHUNK) {
      out.push(
        ...(await this.em.getRepository(EvidenceEntity).find({
          select: { findingId: true, source: true, observedAt: true },
          where: { tenantId, findingId: In(findingIds.slice(i, i + ID_CHUNK)) },
        })),
      );
    }
    return out;
  }

  /**
   * Inserts new findings with multi-row raw INSERTs (TypeORM's builder costs more than SQLite's
   * work here), skipping identity keys another writer inserted meanwhile.
   */
  async insertMany(rows: FindingRow[]): Promise<void> {
    const d = this.dialect;
    const cols = Object.keys(FINDING_COLUMNS);
    const values = rows.map((r) => cols.map((c) => toParam(d, FINDING_COLUMNS[c]?.(r) ?? null)));
    await insertRows(this.em, d, 'findings', cols, values, true);
  }

  async insertEvidences(rows: EvidenceRow[]): Promise<void> {
    const d = this.dialect;
    const values = rows.map((e) =>
      [
        e.id,
        e.tenantId,
        e.findingId,
        e.source,
        e.observedAt,
        e.recordedAt,
        e.rawExcerpt,
        JSON.stringify(e.details),
      ].map((v) => toParam(d, v)),
    );
    await insertRows(this.em, d, 'finding_evidences', EVIDENCE_COLUMNS, values, false);
  }

  async update(tenantId: string, row: FindingRow): Promise<void> {
    const { id, tenantId: _t, ...fields } = row;
    await this.em
      .createQueryBuilder()
      .update(FindingEntity)
      .set(fields as QueryDeepPartialEntity<FindingRow>)
      .where({ tenantId, id })
      .execute();
  }

  hasEvidence(tenantId: string, findingId: string, source: string, observedAt: Date): Promise<boolean> {
    return this.em.getRepository(EvidenceEntity).existsBy({ tenantId, findingId, source, observedAt });
  }

  hasSource(tenantId: string, findingId: string, source: string): Promise<boolean> {
    return this.em.getRepository(EvidenceEntity).existsBy({ tenantId, findingId, source });
  }

  async insertEvidence(row: EvidenceRow): Promise<void> {
    await this.em
      .createQueryBuilder()
      .insert()
      .into(EvidenceEntity)
      .values(row as QueryDeepPartialEntity<EvidenceRow>)
      .updateEntity(false)
      .execute();
  }

  /** Open or reopened findings of one asset and type that `source` has reported, last seen before `before`. */
  openFromSource(
    tenantId: string,
    scope: { assetId: string; type: string; source: string; before: Date },
  ): Promise<Pick<FindingRow, 'id' | 'identityKey'>[]> {
    return this.em
      .getRepository(FindingEntity)
      .createQueryBuilder('f')
      .select(['f.id', 'f.identityKey'])
      .where('f.tenantId = :tenantId AND f.assetId = :assetId AND f.type = :type', { tenantId, ...scope })
      .andWhere('f.status IN (:...open)', { open: ['open', 'reopened'] satisfies FindingStatus[] })
      .andWhere('f.lastSeenAt < :before', { before: scope.before })
      .andWhere(
        (qb) =>
          `EXISTS ${qb
            .subQuery()
            .select('1')
            .from(EvidenceEntity, 'e')
            .where('e.findingId = f.id AND e.tenantId = f.tenantId AND e.source = :source')
            .getQuery()}`,
        { source: scope.source },
      )
      .getMany();
  }

  async markResolved(tenantId: string, ids: string[], resolvedAt: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      await this.em
        .createQueryBuilder()
        .update(FindingEntity)
        .set({ status: 'resolved', resolvedAt })
        .where({ tenantId, id: In(ids.slice(i, i + ID_CHUNK)), lastSeenAt: LessThan(resolvedAt) })
        .execute();
    }
  }

  list(tenantId: string, filters: FindingFilters, page: PageRequest): Promise<[FindingRow[], number]> {
    const qb = this.em
      .getRepository(FindingEntity)
      .createQueryBuilder('f')
      // SQLite has no table statistics here: it takes `tenant_id = ?` for a selective index and,
      // under the source filter, walks every finding of the tenant probing the source's id list
      // (7.8 s for the count at 1M). The no-op `+` keeps that term off the index, so the plan drives
      // from the evidences' ids through the primary key (EXPLAIN QUERY PLAN, BENCHMARKS.md).
      // PostgreSQL plans the semi-join from its statistics and has no unary + for text.
      .where(
        filters.source && this.dialect === 'sqlite'
          ? '+"f"."tenant_id" = :tenantId'
          : 'f.tenantId = :tenantId',
        {
          tenantId,
        },
      );
    if (filters.type?.length) qb.andWhere('f.type IN (:...types)', { types: filters.type });
    if (filters.status?.length) qb.andWhere('f.status IN (:...statuses)', { statuses: filters.status });
    if (filters.severity?.length)
      qb.andWhere('f.severity IN (:...severities)', { severities: filters.severity });
    if (filters.assetId) qb.andWhere('f.assetId = :assetId', { assetId: filters.assetId });
    if (filters.priority?.length)
      qb.andWhere('f.priority IN (:...priorities)', { priorities: filters.priority });
    if (filters.cve) qb.andWhere('f.cve = :cve', { cve: filters.cve });
    if (filters.source) {
      // Driven from the evidences of that source (index tenant, source, finding): a per-row
      // EXISTS probe would visit every finding of the tenant to count the matches.
      qb.andWhere(
        (sub) =>
          `f.id IN ${sub
            .subQuery()
            .select('e.findingId')
            .from(EvidenceEntity, 'e')
            .where('e.tenantId = :tenantId AND e.source = :source')
            .getQuery()}`,
        { source: filters.source },
      );
    }
    // Unscored findings sort last under "risk" on both dialects (NULLs sort differently).
    if (filters.sort === 'risk')
      qb.orderBy('COALESCE(f.riskScore, -1)', 'DESC').addOrderBy('f.severityRank', 'DESC');
    else qb.orderBy('f.severityRank', 'DESC');
    return qb
      .addOrderBy('f.lastSeenAt', 'DESC')
      .addOrderBy('f.id', 'ASC')
      .limit(page.limit)
      .offset(page.offset)
      .getManyAndCount();
  }

  async setRisk(
    tenantId: string,
    u: {
      id: string;
      riskScore: number;
      riskFactors: Record<string, unknown>;
      priority: string;
      dueAt: Date | null;
    },
  ): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(FindingEntity)
      .set({
        riskScore: u.riskScore,
        riskFactors: u.riskFactors,
        priority: u.priority,
        dueAt: u.dueAt,
      } as QueryDeepPartialEntity<FindingRow>)
      .where({ tenantId, id: u.id })
      .execute();
  }

  forScoring(
    tenantId: string,
    q: { afterId?: string; limit: number; ids?: string[] },
  ): Promise<FindingRow[]> {
    const qb = this.em
      .getRepository(FindingEntity)
      .createQueryBuilder('f')
      .where('f.tenantId = :tenantId', { tenantId });
    if (q.ids) qb.andWhere('f.id IN (:...ids)', { ids: q.ids.length ? q.ids.slice(0, ID_CHUNK) : [''] });
    else qb.andWhere('f.status IN (:...open)', { open: ['open', 'reopened'] satisfies FindingStatus[] });
    if (q.afterId) qb.andWhere('f.id > :afterId', { afterId: q.afterId });
    return qb.orderBy('f.id', 'ASC').limit(q.limit).getMany();
  }

  evidences(tenantId: string, findingId: string, limit: number): Promise<[EvidenceRow[], number]> {
    return this.em.getRepository(EvidenceEntity).findAndCount({
      where: { tenantId, findingId },
      order: { observedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }
}
