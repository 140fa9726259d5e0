// The only code in assets/ that touches TypeORM. Every method takes the tenant and filters on it.
import { In, type EntityManager, type EntitySchema, type ObjectLiteral } from 'typeorm';
import {
  AccountEntity,
  AssetEntity,
  GroupEntity,
  InterfaceEntity,
  ListenerEntity,
  PackageEntity,
  ProcessSnapshotEntity,
  ServiceEntity,
  type AssetRow,
  type PackageRow,
  type ProcessEntry,
} from './entities.js';
import type { SectionDiff } from './row-diff.js';

export interface SectionRow extends ObjectLiteral {
  id: string;
  tenantId: string;
  assetId: string;
}
export type SectionTable<R extends SectionRow> = EntitySchema<R>;

// SQLite builds older than 3.32 allow 999 bound variables per statement; PostgreSQL 65,535.
const MAX_PARAMS = { sqlite: 999, postgres: 60_000 } as const;
const MAX_ROWS_PER_INSERT = 1_000;

/** `%` and `_` in a user's search text are literal. Used with ESCAPE '\'. */
export const likePattern = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** GET /assets filters the ledger adds (#3). */
export interface AssetFilters {
  zone?: string;
  owner?: string;
  tag?: string;
  shadow?: boolean;
  /** Assets an agent reports on ('with'), or that only scans and people know of ('without'). */
  agent?: 'with' | 'without';
  openPort?: number;
  product?: string;
  /** Assets with drift events still waiting for an expert's decision (the overview's "open drift"). */
  drift?: 'open';
}

export class AssetRepository {
  constructor(private readonly em: EntityManager) {}

  private get maxParams(): number {
    return this.em.dataSource.options.type === 'postgres' ? MAX_PARAMS.postgres : MAX_PARAMS.sqlite;
  }

  findByAgent(tenantId: string, agentId: string): Promise<AssetRow | null> {
    return this.em.getRepository(AssetEntity).findOneBy({ tenantId, agentId });
  }

  findById(tenantId: string, id: string): Promise<AssetRow | null> {
    return this.em.getRepository(AssetEntity).findOneBy({ tenantId, id });
  }

  exists(tenantId: string, id: string): Promise<boolean> {
    return this.em.getRepository(AssetEntity).existsBy({ tenantId, id });
  }

  async insertAsset(row: AssetRow): Promise<void> {
    await this.em.createQueryBuilder().insert().into(AssetEntity).values(row).updateEntity(false).execute();
  }

  async updateAsset(tenantId: string, row: AssetRow): Promise<void> {
    const { id, tenantId: _t, ...fields } = row;
    await this.em.createQueryBuilder().update(AssetEntity).set(fields).where({ tenantId, id }).execute();
  }

  /**
   * All rows of one section of one asset. Hydrated by hand with the driver's own conversions:
   * for thousands of packages TypeORM's entity hydration cost more than the query.
   */
  async loadSection<R extends SectionRow>(
    tenantId: string,
    assetId: string,
    table: SectionTable<R>,
  ): Promise<R[]> {
    const { driver } = this.em.dataSource;
    const meta = this.em.dataSource.getMetadata(table);
    const postgres = this.em.dataSource.options.type === 'postgres';
    const col = (property: string) =>
      driver.escape(meta.findColumnWithPropertyName(property)?.databaseName ?? property);
    const sql =
      `SELECT ${meta.columns.map((c) => driver.escape(c.databaseName)).join(', ')} FROM ${driver.escape(meta.tableName)}` +
      ` WHERE ${col('tenantId')} = ${postgres ? '$1' : '?'} AND ${col('assetId')} = ${postgres ? '$2' : '?'}`;
    const raw: Record<string, unknown>[] = await this.em.query(sql, [tenantId, assetId]);
    return raw.map((r) => {
      const row: Record<string, unknown> = {};
      for (const c of meta.columns) {
        let v: unknown = driver.prepareHydratedValue(r[c.databaseName], c);
        const transformers = c.transformer ? [c.transformer].flat().reverse() : [];
        for (const t of transformers) v = t.from(v);
        row[c.propertyName] = v;
      }
      return row as R;
    });
  }

  /** Writes one section's diff: deletes, in-place updates, then chunked inserts. */
  async applySectionDiff<R extends SectionRow, D extends object>(
    tenantId: string,
    assetId: string,
    table: SectionTable<R>,
    diff: SectionDiff<D>,
    newId: () => string,
  ): Promise<void> {
    const repo = this.em.getRepository(table);
    for (let i = 0; i < diff.remove.length; i += this.maxParams - 2) {
      const ids = diff.remove.slice(i, i + this.maxParams - 2);
      await repo.delete({ tenantId, assetId, id: In(ids) } as unknown as Partial<R>);
    }
    for (const { id, row } of diff.update) {
      await this.em.createQueryBuilder().update(table).set(row).where({ tenantId, assetId, id }).execute();
    }
    await this.insertRows(
      table,
      diff.insert.map((row) => ({ ...row, id: newId(), tenantId, assetId }) as unknown as R),
    );
  }

  /**
   * Multi-row INSERTs chunked under the bound-variable limit. Values go through the same
   * transformers and driver conversions TypeORM applies on save, so entity reads see the same
   * values; written by hand because the query builder's per-row bookkeeping dominated the cost
   * of a 2,000-package first report.
   */
  private async insertRows<R extends ObjectLiteral>(table: EntitySchema<R>, rows: R[]): Promise<void> {
    if (rows.length === 0) return;
    const { driver } = this.em.dataSource;
    const columns = this.em.dataSource.getMetadata(table).columns;
    const postgres = this.em.dataSource.options.type === 'postgres';
    const perStatement = Math.max(
      1,
      Math.min(MAX_ROWS_PER_INSERT, Math.floor(this.maxParams / columns.length)),
    );
    const head = `INSERT INTO ${driver.escape(this.em.dataSource.getMetadata(table).tableName)} (${columns
      .map((c) => driver.escape(c.databaseName))
      .join(', ')}) VALUES `;
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => {
        const marks = columns.map((c) => {
          let v: unknown = c.getEntityValue(row);
          const transformers = c.transformer ? [c.transformer].flat() : [];
          for (const t of transformers) v = t.to(v);
          params.push(driver.preparePersistentValue(v, c));
          return postgres ? `$${params.length}` : '?';
        });
        return `(${marks.join(', ')})`;
      });
      await this.em.query(head + tuples.join(', '), params);
    }
  }

  async saveProcesses(tenantId: string, assetId: string, processes: ProcessEntry[]): Promise<void> {
    const repo = this.em.getRepository(ProcessSnapshotEntity);
    const row = { tenantId, assetId, processCount: processes.length, processes };
    const existing = await repo.exists({ where: { tenantId, assetId } });
    if (existing) {
      await this.em
        .createQueryBuilder()
        .update(ProcessSnapshotEntity)
        .set({ processCount: row.processCount, processes })
        .where({ tenantId, assetId })
        .execute();
    } else {
      await this.em
        .createQueryBuilder()
        .insert()
        .into(ProcessSnapshotEntity)
        .values(row)
        .updateEntity(false)
        .execute();
    }
  }

  async list(
    tenantId: string,
    page: { q?: string; limit: number; offset: number } & AssetFilters,
  ): Promise<[AssetRow[], number]> {
    const qb = this.em
      .getRepository(AssetEntity)
      .createQueryBuilder('a')
      .where('a.tenantId = :tenantId', { tenantId })
      // Assets folded into another by the ledger are history, not hosts.
      .andWhere('a.merged_into_id IS NULL');
    if (page.zone) qb.andWhere('a.zone = :zone', { zone: page.zone });
    if (page.owner) {
      qb.andWhere(
        `(LOWER(a.owner_person) LIKE :owner ESCAPE '\\' OR LOWER(a.owner_team) LIKE :owner ESCAPE '\\')`,
        { owner: likePattern(page.owner) },
      );
    }
    if (page.tag)
      qb.andWhere(`LOWER(a.tags) LIKE :tag ESCAPE '\\'`, { tag: likePattern(JSON.stringify(page.tag)) });
    if (page.shadow !== undefined) {
      qb.andWhere(
        page.shadow
          ? 'a.agentId IS NULL AND a.registered = :no'
          : '(a.agentId IS NOT NULL OR a.registered = :yes)',
        {
          no: false,
          yes: true,
        },
      );
    }
    if (page.agent) qb.andWhere(page.agent === 'with' ? 'a.agentId IS NOT NULL' : 'a.agentId IS NULL');
    if (page.drift === 'open') {
      // Tenant-scoped on both sides: a foreign tenant's event never surfaces an asset.
      qb.andWhere(
        `a.id IN (SELECT d.asset_id FROM drift_events d WHERE d.tenant_id = :tenantId AND d.status = 'open')`,
      );
    }
    if (page.openPort !== undefined) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM asset_ports p WHERE p.asset_id = a.id AND p.state IN ('open', 'open|filtered') AND p.port = :port)`,
        { port: page.openPort },
      );
    }
    if (page.product) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM asset_ports p WHERE p.asset_id = a.id AND p.state IN ('open', 'open|filtered')` +
          ` AND (LOWER(p.product) LIKE :product ESCAPE '\\' OR LOWER(p.service) LIKE :product ESCAPE '\\'))`,
        { product: likePattern(page.product) },
      );
    }
    if (page.q) {
      qb.andWhere(
        `(LOWER(a.name) LIKE :q ESCAPE '\\' OR LOWER(a.hostname) LIKE :q ESCAPE '\\'` +
          ` OR LOWER(a.fqdn) LIKE :q ESCAPE '\\' OR LOWER(a.ips) LIKE :q ESCAPE '\\')`,
        { q: likePattern(page.q) },
      );
    }
    return qb
      .orderBy('a.name', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(page.limit)
      .offset(page.offset)
      .getManyAndCount();
  }

  async listPackages(
    tenantId: string,
    assetId: string,
    page: { name?: string; limit?: number; offset: number },
  ): Promise<[PackageRow[], number]> {
    const qb = this.em
      .getRepository(PackageEntity)
      .createQueryBuilder('p')
      .where('p.tenantId = :tenantId AND p.assetId = :assetId', { tenantId, assetId });
    if (page.name) qb.andWhere(`LOWER(p.name) LIKE :name ESCAPE '\\'`, { name: likePattern(page.name) });
    // Byte order on both databases, whatever PostgreSQL's default collation is.
    const byName = this.em.dataSource.options.type === 'postgres' ? 'p.name COLLATE "C"' : 'p.name';
    qb.orderBy(byName, 'ASC').addOrderBy('p.manager', 'ASC').addOrderBy('p.arch', 'ASC').offset(page.offset);
    if (page.limit !== undefined) qb.limit(page.limit);
    return qb.getManyAndCount();
  }

  async children(tenantId: string, assetId: string) {
    const where = { tenantId, assetId };
    const [interfaces, listeners, accounts, groups, services] = await Promise.all([
      this.em.getRepository(InterfaceEntity).find({ where, order: { name: 'ASC' } }),
      this.em
        .getRepository(ListenerEntity)
        .find({ where, order: { port: 'ASC', protocol: 'ASC', address: 'ASC' } }),
      this.em.getRepository(AccountEntity).find({ where, order: { uid: 'ASC', name: 'ASC' } }),
      this.em.getRepository(GroupEntity).find({ where, order: { gid: 'ASC', name: 'ASC' } }),
      this.em.getRepository(ServiceEntity).find({ where, order: { name: 'ASC', manager: 'ASC' } }),
    ]);
    return { interfaces, listeners, accounts, groups, services };
  }
}
