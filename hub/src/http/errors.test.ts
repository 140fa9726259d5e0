import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pino from 'pino';
import { Writable } from 'node:stream';
import { hubError } from '../platform/errors.js';
import { errorMiddleware } from './errors.js';

async function serveOnce(thrower: () => never): Promise<{ status: number; body: unknown; logged: string }> {
  let logged = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logged += chunk.toString();
      cb();
    },
  });
  const app = new Koa();
  app.silent = true;
  app.use(errorMiddleware(pino({ level: 'error' }, sink)));
  app.use(() => thrower());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
    return { status: res.status, body: await res.json(), logged };
  } finally {
    server.close();
  }
}

test('a HubError maps to its status and {code, message}', async () => {
  const r = await serveOnce(() => {
    throw hubError('NOT_FOUND', 'no agent 1');
  });
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { code: 'NOT_FOUND', message: 'no agent 1' });
});

test('an unknown error is a plain 500; its cause only goes to the log', async () => {
  const r = await serveOnce(() => {
    throw new Error('secret-ish database detail');
  });
  assert.equal(r.status, 500);
  assert.deepEqual(r.body, { code: 'INTERNAL', message: 'internal error' });
  assert.match(r.logged, /secret-ish database detail/);
});
