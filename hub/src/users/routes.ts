// /api/v1/auth: login (sets the session cookie), logout, who-am-I, password change; and
// /api/v1/users: a tenant's users, for its administrators.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { SESSION_COOKIE, sessionOf } from '../http/auth.js';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import { MAX_PASSWORD_LENGTH } from './password.js';
import { can, PERMISSIONS, requirePermission, ROLES, CROSS_TENANT_ROLES, type Role } from './roles.js';
import { SESSION_ABSOLUTE_MS, userView, type UsersService } from './service.js';

const loginSchema = z.object({
  email: z.string().min(3).max(320),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const passwordSchema = z.object({
  current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  next: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const createUserSchema = z.object({
  email: z.string().min(3).max(320),
  role: z.enum(ROLES),
  displayName: z.string().min(1).max(200).optional(),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH).optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw hubError('VALIDATION_FAILED', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

function setSessionCookie(ctx: Context, value: string | null): void {
  ctx.cookies.set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.secure,
    path: '/',
    overwrite: true,
    ...(value === null ? { maxAge: 0 } : { maxAge: SESSION_ABSOLUTE_MS }),
  });
}

function permissionsOf(role: Role): string[] {
  return PERMISSIONS.filter((p) => can(role, p));
}

export function authRouter(users: UsersService): Router {
  const r = new Router({ prefix: '/api/v1/auth' });

  r.post('/login', async (ctx) => {
    const body = parseBody(loginSchema, ctx.request.body);
    const { sessionSecret, session, user } = await users.login(body.email, body.password, ctx.ip);
    setSessionCookie(ctx, sessionSecret);
    ctx.body = {
      user: userView(user),
      tenants: await users.tenantsOf(user),
      csrfToken: session.csrfToken,
      permissions: permissionsOf(user.role),
    };
  });

  // 200 either way: "not logged in" is an answer, not an error (a browser logs every 401).
  r.get('/me', async (ctx) => {
    const found = await sessionOf(ctx, users);
    ctx.body = {
      session: found
        ? {
            user: userView(found.user),
            tenants: await users.tenantsOf(found.user),
            csrfToken: found.session.csrfToken,
            permissions: permissionsOf(found.user.role),
          }
        : null,
    };
  });

  r.post('/logout', async (ctx) => {
    const found = await sessionOf(ctx, users);
    if (found) await users.logout(found.session.id);
    setSessionCookie(ctx, null);
    ctx.status = 204;
  });

  r.post('/password', async (ctx) => {
    const found = await sessionOf(ctx, users);
    if (!found) throw hubError('UNAUTHENTICATED', 'not logged in');
    const body = parseBody(passwordSchema, ctx.request.body);
    await users.changePassword(found.user.id, body.current, body.next, found.session.id);
    ctx.status = 204;
  });
  return r;
}

/** The current tenant's users (tenant roles only; platform users are managed with the CLI). */
export function usersRouter(users: UsersService): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/users', async (ctx) => {
    requirePermission(ctx, 'users:admin');
    const items = await users.repo.listUsers(ctx.state.auth.tenantId);
    ctx.body = { items: items.map(userView) };
  });
  r.post('/users', async (ctx) => {
    requirePermission(ctx, 'users:admin');
    const body = parseBody(createUserSchema, ctx.request.body);
    if (CROSS_TENANT_ROLES.has(body.role)) {
      throw hubError('FORBIDDEN', `role ${body.role} is created by a platform administrator`);
    }
    const created = await users.createUser({ ...body, tenantId: ctx.state.auth.tenantId });
    ctx.status = 201;
    ctx.body = created;
  });
  return r;
}
