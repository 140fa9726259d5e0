// The ledger's only database code: identity keys, ports, events, and the few asset columns the
// ledger owns (zone, source, hostnames, merged_into_id). Portable raw SQL, always tenant-scoped,
// always inside the caller's EntityManager (the ingest transaction).
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { boolParam, instantParam, runSql, sqlFor } from '../../db/raw.js';
import { newId } from '../../platform/ids.js';
import type { LedgerAsset, Sighting } from '../correlation.js';
import { normaliseMac } from '../correlation.js';
import { attributesFromRow, type AssetAttributes } from './attributes.js';

export type IdentityKind = 'machine_id' | 'mac' | 'ip';
/** Machine ids and MACs are global within a tenant; addresses are per network zone. */
const zoneOf = (kind: IdentityKind, zone: string): string => (kind === 'ip' ? zone : '*');

export interface PortObservation {
  protocol: string;
  port: number;
  state: string;
  service: string;
  product: string;
  version: string;
  extraInfo: string;
  tunnel: string;
  cpes: string[];
}

export interface StoredPort extends PortObservation {
  id: string;
}

export interface LedgerEvent {
  kind: string;
  detail: Record<string, unknown>;
}

export class LedgerStore {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
  ) {}

  private async rows<T>(text: string, params: readonly unknown[]): Promise<T[]> {
    return this.em.query<T[]>(sqlFor(this.dialect, text), [...params]);
  }

  private run(text: string, params: readonly unknown[]): Promise<number> {
    return runSql(this.em, this.dialect, text, params);
  }

  private at(d: Date): Date | string {
    return instantParam(this.dialect, d);
  }

  /** Ledger assets that share any key with the sighting, with all their keys. */
  async candidates(tenantId: string, s: Sighting): Promise<LedgerAsset[]> {
    const keys: [IdentityKind, string, string][] = [];
    if (s.machineId) keys.push(['machine_id', '*', s.machineId]);
    for (const mac of s.macs) {
      const m = normaliseMac(mac);
      if (m) keys.push(['mac', '*', m]);
    }
    for (const ip of s.ips) keys.push(['ip', s.zone, ip]);
    if (keys.length === 0) return [];
    const where = keys.map(() => '(kind = ? AND zone = ? AND value = ?)').join(' OR ');
    const hits = await this.rows<{ asset_id: string }>(
      `SELECT DISTINCT asset_id FROM asset_identities WHERE tenant_id = ? AND (${where})`,
      [tenantId, ...keys.flat()],
    );
    if (hits.length === 0) return [];
    const ids = hits.map((h) => h.asset_id);
    const marks = ids.map(() => '?').join(',');
    const assets = await this.rows<{
      id: string;
      first_seen_at: Date | string;
      zone: string;
      hostnames: string;
    }>(`SELECT id, first_seen_at, zone, hostnames FROM assets WHERE tenant_id = ? AND id IN (${marks})`, [
      tenantId,
      ...ids,
    ]);
    const idents = await this.rows<{ asset_id: string; kind: IdentityKind; value: string }>(
      `SELECT asset_id, kind, value FROM asset_identities WHERE tenant_id = ? AND asset_id IN (${marks})`,
      [tenantId, ...ids],
    );
    return assets.map((a) => {
      const mine = idents.filter((i) => i.asset_id === a.id);
      const of = (k: IdentityKind) => mine.filter((i) => i.kind === k).map((i) => i.value);
      return {
        id: a.id,
        firstSeenAt: new Date(a.first_seen_at).getTime(),
        zone: a.zone,
        machineId: of('machine_id')[0],
        macs: of('mac'),
        ips: of('ip'),
        hostnames: JSON.parse(a.hostnames) as string[],
      };
    });
  }

  /** A new scan-discovered (shadow) asset. */
  createScannedAsset(tenantId: string, zone: string, name: string, at: Date): Promise<string> {
    return this.createAsset(tenantId, zone, name, at, 'scan');
  }

  /** A new agentless asset: 'scan' (shadow until registered) or 'manual' (a person made it). */
  async createAsset(
    tenantId: string,
    zone: string,
    name: string,
    at: Date,
    source: 'scan' | 'manual',
  ): Promise<string> {
    const id = newId();
    await this.run(
      `INSERT INTO assets (id, tenant_id, agent_id, kind, name, virtual, cpu_cores, memory_bytes, ips, package_count,
         process_count, section_digests, first_seen_at, last_seen_at, zone, source, registered, hostnames)
       VALUES (?, ?, NULL, 'host', ?, ?, 0, 0, '[]', 0, 0, '{}', ?, ?, ?, ?, ?, '[]')`,
      [
        id,
        tenantId,
        name,
        boolParam(this.dialect, false),
        this.at(at),
        this.at(at),
        zone,
        source,
        boolParam(this.dialect, source === 'manual'),
      ],
    );
    return id;
  }

  /** Records the sighting's keys on the asset (moving none: reassignments come first). */
  async upsertIdentities(tenantId: string, assetId: string, s: Sighting, at: Date): Promise<void> {
    const keys: [IdentityKind, string][] = [];
    if (s.machineId) keys.push(['machine_id', s.machineId]);
    for (const mac of s.macs) {
      const m = normaliseMac(mac);
      if (m) keys.push(['mac', m]);
    }
    for (const ip of s.ips) keys.push(['ip', ip]);
    for (const [kind, value] of keys) {
      const zone = zoneOf(kind, s.zone);
      const touched = await this.run(
        'UPDATE asset_identities SET last_seen_at = ? WHERE tenant_id = ? AND kind = ? AND zone = ? AND value = ? AND asset_id = ?',
        [this.at(at), tenantId, kind, zone, value, assetId],
      );
      if (touched > 0) continue;
      // The key may sit on an asset the decision left alone (weak match elsewhere): it moves here.
      await this.run(
        'DELETE FROM asset_identities WHERE tenant_id = ? AND kind = ? AND zone = ? AND value = ?',
        [tenantId, kind, zone, value],
      );
      await this.run(
        `INSERT INTO asset_identities (id, tenant_id, asset_id, kind, zone, value, first_seen_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [newId(), tenantId, assetId, kind, zone, value, this.at(at), this.at(at)],
      );
    }
    if (s.hostnames.length > 0) {
      const [row] = await this.rows<{ hostnames: string }>(
        'SELECT hostnames FROM assets WHERE tenant_id = ? AND id = ?',
        [tenantId, assetId],
      );
      const names = [...new Set([...(JSON.parse(row?.hostnames ?? '[]') as string[]), ...s.hostnames])].slice(
        0,
        64,
      );
      await this.run('UPDATE assets SET hostnames = ?, last_seen_at = ? WHERE tenant_id = ? AND id = ?', [
        JSON.stringify(names),
        this.at(at),
        tenantId,
        assetId,
      ]);
    } else {
      await this.run('UPDATE assets SET last_seen_at = ? WHERE tenant_id = ? AND id = ?', [
        this.at(at),
        tenantId,
        assetId,
      ]);
    }
  }

  /** Records that `agentId` scanned the asset now (who saw it, with first/last seen). */
  async recordSighting(tenantId: string, assetId: string, agentId: string, at: Date): Promise<void> {
    const touched = await this.run(
      'UPDATE asset_sightings SET last_seen_at = ? WHERE tenant_id = ? AND asset_id = ? AND agent_id = ?',
      [this.at(at), tenantId, assetId, agentId],
    );
    if (touched > 0) return;
    await this.run(
      `INSERT INTO asset_sightings (id, tenant_id, asset_id, agent_id, first_seen_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [newId(), tenantId, assetId, agentId, this.at(at), this.at(at)],
    );
  }

  /**
   * Per asset of one list page (one query): zone, shadow, and the agents that saw it (scanning
   * agents' sightings plus ports' last scanners).
   */
  async listExtras(
    tenantId: string,
    assetIds: string[],
  ): Promise<Map<string, { zone: string; shadow: boolean; seenBy: string[] }>> {
    const out = new Map<string, { zone: string; shadow: boolean; seenBy: string[] }>();
    if (assetIds.length === 0) return out;
    const marks = assetIds.map(() => '?').join(',');
    const rows = await this.rows<{
      id: string;
      zone: string;
      agent_id: string | null;
      registered: boolean | number;
      seen_by: string | null;
    }>(
      `SELECT a.id, a.zone, a.agent_id, a.registered, s.agent_id AS seen_by
         FROM assets a LEFT JOIN (
           SELECT asset_id, agent_id FROM asset_sightings WHERE tenant_id = ? AND asset_id IN (${marks})
           UNION
           SELECT asset_id, seen_by_agent_id AS agent_id FROM asset_ports
            WHERE tenant_id = ? AND asset_id IN (${marks}) AND seen_by_agent_id IS NOT NULL
         ) s ON s.asset_id = a.id
        WHERE a.tenant_id = ? AND a.id IN (${marks})`,
      [tenantId, ...assetIds, tenantId, ...assetIds, tenantId, ...assetIds],
    );
    for (const r of rows) {
      const e = out.get(r.id) ?? {
        zone: r.zone,
        shadow: r.agent_id === null && !r.registered,
        seenBy: [],
      };
      if (r.seen_by !== null && !e.seenBy.includes(r.seen_by)) e.seenBy.push(r.seen_by);
      out.set(r.id, e);
    }
    for (const e of out.values()) e.seenBy.sort();
    return out;
  }

  /** The asset's MAC and address keys (for a manual split). */
  async identities(tenantId: string, assetId: string): Promise<{ kind: IdentityKind; value: string }[]> {
    return this.rows<{ kind: IdentityKind; value: string }>(
      'SELECT kind, value FROM asset_identities WHERE tenant_id = ? AND asset_id = ?',
      [tenantId, assetId],
    );
  }

  /** Moves one key (any zone for an address) from one asset to another; ports stay. */
  async moveIdentity(
    tenantId: string,
    from: string,
    to: string,
    kind: IdentityKind,
    value: string,
  ): Promise<void> {
    await this.run(
      'UPDATE asset_identities SET asset_id = ? WHERE tenant_id = ? AND asset_id = ? AND kind = ? AND value = ?',
      [to, tenantId, from, kind, value],
    );
  }

  async removeAddress(tenantId: string, assetId: string, zone: string, ip: string): Promise<void> {
    await this.run(
      "DELETE FROM asset_identities WHERE tenant_id = ? AND asset_id = ? AND kind = 'ip' AND zone = ? AND value = ?",
      [tenantId, assetId, zone, ip],
    );
  }

  /** Folds `merged` into `keep`: keys and ports move; the merged row stays, pointing at keep. */
  async merge(tenantId: string, keep: string, merged: string, at: Date): Promise<void> {
    await this.run('UPDATE asset_identities SET asset_id = ? WHERE tenant_id = ? AND asset_id = ?', [
      keep,
      tenantId,
      merged,
    ]);
    await this.run(
      `DELETE FROM asset_ports WHERE tenant_id = ? AND asset_id = ? AND EXISTS (
         SELECT 1 FROM asset_ports k WHERE k.asset_id = ? AND k.protocol = asset_ports.protocol AND k.port = asset_ports.port)`,
      [tenantId, merged, keep],
    );
    await this.run('UPDATE asset_ports SET asset_id = ? WHERE tenant_id = ? AND asset_id = ?', [
      keep,
      tenantId,
      merged,
    ]);
    await this.run(
      `DELETE FROM asset_sightings WHERE tenant_id = ? AND asset_id = ? AND EXISTS (
         SELECT 1 FROM asset_sightings k WHERE k.asset_id = ? AND k.agent_id = asset_sightings.agent_id)`,
      [tenantId, merged, keep],
    );
    await this.run('UPDATE asset_sightings SET asset_id = ? WHERE tenant_id = ? AND asset_id = ?', [
      keep,
      tenantId,
      merged,
    ]);
    await this.run('UPDATE assets SET merged_into_id = ?, last_seen_at = ? WHERE tenant_id = ? AND id = ?', [
      keep,
      this.at(at),
      tenantId,
      merged,
    ]);
  }

  async ports(tenantId: string, assetId: string): Promise<StoredPort[]> {
    const rows = await this.rows<{
      id: string;
      protocol: string;
      port: number | string; // integer; some drivers hand back text
      state: string;
      service: string | null;
      product: string | null;
      version: string | null;
      extra_info: string | null;
      tunnel: string | null;
      cpes: string;
    }>('SELECT * FROM asset_ports WHERE tenant_id = ? AND asset_id = ?', [tenantId, assetId]);
    return rows.map((r) => ({
      id: r.id,
      protocol: r.protocol,
      port: Number(r.port),
      state: r.state,
      service: r.service ?? '',
      product: r.product ?? '',
      version: r.version ?? '',
      extraInfo: r.extra_info ?? '',
      tunnel: r.tunnel ?? '',
      cpes: JSON.parse(r.cpes) as string[],
    }));
  }

  async insertPort(
    tenantId: string,
    assetId: string,
    p: PortObservation,
    at: Date,
    scan: { scanId: string; agentId: string },
  ): Promise<void> {
    await this.run(
      `INSERT INTO asset_ports (id, tenant_id, asset_id, protocol, port, state, service, product, version, extra_info, tunnel,
         cpes, first_seen_at, last_seen_at, last_scan_id, seen_by_agent_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId(),
        tenantId,
        assetId,
        p.protocol,
        p.port,
        p.state,
        p.service,
        p.product,
        p.version,
        p.extraInfo,
        p.tunnel,
        JSON.stringify(p.cpes),
        this.at(at),
        this.at(at),
        scan.scanId,
        scan.agentId,
      ],
    );
  }

  async updatePort(
    tenantId: string,
    id: string,
    p: PortObservation,
    at: Date,
    scan: { scanId: string; agentId: string },
  ): Promise<void> {
    await this.run(
      `UPDATE asset_ports SET state = ?, service = ?, product = ?, version = ?, extra_info = ?, tunnel = ?, cpes = ?,
         last_seen_at = ?, last_scan_id = ?, seen_by_agent_id = ? WHERE tenant_id = ? AND id = ?`,
      [
        p.state,
        p.service,
        p.product,
        p.version,
        p.extraInfo,
        p.tunnel,
        JSON.stringify(p.cpes),
        this.at(at),
        scan.scanId,
        scan.agentId,
        tenantId,
        id,
      ],
    );
  }

  async setPortState(tenantId: string, id: string, state: string): Promise<void> {
    await this.run('UPDATE asset_ports SET state = ? WHERE tenant_id = ? AND id = ?', [state, tenantId, id]);
  }

  async addEvents(
    tenantId: string,
    assetId: string,
    at: Date,
    source: string,
    events: LedgerEvent[],
  ): Promise<void> {
    for (const e of events) {
      await this.run(
        'INSERT INTO asset_events (id, tenant_id, asset_id, at, kind, detail, source) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [newId(), tenantId, assetId, this.at(at), e.kind, JSON.stringify(e.detail), source],
      );
    }
  }

  async events(
    tenantId: string,
    assetId: string,
    limit = 500,
  ): Promise<{ at: string; kind: string; detail: unknown; source: string }[]> {
    const rows = await this.rows<{ at: Date | string; kind: string; detail: string; source: string }>(
      'SELECT at, kind, detail, source FROM asset_events WHERE tenant_id = ? AND asset_id = ? ORDER BY at DESC, id LIMIT ?',
      [tenantId, assetId, limit],
    );
    return rows.map((r) => ({
      at: new Date(
        typeof r.at === 'string' && !r.at.endsWith('Z') ? `${r.at.replace(' ', 'T')}Z` : r.at,
      ).toISOString(),
      kind: r.kind,
      detail: JSON.parse(r.detail) as unknown,
      source: r.source,
    }));
  }

  /** The asset row with the ledger's columns; undefined for an unknown or foreign id. */
  /** The people-kept attributes of several assets, in one query (lists, detail). */
  async attributesOf(tenantId: string, assetIds: string[]): Promise<Map<string, AssetAttributes>> {
    const out = new Map<string, AssetAttributes>();
    if (assetIds.length === 0) return out;
    const rows = await this.rows<Record<string, unknown>>(
      `SELECT * FROM assets WHERE tenant_id = ? AND id IN (${assetIds.map(() => '?').join(',')})`,
      [tenantId, ...assetIds],
    );
    for (const r of rows) out.set(String(r['id']), attributesFromRow(r));
    return out;
  }

  async assetRow(tenantId: string, assetId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.rows<Record<string, unknown>>(
      'SELECT * FROM assets WHERE tenant_id = ? AND id = ?',
      [tenantId, assetId],
    );
    return row;
  }

  /** The current asset holding an address in a zone (CSV import by ip). */
  async assetByIp(tenantId: string, zone: string, ip: string): Promise<string | undefined> {
    const [row] = await this.rows<{ asset_id: string }>(
      "SELECT asset_id FROM asset_identities WHERE tenant_id = ? AND kind = 'ip' AND zone = ? AND value = ?",
      [tenantId, zone, ip],
    );
    return row?.asset_id;
  }

  /** Sets attribute columns (names from ATTRIBUTE_COLUMNS only) and marks the asset registered. */
  async setAttributes(
    tenantId: string,
    assetId: string,
    columns: Record<string, string | number | null>,
  ): Promise<void> {
    const names = Object.keys(columns);
    if (names.length === 0) return;
    await this.run(
      `UPDATE assets SET ${names.map((n) => `${n} = ?`).join(', ')}, registered = ? WHERE tenant_id = ? AND id = ?`,
      [...names.map((n) => columns[n]), boolParam(this.dialect, true), tenantId, assetId],
    );
  }

  /** Every open port of the tenant's current (not merged) assets, with the asset's zone and name. */
  async openPorts(tenantId: string, limit: number): Promise<ExposureRow[]> {
    return this.rows<ExposureRow>(
      `SELECT a.id AS asset_id, a.name, a.zone, a.agent_id, p.protocol, p.port, p.service, p.product, p.version,
              p.first_seen_at, p.last_seen_at
         FROM asset_ports p JOIN assets a ON a.id = p.asset_id
        WHERE p.tenant_id = ? AND a.tenant_id = ? AND a.merged_into_id IS NULL AND p.state IN ('open', 'open|filtered')
        ORDER BY a.zone, a.name, p.protocol, p.port
        LIMIT ?`,
      [tenantId, tenantId, limit],
    );
  }
}

export interface ExposureRow {
  asset_id: string;
  name: string;
  zone: string;
  agent_id: string | null;
  protocol: string;
  port: number | string;
  service: string | null;
  product: string | null;
  version: string | null;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
}
