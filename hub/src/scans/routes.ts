import Router from '@koa/router';
import { z } from 'zod';
import { streamSnapshots } from '../http/sse.js';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import type { ScansService } from './service.js';
import { requirePermission } from '../users/index.js';

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export function scansRouter(scans: ScansService): Router<AuthState> {
  const r = new Router<AuthState>();
  r.post('/scans', async (ctx) => {
    requirePermission(ctx, 'scans:write');
    const body: unknown = (ctx.request as { body?: unknown }).body;
    ctx.body = await scans.create(ctx.state.auth.tenantId, body);
    ctx.status = 201;
  });
  r.get('/scans', async (ctx) => {
    const page = pageSchema.safeParse(ctx.query);
    if (!page.success) throw hubError('VALIDATION_FAILED', 'limit/offset: invalid');
    ctx.body = await scans.list(ctx.state.auth.tenantId, page.data.limit, page.data.offset);
  });
  r.get('/scans/:id', async (ctx) => {
    ctx.body = await scans.get(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  // Live progress for the console: a `scan` event with the scan view whenever it changes, `end`
  // once the scan is over (a scheduled scan streams until the browser leaves).
  r.get('/scans/:id/events', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    const id = ctx.params['id'] ?? '';
    await scans.get(tenantId, id); // 404 before the stream opens
    streamSnapshots(ctx, {
      event: 'scan',
      read: () => scans.get(tenantId, id),
      done: (v) => v.schedule === null && !v.pendingRun && !['queued', 'running'].includes(v.state),
    });
  });
  r.post('/scans/:id/cancel', async (ctx) => {
    requirePermission(ctx, 'scans:write');
    ctx.body = await scans.cancel(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  return r;
}
