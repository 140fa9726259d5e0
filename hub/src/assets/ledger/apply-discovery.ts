// Applies one scanned host (DiscoveryReport) to the tenant's ledger inside the caller's
// transaction: correlates it with what is known (correlation.ts rules), creates a shadow asset for
// a host nobody has registered, merges and moves addresses as decided, and keeps every open port
// with first/last seen — opened, closed and changed services become timeline events.
import type { watchpost } from '@watchpost/proto';
import type { EntityManager } from 'typeorm';
import { dialectOfDataSource } from '../../db/data-source.js';
import { decide, LedgerIndex, type Sighting } from '../correlation.js';
import { LedgerStore, type LedgerEvent, type PortObservation } from './store.js';

export interface DiscoveryContext {
  tenantId: string;
  /** The agent that ran the scan. */
  agentId: string;
  scanId: string;
  /** Network zone the scanning agent sits in (addresses are only comparable within a zone). */
  zone: string;
  receivedAt: Date;
  /**
   * Whether the scan covered a "tcp/22"-style port: a stored open port it covered but did not see
   * open is closed now. Absent = the scan's port set is unknown, nothing is closed.
   */
  covers?: ((portKey: string) => boolean) | undefined;
}

export interface DiscoveryOutcome {
  assetId: string;
  created: boolean;
  merged: string[];
  events: LedgerEvent[];
}

const OPEN_STATES = new Set(['open', 'open|filtered']);
const isLoopback = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';

export function sightingOf(host: watchpost.v1.IDiscoveredHost, zone: string): Sighting {
  const addresses = host.addresses ?? [];
  return {
    zone,
    macs: addresses.filter((a) => a.type === 'mac' && a.addr).map((a) => a.addr ?? ''),
    ips: addresses.filter((a) => (a.type === 'ipv4' || a.type === 'ipv6') && a.addr).map((a) => a.addr ?? ''),
    hostnames: (host.hostnames ?? []).filter((h) => h.length > 0 && h.length <= 255),
  };
}

function portsOf(host: watchpost.v1.IDiscoveredHost): PortObservation[] {
  return (host.ports ?? [])
    .filter((p) => OPEN_STATES.has(p.state ?? ''))
    .map((p) => ({
      protocol: p.protocol ?? 'tcp',
      port: p.port ?? 0,
      state: p.state ?? 'open',
      service: p.service ?? '',
      product: p.product ?? '',
      version: p.version ?? '',
      extraInfo: p.extraInfo ?? '',
      tunnel: p.tunnel ?? '',
      cpes: (p.cpes ?? []).slice(0, 32),
    }));
}

/** The scanning agent's own asset: a loopback target is the agent's own host. */
async function agentAsset(em: EntityManager, tenantId: string, agentId: string): Promise<string | undefined> {
  const rows = await em.query<{ id: string }[]>(
    em.dataSource.options.type === 'postgres'
      ? 'SELECT id FROM assets WHERE tenant_id = $1 AND agent_id = $2'
      : 'SELECT id FROM assets WHERE tenant_id = ? AND agent_id = ?',
    [tenantId, agentId],
  );
  return rows[0]?.id;
}

export async function applyDiscovery(
  em: EntityManager,
  ctx: DiscoveryContext,
  host: watchpost.v1.IDiscoveredHost,
): Promise<DiscoveryOutcome | undefined> {
  if (host.status !== 'up') return undefined;
  const store = new LedgerStore(em, dialectOfDataSource(em.dataSource));
  const at = ctx.receivedAt;
  const source = `scan:${ctx.scanId}`;
  const all = sightingOf(host, ctx.zone);
  const events: LedgerEvent[] = [];
  let assetId: string | undefined;
  let created = false;
  let merged: string[] = [];

  // Loopback addresses identify nothing across hosts: they mean "the scanning agent itself".
  const sighting: Sighting = { ...all, ips: all.ips.filter((ip) => !isLoopback(ip)) };
  if (sighting.ips.length === 0 && sighting.macs.length === 0 && all.ips.some(isLoopback)) {
    assetId = await agentAsset(em, ctx.tenantId, ctx.agentId);
  }
  if (assetId === undefined) {
    const decision = decide(new LedgerIndex(await store.candidates(ctx.tenantId, sighting)), sighting);
    for (const r of decision.reassign) {
      await store.removeAddress(ctx.tenantId, r.fromAssetId, ctx.zone, r.ip);
      await store.addEvents(ctx.tenantId, r.fromAssetId, at, source, [
        { kind: 'address_reused', detail: { ip: r.ip, reason: 'seen on another host' } },
      ]);
    }
    assetId = decision.assetId;
    if (assetId === undefined) {
      assetId = await store.createScannedAsset(
        ctx.tenantId,
        ctx.zone,
        sighting.hostnames[0] ?? sighting.ips[0] ?? 'unknown',
        at,
      );
      created = true;
      events.push({
        kind: 'created',
        detail: { by: 'scan', agentId: ctx.agentId, reasons: decision.reasons },
      });
    }
    for (const m of decision.merge) {
      await store.merge(ctx.tenantId, assetId, m, at);
      await store.addEvents(ctx.tenantId, m, at, source, [{ kind: 'merged_into', detail: { assetId } }]);
      events.push({ kind: 'merged', detail: { from: m, reasons: decision.reasons } });
    }
    merged = decision.merge;
    await store.upsertIdentities(ctx.tenantId, assetId, sighting, at);
  }

  await store.recordSighting(ctx.tenantId, assetId, ctx.agentId, at);
  const scan = { scanId: ctx.scanId, agentId: ctx.agentId };
  const stored = new Map(
    (await store.ports(ctx.tenantId, assetId)).map((p) => [`${p.protocol}/${p.port}`, p]),
  );
  const seen = new Set<string>();
  for (const p of portsOf(host)) {
    const key = `${p.protocol}/${p.port}`;
    seen.add(key);
    const old = stored.get(key);
    if (!old) {
      await store.insertPort(ctx.tenantId, assetId, p, at, scan);
      events.push({
        kind: 'port_opened',
        detail: { port: key, service: p.service, product: p.product, version: p.version },
      });
      continue;
    }
    if (!OPEN_STATES.has(old.state)) {
      events.push({
        kind: 'port_opened',
        detail: { port: key, service: p.service, product: p.product, version: p.version },
      });
    } else if (old.product !== p.product || old.version !== p.version || old.service !== p.service) {
      events.push({
        kind: 'service_changed',
        detail: {
          port: key,
          from: { service: old.service, product: old.product, version: old.version },
          to: { service: p.service, product: p.product, version: p.version },
        },
      });
    }
    await store.updatePort(ctx.tenantId, old.id, p, at, scan);
  }
  for (const [key, old] of stored) {
    if (seen.has(key) || !OPEN_STATES.has(old.state) || !ctx.covers?.(key)) continue;
    await store.setPortState(ctx.tenantId, old.id, 'closed');
    events.push({ kind: 'port_closed', detail: { port: key, service: old.service, product: old.product } });
  }
  await store.addEvents(ctx.tenantId, assetId, at, source, events);
  return { assetId, created, merged, events };
}
