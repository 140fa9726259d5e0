// `watchpost-hub intel import` raises early warnings: a real CLI process imports a hand-made Debian
// tracker file naming a package an asset has installed; the warning and the finding are in the
// store when the command exits — no rescan, no serving hub. SQLite always; PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { createAssetsModule } from '../../assets/index.js';
import { inventoryReport, sampleParts } from '../../assets/testing-reports.js';
import { openStore, type DbOptions } from '../../db/data-source.js';
import { createFindingsModule } from '../../findings/index.js';
import { cliRaw, hubEnv, tempPgDatabase, testDatabaseUrl, type TempDatabase } from '../../testing/index.js';
import { WarningsRepository } from './repository.js';

const silent = pino({ level: 'silent' });
const dialectOf = (ds: DataSource) =>
  ds.options.type === 'postgres' ? ('postgres' as const) : ('sqlite' as const);

/** Installed on the asset: two binaries of one source package, and an unrelated package. */
const installed = [
  {
    name: 'libhandmade1',
    version: '1.2-3',
    arch: 'amd64',
    manager: 'dpkg',
    sourceName: 'handmade',
    sourceVersion: '1.2-3',
  },
  {
    name: 'handmade-bin',
    version: '1.2-3',
    arch: 'amd64',
    manager: 'dpkg',
    sourceName: 'handmade',
    sourceVersion: '1.2-3',
  },
  { name: 'other', version: '9.0-1', arch: 'amd64', manager: 'dpkg', sourceName: '', sourceVersion: '' },
];

function trackerFile(dir: string, entries: Record<string, Record<string, unknown>>): string {
  const file = join(dir, `tracker-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(entries));
  return file;
}
const verdict = (v: Record<string, unknown>) => ({
  description: 'hand-made',
  releases: { bookworm: { ...v, urgency: 'medium', repositories: {} } },
});

const targets: Array<{
  name: string;
  skip: string | false;
  open: () => Promise<{ db: DbOptions; drop?: TempDatabase }>;
}> = [
  {
    name: 'sqlite',
    skip: false,
    open: () => Promise.resolve({ db: { dataDir: mkdtempSync(join(tmpdir(), 'wp-ew-cli-')) } }),
  },
  {
    name: 'postgres',
    skip: testDatabaseUrl() ? false : 'WATCHPOST_TEST_DATABASE_URL is not set',
    open: async () => {
      const drop = await tempPgDatabase();
      return { db: { dataDir: mkdtempSync(join(tmpdir(), 'wp-ew-cli-')), databaseUrl: drop.url }, drop };
    },
  },
];

for (const target of targets) {
  describe(`intel import CLI raises early warnings on ${target.name}`, { skip: target.skip }, () => {
    const cleanup: Array<() => Promise<void>> = [];
    after(async () => {
      for (const c of cleanup.reverse()) await c();
    });

    it('a new record touching an installed package → a warning and a finding when the command exits', async () => {
      const { db, drop } = await target.open();
      if (drop) cleanup.push(() => drop.drop());
      const tenantId = randomUUID();
      // The asset's inventory, stored as an agent report would store it.
      let ds = await openStore(db, true);
      const deps = { dataSource: ds, clock: () => new Date(), log: silent };
      const parts = sampleParts();
      parts.packages = installed;
      const { assetId } = await ds.transaction((em) =>
        createAssetsModule(deps).applyInventory(
          em,
          { tenantId, agentId: randomUUID(), receivedAt: new Date() },
          inventoryReport(parts, ['host', 'packages']),
        ),
      );
      await ds.destroy();

      const file = trackerFile(db.dataDir, {
        handmade: {
          'CVE-2099-7001': verdict({ status: 'resolved', fixed_version: '1.2-4' }),
          // Already fixed in the installed version: no warning.
          'CVE-2099-7002': verdict({ status: 'resolved', fixed_version: '1.2-3' }),
        },
        'not-installed': { 'CVE-2099-7003': verdict({ status: 'open' }) },
      });
      const env = hubEnv(db.dataDir, db.databaseUrl);
      const r = await cliRaw(['intel', 'import', file, '--format', 'debian-tracker', '--json'], env);
      assert.equal(r.code, 0, r.stderr);

      ds = await openStore(db, false);
      cleanup.push(() => ds.destroy());
      const warnings = await new WarningsRepository(ds.manager, dialectOf(ds)).list(tenantId, {
        limit: 50,
        offset: 0,
      });
      assert.deepEqual(warnings.items.map((w) => [w.vulnId, w.assetId, w.component]).sort(), [
        ['CVE-2099-7001', assetId, 'handmade-bin'],
        ['CVE-2099-7001', assetId, 'libhandmade1'],
      ]);
      const findings = createFindingsModule({ dataSource: ds, clock: () => new Date(), log: silent }).service;
      const open = await findings.list(
        tenantId,
        { assetId, status: 'open,reopened', type: 'vulnerability' },
        { limit: 50, offset: 0 },
      );
      assert.deepEqual(open.items.map((f) => [f.ruleId, f.component, f.fromIntel]).sort(), [
        ['CVE-2099-7001', 'handmade-bin', true],
        ['CVE-2099-7001', 'libhandmade1', true],
      ]);

      // Re-importing the same file changes no record: no new warning.
      const again = await cliRaw(['intel', 'import', file, '--format', 'debian-tracker', '--json'], env);
      assert.equal(again.code, 0, again.stderr);
      const after2 = await new WarningsRepository(ds.manager, dialectOf(ds)).list(tenantId, {
        limit: 50,
        offset: 0,
      });
      assert.equal(after2.total, 2);
    });
  });
}
