// Risk scoring with the real intel store: the real CISA KEV catalogue ($WATCHPOST_FIXTURES/kev)
// imported through intel/, then a scanner report naming a KEV-listed CVE. SQLite, and PostgreSQL
// when WATCHPOST_TEST_DATABASE_URL is set.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../assets/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { createFindingsModule, findingsEntities, findingsMigrations } from '../findings/index.js';
import { runImport } from '../imports/index.js';
import { createIntelModule, intelMigrations } from '../intel/index.js';
import { createRiskModule, riskMigrations } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures =
  process.env['WATCHPOST_FIXTURES'] ?? join(here, '..', '..', '..', '..', 'shared', 'fixtures');
const KEV = join(fixtures, 'kev', 'known_exploited_vulnerabilities.json');
const schema = {
  entities: [...assetsEntities, ...findingsEntities],
  migrations: [...assetsMigrations, ...findingsMigrations, ...riskMigrations, ...intelMigrations],
};

const skip = existsSync(KEV) ? false : `KEV fixture not present at ${KEV}`;
for (const factory of skip ? [] : testStores(schema)) {
  describe(`risk with real intel on ${factory.dialect}`, () => {
    let store: TestStore;
    let dir: string;
    before(async () => {
      store = await factory.open();
      dir = mkdtempSync(join(tmpdir(), 'wp-risk-intel-'));
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a KEV-listed CVE gets the KEV points and a deadline no later than KEV due date', async () => {
      const kev = JSON.parse(readFileSync(KEV, 'utf8')) as {
        vulnerabilities: { cveID: string; dueDate: string; knownRansomwareCampaignUse: string }[];
      };
      const entry = kev.vulnerabilities.find((v) => v.dueDate < '2026-01-01');
      assert.ok(entry, 'a KEV entry due before 2026');
      const deps = { dataSource: store.dataSource, clock: () => new Date(), log: pino({ level: 'silent' }) };
      const intel = createIntelModule({ ...deps, uploadMaxBytes: 1 << 30 }).service;
      await intel.importFile(KEV, { format: 'kev' });
      const findings = createFindingsModule(deps).service;
      const risk = createRiskModule({ ...deps, findings, intel: intel.reader }).service;
      const assets = createAssetsModule(deps);
      const report = join(dir, 'kev.nessus');
      writeFileSync(
        report,
        readFileSync(join(here, '../imports/nessus/testdata/handmade-scan.nessus'), 'utf8').replace(
          'CVE-2023-38408',
          entry.cveID,
        ),
      );
      const tenantId = randomUUID();
      await runImport(
        { ...deps, findings, risk, ledger: (em, ctx, host) => assets.applyDiscovery(em, ctx, host) },
        { importId: randomUUID(), tenantId, format: 'nessus', path: report },
      );
      const page = await findings.list(tenantId, { cve: entry.cveID }, { limit: 5 });
      const f = await findings.get(tenantId, page.items[0]?.id ?? '');
      const k = f.riskFactors['kev'] as { listed: boolean; knownRansomware: boolean; points: number };
      assert.equal(k.listed, true);
      assert.equal(k.knownRansomware, entry.knownRansomwareCampaignUse === 'Known');
      assert.equal(k.points, k.knownRansomware ? 25 : 20);
      assert.equal(f.riskFactors['kevCapped'], true);
      assert.equal(f.dueAt, `${entry.dueDate}T23:59:59.999Z`);
    });
  });
}
if (skip) console.log(`# ${skip}`);
