// Scanner report imports (#5): nmap, OpenVAS, Nessus, Trivy, SARIF → ledger assets and findings.
// This file is the only one other domains import.
import type { FindingsService } from '../findings/index.js';
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import type { RiskService } from '../risk/index.js';
import { ImportJobs } from './jobs.js';
import type { LedgerApply } from './pipeline.js';
import { importsRouter } from './routes.js';

export { importCommand, IMPORT_USAGE } from './cli.js';
export {
  runImport,
  type ImportCounts,
  type ImportProgress,
  type ImportRequest,
  type LedgerApply,
} from './pipeline.js';
export { readReport } from './source.js';
export { IMPORT_FORMATS, type HostBatch, type ImportFormat, type ScanObservation } from './types.js';
export type { ImportJob } from './jobs.js';

export function createImportsModule(
  deps: HubModuleDeps & { findings: FindingsService; risk: RiskService; ledger: LedgerApply },
): { router: Router<AuthState>; jobs: ImportJobs } {
  const log = deps.log.child({ module: 'imports' });
  const jobs = new ImportJobs({ ...deps, log }, log);
  return { router: importsRouter(jobs), jobs };
}
