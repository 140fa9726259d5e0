// The REST surface of a real hub process: health, auth, error mapping, body limit, task
// validation, console static files with SPA fallback, clean exit on SIGTERM.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { enrollAgent, startHub, type RunningHubProcess } from '../testing/index.js';

describe('hub http', () => {
  let hub: RunningHubProcess;
  let token: string;
  const consoleDir = mkdtempSync(join(tmpdir(), 'wp-console-'));

  const req = async (path: string, init: RequestInit = {}, auth = true) => {
    const headers = new Headers(init.headers);
    if (auth) headers.set('authorization', `Bearer ${token}`);
    const res = await fetch(hub.url + path, { ...init, headers });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text };
  };
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

  before(async () => {
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>watchpost-console-index</title>');
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'assets', 'app.js'), 'console.log("app")');
    hub = await startHub({ env: { WATCHPOST_CONSOLE_DIR: consoleDir, WATCHPOST_BODY_LIMIT_BYTES: '1024' } });
    await hub.cli(['tenant', 'create', 'acme']);
    token = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme', '--name', 'test']))['token']);
  });
  after(async () => {
    // SIGTERM: closes cleanly with exit code 0.
    assert.equal(await hub.kill('SIGTERM'), 0);
  });

  test('healthz needs no auth; the API does', async () => {
    assert.deepEqual(json((await req('/healthz', {}, false)).text), { status: 'ok' });
    const r = await req('/api/v1/agents', {}, false);
    assert.deepEqual([r.status, json(r.text)['code']], [401, 'UNAUTHENTICATED']);
    const bad = await fetch(`${hub.url}/api/v1/agents`, { headers: { authorization: 'Bearer wpa_nope' } });
    assert.equal(bad.status, 401);
  });

  test('unknown API routes are 404 NOT_FOUND in JSON, not the console', async () => {
    for (const p of ['/api/v1/nope', '/api/nope']) {
      const r = await req(p);
      assert.deepEqual([r.status, json(r.text)['code']], [404, 'NOT_FOUND'], p);
    }
    const r = await req('/api/v1/tasks/00000000-0000-4000-8000-000000000000');
    assert.deepEqual([r.status, json(r.text)['code']], [404, 'NOT_FOUND']);
  });

  test('task creation validates kind and params', async () => {
    const enrollTok = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
    const a = await enrollAgent(hub.wsUrl, enrollTok);
    const post = (body: unknown) =>
      req(`/api/v1/agents/${a.agentId}/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const bad of [
      { kind: 'pipeline_probe', params: { count: 0 } },
      { kind: 'pipeline_probe', params: { count: 1_000_001 } },
      { kind: 'rm_rf', params: {} },
      { kind: 'collect_inventory', params: { full: 'yes' } },
    ]) {
      const r = await post(bad);
      assert.deepEqual([r.status, json(r.text)['code']], [400, 'VALIDATION_FAILED'], JSON.stringify(bad));
    }
    const ok = await post({ kind: 'pipeline_probe', params: { count: 10000, payloadBytes: 0 } });
    assert.equal(ok.status, 201);
    const t = json(ok.text);
    assert.deepEqual(
      [t['kind'], t['state'], t['params']],
      ['pipeline_probe', 'queued', { count: 10000, payloadBytes: 0 }],
    );
    const got = json((await req(`/api/v1/tasks/${String(t['id'])}`)).text);
    assert.equal(got['result'], null);
  });

  test('malformed and oversized bodies are rejected with stable codes', async () => {
    const malformed = await req('/api/v1/agents/x/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.deepEqual([malformed.status, json(malformed.text)['code']], [400, 'BAD_REQUEST']);
    const big = await req('/api/v1/agents/x/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(4096) }),
    });
    assert.deepEqual([big.status, json(big.text)['code']], [413, 'PAYLOAD_TOO_LARGE']);
  });

  test('the console is served with SPA fallback', async () => {
    const index = await req('/', {}, false);
    assert.equal(index.status, 200);
    assert.match(index.text, /watchpost-console-index/);
    const asset = await req('/assets/app.js', {}, false);
    assert.match(asset.text, /console\.log/);
    const deep = await req('/agents/123/details', {}, false);
    assert.equal(deep.status, 200);
    assert.match(deep.type, /html/);
    assert.match(deep.text, /watchpost-console-index/);
  });
});
