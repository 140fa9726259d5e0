// Server-sent events for live progress in the console (scans, imports). Each stream polls the
// store — the one source of truth every hub node shares — and sends a snapshot only when it
// changed, so it works the same whichever node the browser reached. Bounded: one poll per
// interval, a heartbeat comment, a maximum lifetime.
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

export interface SseOptions<T> {
  /** Current snapshot; throwing ends the stream with an `error` event carrying {code, message}. */
  read: () => Promise<T>;
  /** True when the snapshot is final: it is sent, then the stream ends. */
  done: (snapshot: T) => boolean;
  event: string;
  intervalMs?: number;
  maxLifetimeMs?: number;
}

const HEARTBEAT_MS = 15_000;

export function streamSnapshots<T>(ctx: Context, o: SseOptions<T>): void {
  const interval = o.intervalMs ?? 1000;
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.type = 'text/event-stream';
  ctx.status = 200;
  ctx.body = stream;

  let closed = false;
  let last = '';
  let lastWrite = Date.now();
  const started = Date.now();
  const close = () => {
    if (closed) return;
    closed = true;
    stream.end();
  };
  ctx.req.on('close', close);
  const send = (event: string, data: string) => {
    stream.write(`event: ${event}\ndata: ${data}\n\n`);
    lastWrite = Date.now();
  };

  const tick = async (): Promise<void> => {
    if (closed) return;
    try {
      const snapshot = await o.read();
      const json = JSON.stringify(snapshot);
      if (json !== last) {
        last = json;
        send(o.event, json);
      } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
        stream.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      if (o.done(snapshot) || Date.now() - started > (o.maxLifetimeMs ?? 3_600_000)) {
        send('end', '{}');
        close();
        return;
      }
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      send(
        'error',
        JSON.stringify({
          code: typeof e.code === 'string' ? e.code : 'INTERNAL',
          message: typeof e.code === 'string' && typeof e.message === 'string' ? e.message : 'internal error',
        }),
      );
      close();
      return;
    }
    setTimeout(() => void tick(), interval).unref();
  };
  void tick();
}
