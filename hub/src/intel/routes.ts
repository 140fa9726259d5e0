// /api/v1/intel/*: reads for any authenticated caller (intel is shared, not tenant data);
// imports only for roles with `intel:import` (platform admins, experts). API tokens act as their
// tenant's admin and so cannot import: platform-level imports go through the CLI or a console
// session of an expert / platform admin.
import { Router } from '@koa/router';
import { z } from 'zod';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import { requirePermission } from '../users/index.js';
import type { IntelService } from './service.js';
import { FEED_FORMATS } from './store-api.js';

const uploadQuery = z.object({
  format: z.enum(FEED_FORMATS).optional(),
  name: z.string().min(1).max(255).optional(),
});
const changesQuery = z.object({
  since: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const idParam = z.string().min(1).max(128);

function parseOr<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw hubError('VALIDATION_FAILED', `invalid ${what}: ${r.error.issues[0]?.message ?? ''}`);
  return r.data;
}

export function intelRouter(service: IntelService): Router<AuthState> {
  const router = new Router<AuthState>();

  router.post('/intel/imports', async (ctx) => {
    requirePermission(ctx, 'intel:import');
    const q = parseOr(uploadQuery, ctx.query, 'query');
    if (ctx.is('application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'))
      throw hubError('BAD_REQUEST', 'send the feed file as the raw request body (application/octet-stream)');
    const imp = await service.importUpload(ctx.req, q.name ?? 'upload', q.format, ctx.state.auth.tokenId);
    ctx.status = 202;
    ctx.body = imp;
  });

  router.get('/intel/imports', async (ctx) => {
    ctx.body = { items: await service.listImports(50) };
  });

  router.get('/intel/imports/:id', async (ctx) => {
    ctx.body = await service.getImport(parseOr(idParam, ctx.params['id'], 'id'));
  });

  router.get('/intel/status', async (ctx) => {
    ctx.body = { sources: await service.status() };
  });

  router.get('/intel/vulns/:id', async (ctx) => {
    ctx.body = await service.vulnWithHistory(parseOr(idParam, ctx.params['id'], 'id'));
  });

  router.get('/intel/changes', async (ctx) => {
    const q = parseOr(changesQuery, ctx.query, 'query');
    ctx.body = await service.changes(q.since, q.limit);
  });

  return router;
}
