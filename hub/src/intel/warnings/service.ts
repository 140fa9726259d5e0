// Early warning: when an import adds or changes vulnerability records, match them against every
// tenant's STORED inventory — no rescan. In bulk: the changed records are indexed by (ecosystem,
// source package) and CPE vendor:product, and only the stored packages built from those source
// packages (one indexed query) and the stored services are read. Each NEW match raises a finding
// marked from intel plus an early_warnings row. Assets that already had a finding about a changed
// record get a full re-match, which resolves what no longer holds (e.g. a fix was published).
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { FindingsService } from '../../findings/index.js';
import { newId } from '../../platform/ids.js';
import type { IntelEvents, IntelReader } from '../store-api.js';
import {
  IntelIndex,
  InventoryReader,
  loadVulns,
  matchInventories,
  observationsOf,
  type AssetInventory,
  type MatchingService,
} from '../matching/index.js';
import { WarningsRepository, type WarningInsert } from './repository.js';

export interface EarlyWarningDeps {
  dataSource: DataSource;
  clock: () => Date;
  log: Logger;
  reader: IntelReader;
  findings: FindingsService;
  matching: MatchingService;
}

export interface EarlyWarningResult {
  vulns: number;
  inventories: number;
  matches: number;
  warnings: number;
  rechecked: number;
}

/** Merges the package and service reads into one inventory per asset. */
export function mergeInventories(...lists: AssetInventory[][]): AssetInventory[] {
  const byAsset = new Map<string, AssetInventory>();
  for (const list of lists) {
    for (const inv of list) {
      const have = byAsset.get(inv.assetId);
      if (!have)
        byAsset.set(inv.assetId, { ...inv, packages: [...inv.packages], services: [...inv.services] });
      else {
        have.packages.push(...inv.packages);
        have.services.push(...inv.services);
      }
    }
  }
  return [...byAsset.values()];
}

export class EarlyWarningService {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EarlyWarningDeps) {}

  private get dialect() {
    return this.deps.dataSource.options.type === 'postgres' ? ('postgres' as const) : ('sqlite' as const);
  }

  repo(): WarningsRepository {
    return new WarningsRepository(this.deps.dataSource.manager, this.dialect);
  }

  /** Subscribes to the intel store's change events; runs are serialised, failures logged. */
  subscribe(events: IntelEvents): () => void {
    return events.onIntelChanged((importId, ids) => {
      const run = this.chain
        .then(() => this.process(importId, ids))
        .then(
          () => undefined,
          (err: unknown) => this.deps.log.error({ err, importId }, 'early warning failed'),
        );
      this.chain = run;
      // Returned so an importer that awaits its listeners (the CLI) finishes after the warnings.
      return run;
    });
  }

  /** Resolves when every queued run (and the re-matches it scheduled) is done. */
  async idle(): Promise<void> {
    await this.chain;
    await this.deps.matching.idle();
  }

  async process(importId: string, changedIds: readonly string[]): Promise<EarlyWarningResult> {
    const at = this.deps.clock();
    const vulns = await loadVulns(this.deps.reader, changedIds);
    const index = new IntelIndex(vulns.values());
    const inventory = new InventoryReader(this.deps.dataSource.manager, this.dialect);
    const sources = index.distroKeys().map(([, pkg]) => pkg);
    const osvNames = [...vulns.values()].flatMap((v) => v.affected.map((a) => a.package));
    const packages =
      sources.length + osvNames.length > 0 ? await inventory.packagesBySource([...sources, ...osvNames]) : [];
    const services = index.productKeys().length > 0 ? await inventory.allServices() : [];
    const inventories = mergeInventories(packages, services);
    const matches = matchInventories(inventories, index);
    const warnings: WarningInsert[] = [];
    let matchCount = 0;
    for (const m of matches) {
      const { observations } = observationsOf(m, vulns, 'intel:early-warning', at);
      matchCount += observations.length;
      for (const o of observations) {
        const r = await this.deps.findings.upsert(null, m.tenantId, o);
        if (r.outcome !== 'created' && r.outcome !== 'reopened') continue;
        warnings.push({
          id: newId(),
          tenantId: m.tenantId,
          vulnId: o.ruleId,
          cve: o.cve ?? null,
          assetId: m.assetId,
          findingId: r.findingId,
          component: o.component,
          importId,
          createdAt: at,
        });
      }
    }
    if (warnings.length > 0)
      await this.deps.dataSource.transaction((em) =>
        new WarningsRepository(em, this.dialect).insert(warnings),
      );
    const matched = new Set(matches.map((m) => m.assetId));
    const recheck = (await this.repo().assetsWithOpenFindings([...vulns.keys()])).filter(
      (a) => !matched.has(a.assetId),
    );
    for (const a of recheck) this.deps.matching.schedule(a.tenantId, a.assetId);
    const result = {
      vulns: vulns.size,
      inventories: inventories.length,
      matches: matchCount,
      warnings: warnings.length,
      rechecked: recheck.length,
    };
    this.deps.log.info({ importId, ...result }, 'early warning run');
    return result;
  }
}
