// POST /imports (raw report body, ?format=…) and GET /imports/:id, under /api/v1 behind auth.
// The body streams to a temp file (bounded by MAX_UPLOAD_BYTES) and a background job imports it.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from '@koa/router';
import { z } from 'zod';
import { parseOrThrow } from '../findings/schemas.js';
import { hubError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import type { AuthState } from '../platform/module.js';
import { requirePermission } from '../users/index.js';
import type { ImportJobs } from './jobs.js';
import { IMPORT_FORMATS } from './types.js';

export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

const querySchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  zone: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .optional(),
  assetId: z.string().refine(isUuid, { message: 'not a UUID' }).optional(),
});

function limit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(hubError('PAYLOAD_TOO_LARGE', `report over ${max} bytes`));
      else done(null, chunk);
    },
  });
}

export function importsRouter(jobs: ImportJobs): Router<AuthState> {
  const router = new Router<AuthState>();

  router.post('/imports', async (ctx) => {
    requirePermission(ctx, 'findings:write');
    const q = parseOrThrow(querySchema, ctx.query, 'query');
    const dir = await mkdtemp(join(tmpdir(), 'watchpost-import-'));
    const path = join(dir, 'report');
    try {
      const parsed = (ctx.request as { body?: unknown }).body;
      // A JSON report sent as application/json was already parsed (within the JSON body limit).
      if (ctx.is('application/json') && parsed !== undefined) await writeFile(path, JSON.stringify(parsed));
      else await pipeline(ctx.req, limit(MAX_UPLOAD_BYTES), createWriteStream(path));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const job = jobs.start(
      {
        tenantId: ctx.state.auth.tenantId,
        format: q.format,
        path,
        zone: q.zone,
        assetId: q.assetId,
      },
      dir,
    );
    ctx.status = 202;
    ctx.body = job;
  });

  router.get('/imports/:id', (ctx) => {
    const job = jobs.get(ctx.state.auth.tenantId, ctx.params['id'] ?? '');
    if (!job) throw hubError('NOT_FOUND', 'import not found');
    ctx.body = job;
  });

  return router;
}
