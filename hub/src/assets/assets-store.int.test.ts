// The asset ledger against real databases: SQLite always, PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set. Same suite, schema from the migrations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { isHubError } from '../platform/errors.js';
import { assetsEntities, assetsMigrations, createAssetsModule, type AssetsModule } from './index.js';
import {
  AccountEntity,
  AssetEntity,
  InterfaceEntity,
  ListenerEntity,
  PackageEntity,
  ServiceEntity,
} from './entities.js';
import { AssetRepository } from './repository.js';
import { testStores, type TestStore } from './testing-stores.js';
import {
  ALL_SECTIONS,
  inventoryReport,
  loadDpkgFixture,
  sampleParts,
  syntheticPackages,
} from './testing-reports.js';

const silent = pino({ level: 'silent' });
const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
const T1 = new Date(Date.UTC(2026, 10, 25, 13, 0, 0));

/** Every row of every ledger table for a tenant, for before/after comparisons. */
async function dumpTenant(store: TestStore, tenantId: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const entity of assetsEntities) {
    const rows = await store.dataSource.getRepository(entity).find({ where: { tenantId } });
    out.push(rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  }
  return out;
}

/** Names, versions and architectures of installed packages in a dpkg status file. */
function installedDpkgPackages(text: string) {
  return text
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

for (const factory of testStores({ entities: assetsEntities, migrations: assetsMigrations })) {
  describe(`asset ledger on ${factory.dialect}`, () => {
    let store: TestStore;
    let assets: AssetsModule;
    const ids = () => ({ tenantId: randomUUID(), agentId: randomUUID() });
    const apply = (
      ctx: { tenantId: string; agentId: string; receivedAt: Date },
      report: Parameters<AssetsModule['applyInventory']>[2],
    ) => store.dataSource.transaction((em) => assets.applyInventory(em, ctx, report));
    const repo = () => new AssetRepository(store.dataSource.manager);

    before(async () => {
      store = await factory.open();
      assets = createAssetsModule({ dataSource: store.dataSource, clock: () => T0, log: silent });
    });
    after(async () => {
      await store?.close();
    });

    it('stores a full report: host facts, every section, digests', async () => {
      const { tenantId, agentId } = ids();
      const parts = sampleParts();
      const report = inventoryReport(parts, ALL_SECTIONS);
      const out = await apply({ tenantId, agentId, receivedAt: T0 }, report);
      assert.deepEqual(out.divergedSections, []);

      const asset = await repo().findById(tenantId, out.assetId);
      assert.ok(asset);
      assert.equal(asset.agentId, agentId);
      assert.equal(asset.name, 'web-01');
      assert.equal(asset.osCodename, 'bookworm');
      assert.equal(asset.memoryBytes, 8 * 1024 ** 3);
      assert.equal(asset.virtual, true);
      assert.equal(asset.serial, null);
      assert.deepEqual(asset.ips, ['127.0.0.1', '::1']);
      assert.equal(asset.packageCount, 40);
      assert.equal(asset.processCount, 2);
      assert.equal(asset.firstSeenAt.getTime(), T0.getTime());
      assert.equal(asset.inventoryAt?.getTime(), T0.getTime());
      assert.deepEqual(asset.sectionDigests, report.digests);

      const c = await repo().children(tenantId, out.assetId);
      assert.deepEqual(
        c.interfaces.map((i) => i.name),
        ['eth0', 'lo'],
      );
      assert.deepEqual(
        c.listeners.map((l) => `${l.protocol}/${l.address}:${l.port}:${l.pid}`),
        ['tcp/127.0.0.1:22:812', 'tcp/::1:22:812', 'udp/127.0.0.1:323:null'],
      );
      const ghost = c.accounts.find((a) => a.name === 'ghost');
      assert.equal(ghost?.uid, 4294967294);
      assert.equal(ghost?.passwordState, 'empty');
      assert.deepEqual(
        c.accounts.map((a) => a.passwordState),
        ['set', 'locked', 'empty'],
      );
      assert.deepEqual(c.groups.find((g) => g.name === 'sudo')?.members, ['alice', 'bob']);
      assert.equal(c.services.length, 2);

      const [pkgs, total] = await repo().listPackages(tenantId, out.assetId, { offset: 0 });
      assert.equal(total, 40);
      const expected = syntheticPackages(40)
        .map((p) => ({ name: p.name, version: p.version, arch: p.arch, source: p.sourceName || null }))
        .sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
      assert.deepEqual(
        pkgs.map((p) => ({ name: p.name, version: p.version, arch: p.arch, source: p.sourceName })),
        expected,
      );
    });

    it('applies a delta: unchanged kept, changed diffed in place, emptied emptied, absent kept', async () => {
      const { tenantId, agentId } = ids();
      const first = sampleParts();
      const { assetId } = await apply(
        { tenantId, agentId, receivedAt: T0 },
        inventoryReport(first, ALL_SECTIONS),
      );
      const before = await store.dataSource
        .getRepository(PackageEntity)
        .find({ where: { tenantId, assetId } });
      const accountsBefore = await store.dataSource
        .getRepository(AccountEntity)
        .find({ where: { tenantId, assetId } });

      const pkgs = syntheticPackages(40);
      pkgs[3] = { ...pkgs[3], version: '9.9.9-1' };
      pkgs.splice(10, 2);
      pkgs.push({ name: 'zz-new', version: '1.0-1', arch: 'amd64', manager: 'dpkg' });
      const next = { ...first, packages: pkgs, listeners: [], interfaces: [first.interfaces![1]!] };
      const out = await apply(
        { tenantId, agentId, receivedAt: T1 },
        inventoryReport(
          next,
          ['packages', 'listeners', 'interfaces'],
          ['host', 'services', 'processes', 'groups'],
          first,
        ),
      );
      assert.deepEqual(out.divergedSections, []);
      assert.deepEqual(out.writes, { packages: 4, listeners: 3, interfaces: 1 });

      const after = await store.dataSource
        .getRepository(PackageEntity)
        .find({ where: { tenantId, assetId } });
      assert.equal(after.length, 39);
      const beforeIds = new Map(before.map((p) => [p.name, p.id]));
      const changed = after.find((p) => p.name === 'libpkg-00003');
      assert.equal(changed?.version, '9.9.9-1');
      assert.equal(changed?.id, beforeIds.get('libpkg-00003'), 'a changed package is updated in place');
      const kept = after.filter((p) => p.name !== 'zz-new');
      assert.ok(
        kept.every((p) => beforeIds.get(p.name) === p.id),
        'unchanged rows keep their ids',
      );
      assert.equal(
        after.some((p) => p.name === 'libpkg-00010'),
        false,
      );

      assert.equal(await store.dataSource.getRepository(ListenerEntity).countBy({ tenantId, assetId }), 0);
      assert.deepEqual(
        (await store.dataSource.getRepository(InterfaceEntity).findBy({ tenantId, assetId })).map(
          (i) => i.name,
        ),
        ['eth0'],
      );
      // accounts were in neither list: kept as they were.
      assert.deepEqual(
        await store.dataSource.getRepository(AccountEntity).find({ where: { tenantId, assetId } }),
        accountsBefore,
      );
      assert.equal(await store.dataSource.getRepository(ServiceEntity).countBy({ tenantId, assetId }), 2);
      const asset = await repo().findById(tenantId, assetId);
      assert.equal(asset?.packageCount, 39);
      assert.equal(asset?.name, 'web-01');
      assert.equal(asset?.lastSeenAt.getTime(), T1.getTime());
      assert.equal(asset?.firstSeenAt.getTime(), T0.getTime());
    });

    it('is idempotent under replay: the same reports applied twice leave identical rows', async () => {
      const { tenantId, agentId } = ids();
      const parts = sampleParts();
      const full = inventoryReport(parts, ALL_SECTIONS);
      const delta = inventoryReport(
        { ...parts, packages: syntheticPackages(45) },
        ['packages', 'interfaces'],
        ['host'],
        parts,
      );
      await apply({ tenantId, agentId, receivedAt: T0 }, full);
      await apply({ tenantId, agentId, receivedAt: T1 }, delta);
      const once = await dumpTenant(store, tenantId);

      // Replayed as is: the digests match what is stored, nothing is even diffed.
      const again = await apply({ tenantId, agentId, receivedAt: T1 }, delta);
      assert.deepEqual(again.writes, {});
      assert.deepEqual(again.skippedSections.sort(), ['interfaces', 'packages']);
      assert.deepEqual(await dumpTenant(store, tenantId), once);

      // Same content under other digests: diffed in full, and the diff finds nothing to write.
      const relabelled = inventoryReport(
        { ...parts, packages: syntheticPackages(45) },
        ['packages', 'interfaces'],
        ['host'],
        parts,
      );
      relabelled.digests = { ...relabelled.digests, packages: 'a'.repeat(64), interfaces: 'b'.repeat(64) };
      const diffed = await apply({ tenantId, agentId, receivedAt: T1 }, relabelled);
      assert.deepEqual(diffed.writes, { packages: 0, interfaces: 0 });
      const [onceAssets, ...onceChildren] = once;
      const [afterAssets, ...afterChildren] = await dumpTenant(store, tenantId);
      assert.deepEqual(afterChildren, onceChildren);
      assert.notDeepEqual(afterAssets, onceAssets, 'only the stored digests changed');

      const assetsOfTenant = await store.dataSource.getRepository(AssetEntity).countBy({ tenantId });
      assert.equal(assetsOfTenant, 1, 'one asset per (tenant, agent)');
    });

    it('skips sections of a full report whose digests match the store (agent restart)', async () => {
      const { tenantId, agentId } = ids();
      const full = inventoryReport(sampleParts(), ALL_SECTIONS);
      const first = await apply({ tenantId, agentId, receivedAt: T0 }, full);
      assert.deepEqual(first.skippedSections, []);
      const before = await dumpTenant(store, tenantId);
      const restart = await apply({ tenantId, agentId, receivedAt: T0 }, full);
      assert.deepEqual(restart.writes, {});
      assert.deepEqual(restart.skippedSections.sort(), ALL_SECTIONS.filter((s) => s !== 'host').sort());
      assert.deepEqual(await dumpTenant(store, tenantId), before);
    });

    it('reports sections whose stored digest diverges from the agent', async () => {
      const { tenantId, agentId } = ids();
      const parts = sampleParts();
      // Never stored anything, but the agent says "unchanged": the hub cannot have it.
      const out = await apply(
        { tenantId, agentId, receivedAt: T0 },
        inventoryReport(parts, ['host'], ['packages'], parts),
      );
      assert.deepEqual(out.divergedSections, ['packages']);
      await apply({ tenantId, agentId, receivedAt: T0 }, inventoryReport(parts, ['packages']));
      const other = { ...parts, packages: syntheticPackages(3) };
      const out2 = await apply(
        { tenantId, agentId, receivedAt: T1 },
        inventoryReport(parts, ['host'], ['packages'], other),
      );
      assert.deepEqual(out2.divergedSections, ['packages']);
      const out3 = await apply(
        { tenantId, agentId, receivedAt: T1 },
        inventoryReport(parts, ['host'], ['packages'], parts),
      );
      assert.deepEqual(out3.divergedSections, []);
    });

    it('stores 2,000 packages then a delta of 150 changes, chunked under the variable limit', async () => {
      const { tenantId, agentId } = ids();
      const big = syntheticPackages(2000);
      const { assetId } = await apply(
        { tenantId, agentId, receivedAt: T0 },
        inventoryReport({ packages: big }, ['packages']),
      );
      assert.equal((await repo().findById(tenantId, assetId))?.packageCount, 2000);
      const next = big.slice(50).map((p, i) => (i < 50 ? { ...p, version: `${p.version}.1` } : p));
      next.push(...syntheticPackages(50, 'new'));
      const out = await apply(
        { tenantId, agentId, receivedAt: T1 },
        inventoryReport({ packages: next }, ['packages']),
      );
      assert.equal(out.writes.packages, 150);
      const [rows, total] = await repo().listPackages(tenantId, assetId, { offset: 0 });
      assert.equal(total, 2000);
      const want = next.map((p) => `${p.name} ${p.version} ${p.arch}`).sort();
      assert.deepEqual(rows.map((p) => `${p.name} ${p.version} ${p.arch}`).sort(), want);
    });

    it('stores the real dpkg status of this machine and reads it back exactly', async (t) => {
      const fixture = loadDpkgFixture('status-this-machine');
      if ('skip' in fixture) return t.skip(fixture.skip);
      const pkgs = installedDpkgPackages(fixture.text);
      assert.ok(pkgs.length > 100, `parsed ${pkgs.length} packages`);
      const { tenantId, agentId } = ids();
      const { assetId } = await apply(
        { tenantId, agentId, receivedAt: T0 },
        inventoryReport({ packages: pkgs }, ['packages']),
      );
      const [rows, total] = await repo().listPackages(tenantId, assetId, { offset: 0 });
      assert.equal(total, pkgs.length);
      const key = (p: { name: string; version: string; arch: string; manager: string }) =>
        `${p.manager}|${p.name}|${p.arch}|${p.version}`;
      assert.deepEqual(rows.map(key).sort(), pkgs.map(key).sort());
      const names = rows.map((r) => r.name);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1)),
      );
    });

    it('scopes by tenant: another tenant sees nothing and cannot read by id', async () => {
      const a = ids();
      const { assetId } = await apply({ ...a, receivedAt: T0 }, inventoryReport(sampleParts(), ALL_SECTIONS));
      const otherTenant = randomUUID();
      assert.equal(await repo().findById(otherTenant, assetId), null);
      assert.deepEqual(await repo().list(otherTenant, { limit: 50, offset: 0 }), [[], 0]);
      const [pkgs, total] = await repo().listPackages(otherTenant, assetId, { offset: 0 });
      assert.equal(total, 0);
      assert.equal(pkgs.length, 0);
      const c = await repo().children(otherTenant, assetId);
      assert.equal(c.accounts.length + c.interfaces.length + c.listeners.length, 0);
      assert.equal((await repo().list(a.tenantId, { limit: 50, offset: 0 }))[1], 1);
    });

    it('refuses an invalid report without storing anything', async () => {
      const { tenantId, agentId } = ids();
      const parts = {
        ...sampleParts(),
        listeners: [{ protocol: 'tcp', family: 4, address: '127.0.0.1', port: 70000 }],
      };
      await assert.rejects(
        apply({ tenantId, agentId, receivedAt: T0 }, inventoryReport(parts, ALL_SECTIONS)),
        (err) =>
          isHubError(err) &&
          err.code === 'VALIDATION_FAILED' &&
          err.details?.['rejectCode'] === 'INVALID_MESSAGE',
      );
      assert.equal(await store.dataSource.getRepository(AssetEntity).countBy({ tenantId }), 0);
    });
  });
}
