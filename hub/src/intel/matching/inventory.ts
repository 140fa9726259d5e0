// Read-only access to the stored inventories matching needs: a host's os-release facts, its
// packages and its open ports with their CPEs. These tables belong to assets/ (their only
// writer); matching reads them with tenant-scoped SQL, or — for early warning only — across all
// tenants by package name, which is what "match every tenant's stored inventory" means.
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { sqlFor } from '../../db/raw.js';
import type { HostOs } from './distro.js';
import type { InventoryPackage } from './packages.js';
import type { ServiceObservation } from './services.js';

export interface AssetInventory {
  tenantId: string;
  assetId: string;
  os: HostOs;
  packages: InventoryPackage[];
  services: ServiceObservation[];
}

interface PackageSqlRow {
  tenant_id: string;
  asset_id: string;
  name: string;
  version: string;
  arch: string;
  manager: string;
  source_name: string | null;
  source_version: string | null;
}

interface PortSqlRow {
  tenant_id: string;
  asset_id: string;
  protocol: string;
  port: number | string;
  product: string | null;
  version: string | null;
  extra_info: string | null;
  cpes: string | null;
}

interface AssetOsRow {
  tenant_id: string;
  id: string;
  os_id: string | null;
  os_version: string | null;
  os_codename: string | null;
}

const toPackage = (r: PackageSqlRow): InventoryPackage => ({
  name: r.name,
  version: r.version,
  arch: r.arch,
  manager: r.manager,
  sourceName: r.source_name,
  sourceVersion: r.source_version,
});

function parseCpes(text: string | null): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const toService = (r: PortSqlRow): ServiceObservation => ({
  protocol: r.protocol,
  port: Number(r.port),
  product: r.product ?? '',
  version: r.version ?? '',
  extraInfo: r.extra_info ?? '',
  cpes: parseCpes(r.cpes),
});

const OPEN_PORT =
  "state IN ('open', 'open|filtered') AND (COALESCE(product, '') <> '' OR COALESCE(cpes, '[]') <> '[]')";
const CHUNK = 500;

export class InventoryReader {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
  ) {}

  private q<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.em.query<T[]>(sqlFor(this.dialect, text), params);
  }

  /** One live (not merged-away) asset's inventory; null when the tenant has no such asset. */
  async asset(tenantId: string, assetId: string): Promise<AssetInventory | null> {
    const [a] = await this.q<AssetOsRow>(
      'SELECT tenant_id, id, os_id, os_version, os_codename FROM assets WHERE tenant_id = ? AND id = ? AND merged_into_id IS NULL',
      [tenantId, assetId],
    );
    if (!a) return null;
    const packages = await this.q<PackageSqlRow>(
      'SELECT * FROM asset_packages WHERE tenant_id = ? AND asset_id = ?',
      [tenantId, assetId],
    );
    const ports = await this.q<PortSqlRow>(
      `SELECT tenant_id, asset_id, protocol, port, product, version, extra_info, cpes FROM asset_ports WHERE tenant_id = ? AND asset_id = ? AND ${OPEN_PORT}`,
      [tenantId, assetId],
    );
    return {
      tenantId,
      assetId,
      os: { osId: a.os_id, osVersion: a.os_version, osCodename: a.os_codename },
      packages: packages.map(toPackage),
      services: ports.map(toService),
    };
  }

  /** Ids of a tenant's live assets, in id order after `afterId`. */
  async assetIds(tenantId: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.q<{ id: string }>(
      'SELECT id FROM assets WHERE tenant_id = ? AND merged_into_id IS NULL AND id > ? ORDER BY id LIMIT ?',
      [tenantId, afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Every tenant's packages built from one of `sourceNames` (by Source:, or by name when the
   * package is its own source), with their hosts' os facts: early warning's one bulk read.
   */
  async packagesBySource(sourceNames: readonly string[]): Promise<AssetInventory[]> {
    const byAsset = new Map<string, AssetInventory>();
    const names = [...new Set(sourceNames)];
    for (let i = 0; i < names.length; i += CHUNK) {
      const chunk = names.slice(i, i + CHUNK);
      const marks = chunk.map(() => '?').join(',');
      const rows = await this.q<PackageSqlRow>(
        `SELECT * FROM asset_packages WHERE source_name IN (${marks})
         UNION ALL
         SELECT * FROM asset_packages WHERE name IN (${marks}) AND (source_name IS NULL OR source_name = '')`,
        [...chunk, ...chunk],
      );
      for (const r of rows) this.slot(byAsset, r.tenant_id, r.asset_id).packages.push(toPackage(r));
    }
    await this.fillOs(byAsset);
    return [...byAsset.values()];
  }

  /** Every tenant's open ports that name a product or CPE, grouped per asset with os facts. */
  async allServices(): Promise<AssetInventory[]> {
    const byAsset = new Map<string, AssetInventory>();
    const rows = await this.q<PortSqlRow>(
      `SELECT tenant_id, asset_id, protocol, port, product, version, extra_info, cpes FROM asset_ports WHERE ${OPEN_PORT}`,
      [],
    );
    for (const r of rows) this.slot(byAsset, r.tenant_id, r.asset_id).services.push(toService(r));
    await this.fillOs(byAsset);
    return [...byAsset.values()];
  }

  private slot(map: Map<string, AssetInventory>, tenantId: string, assetId: string): AssetInventory {
    let inv = map.get(assetId);
    if (!inv) {
      inv = {
        tenantId,
        assetId,
        os: { osId: null, osVersion: null, osCodename: null },
        packages: [],
        services: [],
      };
      map.set(assetId, inv);
    }
    return inv;
  }

  /** Adds os facts and drops assets that were merged away. */
  private async fillOs(map: Map<string, AssetInventory>): Promise<void> {
    const ids = [...map.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const rows = await this.q<AssetOsRow & { merged_into_id: string | null }>(
        `SELECT tenant_id, id, os_id, os_version, os_codename, merged_into_id FROM assets WHERE id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      for (const r of rows) {
        const inv = map.get(r.id);
        if (!inv || inv.tenantId !== r.tenant_id || r.merged_into_id !== null) {
          map.delete(r.id);
          continue;
        }
        inv.os = { osId: r.os_id, osVersion: r.os_version, osCodename: r.os_codename };
      }
    }
  }
}
