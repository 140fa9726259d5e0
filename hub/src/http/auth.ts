// Authentication of /api/v1/*: a `wpa_` API token (Authorization: Bearer, for automation) or a
// console session cookie (with a CSRF header on every unsafe method). Either way the request
// ends up with ctx.state.auth: the tenant it acts in, who, and the role that decides permissions.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import type { TenancyService } from '../tenancy/index.js';
import type { UsersService } from '../users/index.js';

export const SESSION_COOKIE = 'wp_session';
export const CSRF_HEADER = 'x-csrf-token';
export const TENANT_HEADER = 'x-watchpost-tenant';
/** API tokens are created by a tenant's administrators for automation and act with that role. */
const API_TOKEN_ROLE = 'tenant_admin' as const;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

function sameSecret(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
}

/** The console session behind the request's cookie, CSRF-checked for unsafe methods. */
export async function sessionOf(ctx: Context, users: UsersService) {
  const secret = ctx.cookies.get(SESSION_COOKIE);
  if (!secret) return null;
  const found = await users.resolveSession(secret);
  if (!found) return null;
  if (!isSafeMethod(ctx.method) && !sameSecret(ctx.get(CSRF_HEADER), found.session.csrfToken)) {
    throw hubError('FORBIDDEN', 'missing or wrong CSRF token', { reason: 'CSRF' });
  }
  return found;
}

export function apiAuth(tenancy: TenancyService, users: UsersService): Middleware<AuthState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m || m[1] === undefined) throw hubError('UNAUTHENTICATED', 'malformed Authorization header');
      const token = await tenancy.authenticateApiToken(m[1]);
      if (!token) throw hubError('UNAUTHENTICATED', 'invalid API token');
      ctx.state.auth = { ...token, role: API_TOKEN_ROLE, userId: null, sessionId: null };
    } else {
      const found = await sessionOf(ctx, users);
      if (!found) throw hubError('UNAUTHENTICATED', 'log in or send a bearer token');
      const tenants = await users.tenantsOf(found.user);
      // EventSource (live scan progress) cannot send headers: GETs may name the tenant as ?tenant=;
      // the same membership check below applies.
      const fromQuery =
        ctx.method === 'GET' && typeof ctx.query['tenant'] === 'string' ? ctx.query['tenant'] : '';
      const wanted = ctx.get(TENANT_HEADER) || fromQuery;
      const tenant = wanted ? tenants.find((t) => t.id === wanted) : tenants[0];
      if (!tenant) {
        throw hubError('FORBIDDEN', wanted ? 'no access to that tenant' : 'no tenant assigned to this user', {
          reason: 'TENANT',
        });
      }
      ctx.state.auth = {
        tenantId: tenant.id,
        tokenId: `user:${found.user.id}`,
        role: found.user.role,
        userId: found.user.id,
        sessionId: found.session.id,
      };
    }
    if (ctx.state.auth.role === 'viewer' && !isSafeMethod(ctx.method)) {
      throw hubError('FORBIDDEN', 'read-only users cannot change anything');
    }
    await next();
  };
}
