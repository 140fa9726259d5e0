// GET /overview (mounted under /api/v1; `read` permission like every GET).
import Router from '@koa/router';
import type { AuthState } from '../platform/module.js';
import type { OverviewService } from './service.js';

export function overviewRouter(service: OverviewService): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/overview', async (ctx) => {
    ctx.body = await service.get(ctx.state.auth.tenantId);
  });
  return r;
}
