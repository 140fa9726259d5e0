// The matching run: reads an asset's stored inventory, prefetches the intel its packages and
// services name, matches (pure), and writes findings through FindingsService — new matches are
// upserted, matches that no longer hold are resolved (resolveNotSeen), product-only matches
// replace the asset's "needs verification" candidates.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { FindingsService, Observation } from '../../findings/index.js';
import { hubError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { IntelReader, IntelVulnerability } from '../store-api.js';
import { matchInventory, type InventoryMatches } from './bulk.js';
import { CandidatesRepository } from './candidates.js';
import { hostEcosystems } from './distro.js';
import { InventoryReader, type AssetInventory } from './inventory.js';
import { prefetchLookup } from './lookup.js';
import { cpeObservation, identityOf, packageObservation, type MatchFindingSource } from './observations.js';
import { packageLookupKeys } from './packages.js';
import { hostPlatform } from './platform.js';
import { productKeys } from './services.js';

export const MATCH_SOURCES: readonly MatchFindingSource[] = [
  'matcher:packages',
  'matcher:cpe',
  'intel:early-warning',
];

export interface MatchAssetResult {
  assetId: string;
  packageMatches: number;
  cpeMatches: number;
  candidates: number;
  created: number;
  resolved: number;
}

export interface MatchingDeps {
  dataSource: DataSource;
  clock: () => Date;
  log: Logger;
  reader: IntelReader;
  findings: FindingsService;
}

/** Loads vulnerability records by id, 1000 at a time (the reader's limit). */
export async function loadVulns(
  reader: IntelReader,
  ids: Iterable<string>,
): Promise<Map<string, IntelVulnerability>> {
  const all = [...new Set(ids)];
  const out = new Map<string, IntelVulnerability>();
  for (let i = 0; i < all.length; i += 1000) {
    for (const [k, v] of await reader.vulnsByIds(all.slice(i, i + 1000))) out.set(k, v);
  }
  return out;
}

/** Observations of one inventory's matches (deduplicated by identity) and its candidates. */
export function observationsOf(
  m: InventoryMatches,
  vulns: ReadonlyMap<string, IntelVulnerability>,
  source: 'matcher' | 'intel:early-warning',
  at: Date,
): { observations: Observation[]; candidates: InventoryMatches['cpes'] } {
  const byKey = new Map<string, Observation>();
  for (const p of m.packages) {
    const o = packageObservation(
      p,
      vulns.get(p.vulnId),
      source === 'matcher' ? 'matcher:packages' : source,
      at,
    );
    byKey.set(identityOf(o), o);
  }
  const candidates: InventoryMatches['cpes'] = [];
  for (const c of m.cpes) {
    if (c.confidence === 'low') {
      candidates.push(c);
      continue;
    }
    const o = cpeObservation(c, vulns.get(c.vulnId), source === 'matcher' ? 'matcher:cpe' : source, at);
    if (!byKey.has(identityOf(o))) byKey.set(identityOf(o), o);
  }
  return { observations: [...byKey.values()], candidates };
}

export class MatchingService {
  private readonly pending = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: MatchingDeps) {}

  private get dialect() {
    return this.deps.dataSource.options.type === 'postgres' ? ('postgres' as const) : ('sqlite' as const);
  }

  /** Identity keys of the asset's open vulnerability findings that `source` reported. */
  private async openKeys(
    tenantId: string,
    assetId: string,
    source: MatchFindingSource,
  ): Promise<Set<string>> {
    const keys = new Set<string>();
    for (let offset = 0; ; offset += 500) {
      const page = await this.deps.findings.list(
        tenantId,
        { assetId, source, type: 'vulnerability', status: 'open,reopened' },
        { limit: 500, offset },
      );
      for (const f of page.items) keys.add(f.identityKey);
      if (page.items.length < 500) return keys;
    }
  }

  /** A complete check of one asset: every package and service against the stored intel. */
  async matchAsset(tenantId: string, assetId: string): Promise<MatchAssetResult> {
    if (!isUuid(assetId)) throw hubError('NOT_FOUND', 'asset not found');
    const startedAt = this.deps.clock();
    const inv = await new InventoryReader(this.deps.dataSource.manager, this.dialect).asset(
      tenantId,
      assetId,
    );
    if (!inv) throw hubError('NOT_FOUND', 'asset not found');
    const m = await this.matchOne(inv);
    const vulns = await loadVulns(this.deps.reader, [
      ...m.packages.map((p) => p.vulnId),
      ...m.cpes.map((c) => c.vulnId),
    ]);
    const { observations, candidates } = observationsOf(m, vulns, 'matcher', startedAt);
    const open = new Set<string>();
    for (const s of MATCH_SOURCES) for (const k of await this.openKeys(tenantId, assetId, s)) open.add(k);
    let created = 0;
    const seen: string[] = [];
    for (const o of observations) {
      const key = identityOf(o);
      seen.push(key);
      // Already open: another identical evidence row per inventory report would only grow the table.
      if (open.has(key)) continue;
      const r = await this.deps.findings.upsert(null, tenantId, o);
      if (r.outcome === 'created' || r.outcome === 'reopened') created++;
    }
    let resolved = 0;
    for (const source of MATCH_SOURCES) {
      const r = await this.deps.findings.resolveNotSeen(null, tenantId, {
        assetId,
        type: 'vulnerability',
        source,
        seenIdentityKeys: seen,
        checkedAt: startedAt,
      });
      resolved += r.resolvedIds.length;
    }
    await this.deps.dataSource.transaction((em) =>
      new CandidatesRepository(em, this.dialect).replaceForAsset(tenantId, assetId, candidates, startedAt),
    );
    const result = {
      assetId,
      packageMatches: m.packages.length,
      cpeMatches: m.cpes.length - candidates.length,
      candidates: candidates.length,
      created,
      resolved,
    };
    this.deps.log.info({ tenantId, ...result }, 'asset matched');
    return result;
  }

  private async matchOne(inv: AssetInventory): Promise<InventoryMatches> {
    const keys = packageLookupKeys(inv.packages, hostEcosystems(inv.os));
    const { platform } = hostPlatform(inv);
    keys.products = productKeys(platform.entries.filter((e) => e.component !== 'os'));
    return matchInventory(inv, await prefetchLookup(this.deps.reader, keys));
  }

  /** Every live asset of every tenant (a full re-match, e.g. after a first bulk intel load). */
  async matchAll(tenantIds: readonly string[]): Promise<number> {
    const reader = new InventoryReader(this.deps.dataSource.manager, this.dialect);
    let n = 0;
    for (const tenantId of tenantIds) {
      for (let after = ''; ;) {
        const ids = await reader.assetIds(tenantId, after, 200);
        for (const id of ids) {
          await this.matchAsset(tenantId, id);
          n++;
        }
        if (ids.length < 200) break;
        after = ids[ids.length - 1] ?? after;
      }
    }
    return n;
  }

  /**
   * Queues a re-match of an asset whose inventory or services just changed (called from the
   * ingest paths, inside their transaction: the run starts after a short delay, outside it).
   */
  schedule(tenantId: string, assetId: string, delayMs = 250): void {
    this.pending.set(assetId, tenantId);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.flush());
    }, delayMs);
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending.clear();
    for (const [assetId, tenantId] of batch) {
      try {
        await this.matchAsset(tenantId, assetId);
      } catch (err) {
        this.deps.log.warn({ err, tenantId, assetId }, 'asset matching failed');
      }
    }
  }

  /** Resolves when queued runs are done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timer !== null || this.pending.size > 0) {
      await new Promise((r) => setTimeout(r, 20));
      await this.running;
    }
    await this.running;
  }

  /** Stops scheduling; queued runs are dropped. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    await this.running;
  }

  candidates(
    tenantId: string,
    q: { assetId?: string | undefined; vulnId?: string | undefined; limit: number; offset: number },
  ) {
    return new CandidatesRepository(this.deps.dataSource.manager, this.dialect).list(tenantId, q);
  }
}
