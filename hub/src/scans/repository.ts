// The only code touching scans, scan_runs and discovery_observations. Every query is scoped by
// tenant except `schedulable`, the scheduler's own cross-tenant sweep.
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import {
  DiscoveryObservationEntity,
  ScanEntity,
  ScanRunEntity,
  type DiscoveryObservationRow,
  type ScanRow,
  type ScanRunRow,
} from './entities.js';

export const MAX_HOSTS_SHOWN = 1000;

export class ScansRepository {
  constructor(private readonly ds: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.ds.manager;
  }

  insertScan(em: EntityManager, s: ScanRow): Promise<ScanRow> {
    return em.getRepository(ScanEntity).save(s);
  }
  findScan(tenantId: string, id: string, em?: EntityManager): Promise<ScanRow | null> {
    return this.m(em).getRepository(ScanEntity).findOneBy({ tenantId, id });
  }
  listScans(tenantId: string, limit: number, offset: number): Promise<[ScanRow[], number]> {
    return this.ds
      .getRepository(ScanEntity)
      .findAndCount({ where: { tenantId }, order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }
  async updateScan(em: EntityManager, tenantId: string, id: string, patch: Partial<ScanRow>): Promise<void> {
    await em.getRepository(ScanEntity).update({ tenantId, id }, patch);
  }
  /**
   * Claims run `runNo` (pending → started) only if no other tick or hub node did first: the
   * update matches the run count the caller read. False = someone else started it.
   */
  async claimRun(em: EntityManager, s: ScanRow, runNo: number, patch: Partial<ScanRow>): Promise<boolean> {
    const r = await em
      .getRepository(ScanEntity)
      .update(
        { tenantId: s.tenantId, id: s.id, runCount: s.runCount, cancelledAt: IsNull() },
        { ...patch, pendingRun: false, runCount: runNo },
      );
    return (r.affected ?? 0) === 1;
  }
  /** Scans the scheduler looks at: not cancelled, and a run pending or a schedule set. */
  async schedulable(): Promise<ScanRow[]> {
    const repo = this.ds.getRepository(ScanEntity);
    const pending = await repo.findBy({ cancelledAt: IsNull(), pendingRun: true });
    const scheduled = await repo.find({ where: { cancelledAt: IsNull() } });
    const byId = new Map([...pending, ...scheduled.filter((s) => s.schedule !== null)].map((s) => [s.id, s]));
    return [...byId.values()];
  }

  insertRuns(em: EntityManager, rows: ScanRunRow[]): Promise<ScanRunRow[]> {
    return em.getRepository(ScanRunEntity).save(rows);
  }
  runsOf(tenantId: string, scanId: string, runNo: number, em?: EntityManager): Promise<ScanRunRow[]> {
    return this.m(em)
      .getRepository(ScanRunEntity)
      .find({ where: { tenantId, scanId, runNo }, order: { agentId: 'ASC' } });
  }
  runByTask(em: EntityManager, tenantId: string, taskId: string): Promise<ScanRunRow | null> {
    return em.getRepository(ScanRunEntity).findOneBy({ tenantId, taskId });
  }
  async setCancelTask(em: EntityManager, tenantId: string, id: string, cancelTaskId: string): Promise<void> {
    await em.getRepository(ScanRunEntity).update({ tenantId, id }, { cancelTaskId });
  }

  insertObservation(em: EntityManager, o: DiscoveryObservationRow): Promise<DiscoveryObservationRow> {
    return em.getRepository(DiscoveryObservationEntity).save(o);
  }
  observationsOf(tenantId: string, taskIds: readonly string[]): Promise<DiscoveryObservationRow[]> {
    if (taskIds.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(DiscoveryObservationEntity).find({
      where: { tenantId, taskId: In([...taskIds]) },
      order: { primaryIp: 'ASC', observedAt: 'ASC' },
      take: MAX_HOSTS_SHOWN,
    });
  }
  /** Totals over every observation of the given tasks (not capped like the host list). */
  async countsOf(
    tenantId: string,
    taskIds: readonly string[],
  ): Promise<{ hostsUp: number; openPorts: number; weakCredentials: number; hostsSeen: number }> {
    if (taskIds.length === 0) return { hostsUp: 0, openPorts: 0, weakCredentials: 0, hostsSeen: 0 };
    const row = await this.ds
      .getRepository(DiscoveryObservationEntity)
      .createQueryBuilder('o')
      .select("SUM(CASE WHEN o.status = 'up' THEN 1 ELSE 0 END)", 'hostsUp')
      .addSelect('SUM(o.open_ports)', 'openPorts')
      .addSelect('SUM(o.weak_credentials)', 'weakCredentials')
      .addSelect('COUNT(*)', 'hostsSeen')
      .where('o.tenant_id = :tenantId AND o.task_id IN (:...taskIds)', { tenantId, taskIds: [...taskIds] })
      .getRawOne<Record<string, string | number | null>>();
    const n = (k: string) => Number(row?.[k] ?? 0);
    return {
      hostsUp: n('hostsUp'),
      openPorts: n('openPorts'),
      weakCredentials: n('weakCredentials'),
      hostsSeen: n('hostsSeen'),
    };
  }
}
