// GET /baselines/runs, GET /baselines/runs/:id, GET /assets/:id/baseline,
// GET /baselines/compliance, POST /baselines/evaluate.
import Router from '@koa/router';
import type { AuthState } from '../platform/module.js';
import type { BaselinesService } from './service.js';
import { requirePermission } from '../users/index.js';

export function baselinesRouter(service: BaselinesService): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/baselines/runs', async (ctx) => {
    ctx.body = await service.listRuns(ctx.state.auth.tenantId, ctx.query);
  });
  r.get('/baselines/runs/:id', async (ctx) => {
    ctx.body = await service.getRun(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  r.get('/baselines/compliance', async (ctx) => {
    ctx.body = await service.compliance(ctx.state.auth.tenantId, ctx.query);
  });
  r.get('/assets/:id/baseline', async (ctx) => {
    ctx.body = await service.assetBaseline(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  r.post('/baselines/evaluate', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    const body: unknown = (ctx.request as { body?: unknown }).body;
    ctx.body = await service.evaluate(ctx.state.auth.tenantId, body);
    ctx.status = 202;
  });
  return r;
}
