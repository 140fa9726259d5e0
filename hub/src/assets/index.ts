// The asset ledger: what each agent reports about its host, one asset per (tenant, agent).
// This file is the only one other domains import.
import type { EntityManager, EntitySchema, MigrationInterface } from 'typeorm';
import type { watchpost } from '@watchpost/proto';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import { applyInventory, type ApplyInventoryResult, type InventoryContext } from './apply-inventory.js';
import { assetsEntities as entities } from './entities.js';
import { AssetsInit1764100000000 } from './migrations/1764100000000-assets-init.js';
import { AssetLedger1764300000000 } from './ledger/migration.js';
import { AssetSightings1764400000000 } from './ledger/sightings-migration.js';
import { applyDiscovery, type DiscoveryContext, type DiscoveryOutcome } from './ledger/apply-discovery.js';
import { assetsRouter } from './routes.js';
import { ledgerRouter } from './ledger/routes.js';
import { AssetRepository } from './repository.js';
import { isUuid } from '../platform/ids.js';
import { dialectOfDataSource } from '../db/data-source.js';
import { LedgerStore } from './ledger/store.js';

export type { ApplyInventoryResult, InventoryContext } from './apply-inventory.js';
export type { AssetDetail, AssetListItem, AssetOs, AssetSummary, PackageItem, Page } from './api-types.js';
export { checkInventoryReport, type InventoryRejection } from './inventory-validation.js';
export { INVENTORY_LIMITS, INVENTORY_SECTIONS, type InventorySection } from './inventory-sections.js';

export const assetsEntities: EntitySchema[] = entities as EntitySchema[];
export const assetsMigrations: (new () => MigrationInterface)[] = [
  AssetsInit1764100000000,
  AssetLedger1764300000000,
  AssetSightings1764400000000,
];
export type { DiscoveryContext, DiscoveryOutcome } from './ledger/apply-discovery.js';

export interface AssetsModule {
  router: Router<AuthState>;
  /**
   * Applies one report inside the caller's transaction (uses only `em`). Throws a HubError
   * VALIDATION_FAILED (details.rejectCode = LIMIT_EXCEEDED | INVALID_MESSAGE) for a report that
   * must be rejected; call checkInventoryReport first to reject without a savepoint.
   */
  applyInventory(
    em: EntityManager,
    ctx: InventoryContext,
    report: watchpost.v1.IInventoryReport,
  ): Promise<ApplyInventoryResult>;
  /**
   * Correlates one scanned host into the ledger inside the caller's transaction (uses only `em`):
   * matches or creates (shadow) the asset, merges, moves reused addresses, tracks ports and
   * records timeline events. Hosts that are not up are ignored (undefined).
   */
  applyDiscovery(
    em: EntityManager,
    ctx: DiscoveryContext,
    host: watchpost.v1.IDiscoveredHost,
  ): Promise<DiscoveryOutcome | undefined>;
}

/**
 * Appends entries to the asset's timeline (GET /assets/:id/timeline) inside the caller's
 * transaction, for domains whose records belong there (e.g. drift events). `kind` ≤ 32 chars,
 * `source` ≤ 64.
 */
export async function addAssetTimelineEvents(
  em: EntityManager,
  tenantId: string,
  assetId: string,
  at: Date,
  source: string,
  events: { kind: string; detail: Record<string, unknown> }[],
): Promise<void> {
  await new LedgerStore(em, dialectOfDataSource(em.dataSource)).addEvents(
    tenantId,
    assetId,
    at,
    source,
    events,
  );
}

/** True when the asset exists and belongs to the tenant (for domains attaching records to it). */
export async function assetBelongsToTenant(
  em: EntityManager,
  tenantId: string,
  assetId: string,
): Promise<boolean> {
  return isUuid(assetId) && (await new AssetRepository(em).exists(tenantId, assetId));
}

function combined(deps: HubModuleDeps): Router<AuthState> {
  const router = assetsRouter(deps.dataSource);
  const ledger = ledgerRouter(deps.dataSource);
  router.use(ledger.routes(), ledger.allowedMethods());
  return router;
}

export function createAssetsModule(deps: HubModuleDeps): AssetsModule {
  const log = deps.log.child({ module: 'assets' });
  return {
    router: combined(deps),
    applyInventory: (em, ctx, report) => applyInventory(em, ctx, report, log),
    applyDiscovery: (em, ctx, host) => applyDiscovery(em, ctx, host),
  };
}
