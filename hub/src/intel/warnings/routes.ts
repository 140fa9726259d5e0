// GET /warnings (the tenant's early warnings, newest first) and GET /warnings/by-cve (per
// vulnerability, how many assets in how many tenants: a cross-tenant view, so it needs the
// `intel:cross_tenant` permission — experts and platform admins; tenant tokens get 403).
import { Router } from '@koa/router';
import { z } from 'zod';
import type { AuthState } from '../../platform/module.js';
import { requirePermission } from '../../users/index.js';
import { parseQuery } from '../matching/index.js';
import type { EarlyWarningService } from './service.js';

const querySchema = z.object({
  vulnId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export function warningsRouter(service: EarlyWarningService): Router<AuthState> {
  const router = new Router<AuthState>();
  router.get('/warnings', async (ctx) => {
    ctx.body = await service.repo().list(ctx.state.auth.tenantId, parseQuery(querySchema, ctx.query));
  });
  router.get('/warnings/by-cve', async (ctx) => {
    requirePermission(ctx, 'intel:cross_tenant');
    ctx.body = await service.repo().spread(parseQuery(querySchema, ctx.query));
  });
  return router;
}
