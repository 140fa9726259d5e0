// The only code in risk/ that touches the database: the tenant's SLA policy, and a read of the
// ledger facts scoring needs (zone, CIA, open ports) — read-only, scoped by tenant.
import type { EntityManager } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import { instantParam, sqlFor } from '../db/raw.js';
import { DEFAULT_RISK_CONFIG, riskConfigSchema, type RiskConfig } from './config.js';

export interface AssetRiskFacts {
  zone: string;
  cia: { confidentiality: number | null; integrity: number | null; availability: number | null };
  openPorts: Set<string>;
}

export class RiskRepository {
  constructor(private readonly em: EntityManager) {}

  private sql(q: string): string {
    return sqlFor(dialectOfDataSource(this.em.dataSource), q);
  }

  async config(tenantId: string): Promise<RiskConfig> {
    const rows = await this.em.query<{ config: string }[]>(
      this.sql('SELECT config FROM risk_configs WHERE tenant_id = ?'),
      [tenantId],
    );
    const parsed = rows[0] ? riskConfigSchema.safeParse(JSON.parse(rows[0].config)) : null;
    return parsed?.success ? parsed.data : DEFAULT_RISK_CONFIG;
  }

  /** Replaces the tenant's policy (call inside a transaction). */
  async saveConfig(tenantId: string, config: RiskConfig, at: Date): Promise<void> {
    await this.em.query(this.sql('DELETE FROM risk_configs WHERE tenant_id = ?'), [tenantId]);
    await this.em.query(
      this.sql('INSERT INTO risk_configs (tenant_id, config, updated_at) VALUES (?, ?, ?)'),
      [tenantId, JSON.stringify(config), instantParam(dialectOfDataSource(this.em.dataSource), at)],
    );
  }

  async assetFacts(tenantId: string, assetIds: string[]): Promise<Map<string, AssetRiskFacts>> {
    const out = new Map<string, AssetRiskFacts>();
    const ids = [...new Set(assetIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const marks = part.map(() => '?').join(',');
      const assets = await this.em.query<
        { id: string; zone: string | null; c: number | null; i: number | null; a: number | null }[]
      >(
        this.sql(
          `SELECT id, zone, cia_confidentiality AS c, cia_integrity AS i, cia_availability AS a
             FROM assets WHERE tenant_id = ? AND id IN (${marks})`,
        ),
        [tenantId, ...part],
      );
      for (const a of assets)
        out.set(a.id, {
          zone: a.zone ?? 'internal',
          cia: { confidentiality: a.c, integrity: a.i, availability: a.a },
          openPorts: new Set(),
        });
      const ports = await this.em.query<{ asset_id: string; protocol: string; port: number }[]>(
        this.sql(
          `SELECT asset_id, protocol, port FROM asset_ports
            WHERE tenant_id = ? AND asset_id IN (${marks}) AND state IN ('open', 'open|filtered')`,
        ),
        [tenantId, ...part],
      );
      for (const p of ports) out.get(p.asset_id)?.openPorts.add(`${p.protocol}/${p.port}`);
    }
    return out;
  }
}
