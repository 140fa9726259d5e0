// Scans: scope-checked scan definitions, their runs as signed scan tasks, cancellation, and the
// raw discovery observations agents report. This file is the only one other domains import.
import type { EntitySchema, MigrationInterface } from 'typeorm';
import type { AgentsRepository } from '../agents/index.js';
import type { FindingsService } from '../findings/index.js';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import type { TasksService } from '../tasks/index.js';
import type { TenantScopeStore } from '../tenancy/index.js';
import { scansEntities as entities } from './entities.js';
import { discoveryApplier, type ApplyDiscovery, type Ledger } from './ingest.js';
import { scansMigrations as migrations } from './migrations.js';
import { scansRouter } from './routes.js';
import { ScansService } from './service.js';

export { ScansService } from './service.js';
export type { ApplyDiscovery, DiscoveryContext } from './ingest.js';
export type { ScanView, ScanHostSummary } from './view.js';
export { checkDiscoveryReport, DISCOVERY_LIMITS, type DiscoveryRejection } from './discovery-validation.js';
export { firstOutOfScope, parseTarget, parseScopeCidr } from './targets.js';

export const scansEntities: EntitySchema[] = entities as EntitySchema[];
export const scansMigrations: (new () => MigrationInterface)[] = migrations;

export interface ScansModule {
  router: Router<AuthState>;
  service: ScansService;
  applyDiscovery: ApplyDiscovery;
  /** Runs the scheduler every `intervalMs` (due runs, cron, windows); returns its stop. */
  startScheduler(intervalMs: number): () => Promise<void>;
}

export function createScansModule(
  deps: HubModuleDeps & {
    tasks: TasksService;
    agents: AgentsRepository;
    findings: FindingsService;
    /** The asset ledger: correlates each scanned host into one asset (assets.applyDiscovery). */
    ledger: Ledger;
    scopes: TenantScopeStore;
  },
): ScansModule {
  const log = deps.log.child({ module: 'scans' });
  const service = new ScansService({
    ds: deps.dataSource,
    tasks: deps.tasks,
    agents: deps.agents,
    scopes: deps.scopes,
    clock: deps.clock,
    log,
  });
  return {
    router: scansRouter(service),
    service,
    applyDiscovery: discoveryApplier({
      repo: service.repo,
      agents: deps.agents,
      findings: deps.findings,
      ledger: deps.ledger,
      log,
    }),
    startScheduler(intervalMs) {
      let running: Promise<void> = Promise.resolve();
      const timer = setInterval(() => {
        running = running
          .then(() => service.tick())
          .catch((err: unknown) => log.error({ err }, 'scan tick failed'));
      }, intervalMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
