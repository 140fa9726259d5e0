// The hub's koa app: error mapping first, /healthz, the tenant-scoped /api/v1 (API token or console session) with
// every domain router mounted under it, 404 NOT_FOUND for other /api paths, then the console.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Logger } from 'pino';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import type { TenancyService } from '../tenancy/index.js';
import { apiAuth } from './auth.js';
import type { UsersService } from '../users/index.js';
import { authRouter } from '../users/index.js';
import { errorMiddleware } from './errors.js';
import { consoleMiddleware } from './static.js';

export interface AppOptions {
  log: Logger;
  tenancy: TenancyService;
  users: UsersService;
  routers: Router<AuthState>[];
  /** Unauthenticated routes outside /api/v1's auth (agent build downloads, install.sh). */
  publicRouters?: Router[];
  bodyLimitBytes: number;
  consoleDir: string;
}

export function createApp(o: AppOptions): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(errorMiddleware(o.log));
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: o.bodyLimitBytes,
      onError: (err) => {
        const status = (err as { status?: number }).status;
        if (status === 413) throw hubError('PAYLOAD_TOO_LARGE', 'request body too large');
        throw hubError('BAD_REQUEST', 'request body is not valid JSON');
      },
    }),
  );

  const root = new Router();
  root.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  app.use(root.routes());
  for (const r of o.publicRouters ?? []) app.use(r.routes());

  // Login, logout, who-am-I: before the authenticated API (they authenticate themselves).
  const auth = authRouter(o.users);
  app.use(auth.routes());
  app.use(auth.allowedMethods());

  const api = new Router<AuthState>({ prefix: '/api/v1' });
  api.use(apiAuth(o.tenancy, o.users));
  for (const r of o.routers) api.use(r.routes(), r.allowedMethods());
  app.use(api.routes());
  app.use(api.allowedMethods());

  app.use(async (ctx, next) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
      throw hubError('NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
    }
    await next();
  });
  for (const m of consoleMiddleware(o.consoleDir)) app.use(m);
  return app;
}
