import Router from '@koa/router';
import type { AuthState } from '../platform/module.js';
import type { TasksService } from './service.js';
import { requirePermission } from '../users/index.js';

export function tasksRouter(tasks: TasksService): Router<AuthState> {
  const r = new Router<AuthState>();
  r.post('/agents/:id/tasks', async (ctx) => {
    requirePermission(ctx, 'scans:write');
    const body: unknown = (ctx.request as { body?: unknown }).body;
    ctx.body = await tasks.create(ctx.state.auth.tenantId, ctx.params['id'] ?? '', body);
    ctx.status = 201;
  });
  r.get('/tasks/:id', async (ctx) => {
    ctx.body = await tasks.get(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  return r;
}
