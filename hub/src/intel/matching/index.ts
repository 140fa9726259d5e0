// Vulnerability matching: distro-aware package matching, CPE matching against NVD configurations,
// the per-asset matching run and its needs-verification candidates. The only import surface of
// intel/matching for the rest of the hub.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AuthState, Router } from '../../platform/module.js';
import { MatchCandidateEntity } from './entities.js';
import { MatchCandidates1764530000000 } from './migration.js';
import { matchingRouter } from './routes.js';
import { MatchingService, type MatchingDeps } from './service.js';

export {
  MatchingService,
  MATCH_SOURCES,
  loadVulns,
  observationsOf,
  type MatchAssetResult,
  type MatchingDeps,
} from './service.js';
export { matchInventories, matchInventory, type InventoryMatches } from './bulk.js';
export { InventoryReader, type AssetInventory } from './inventory.js';
export { IntelIndex, prefetchLookup, type IntelLookup } from './lookup.js';
export { hostEcosystems } from './distro.js';
export { parseCpe } from './cpe.js';
export { parseQuery } from './routes.js';
export { identityOf } from './observations.js';
export type { PackageMatch, InventoryPackage } from './packages.js';
export type { CpeMatchResult } from './services.js';

export const matchingEntities: EntitySchema[] = [MatchCandidateEntity] as EntitySchema[];
export const matchingMigrations: (new () => MigrationInterface)[] = [MatchCandidates1764530000000];

export function createMatchingModule(deps: MatchingDeps): {
  service: MatchingService;
  router: Router<AuthState>;
} {
  const service = new MatchingService({ ...deps, log: deps.log.child({ module: 'matching' }) });
  return { service, router: matchingRouter(service) };
}
