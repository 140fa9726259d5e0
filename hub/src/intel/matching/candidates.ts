// match_candidates: replaced per asset by each complete run; read page by page, tenant-scoped.
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { bulkInsert, instantParam, sqlFor } from '../../db/raw.js';
import { newId } from '../../platform/ids.js';
import type { CpeMatchResult } from './services.js';

export interface CandidateItem {
  id: string;
  assetId: string;
  vulnId: string;
  component: string;
  port: number | null;
  protocol: string | null;
  cpe: string;
  criteria: string;
  reason: string;
  createdAt: string;
}

const COLUMNS = [
  'id',
  'tenant_id',
  'asset_id',
  'vuln_id',
  'component',
  'port',
  'protocol',
  'cpe',
  'criteria',
  'reason',
  'created_at',
];

export class CandidatesRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
  ) {}

  async replaceForAsset(
    tenantId: string,
    assetId: string,
    items: readonly CpeMatchResult[],
    at: Date,
  ): Promise<void> {
    await this.em.query(
      sqlFor(this.dialect, 'DELETE FROM match_candidates WHERE tenant_id = ? AND asset_id = ?'),
      [tenantId, assetId],
    );
    await bulkInsert(
      this.em,
      this.dialect,
      'match_candidates',
      COLUMNS,
      items.map((c) => [
        newId(),
        tenantId,
        assetId,
        c.vulnId,
        c.component,
        c.port,
        c.protocol,
        c.cpe,
        c.criteria,
        c.note ?? 'needs verification',
        instantParam(this.dialect, at),
      ]),
    );
  }

  async list(
    tenantId: string,
    q: { assetId?: string | undefined; vulnId?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: CandidateItem[]; total: number }> {
    const where = ['tenant_id = ?'];
    const params: unknown[] = [tenantId];
    if (q.assetId) {
      where.push('asset_id = ?');
      params.push(q.assetId);
    }
    if (q.vulnId) {
      where.push('vuln_id = ?');
      params.push(q.vulnId);
    }
    const clause = where.join(' AND ');
    const [count] = await this.em.query<{ n: number | string }[]>(
      sqlFor(this.dialect, `SELECT COUNT(*) AS n FROM match_candidates WHERE ${clause}`),
      params,
    );
    const rows = await this.em.query<Record<string, unknown>[]>(
      sqlFor(
        this.dialect,
        `SELECT * FROM match_candidates WHERE ${clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
      ),
      [...params, q.limit, q.offset],
    );
    return {
      total: Number(count?.n ?? 0),
      items: rows.map((r) => ({
        id: String(r['id']),
        assetId: String(r['asset_id']),
        vulnId: String(r['vuln_id']),
        component: String(r['component']),
        port: r['port'] === null ? null : Number(r['port']),
        protocol: (r['protocol'] as string | null) ?? null,
        cpe: String(r['cpe']),
        criteria: String(r['criteria']),
        reason: String(r['reason']),
        createdAt: new Date(
          r['created_at'] instanceof Date ? r['created_at'] : `${String(r['created_at']).replace(' ', 'T')}Z`,
        ).toISOString(),
      })),
    };
  }
}
