// Serves the console's built files, with SPA fallback: unknown GET paths outside /api and
// /agent get index.html so client-side routes survive a reload.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';

export function consoleMiddleware(dir: string): Middleware[] {
  if (!existsSync(join(dir, 'index.html'))) return [];
  const fallback: Middleware = async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    if (ctx.path.startsWith('/api/') || ctx.path === '/api' || ctx.path.startsWith('/agent/')) return;
    ctx.type = 'html';
    ctx.body = createReadStream(join(dir, 'index.html'));
  };
  return [fallback, serve(dir, { index: 'index.html' })];
}
