// Findings: one kind of record for what discovery (#3), baselines (#4) and intel (#5) find on an
// asset, with its evidence trail. This file is the only one other domains import.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import { findingsEntities as entities } from './entities.js';
import { FindingsInit1764100001000 } from './migrations/1764100001000-findings-init.js';
import { FindingsRisk1764540000000 } from './migrations/1764540000000-findings-risk.js';
import { FindingsListOrder1764570000000 } from './migrations/1764570000000-findings-list-order.js';
import { findingsRouter } from './routes.js';
import { FindingsService } from './service.js';

export { FindingsService, type RiskUpdate, type UpsertResult } from './service.js';
export type { ScoreNew } from './batch.js';
export type { FindingRow } from './entities.js';
export { findingIdentityKey, boundExcerpt, MAX_EXCERPT_BYTES, type IdentityParts } from './identity.js';
export type { Observation, ResolveScope } from './schemas.js';
export {
  FINDING_STATUSES,
  FINDING_TYPES,
  PRIORITIES,
  SEVERITIES,
  type FindingStatus,
  type FindingType,
  type Priority,
  type Severity,
} from './entities.js';
export type { FindingDetail, FindingEvidence, FindingSummary, FindingsPage } from './api-types.js';

export const findingsEntities: EntitySchema[] = entities as EntitySchema[];
export const findingsMigrations: (new () => MigrationInterface)[] = [
  FindingsInit1764100001000,
  FindingsRisk1764540000000,
  FindingsListOrder1764570000000,
];

export function createFindingsModule(deps: HubModuleDeps): {
  router: Router<AuthState>;
  service: FindingsService;
} {
  const service = new FindingsService(deps.dataSource, deps.clock, deps.log.child({ module: 'findings' }));
  return { router: findingsRouter(service), service };
}
