// GET /tenant/scope (what scans may target, read before a scan is submitted) and
// POST /enrollment-tokens (agents:admin), mounted under /api/v1 in the selected tenant.
import Router from '@koa/router';
import { z } from 'zod';
import { installCommand } from '../builds/index.js';
import { hubError } from '../platform/errors.js';
import type { AuthState } from '../platform/module.js';
import { requirePermission } from '../users/roles.js';
import type { CreatedEnrollmentTokenView, TenantScopeView } from './api-types.js';
import type { TenantScopeStore } from './scope.js';
import { parseDuration } from './secrets.js';
import type { TenancyService } from './service.js';

const tokenBody = z
  .object({
    expires: z.string().max(16).default('24h'),
    uses: z.number().int().min(1).max(100_000).nullable().default(1),
  })
  .strict();

export function tenancyRouter(tenancy: TenancyService, scopes: TenantScopeStore): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/tenant/scope', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    const body: TenantScopeView = {
      cidrs: await scopes.get(tenantId),
      timezone: await scopes.timezone(tenantId),
    };
    ctx.body = body;
  });
  r.post('/enrollment-tokens', async (ctx) => {
    requirePermission(ctx, 'agents:admin');
    const parsed = tokenBody.safeParse((ctx.request as { body?: unknown }).body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw hubError(
        'VALIDATION_FAILED',
        `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const t = await tenancy.createEnrollmentToken(
      ctx.state.auth.tenantId,
      parseDuration(parsed.data.expires),
      parsed.data.uses,
    );
    // The browser reached the hub at this origin, so agents on the same network can too; behind a
    // proxy the CLI's --hub-url is the way to name another one.
    const body: CreatedEnrollmentTokenView = {
      ...t,
      installCommand: installCommand(`${ctx.protocol}://${ctx.host}`, t.token),
    };
    ctx.status = 201;
    ctx.body = body;
  });
  return r;
}
