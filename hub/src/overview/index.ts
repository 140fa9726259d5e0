// Overview: the dashboard's tenant-scoped aggregate (GET /overview). Reads other domains' tables,
// owns none. The only import surface of overview/.
import type { AuthState, HubModuleDeps, Router } from '../platform/module.js';
import { overviewRouter } from './routes.js';
import { OverviewService } from './service.js';

export type { Overview } from './api-types.js';
export { OverviewService } from './service.js';

export function createOverviewModule(deps: HubModuleDeps): {
  service: OverviewService;
  router: Router<AuthState>;
} {
  const service = new OverviewService(deps.dataSource, deps.clock);
  return { service, router: overviewRouter(service) };
}
