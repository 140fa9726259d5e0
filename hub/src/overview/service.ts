// The dashboard's aggregate: a handful of GROUP BY queries over other domains' tables, every one
// filtered by tenant_id first. Portable SQL (`?` rewritten to $n on PostgreSQL); counts arrive as
// strings from PostgreSQL's COUNT(*), hence Number().
import type { DataSource } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import type { Dialect } from '../db/portable.js';
import { boolParam, instantParam, sqlFor } from '../db/raw.js';
import { FINDING_TYPES, PRIORITIES } from '../findings/index.js';
import type { Overview, OverviewBucket } from './api-types.js';

/** Zones the internet reaches are listed first (same order as GET /exposure). */
const ZONE_ORDER = ['internet-facing', 'dmz'];
const RECENT = 5;
const DAY_MS = 86_400_000;

type Row = Record<string, unknown>;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const iso = (v: unknown): string => {
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  // SQLite returns "YYYY-MM-DD hh:mm:ss.sss" in UTC without a zone.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`).toISOString();
};
const q = (params: Record<string, string>): string => new URLSearchParams(params).toString();

export class OverviewService {
  private readonly dialect: Dialect;
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date,
  ) {
    this.dialect = dialectOfDataSource(ds);
  }

  private rows(text: string, params: unknown[]): Promise<Row[]> {
    return this.ds.query(sqlFor(this.dialect, text), params);
  }

  async get(tenantId: string): Promise<Overview> {
    const now = this.clock();
    const [assets, exposure, findings, baseline, agents, drift, warnings] = await Promise.all([
      this.assets(tenantId),
      this.exposure(tenantId),
      this.findings(tenantId),
      this.baseline(tenantId),
      this.agents(tenantId),
      this.drift(tenantId, now),
      this.warnings(tenantId, now),
    ]);
    return { generatedAt: now.toISOString(), assets, exposure, findings, baseline, agents, drift, warnings };
  }

  private async assets(tenantId: string): Promise<Overview['assets']> {
    const [r] = await this.rows(
      `SELECT COUNT(*) AS total,
              SUM(CASE WHEN agent_id IS NOT NULL THEN 1 ELSE 0 END) AS with_agent,
              SUM(CASE WHEN agent_id IS NULL AND registered = ? THEN 1 ELSE 0 END) AS shadow
         FROM assets WHERE tenant_id = ? AND merged_into_id IS NULL`,
      [boolParam(this.dialect, false), tenantId],
    );
    const total = num(r?.['total']);
    const withAgent = num(r?.['with_agent']);
    return {
      total: { value: total, link: '/assets' },
      withAgent: { value: withAgent, link: '/assets?' + q({ agent: 'with' }) },
      withoutAgent: { value: total - withAgent, link: '/assets?' + q({ agent: 'without' }) },
      shadow: { value: num(r?.['shadow']), link: '/assets?' + q({ shadow: 'true' }) },
    };
  }

  private async exposure(tenantId: string): Promise<Overview['exposure']> {
    const rows = await this.rows(
      `SELECT a.zone AS zone, COUNT(DISTINCT a.id) AS assets, COUNT(*) AS ports
         FROM asset_ports p JOIN assets a ON a.id = p.asset_id
        WHERE p.tenant_id = ? AND a.tenant_id = ? AND a.merged_into_id IS NULL
          AND p.state IN ('open', 'open|filtered')
        GROUP BY a.zone`,
      [tenantId, tenantId],
    );
    const rank = (z: string) => (ZONE_ORDER.includes(z) ? ZONE_ORDER.indexOf(z) : ZONE_ORDER.length);
    return rows
      .map((r) => ({
        zone: String(r['zone']),
        assets: num(r['assets']),
        openPorts: num(r['ports']),
        link: '/assets?' + q({ zone: String(r['zone']), tab: 'exposure' }),
      }))
      .sort((a, b) => rank(a.zone) - rank(b.zone) || a.zone.localeCompare(b.zone));
  }

  private async findings(tenantId: string): Promise<Overview['findings']> {
    const rows = await this.rows(
      `SELECT priority, type, COUNT(*) AS n FROM findings
        WHERE tenant_id = ? AND status IN ('open', 'reopened')
        GROUP BY priority, type`,
      [tenantId],
    );
    const byPriority = new Map<string, number>();
    const byType = new Map<string, number>();
    let open = 0;
    for (const r of rows) {
      const n = num(r['n']);
      open += n;
      const p = typeof r['priority'] === 'string' ? r['priority'] : 'unscored';
      byPriority.set(p, (byPriority.get(p) ?? 0) + n);
      byType.set(String(r['type']), (byType.get(String(r['type'])) ?? 0) + n);
    }
    const bucket = (key: string, count: number, filter: Record<string, string>): OverviewBucket => ({
      key,
      count,
      link: '/findings?' + q({ status: 'open', ...filter }),
    });
    const known: readonly string[] = FINDING_TYPES;
    const types = [...known, ...[...byType.keys()].filter((k) => !known.includes(k))];
    return {
      open: { value: open, link: '/findings?' + q({ status: 'open' }) },
      byPriority: [
        ...PRIORITIES.map((p) => bucket(p, byPriority.get(p) ?? 0, { priority: p })),
        ...(byPriority.has('unscored') ? [bucket('unscored', byPriority.get('unscored') ?? 0, {})] : []),
      ],
      byType: types.map((t) => bucket(t, byType.get(t) ?? 0, { type: t })),
    };
  }

  private async baseline(tenantId: string): Promise<Overview['baseline']> {
    // Each asset's latest run of each policy: older runs describe a state that no longer holds.
    const [r] = await this.rows(
      `SELECT COALESCE(SUM(r.passed), 0) AS passed, COALESCE(SUM(r.failed), 0) AS failed,
              COUNT(DISTINCT r.asset_id) AS assets
         FROM baseline_runs r
        WHERE r.tenant_id = ? AND r.received_at = (
          SELECT MAX(l.received_at) FROM baseline_runs l
           WHERE l.tenant_id = r.tenant_id AND l.asset_id = r.asset_id AND l.policy_key = r.policy_key)`,
      [tenantId],
    );
    const passed = num(r?.['passed']);
    const failed = num(r?.['failed']);
    const checked = passed + failed;
    return {
      percent: checked === 0 ? null : Math.round((passed / checked) * 1000) / 10,
      passed,
      failed,
      assets: num(r?.['assets']),
      link: '/policies',
    };
  }

  private async agents(tenantId: string): Promise<Overview['agents']> {
    const [r] = await this.rows(
      `SELECT SUM(CASE WHEN revoked_at IS NULL AND online = ? THEN 1 ELSE 0 END) AS online,
              SUM(CASE WHEN revoked_at IS NULL AND online = ? THEN 1 ELSE 0 END) AS offline,
              SUM(CASE WHEN revoked_at IS NOT NULL THEN 1 ELSE 0 END) AS revoked
         FROM agents WHERE tenant_id = ?`,
      [boolParam(this.dialect, true), boolParam(this.dialect, false), tenantId],
    );
    const link = (state: string) => '/agents?' + q({ state });
    return {
      online: { value: num(r?.['online']), link: link('online') },
      offline: { value: num(r?.['offline']), link: link('offline') },
      revoked: { value: num(r?.['revoked']), link: link('revoked') },
    };
  }

  private async drift(tenantId: string, now: Date): Promise<Overview['drift']> {
    const since = instantParam(this.dialect, new Date(now.getTime() - 7 * DAY_MS));
    const [counts] = await this.rows(
      `SELECT SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open,
              SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END) AS week
         FROM drift_events WHERE tenant_id = ?`,
      [since, tenantId],
    );
    const recent = await this.rows(
      `SELECT id, asset_id, kind, status, created_at FROM drift_events
        WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ${RECENT}`,
      [tenantId],
    );
    return {
      open: { value: num(counts?.['open']), link: '/assets?' + q({ drift: 'open' }) },
      last7d: num(counts?.['week']),
      recent: recent.map((e) => ({
        id: String(e['id']),
        assetId: String(e['asset_id']),
        kind: String(e['kind']),
        status: String(e['status']),
        createdAt: iso(e['created_at']),
        link: `/assets/${String(e['asset_id'])}?tab=timeline`,
      })),
    };
  }

  private async warnings(tenantId: string, now: Date): Promise<Overview['warnings']> {
    const since = instantParam(this.dialect, new Date(now.getTime() - 30 * DAY_MS));
    const [count] = await this.rows(
      `SELECT COUNT(*) AS n FROM early_warnings WHERE tenant_id = ? AND created_at >= ?`,
      [tenantId, since],
    );
    const recent = await this.rows(
      `SELECT id, cve, vuln_id, asset_id, component, created_at FROM early_warnings
        WHERE tenant_id = ? ORDER BY created_at DESC, id LIMIT ${RECENT}`,
      [tenantId],
    );
    return {
      last30d: { value: num(count?.['n']), link: '/intel?' + q({ tab: 'warnings' }) },
      recent: recent.map((w) => ({
        id: String(w['id']),
        cve: typeof w['cve'] === 'string' ? w['cve'] : null,
        vulnId: String(w['vuln_id']),
        assetId: String(w['asset_id']),
        component: String(w['component']),
        createdAt: iso(w['created_at']),
        link: `/assets/${String(w['asset_id'])}`,
      })),
    };
  }
}
