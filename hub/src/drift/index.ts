// Configuration drift: the accepted baseline per asset, drift events from the agents' snapshots
// and changes, and the expert's decisions on them. The only import surface of this domain.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AgentsRepository } from '../agents/index.js';
import type { DriftLinksOf, LinkDrift } from '../baselines/index.js';
import type { FindingsService } from '../findings/index.js';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import { driftEntities as entities } from './entities.js';
import { driftApplier, type ApplyDrift } from './ingest.js';
import { DriftInit1764510000001 } from './migrations.js';
import { driftRouter } from './routes.js';
import { DriftService } from './service.js';
import { settleDriftFindings } from './settle.js';

export type { ApplyDrift, DriftContext } from './ingest.js';
export type * from './api-types.js';
export { checkDriftReport, DRIFT_LIMITS, type DriftRejection } from './validation.js';
export { reverseUnifiedDiff } from './reverse-diff.js';
export { DRIFT_KINDS, DRIFT_STATUSES } from './entities.js';

export const driftEntities: EntitySchema[] = entities as EntitySchema[];
export const driftMigrations: (new () => MigrationInterface)[] = [DriftInit1764510000001];

export interface DriftModule {
  router: Router<AuthState>;
  service: DriftService;
  applyDrift: ApplyDrift;
  /** For the baselines module: link events to failing checks, and read those links. */
  linkDrift: LinkDrift;
  driftLinks: DriftLinksOf;
}

export function createDriftModule(
  deps: HubModuleDeps & { agents: AgentsRepository; findings: FindingsService },
): DriftModule {
  const log = deps.log.child({ module: 'drift' });
  const service = new DriftService(deps.dataSource, { findings: deps.findings, clock: deps.clock, log });
  return {
    router: driftRouter(service),
    service,
    applyDrift: driftApplier({
      agents: deps.agents,
      log,
      settle: (em, ctx) => settleDriftFindings(em, deps.findings, ctx),
    }),
    linkDrift: (em, ctx, failing) => service.link(em, ctx, failing),
    driftLinks: (tenantId, ids) => service.linksOf(tenantId, ids),
  };
}
