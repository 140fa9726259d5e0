import Router from '@koa/router';
import { z } from 'zod';
import { POLICY_LIMITS } from '@watchpost/proto';
import { hubError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import type { AuthState } from '../platform/module.js';
import { deploymentOf } from './deployment.js';
import type { PoliciesService } from './service.js';
import { requirePermission } from '../users/index.js';

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
const yamlBody = z.object({ yaml: z.string().min(1).max(POLICY_LIMITS.maxDocumentBytes) });

function yamlOf(body: unknown): string {
  const r = yamlBody.safeParse(body);
  if (!r.success) throw hubError('VALIDATION_FAILED', 'body: {"yaml": "<policy text>"} required');
  return r.data.yaml;
}
const bodyOf = (ctx: { request: unknown }): unknown => (ctx.request as { body?: unknown }).body;

/** `ensureBuiltins`: a tenant created after start gets the built-ins on its first listing. */
export function policiesRouter(
  policies: PoliciesService,
  ensureBuiltins: (tenantId: string) => Promise<void>,
): Router<AuthState> {
  const r = new Router<AuthState>();
  r.get('/policies', async (ctx) => {
    const page = pageSchema.safeParse(ctx.query);
    if (!page.success) throw hubError('VALIDATION_FAILED', 'limit/offset: invalid');
    await ensureBuiltins(ctx.state.auth.tenantId);
    ctx.body = await policies.list(ctx.state.auth.tenantId, page.data.limit, page.data.offset);
  });
  r.post('/policies', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    ctx.body = await policies.create(ctx.state.auth.tenantId, ctx.state.auth.tokenId, yamlOf(bodyOf(ctx)));
    ctx.status = 201;
  });
  r.post('/policies/validate', (ctx) => {
    ctx.body = policies.validate(yamlOf(bodyOf(ctx)));
  });
  r.post('/policies/import-sca', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    ctx.body = await policies.importSca(ctx.state.auth.tenantId, ctx.state.auth.tokenId, yamlOf(bodyOf(ctx)));
    ctx.status = 201;
  });
  r.get('/policies/:id', async (ctx) => {
    ctx.body = await policies.get(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
  });
  r.put('/policies/:id', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    const { tenantId, tokenId } = ctx.state.auth;
    ctx.body = await policies.replace(tenantId, tokenId, ctx.params['id'] ?? '', yamlOf(bodyOf(ctx)));
  });
  r.delete('/policies/:id', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    await policies.remove(ctx.state.auth.tenantId, ctx.state.auth.tokenId, ctx.params['id'] ?? '');
    ctx.status = 204;
  });
  r.post('/policies/:id/copy', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    const { tenantId, tokenId } = ctx.state.auth;
    const newKey = (bodyOf(ctx) as { id?: unknown } | undefined)?.id;
    ctx.body = await policies.copy(tenantId, tokenId, ctx.params['id'] ?? '', newKey);
    ctx.status = 201;
  });
  r.put('/policies/:id/assignment', async (ctx) => {
    requirePermission(ctx, 'policies:write');
    const { tenantId, tokenId } = ctx.state.auth;
    ctx.body = await policies.assign(tenantId, tokenId, ctx.params['id'] ?? '', bodyOf(ctx));
  });
  r.get('/policies/:id/deployment', async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const row = isUuid(id) ? await policies.repo.find(ctx.state.auth.tenantId, id) : null;
    if (!row) throw hubError('NOT_FOUND', `no policy ${id}`);
    ctx.body = await deploymentOf(policies.repo, row);
  });
  return r;
}
