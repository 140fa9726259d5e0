// The baselines domain's only TypeORM code; every query is scoped by tenant.
import { type EntityManager, In, LessThan } from 'typeorm';
import type { RunPoint } from './compliance.js';
import {
  BaselineResultEntity,
  BaselineRunEntity,
  type BaselineResultRow,
  type BaselineRunRow,
} from './entities.js';

const INSERT_CHUNK = 200;

export class BaselinesRepository {
  constructor(private readonly em: EntityManager) {}

  private runs() {
    return this.em.getRepository(BaselineRunEntity);
  }

  private results() {
    return this.em.getRepository(BaselineResultEntity);
  }

  async insertRun(run: BaselineRunRow, results: BaselineResultRow[]): Promise<void> {
    await this.runs().insert(run);
    for (let i = 0; i < results.length; i += INSERT_CHUNK)
      await this.results().insert(results.slice(i, i + INSERT_CHUNK));
  }

  /** The run of the same asset × policy just before `before`, if any. */
  previousRun(
    tenantId: string,
    assetId: string,
    policyKey: string,
    before: Date,
  ): Promise<BaselineRunRow | null> {
    return this.runs().findOne({
      where: { tenantId, assetId, policyKey, startedAt: LessThan(before) },
      order: { startedAt: 'DESC' },
    });
  }

  findRun(tenantId: string, id: string): Promise<BaselineRunRow | null> {
    return this.runs().findOne({ where: { tenantId, id } });
  }

  resultsOf(tenantId: string, runIds: string[]): Promise<BaselineResultRow[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return this.results().find({ where: { tenantId, runId: In(runIds) }, order: { checkId: 'ASC' } });
  }

  listRuns(
    tenantId: string,
    f: { assetId?: string | undefined; policyKey?: string | undefined },
    page: { limit: number; offset: number },
  ): Promise<[BaselineRunRow[], number]> {
    return this.runs().findAndCount({
      where: {
        tenantId,
        ...(f.assetId ? { assetId: f.assetId } : {}),
        ...(f.policyKey ? { policyKey: f.policyKey } : {}),
      },
      order: { startedAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** The newest run per policy on one asset. */
  async latestPerPolicy(tenantId: string, assetId: string): Promise<BaselineRunRow[]> {
    const qb = this.runs().createQueryBuilder('r');
    return qb
      .where('r.tenantId = :tenantId AND r.assetId = :assetId', { tenantId, assetId })
      .andWhere(
        `r.startedAt = ${qb
          .subQuery()
          .select('MAX(x.startedAt)')
          .from(BaselineRunEntity, 'x')
          .where('x.tenantId = r.tenantId AND x.assetId = r.assetId AND x.policyKey = r.policyKey')
          .getQuery()}`,
      )
      .orderBy('r.policyKey', 'ASC')
      .getMany();
  }

  /** Run points for compliance: all runs in [from, to] plus the latest of each pair before `from`. */
  async runPoints(
    tenantId: string,
    from: Date,
    to: Date,
    f: { assetId?: string | undefined; policyKey?: string | undefined },
  ): Promise<RunPoint[]> {
    const select = ['r.assetId', 'r.policyKey', 'r.startedAt', 'r.passed', 'r.failed'];
    const scoped = (alias: string) => {
      const qb = this.runs()
        .createQueryBuilder(alias)
        .select(select.map((s) => s.replace('r.', `${alias}.`)));
      qb.where(`${alias}.tenantId = :tenantId`, { tenantId });
      if (f.assetId) qb.andWhere(`${alias}.assetId = :assetId`, { assetId: f.assetId });
      if (f.policyKey) qb.andWhere(`${alias}.policyKey = :policyKey`, { policyKey: f.policyKey });
      return qb;
    };
    const inRange = await scoped('r')
      .andWhere('r.startedAt >= :from AND r.startedAt <= :to', { from, to })
      .getMany();
    const before = scoped('r');
    const carried = await before
      .andWhere(
        `r.startedAt = ${before
          .subQuery()
          .select('MAX(x.startedAt)')
          .from(BaselineRunEntity, 'x')
          .where('x.tenantId = r.tenantId AND x.assetId = r.assetId AND x.policyKey = r.policyKey')
          .andWhere('x.startedAt < :from')
          .getQuery()}`,
        { from },
      )
      .getMany();
    return [...carried, ...inRange];
  }
}
