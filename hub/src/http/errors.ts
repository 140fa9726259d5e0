// First middleware: a HubError becomes {code, message} with its status; koa/http-errors with a
// 4xx status become a mapped code; anything else is a plain 500 whose cause goes only to the log.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { isHubError, type ErrorCode } from '../platform/errors.js';

function statusOf(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'BAD_REQUEST',
  429: 'RATE_LIMITED',
};

export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isHubError(err)) {
        ctx.status = err.status;
        ctx.body = { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
        return;
      }
      const status = statusOf(err);
      const code = status === undefined ? undefined : CODE_FOR_STATUS[status];
      if (status !== undefined && code !== undefined) {
        ctx.status = status;
        ctx.body = { code, message: err instanceof Error ? err.message : code };
        return;
      }
      log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { code: 'INTERNAL', message: 'internal error' };
    }
  };
}
