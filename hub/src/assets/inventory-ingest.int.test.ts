// End to end through the real hub process: an enrolled agent streams inventory reports over the
// gateway, and the tenant reads them back over REST with a real API token. SQLite always,
// PostgreSQL when WATCHPOST_TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { watchpost } from '@watchpost/proto';
import {
  enrollAgent,
  startHub,
  tempPgDatabase,
  testDatabaseUrl,
  TestAgentClient,
  type EnrolledTestAgent,
  type RunningHubProcess,
  type TempDatabase,
} from '../testing/index.js';
import type { AssetDetail, AssetSummary, PackageItem, Page } from './index.js';
import {
  ALL_SECTIONS,
  inventoryReport,
  loadDpkgFixture,
  sampleParts,
  syntheticPackages,
} from './testing-reports.js';

const backends: { name: string; pg: boolean }[] = [{ name: 'sqlite', pg: false }];
if (testDatabaseUrl()) backends.push({ name: 'postgres', pg: true });
else console.log('# postgres inventory ingest suite skipped: WATCHPOST_TEST_DATABASE_URL is not set');

/** The packages of the real dpkg status fixture (installed ones), or 700 synthetic ones. */
function fixturePackages(): watchpost.v1.IPackage[] {
  const fixture = loadDpkgFixture('status-this-machine');
  if ('skip' in fixture) {
    console.log(`# ${fixture.skip}: using 700 synthetic packages`);
    return syntheticPackages(700);
  }
  return fixture.text
    .split(/\n\n+/)
    .map((stanza) => {
      const field = (f: string) => new RegExp(`^${f}: (.*)$`, 'm').exec(stanza)?.[1]?.trim() ?? '';
      return {
        name: field('Package'),
        version: field('Version'),
        arch: field('Architecture'),
        status: field('Status'),
      };
    })
    .filter((p) => p.name !== '' && p.status.endsWith(' installed'))
    .map(({ name, version, arch }) => ({ name, version, arch, manager: 'dpkg' }));
}

for (const backend of backends) {
  describe(`inventory ingest end to end (${backend.name})`, () => {
    let hub: RunningHubProcess;
    let db: TempDatabase | undefined;
    let tokenAcme: string;
    let tokenOther: string;
    let agent: EnrolledTestAgent;
    let client: TestAgentClient;
    let assetId: string;
    const packages = fixturePackages();
    const parts = { ...sampleParts(), packages };

    const api = async <T>(path: string, token = tokenAcme): Promise<{ status: number; body: T }> => {
      const res = await fetch(hub.url + path, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as T };
    };
    const packageKeys = async (): Promise<string[]> => {
      const { body } = await api<Page<PackageItem>>(`/api/v1/assets/${assetId}/packages`);
      return body.items.map((p) => `${p.name} ${p.arch} ${p.version}`);
    };
    const keysOf = (list: watchpost.v1.IPackage[]) =>
      list.map((p) => `${p.name} ${p.arch} ${p.version}`).sort();

    before(async () => {
      if (backend.pg) db = await tempPgDatabase();
      hub = await startHub(db ? { databaseUrl: db.url } : {});
      await hub.cli(['tenant', 'create', 'acme']);
      await hub.cli(['tenant', 'create', 'other']);
      const enrollToken = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
      tokenAcme = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
      tokenOther = String((await hub.cli(['apitoken', 'create', '--tenant', 'other']))['token']);
      agent = await enrollAgent(hub.wsUrl, enrollToken, 'acme');
      client = await TestAgentClient.connect(hub.wsUrl);
      await client.session(agent.key, agent.agentId);
    });
    after(async () => {
      client?.close();
      const code = await hub?.kill('SIGTERM');
      await db?.drop();
      assert.equal(code, 0, 'hub exits 0 on SIGTERM');
    });

    test('a full first report becomes one asset with every package', async () => {
      client.sendSeq(1, { inventory: inventoryReport(parts, ALL_SECTIONS) });
      await client.ackFor(1);
      const { status, body } = await api<Page<AssetSummary>>('/api/v1/assets');
      assert.equal(status, 200);
      assert.equal(body.total, 1);
      const asset = body.items[0];
      assert.equal(asset?.agentId, agent.agentId);
      assert.equal(asset?.name, 'web-01');
      assert.equal(asset?.packageCount, packages.length);
      assetId = asset?.id ?? '';
      assert.deepEqual((await packageKeys()).sort(), keysOf(packages));
      const detail = await api<AssetDetail>(`/api/v1/assets/${assetId}`);
      assert.equal(detail.body.processCount, 2);
      assert.equal(detail.body.accounts.length, 3);
    });

    test('a delta report changes only what it sends; a resent seq changes nothing', async () => {
      const next = packages.slice(5).map((p, i) => (i === 0 ? { ...p, version: `${p.version}+wp1` } : p));
      const delta = inventoryReport(
        { ...parts, packages: next, listeners: [] },
        ['packages', 'listeners'],
        ALL_SECTIONS.filter((s) => s !== 'packages' && s !== 'listeners'),
        parts,
      );
      client.sendSeq(2, { inventory: delta });
      await client.ackFor(2);
      assert.deepEqual((await packageKeys()).sort(), keysOf(next));
      const detail = (await api<AssetDetail>(`/api/v1/assets/${assetId}`)).body;
      assert.deepEqual(
        [detail.listeners.length, detail.accounts.length, detail.packageCount],
        [0, 3, next.length],
      );

      // Resent after a "lost ack": acknowledged again, stored once.
      client.sendSeq(2, { inventory: inventoryReport({ packages: [] }, ['packages']) });
      await client.ackFor(2);
      assert.deepEqual((await packageKeys()).sort(), keysOf(next));
    });

    test('an invalid report is rejected and leaves the ledger as it was', async () => {
      const before = await packageKeys();
      const bad = inventoryReport(
        { packages: [], listeners: [{ protocol: 'tcp', family: 4, address: '127.0.0.1', port: 70_000 }] },
        ['packages', 'listeners'],
      );
      client.sendSeq(3, { inventory: bad });
      const reject = await client.next((m) => m.body === 'reject');
      assert.equal(reject.reject?.seq?.toString(), '3');
      assert.equal(reject.reject?.code, 'INVALID_MESSAGE');
      assert.deepEqual(await packageKeys(), before);
    });

    test('another tenant sees none of it', async () => {
      const list = await api<Page<AssetSummary>>('/api/v1/assets', tokenOther);
      assert.deepEqual([list.status, list.body.total], [200, 0]);
      assert.equal((await api(`/api/v1/assets/${assetId}`, tokenOther)).status, 404);
      assert.equal((await api(`/api/v1/assets/${assetId}/packages`, tokenOther)).status, 404);
      assert.equal((await api('/api/v1/assets', 'not-a-token')).status, 401);
    });
  });
}
