// GET /intel/candidates: "needs verification" matches of the tenant (mounted under /api/v1).
import { Router } from '@koa/router';
import { z } from 'zod';
import { hubError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { AuthState } from '../../platform/module.js';
import type { MatchingService } from './service.js';

const querySchema = z.object({
  assetId: z.string().refine(isUuid, { message: 'not a UUID' }).optional(),
  vulnId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export function parseQuery<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw hubError(
    'VALIDATION_FAILED',
    `query: ${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`,
  );
}

export function matchingRouter(service: MatchingService): Router<AuthState> {
  const router = new Router<AuthState>();
  router.get('/intel/candidates', async (ctx) => {
    const q = parseQuery(querySchema, ctx.query);
    ctx.body = await service.candidates(ctx.state.auth.tenantId, q);
  });
  return router;
}
