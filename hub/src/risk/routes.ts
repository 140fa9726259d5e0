// GET/PUT /risk/config (mounted under /api/v1 behind bearer auth): the tenant's SLA policy.
import { Router } from '@koa/router';
import type { AuthState } from '../platform/module.js';
import { requirePermission } from '../users/index.js';
import type { RiskService } from './service.js';

export function riskRouter(service: RiskService): Router<AuthState> {
  const router = new Router<AuthState>();
  router.get('/risk/config', async (ctx) => {
    ctx.body = { config: await service.config(ctx.state.auth.tenantId) };
  });
  router.put('/risk/config', async (ctx) => {
    // The SLA is tenant policy, like baseline policies: admins set it, analysts work under it.
    requirePermission(ctx, 'policies:write');
    ctx.body = await service.setConfig(ctx.state.auth.tenantId, (ctx.request as { body?: unknown }).body);
  });
  return router;
}
