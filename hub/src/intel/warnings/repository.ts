// early_warnings rows: written by the early-warning run, read per tenant (paginated) and, for
// experts, per vulnerability across tenants. Only this file touches the table.
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { bulkInsert, instantParam, sqlFor } from '../../db/raw.js';

export interface WarningInsert {
  id: string;
  tenantId: string;
  vulnId: string;
  cve: string | null;
  assetId: string;
  findingId: string;
  component: string;
  importId: string;
  createdAt: Date;
}

export interface WarningItem {
  id: string;
  vulnId: string;
  cve: string | null;
  assetId: string;
  findingId: string;
  component: string;
  importId: string;
  createdAt: string;
}

export interface VulnSpread {
  vulnId: string;
  cve: string | null;
  assets: number;
  tenants: number;
  lastAt: string;
}

const COLUMNS = [
  'id',
  'tenant_id',
  'vuln_id',
  'cve',
  'asset_id',
  'finding_id',
  'component',
  'import_id',
  'created_at',
];

const iso = (v: unknown): string =>
  (v instanceof Date
    ? v
    : new Date(`${String(v).replace(' ', 'T')}${/[zZ+]/.test(String(v).slice(10)) ? '' : 'Z'}`)
  ).toISOString();

export class WarningsRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
  ) {}

  private q<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.em.query<T[]>(sqlFor(this.dialect, text), params);
  }

  async insert(rows: readonly WarningInsert[]): Promise<void> {
    await bulkInsert(
      this.em,
      this.dialect,
      'early_warnings',
      COLUMNS,
      rows.map((r) => [
        r.id,
        r.tenantId,
        r.vulnId,
        r.cve,
        r.assetId,
        r.findingId,
        r.component,
        r.importId,
        instantParam(this.dialect, r.createdAt),
      ]),
    );
  }

  async list(
    tenantId: string,
    q: { vulnId?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: WarningItem[]; total: number }> {
    const where = q.vulnId ? 'tenant_id = ? AND (vuln_id = ? OR cve = ?)' : 'tenant_id = ?';
    const params = q.vulnId ? [tenantId, q.vulnId, q.vulnId] : [tenantId];
    const [count] = await this.q<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM early_warnings WHERE ${where}`,
      params,
    );
    const rows = await this.q<Record<string, unknown>>(
      `SELECT * FROM early_warnings WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    return {
      total: Number(count?.n ?? 0),
      items: rows.map((r) => ({
        id: String(r['id']),
        vulnId: String(r['vuln_id']),
        cve: (r['cve'] as string | null) ?? null,
        assetId: String(r['asset_id']),
        findingId: String(r['finding_id']),
        component: String(r['component']),
        importId: String(r['import_id']),
        createdAt: iso(r['created_at']),
      })),
    };
  }

  /** Per vulnerability: distinct assets and tenants warned about — across ALL tenants. */
  async spread(q: {
    vulnId?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<{ items: VulnSpread[]; total: number }> {
    const where = q.vulnId ? 'WHERE vuln_id = ? OR cve = ?' : '';
    const params = q.vulnId ? [q.vulnId, q.vulnId] : [];
    const [count] = await this.q<{ n: number | string }>(
      `SELECT COUNT(DISTINCT vuln_id) AS n FROM early_warnings ${where}`,
      params,
    );
    const rows = await this.q<{
      vuln_id: string;
      cve: string | null;
      assets: number | string;
      tenants: number | string;
      last_at: unknown;
    }>(
      `SELECT vuln_id, MAX(cve) AS cve, COUNT(DISTINCT asset_id) AS assets, COUNT(DISTINCT tenant_id) AS tenants, MAX(created_at) AS last_at
       FROM early_warnings ${where} GROUP BY vuln_id ORDER BY COUNT(DISTINCT asset_id) DESC, vuln_id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    return {
      total: Number(count?.n ?? 0),
      items: rows.map((r) => ({
        vulnId: r.vuln_id,
        cve: r.cve,
        assets: Number(r.assets),
        tenants: Number(r.tenants),
        lastAt: iso(r.last_at),
      })),
    };
  }

  /** Tenants and assets with unresolved vulnerability findings about these ids (re-check when a record changes). */
  async assetsWithOpenFindings(
    vulnIds: readonly string[],
  ): Promise<Array<{ tenantId: string; assetId: string }>> {
    const out: Array<{ tenantId: string; assetId: string }> = [];
    for (let i = 0; i < vulnIds.length; i += 500) {
      const chunk = vulnIds.slice(i, i + 500);
      const rows = await this.q<{ tenant_id: string; asset_id: string }>(
        `SELECT DISTINCT tenant_id, asset_id FROM findings WHERE type = 'vulnerability' AND status <> 'resolved' AND rule_id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      out.push(...rows.map((r) => ({ tenantId: r.tenant_id, assetId: r.asset_id })));
    }
    return out;
  }
}
