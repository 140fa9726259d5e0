// Risk scoring and SLA (#5). This file is the only one other domains import.
import type { MigrationInterface } from 'typeorm';
import type { FindingsService } from '../findings/index.js';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import { RiskConfig1764540000100 } from './migration.js';
import { riskRouter } from './routes.js';
import { RiskService, type RiskIntel } from './service.js';

export { RiskService, type RiskIntel, type ScannerRiskHints } from './service.js';
export { DEFAULT_RISK_CONFIG, riskConfigSchema, type RiskConfig } from './config.js';
export { riskScore, WEIGHTS, type RiskBreakdown, type RiskInputs } from './score.js';
export { scoreVector } from './cvss.js';

export const riskMigrations: (new () => MigrationInterface)[] = [RiskConfig1764540000100];

export function createRiskModule(
  deps: HubModuleDeps & { findings: FindingsService; intel?: RiskIntel | null },
): { router: Router<AuthState>; service: RiskService } {
  const service = new RiskService(
    deps.dataSource,
    deps.findings,
    deps.intel ?? null,
    deps.clock,
    deps.log.child({ module: 'risk' }),
  );
  return { router: riskRouter(service), service };
}
