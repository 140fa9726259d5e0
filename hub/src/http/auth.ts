// Bearer auth for /api/v1/*: resolves the tenant of a `wpa_` API token into ctx.state.auth.
import type { Middleware } from 'koa';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import type { TenancyService } from '../tenancy/index.js';

export function bearerAuth(tenancy: TenancyService): Middleware<AuthState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m || m[1] === undefined) throw hubError('UNAUTHENTICATED', 'missing bearer token');
    const auth = await tenancy.authenticateApiToken(m[1]);
    if (!auth) throw hubError('UNAUTHENTICATED', 'invalid API token');
    ctx.state.auth = auth;
    await next();
  };
}
