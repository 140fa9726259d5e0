// GET /assets, /assets/:id, /assets/:id/packages over real HTTP on 127.0.0.1, on each store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import {
  assetsEntities,
  assetsMigrations,
  createAssetsModule,
  type AssetDetail,
  type AssetSummary,
  type PackageItem,
  type Page,
} from './index.js';
import { testStores, type TestStore } from './testing-stores.js';
import { serveRouters, type TestServer } from './testing-http.js';
import { ALL_SECTIONS, inventoryReport, sampleParts } from './testing-reports.js';

const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));

for (const factory of testStores({ entities: assetsEntities, migrations: assetsMigrations })) {
  describe(`assets REST on ${factory.dialect}`, () => {
    let store: TestStore;
    let http: TestServer;
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    let web: string;
    let db: string;

    before(async () => {
      store = await factory.open();
      const assets = createAssetsModule({
        dataSource: store.dataSource,
        clock: () => T0,
        log: pino({ level: 'silent' }),
      });
      const apply = (tenantId: string, parts: ReturnType<typeof sampleParts>) =>
        store.dataSource.transaction((em) =>
          assets.applyInventory(
            em,
            { tenantId, agentId: randomUUID(), receivedAt: T0 },
            inventoryReport(parts, ALL_SECTIONS),
          ),
        );
      web = (await apply(tenantA, sampleParts())).assetId;
      const dbParts = sampleParts();
      dbParts.host = { ...dbParts.host, hostname: 'db-01', fqdn: 'db-01.example.internal' };
      dbParts.packages = [
        {
          name: 'postgresql-15',
          version: '15.8-0+deb12u1',
          arch: 'amd64',
          manager: 'dpkg',
          sourceName: 'postgresql-15',
        },
        {
          name: 'libpq5',
          version: '15.8-0+deb12u1',
          arch: 'amd64',
          manager: 'dpkg',
          sourceName: 'postgresql-15',
        },
        { name: 'Zsh', version: '5.9-4', arch: 'amd64', manager: 'dpkg' },
      ];
      db = (await apply(tenantA, dbParts)).assetId;
      await apply(tenantB, sampleParts());
      http = await serveRouters([assets.router]);
    });
    after(async () => {
      await http?.close();
      await store?.close();
    });

    it('lists the tenant’s assets with counts, search and paging', async () => {
      const all = await http.get('/assets', tenantA);
      assert.equal(all.status, 200);
      const page = all.body as Page<AssetSummary>;
      assert.equal(page.total, 2);
      assert.deepEqual(
        page.items.map((a) => [a.name, a.packageCount]),
        [
          ['db-01', 3],
          ['web-01', 40],
        ],
      );
      const first = page.items[1];
      assert.deepEqual(first?.os, {
        platform: 'linux',
        distro: 'Debian GNU/Linux',
        id: 'debian',
        version: '12',
        codename: 'bookworm',
      });
      assert.deepEqual(first?.ips, ['127.0.0.1', '::1']);
      assert.equal(first?.lastSeenAt, T0.toISOString());
      assert.equal(typeof first?.agentId, 'string');

      const q = (await http.get('/assets?q=DB-0', tenantA)).body as Page<AssetSummary>;
      assert.deepEqual(
        q.items.map((a) => a.id),
        [db],
      );
      const pct = (await http.get('/assets?q=%25', tenantA)).body as Page<AssetSummary>;
      assert.equal(pct.total, 0, '% is literal, not a wildcard');
      const paged = (await http.get('/assets?limit=1&offset=1', tenantA)).body as Page<AssetSummary>;
      assert.deepEqual([paged.total, paged.items.map((a) => a.id)], [2, [web]]);
    });

    it('rejects bad list queries with 400 VALIDATION_FAILED', async () => {
      for (const query of ['limit=501', 'limit=0', 'limit=abc', 'offset=-1', `q=${'x'.repeat(201)}`]) {
        const res = await http.get(`/assets?${query}`, tenantA);
        assert.equal(res.status, 400, query);
        assert.equal((res.body as { code: string }).code, 'VALIDATION_FAILED', query);
      }
      assert.equal((await http.get('/assets/x/packages?limit=10001', tenantA)).status, 400);
    });

    it('returns one asset with its sections, never a password hash', async () => {
      const res = await http.get(`/assets/${web}`, tenantA);
      assert.equal(res.status, 200);
      const a = res.body as AssetDetail;
      assert.equal(a.machineId, '0123456789abcdef0123456789abcdef');
      assert.equal(a.hardware.memoryBytes, 8 * 1024 ** 3);
      assert.equal(a.processCount, 2);
      assert.deepEqual(
        a.interfaces.map((i) => i.name),
        ['eth0', 'lo'],
      );
      assert.deepEqual(
        a.listeners.map((l) => l.port),
        [22, 22, 323],
      );
      assert.deepEqual(
        a.accounts.map((x) => [x.name, x.passwordState]),
        [
          ['root', 'set'],
          ['nobody', 'locked'],
          ['ghost', 'empty'],
        ],
      );
      assert.deepEqual(a.groups.find((g) => g.name === 'sudo')?.members, ['alice', 'bob']);
      assert.deepEqual(
        a.services.map((s) => s.name),
        ['cron.service', 'ssh.service'],
      );
      assert.equal(JSON.stringify(a).includes('tenantId'), false);
      assert.equal(/hash/i.test(JSON.stringify(a.accounts)), false);
    });

    it('returns an asset’s packages ordered by name, filtered and paged', async () => {
      const all = (await http.get(`/assets/${db}/packages`, tenantA)).body as Page<PackageItem>;
      assert.equal(all.total, 3);
      assert.deepEqual(
        all.items.map((p) => p.name),
        ['Zsh', 'libpq5', 'postgresql-15'],
      );
      assert.deepEqual(all.items[1], {
        name: 'libpq5',
        version: '15.8-0+deb12u1',
        arch: 'amd64',
        manager: 'dpkg',
        sourceName: 'postgresql-15',
        sourceVersion: null,
      });
      const named = (await http.get(`/assets/${db}/packages?name=PQ`, tenantA)).body as Page<PackageItem>;
      assert.deepEqual(
        named.items.map((p) => p.name),
        ['libpq5'],
      );
      const paged = (await http.get(`/assets/${web}/packages?limit=5&offset=10`, tenantA))
        .body as Page<PackageItem>;
      assert.equal(paged.total, 40);
      assert.deepEqual(
        paged.items.map((p) => p.name),
        ['libpkg-00010', 'libpkg-00011', 'libpkg-00012', 'libpkg-00013', 'libpkg-00014'],
      );
    });

    it('answers 404 NOT_FOUND for another tenant’s asset, an unknown id or a malformed id', async () => {
      for (const path of [`/assets/${web}`, `/assets/${web}/packages`]) {
        const res = await http.get(path, tenantB);
        assert.deepEqual([res.status, (res.body as { code: string }).code], [404, 'NOT_FOUND'], path);
      }
      assert.equal((await http.get(`/assets/${randomUUID()}`, tenantA)).status, 404);
      assert.equal((await http.get('/assets/not-an-id', tenantA)).status, 404);
      const b = (await http.get('/assets', tenantB)).body as Page<AssetSummary>;
      assert.equal(b.total, 1);
      assert.notEqual(b.items[0]?.id, web);
    });
  });
}
