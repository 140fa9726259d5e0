// Baselines: the results of policy runs agents report, their history and compliance over time,
// `baseline` findings for failing checks, and on-demand evaluation. The only import surface.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AgentsRepository } from '../agents/index.js';
import type { FindingsService } from '../findings/index.js';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import type { TasksService } from '../tasks/index.js';
import { baselineEntities } from './entities.js';
import { baselineApplier, type ApplyBaseline, type LinkDrift, type PolicyLookup } from './ingest.js';
import { BaselineRuns1764510000000 } from './migrations.js';
import { baselinesRouter } from './routes.js';
import { BaselinesService, type DriftLinksOf } from './service.js';

export type {
  ApplyBaseline,
  BaselineContext,
  FailingCheck,
  LinkDrift,
  PolicyInfo,
  PolicyLookup,
} from './ingest.js';
export type { DriftLinksOf } from './service.js';
export type * from './api-types.js';
export { checkBaselineReport, BASELINE_LIMITS, type BaselineRejection } from './validation.js';
export { driftKeyMatches } from './targets.js';
export { parseOrThrow } from './parse.js';
export { policyLookupFrom, type PolicyRowSource } from './policy-lookup.js';

export const baselinesEntities: EntitySchema[] = baselineEntities as EntitySchema[];
export const baselinesMigrations: (new () => MigrationInterface)[] = [BaselineRuns1764510000000];

export interface BaselinesModule {
  router: Router<AuthState>;
  service: BaselinesService;
  applyBaseline: ApplyBaseline;
}

export function createBaselinesModule(
  deps: HubModuleDeps & {
    tasks: TasksService;
    agents: AgentsRepository;
    findings: FindingsService;
    /** The policies domain's lookup by (tenant, policy key). */
    policies: PolicyLookup;
    linkDrift: LinkDrift;
    driftLinks: DriftLinksOf;
  },
): BaselinesModule {
  const log = deps.log.child({ module: 'baselines' });
  const service = new BaselinesService(deps.dataSource, {
    tasks: deps.tasks,
    agents: deps.agents,
    driftLinks: deps.driftLinks,
    policies: deps.policies,
    clock: deps.clock,
    log,
  });
  return {
    router: baselinesRouter(service),
    service,
    applyBaseline: baselineApplier({
      agents: deps.agents,
      findings: deps.findings,
      policies: deps.policies,
      linkDrift: deps.linkDrift,
      log,
    }),
  };
}
