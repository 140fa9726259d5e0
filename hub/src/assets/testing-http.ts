// Test helper: serves domain routers on 127.0.0.1 the way the hub mounts them (/api/v1, the real
// error middleware), with a test auth middleware that takes the tenant from `x-test-tenant`.
// The real bearer auth is tested with the http app; here the routes' own behaviour is.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { pino } from 'pino';
import { errorMiddleware } from '../http/errors.js';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';

export interface TestServer {
  get(path: string, tenantId: string): Promise<{ status: number; body: unknown }>;
  send(
    method: string,
    path: string,
    tenantId: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function serveRouters(routers: Router<AuthState>[]): Promise<TestServer> {
  const app = new Koa();
  app.silent = true;
  app.use(errorMiddleware(pino({ level: 'silent' })));
  app.use(bodyParser());
  const api = new Router<AuthState>({ prefix: '/api/v1' });
  api.use(async (ctx, next) => {
    const tenantId = ctx.get('x-test-tenant');
    if (!tenantId) throw hubError('UNAUTHENTICATED', 'no test tenant');
    ctx.state.auth = { tenantId, tokenId: 'test', role: 'tenant_admin', userId: null, sessionId: null };
    await next();
  });
  for (const r of routers) api.use(r.routes(), r.allowedMethods());
  app.use(api.routes());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    async get(path, tenantId) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        headers: { 'x-test-tenant': tenantId },
      });
      return { status: res.status, body: await res.json() };
    },
    async send(method, path, tenantId, body) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        method,
        headers: { 'x-test-tenant': tenantId, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
