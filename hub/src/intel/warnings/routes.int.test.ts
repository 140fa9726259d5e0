// The REST surface through a real hub process: /warnings and /intel/candidates are tenant-scoped
// pages; /warnings/by-cve is cross-tenant and refused to a tenant's API token.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, type RunningHubProcess } from '../../testing/index.js';

let hub: RunningHubProcess;
let token: string;
const get = async (path: string) => {
  const res = await fetch(hub.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

before(async () => {
  hub = await startHub({});
  await hub.cli(['tenant', 'create', 'acme']);
  token = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
});
after(async () => {
  await hub?.kill('SIGTERM');
});

test('GET /warnings and /intel/candidates answer empty pages for a new tenant', async () => {
  assert.deepEqual(await get('/api/v1/warnings'), { status: 200, body: { items: [], total: 0 } });
  assert.deepEqual(await get('/api/v1/intel/candidates'), { status: 200, body: { items: [], total: 0 } });
});

test('bad paging is a 400 naming the parameter', async () => {
  const r = await get('/api/v1/warnings?limit=0');
  assert.equal(r.status, 400);
  assert.match(String(r.body['message']), /limit/);
  assert.equal((await get('/api/v1/intel/candidates?assetId=nope')).status, 400);
});

test('the per-CVE cross-tenant view is forbidden to a tenant API token', async () => {
  const r = await get('/api/v1/warnings/by-cve');
  assert.equal(r.status, 403);
  assert.equal(r.body['code'], 'FORBIDDEN');
});
