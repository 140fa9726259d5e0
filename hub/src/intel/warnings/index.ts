// Early warning: intel changes matched against every tenant's stored inventory, without rescans.
// The only import surface of intel/warnings.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import { createFindingsModule } from '../../findings/index.js';
import type { AuthState, Router } from '../../platform/module.js';
import type { IntelEvents } from '../store-api.js';
import { createMatchingModule } from '../matching/index.js';
import { EarlyWarningEntity } from './entities.js';
import { EarlyWarnings1764530001000 } from './migration.js';
import { warningsRouter } from './routes.js';
import { EarlyWarningService, type EarlyWarningDeps } from './service.js';

export {
  EarlyWarningService,
  mergeInventories,
  type EarlyWarningDeps,
  type EarlyWarningResult,
} from './service.js';
export type { WarningItem, VulnSpread } from './repository.js';

export const warningsEntities: EntitySchema[] = [EarlyWarningEntity] as EntitySchema[];
export const warningsMigrations: (new () => MigrationInterface)[] = [EarlyWarnings1764530001000];

export function createWarningsModule(deps: EarlyWarningDeps): {
  service: EarlyWarningService;
  router: Router<AuthState>;
} {
  const service = new EarlyWarningService({ ...deps, log: deps.log.child({ module: 'early-warning' }) });
  return { service, router: warningsRouter(service) };
}

/**
 * Early warning for a process that imports intel without serving (the `intel import` CLI): wires
 * findings, matching and warnings onto the intel service's events. `stop()` waits for the runs.
 */
export function attachEarlyWarning(
  deps: Omit<EarlyWarningDeps, 'matching' | 'findings' | 'reader'> & {
    intel: { reader: EarlyWarningDeps['reader']; events: IntelEvents };
  },
): { stop(): Promise<void> } {
  const base = { dataSource: deps.dataSource, clock: deps.clock, log: deps.log };
  const findings = createFindingsModule(base).service;
  const matching = createMatchingModule({ ...base, reader: deps.intel.reader, findings }).service;
  const { service } = createWarningsModule({ ...base, reader: deps.intel.reader, findings, matching });
  const unsubscribe = service.subscribe(deps.intel.events);
  return {
    async stop() {
      await service.idle();
      unsubscribe();
      await matching.stop();
    },
  };
}
