// The intel store against real databases (SQLite always, PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set): every hand-made feed imported, the merged read API,
// idempotent re-import, newer-replaces-older with a recorded change, stale records ignored,
// EPSS threshold, a broken feed keeping its committed batches, and the intel-changed event.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { IMPORT_BATCH } from './importer.js';
import { IntelService, intelMigrations } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = (name: string) => join(here, 'feeds', 'testdata', name);
const tmp = mkdtempSync(join(tmpdir(), 'wp-intel-store-'));
const HANDMADE = [
  'nvd2-page.json',
  'nvd1.json',
  'cve5.json',
  'osv-array.json',
  'debian-tracker.json',
  'kev.json',
  'epss.csv',
];

async function count(store: TestStore, table: string, where = ''): Promise<number> {
  const [row] = (await store.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} ${where}`)) as {
    n: unknown;
  }[];
  return Number(row?.n);
}

/** The hand-made NVD page with CVE-2099-0001 edited: new lastModified and a new score. */
function editedNvd(lastModified: string, score: number): string {
  const page = JSON.parse(readFileSync(data('handmade-nvd2-page.json'), 'utf8')) as {
    vulnerabilities: {
      cve: { lastModified: string; metrics: { cvssMetricV31: { cvssData: { baseScore: number } }[] } };
    }[];
  };
  const cve = page.vulnerabilities[0]?.cve;
  if (!cve) throw new Error('fixture shape');
  cve.lastModified = lastModified;
  const m = cve.metrics.cvssMetricV31[0];
  if (m) m.cvssData.baseScore = score;
  page.vulnerabilities = page.vulnerabilities.slice(0, 1) as typeof page.vulnerabilities;
  return JSON.stringify(page);
}

for (const factory of testStores({ entities: [], migrations: intelMigrations })) {
  describe(`intel store on ${factory.dialect}`, () => {
    let store: TestStore;
    let intel: IntelService;
    const events: { importId: string; ids: readonly string[] }[] = [];

    before(async () => {
      store = await factory.open();
      intel = new IntelService({
        dataSource: store.dataSource,
        clock: () => new Date(),
        log: pino({ level: 'silent' }),
        uploadMaxBytes: 1 << 20,
      });
      intel.events.onIntelChanged((importId, ids) => {
        events.push({ importId, ids });
      });
    });
    after(async () => {
      await store.close();
    });

    test('every hand-made feed imports; the reader merges sources', async () => {
      for (const f of HANDMADE) {
        const imp = await intel.importFile(data(`handmade-${f}`));
        assert.equal(imp.state, 'succeeded', `${f}: ${JSON.stringify(imp.error)}`);
        assert.equal(imp.progress, 100);
      }
      const v = await intel.reader.vuln('cve-2099-0001');
      assert.equal(v?.cvss3?.baseScore, 9.8);
      assert.equal(v?.cvss4?.baseScore, 9.3);
      assert.equal(v?.kev?.knownRansomwareCampaignUse, 'Known');
      assert.deepEqual([v?.epss?.score, v?.epss?.modelVersion], [0.94512, 'v2099.01.01']);
      assert.equal(v?.configurations[0]?.operator, 'AND');

      // The DSA (OSV) names the CVE as an alias; the tracker lists it directly.
      const cve = await intel.reader.vuln('CVE-2096-0007');
      assert.deepEqual(cve?.records.map((r) => r.source).sort(), ['debian-tracker', 'osv']);
      assert.ok(cve?.aliases.includes('DSA-9999-1'));

      const fixes = await intel.reader.distroFixes('Debian:12', 'exampled');
      assert.deepEqual(fixes.map((f) => [f.source, f.vulnId, f.state, f.fixedVersion, f.aliases]).sort(), [
        ['debian-tracker', 'CVE-2096-0007', 'fixed', '1:2.4.1-1+deb12u1', []],
        ['osv', 'DSA-9999-1', 'fixed', '1:2.4.1-1+deb12u1', ['CVE-2096-0007']],
      ]);
      assert.equal(
        (await intel.reader.distroFixes('Debian:11', 'exampled')).filter((f) => f.state === 'unfixed').length,
        2,
      );
      const pypi = await intel.reader.osvAffected('PyPI', 'examplelib');
      assert.deepEqual(
        pypi.map((a) => a.vulnId),
        ['GHSA-xxxx-yyyy-zzzz'],
      );
      const byProduct = await intel.reader.nvdByProduct('a', 'example', 'exampled');
      assert.deepEqual(
        byProduct.map((p) => p.vulnId),
        ['CVE-2099-0001'],
      );
      assert.equal((await intel.reader.nvdConfigurations('CVE-2097-0005'))[0]?.nodes[0]?.cpeMatch.length, 2);
      const legacy = await intel.reader.nvdByProduct('a', 'legacy', 'webapp');
      assert.equal(legacy[0]?.configurations[0]?.nodes[0]?.children.length, 2);

      const status = await intel.status();
      const kev = status.find((s) => s.source === 'kev');
      assert.deepEqual(
        [kev?.records, kev?.newestModified, kev?.lastImport?.state],
        [1, '2099-01-10', 'succeeded'],
      );
      assert.equal(status.find((s) => s.source === 'nvd')?.records, 3);
      // One event per import with changes: all but EPSS (first scores are not recorded as changes).
      assert.equal(events.length, HANDMADE.length - 1);
      assert.ok(events.some((e) => e.ids.includes('CVE-2099-0001')));
    });

    test('re-importing the same files changes nothing', async () => {
      const changesBefore = await count(store, 'intel_changes');
      const eventsBefore = events.length;
      for (const f of HANDMADE) {
        const imp = await intel.importFile(data(`handmade-${f}`));
        assert.equal(imp.counts.new + imp.counts.updated, 0, f);
        assert.ok(imp.counts.unchanged > 0, f);
      }
      assert.equal(await count(store, 'intel_changes'), changesBefore);
      assert.equal(events.length, eventsBefore, 'no event without a change');
    });

    test('a newer record replaces the older one and the change is recorded; an older one is ignored', async () => {
      const before = (await intel.importer.imports.list(1))[0];
      const newer = join(tmp, `newer-${factory.dialect}.json`);
      writeFileSync(newer, editedNvd('2099-06-01T00:00:00.000', 7.2));
      const imp = await intel.importFile(newer);
      assert.deepEqual(imp.counts, { new: 0, updated: 1, unchanged: 0, failed: 0 });
      const { vulnerability, changes } = await intel.vulnWithHistory('CVE-2099-0001');
      assert.equal(vulnerability.cvss3?.baseScore, 7.2);
      const change = changes[0];
      assert.equal(change?.kind, 'updated');
      const cvss = change?.fields.find((f) => f.field === 'cvss');
      assert.ok(cvss, JSON.stringify(change));
      assert.deepEqual(await intel.reader.changedSince(before?.id ?? null), ['CVE-2099-0001']);
      assert.deepEqual(events.at(-1)?.ids, ['CVE-2099-0001']);

      const older = join(tmp, `older-${factory.dialect}.json`);
      writeFileSync(older, editedNvd('2099-01-01T00:00:00.000', 1.0));
      const stale = await intel.importFile(older);
      assert.deepEqual(stale.counts, { new: 0, updated: 0, unchanged: 1, failed: 0 });
      assert.equal((await intel.reader.vuln('CVE-2099-0001'))?.cvss3?.baseScore, 7.2);
    });

    test('KEV ransomware change and EPSS moves: recorded beyond the threshold only', async () => {
      const kev = JSON.parse(readFileSync(data('handmade-kev.json'), 'utf8')) as {
        vulnerabilities: { knownRansomwareCampaignUse?: string }[];
      };
      const first = kev.vulnerabilities[0];
      if (first) first.knownRansomwareCampaignUse = 'Unknown';
      const kevFile = join(tmp, `kev-${factory.dialect}.json`);
      writeFileSync(kevFile, JSON.stringify(kev));
      assert.equal((await intel.importFile(kevFile)).counts.updated, 1);
      const kevChange = (await intel.reader.changesOf('CVE-2099-0001', 1))[0];
      assert.deepEqual(kevChange?.fields[0]?.field, 'kev');

      const epssFile = join(tmp, `epss-${factory.dialect}.csv`);
      writeFileSync(
        epssFile,
        '#model_version:v2099.01.01,score_date:2099-01-16T00:00:00+0000\ncve,epss,percentile\nCVE-2099-0001,0.5,0.9\nCVE-2099-0002,0.001,0.06\n',
      );
      const before = await count(store, 'intel_changes', `WHERE source = 'epss'`);
      const imp = await intel.importFile(epssFile);
      assert.deepEqual(imp.counts, { new: 0, updated: 2, unchanged: 0, failed: 0 });
      assert.equal(
        await count(store, 'intel_changes', `WHERE source = 'epss'`),
        before + 1,
        'only the 0.45 move',
      );
      assert.equal((await intel.reader.epss('CVE-2099-0002'))?.date, '2099-01-16');
      const page = await intel.changes(undefined, 1000);
      assert.equal(page.items.at(-1)?.fields[0]?.field, 'epss');
      assert.equal((await intel.changes(String(page.next), 10)).items.length, 0);
    });

    test('at start, uploads left queued by a stopped hub are failed; CLI imports are left alone', async () => {
      const upload = await intel.importer.createImport('up.json', 'kev', 10, 'user:someone');
      const cli = await intel.importer.createImport('cli.json', 'kev', 10, 'cli');
      assert.equal(await intel.recoverInterrupted(), 1);
      const failed = await intel.getImport(upload);
      assert.deepEqual([failed.state, failed.error?.code], ['failed', 'INTEL_IMPORT_INTERRUPTED']);
      assert.equal((await intel.getImport(cli)).state, 'queued');
    });

    test('malformed JSON mid-file: earlier batches stay, the failing batch is not stored', async () => {
      const template = JSON.parse(readFileSync(data('handmade-nvd2-page.json'), 'utf8')) as {
        vulnerabilities: { cve: object }[];
      };
      const cve = template.vulnerabilities[1]?.cve ?? {};
      const total = IMPORT_BATCH * 6 + 200;
      const parts = Array.from({ length: total }, (_, i) =>
        JSON.stringify({ cve: { ...cve, id: `CVE-2095-${String(10000 + i)}` } }),
      );
      const file = join(tmp, `broken-${factory.dialect}.json`);
      writeFileSync(
        file,
        `{"format":"NVD_CVE","vulnerabilities":[${parts.join(',')},{"cve": {"id": "CVE-2095-99999", ]]]}`,
      );
      const imp = await intel.importFile(file);
      assert.equal(imp.state, 'failed');
      assert.equal(imp.error?.code, 'INTEL_FEED_INVALID');
      assert.match(imp.error?.message ?? '', /invalid JSON near byte \d+/);
      // Whole batches only: those read (through the stream's read-ahead) before the error.
      assert.ok(imp.counts.new >= IMPORT_BATCH && imp.counts.new < total, String(imp.counts.new));
      assert.equal(imp.counts.new % IMPORT_BATCH, 0);
      assert.equal(await count(store, 'intel_vulns', `WHERE vuln_id LIKE 'CVE-2095-%'`), imp.counts.new);
      assert.equal((await intel.getImport(imp.id)).state, 'failed');
    });
  });
}
