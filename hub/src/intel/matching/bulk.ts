// Matching many stored inventories against a set of vulnerability records at once (early warning,
// the bench): the records are indexed by (ecosystem, source package) and by CPE vendor:product,
// each inventory is walked once, and only its entries that name an indexed key cost anything.
import { hostEcosystems } from './distro.js';
import type { AssetInventory } from './inventory.js';
import type { IntelLookup } from './lookup.js';
import { matchPackages, type JudgementCache, type PackageMatch } from './packages.js';
import { hostPlatform, type EntryCache } from './platform.js';
import { matchCpes, newCpeCache, type CpeCache, type CpeMatchResult } from './services.js';

export interface InventoryMatches {
  tenantId: string;
  assetId: string;
  packages: PackageMatch[];
  cpes: CpeMatchResult[];
}

export function matchInventory(
  inv: AssetInventory,
  lookup: IntelLookup,
  cache: JudgementCache = new Map(),
  cpeCache: CpeCache = newCpeCache(),
  entryCache?: EntryCache,
): InventoryMatches {
  const eco = hostEcosystems(inv.os);
  const packages = matchPackages(inv.assetId, inv.packages, eco, lookup, cache);
  const { platform, banners } = hostPlatform(inv, entryCache);
  const cpes = platform.entries.length > 0 ? matchCpes(inv.assetId, platform, lookup, banners, cpeCache) : [];
  return { tenantId: inv.tenantId, assetId: inv.assetId, packages, cpes };
}

/**
 * Matches every inventory; caches (verdicts per source package and version, per distinct CPE,
 * per service shape) are shared by the whole run. With `sink`, each asset's matches are handed
 * over as they are found and not kept (bounded memory for fleet-sized runs); else returned.
 */
export function matchInventories(
  inventories: Iterable<AssetInventory>,
  lookup: IntelLookup,
  sink?: (m: InventoryMatches) => void,
): InventoryMatches[] {
  const out: InventoryMatches[] = [];
  const cache: JudgementCache = new Map();
  const cpeCache = newCpeCache();
  const entryCache: EntryCache = new Map();
  for (const inv of inventories) {
    const m = matchInventory(inv, lookup, cache, cpeCache, entryCache);
    if (m.packages.length === 0 && m.cpes.length === 0) continue;
    if (sink) sink(m);
    else out.push(m);
  }
  return out;
}
