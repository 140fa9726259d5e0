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

const ID_CHUNK = 900; // under SQLite's 999 bound variables, with room for the other parameters

export class FindingsRepository {
  constructor(private readonly em: EntityManager) {}

  private get isPostgres(): boolean {
    return this.em.dataSource.options.type === 'postgres';
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
      .where('f.tenantId = :tenantId', { tenantId });
    if (filters.type?.length) qb.andWhere('f.type IN (:...types)', { types: filters.type });
    if (filters.status?.length) qb.andWhere('f.status IN (:...statuses)', { statuses: filters.status });
    if (filters.severity?.length)
      qb.andWhere('f.severity IN (:...severities)', { severities: filters.severity });
    if (filters.assetId) qb.andWhere('f.assetId = :assetId', { assetId: filters.assetId });
    return qb
      .orderBy('f.severityRank', 'DESC')
      .addOrderBy('f.lastSeenAt', 'DESC')
      .addOrderBy('f.id', 'ASC')
      .limit(page.limit)
      .offset(page.offset)
      .getManyAndCount();
  }

  evidences(tenantId: string, findingId: string, limit: number): Promise<[EvidenceRow[], number]> {
    return this.em.getRepository(EvidenceEntity).findAndCount({
      where: { tenantId, findingId },
      order: { observedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }
}
