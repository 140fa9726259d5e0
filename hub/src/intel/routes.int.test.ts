// The intel API and CLI against a real hub process (SQLite): imports need `intel:import`
// (an expert's console session; tenant API tokens are refused), uploads are size-bounded and run
// in the background with progress, status / vuln / changes read back what was imported.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startHub, type RunningHubProcess } from '../testing/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = (name: string) => join(here, 'feeds', 'testdata', name);
const UPLOAD_LIMIT = 64 * 1024;

describe('intel API and CLI', () => {
  let hub: RunningHubProcess;
  let apiToken = '';
  let expert = { cookie: '', csrf: '' };
  const dir = mkdtempSync(join(tmpdir(), 'wp-intel-api-'));

  const call = async (path: string, init: RequestInit & { bearer?: string; browser?: boolean } = {}) => {
    const headers = new Headers(init.headers);
    if (init.bearer) headers.set('authorization', `Bearer ${init.bearer}`);
    if (init.browser) {
      headers.set('cookie', expert.cookie);
      headers.set('x-csrf-token', expert.csrf);
    }
    const res = await fetch(hub.url + path, { ...init, headers });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const upload = (file: string, query: string, as: { bearer?: string; browser?: boolean }) =>
    call(`/api/v1/intel/imports${query}`, {
      method: 'POST',
      body: readFileSync(file),
      headers: { 'content-type': 'application/octet-stream' },
      ...as,
    });

  before(async () => {
    hub = await startHub({ env: { WATCHPOST_INTEL_UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT) } });
    await hub.cli(['tenant', 'create', 'acme']);
    apiToken = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'correct horse battery staple\n');
    await hub.cli([
      'user',
      'create',
      'expert@mssp.test',
      '--role',
      'expert',
      '--tenant',
      'acme',
      '--password-file',
      pw,
    ]);
    const login = await fetch(`${hub.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'expert@mssp.test', password: 'correct horse battery staple' }),
    });
    assert.equal(login.status, 200);
    const body = (await login.json()) as { csrfToken: string };
    expert = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: body.csrfToken };
  });
  after(async () => {
    await hub.kill('SIGTERM');
  });

  test('a tenant API token may read intel but not import it', async () => {
    const r = await upload(data('handmade-kev.json'), '', { bearer: apiToken });
    assert.equal(r.status, 403);
    assert.equal(r.body['code'], 'FORBIDDEN');
    assert.equal((await call('/api/v1/intel/status', { bearer: apiToken })).status, 200);
  });

  test('an expert uploads a feed; the import runs in the background and reports progress', async () => {
    const r = await upload(data('handmade-nvd2-page.json'), '?name=page.json', { browser: true });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(r.body['id']);
    let imp: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      imp = (await call(`/api/v1/intel/imports/${id}`, { bearer: apiToken })).body;
      if (imp['state'] === 'succeeded' || imp['state'] === 'failed') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(imp['state'], 'succeeded', JSON.stringify(imp));
    assert.equal(imp['format'], 'nvd2');
    assert.equal(imp['fileName'], 'page.json');
    assert.equal(imp['progress'], 100);
    assert.deepEqual(imp['counts'], { new: 2, updated: 0, unchanged: 0, failed: 0 });

    const vuln = await call('/api/v1/intel/vulns/CVE-2099-0001', { bearer: apiToken });
    assert.equal(vuln.status, 200);
    const v = vuln.body['vulnerability'] as { cvss3: { baseScore: number } };
    assert.equal(v.cvss3.baseScore, 9.8);
    assert.equal((vuln.body['changes'] as { kind: string }[])[0]?.kind, 'new');
    assert.equal((await call('/api/v1/intel/vulns/CVE-1900-0001', { bearer: apiToken })).status, 404);
    assert.equal((await call('/api/v1/intel/imports/nope', { bearer: apiToken })).status, 404);

    const changes = await call('/api/v1/intel/changes?since=0&limit=10', { bearer: apiToken });
    assert.deepEqual((changes.body['items'] as { vulnId: string }[]).map((c) => c.vulnId).sort(), [
      'CVE-2099-0001',
      'CVE-2099-0002',
    ]);
    assert.equal((await call('/api/v1/intel/changes?since=yesterday', { bearer: apiToken })).status, 400);
  });

  test('an upload over the configured limit is refused with 413 and nothing is imported', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(
      big,
      `[${Array.from({ length: 3000 }, (_, i) => `{"id":"GHSA-big-${i}","modified":"2020-01-01T00:00:00Z"}`).join(',')}]`,
    );
    const r = await upload(big, '?format=osv', { browser: true });
    assert.equal(r.status, 413);
    assert.equal(r.body['code'], 'PAYLOAD_TOO_LARGE');
    const status = (await call('/api/v1/intel/status', { bearer: apiToken })).body['sources'] as {
      source: string;
      records: number;
    }[];
    assert.equal(status.find((s) => s.source === 'osv')?.records, 0);
  });

  test('CLI import with --json; a broken file fails with INTEL_FEED_INVALID and a position', async () => {
    const ok = await hub.cli(['intel', 'import', data('handmade-kev.json'), data('handmade-epss.csv')]);
    const imports = ok['imports'] as { state: string; counts: { new: number; failed: number } }[];
    assert.deepEqual(
      imports.map((i) => [i.state, i.counts.new, i.counts.failed]),
      [
        ['succeeded', 1, 1],
        ['succeeded', 2, 1],
      ],
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"vulnerabilities": [{"cveID": "CVE-2099-0001", "dateAdded": "2099-01-01"},, ]}');
    const failed = await hub.cli(['intel', 'import', '--format', 'kev', broken]).catch((e: unknown) => e);
    const text = JSON.stringify(failed instanceof Error ? failed.message : failed);
    assert.match(text, /INTEL_FEED_INVALID/);
    const status = (await call('/api/v1/intel/status', { bearer: apiToken })).body['sources'] as {
      source: string;
      records: number;
    }[];
    assert.equal(status.find((s) => s.source === 'kev')?.records, 1);
  });
});
