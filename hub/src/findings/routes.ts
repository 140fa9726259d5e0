// GET /findings and /findings/:id (mounted under /api/v1 behind bearer auth).
import { Router } from '@koa/router';
import type { AuthState } from '../platform/module.js';
import { findingFiltersSchema, findingsQuerySchema, pageSchema, parseOrThrow } from './schemas.js';
import type { FindingsService } from './service.js';

export function findingsRouter(service: FindingsService): Router<AuthState> {
  const router = new Router<AuthState>();

  router.get('/findings', async (ctx) => {
    // Validated whole first so that an unknown value anywhere is a 400 naming the parameter.
    const q = parseOrThrow(findingsQuerySchema, ctx.query, 'query');
    const filters = findingFiltersSchema.parse({
      ...(q.type ? { type: q.type } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.assetId ? { assetId: q.assetId } : {}),
      ...(q.priority ? { priority: q.priority } : {}),
      ...(q.cve ? { cve: q.cve } : {}),
      ...(q.source ? { source: q.source } : {}),
      sort: q.sort,
    });
    ctx.body = await service.list(
      ctx.state.auth.tenantId,
      filters,
      pageSchema.parse({ limit: q.limit, offset: q.offset }),
    );
  });

  router.get('/findings/:id', async (ctx) => {
    ctx.body = await service.get(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });

  return router;
}
