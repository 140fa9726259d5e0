// GET /drift/events, GET /drift/events/:id, POST /drift/events/:id/accept,
// POST /drift/events/:id/flag, GET /assets/:id/drift-baseline.
import Router from '@koa/router';
import type { AuthState } from '../platform/module.js';
import type { DriftService } from './service.js';
import { requirePermission } from '../users/index.js';

/** Who decided: the console user, or the API token (the audit trail's principal). */
const who = (auth: AuthState['auth']) => (auth.userId ? `user:${auth.userId}` : `token:${auth.tokenId}`);

export function driftRouter(service: DriftService): Router<AuthState> {
  const r = new Router<AuthState>();
  const body = (ctx: { request: unknown }): unknown => (ctx.request as { body?: unknown }).body ?? {};
  r.get('/drift/events', async (ctx) => {
    ctx.body = await service.list(ctx.state.auth.tenantId, ctx.query);
  });
  r.get('/drift/events/:id', async (ctx) => {
    ctx.body = await service.get(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  r.post('/drift/events/:id/accept', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    const { tenantId } = ctx.state.auth;
    ctx.body = await service.accept(tenantId, ctx.params['id'] ?? '', who(ctx.state.auth), body(ctx));
  });
  r.post('/drift/events/:id/flag', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    const { tenantId } = ctx.state.auth;
    ctx.body = await service.flag(tenantId, ctx.params['id'] ?? '', who(ctx.state.auth), body(ctx));
  });
  r.get('/assets/:id/drift-baseline', async (ctx) => {
    ctx.body = await service.baseline(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  return r;
}
