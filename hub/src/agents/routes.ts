import Router from '@koa/router';
import type { AuthState } from '../platform/module.js';
import { requirePermission } from '../users/roles.js';
import { agentView, type AgentsService } from './service.js';

export function agentsRouter(agents: AgentsService): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/agents', async (ctx) => {
    ctx.body = { items: await agents.list(ctx.state.auth.tenantId) };
  });
  r.get('/agents/:id', async (ctx) => {
    ctx.body = agentView(await agents.get(ctx.state.auth.tenantId, ctx.params['id'] ?? ''));
  });
  r.post('/agents/:id/revoke', async (ctx) => {
    requirePermission(ctx, 'agents:admin');
    ctx.body = agentView(await agents.revoke(ctx.state.auth.tenantId, ctx.params['id'] ?? ''));
  });
  return r;
}
