// The import pipeline against real stores (SQLite; PostgreSQL when WATCHPOST_TEST_DATABASE_URL is
// set) with the real ledger, findings and risk services: dedup across nmap + OpenVAS + Nessus
// reports of one host, idempotent re-import, "not seen since", recurrence, hostile and broken
// reports storing nothing, and an SLA change re-scoring.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../assets/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import {
  createFindingsModule,
  findingsEntities,
  findingsMigrations,
  type FindingsService,
} from '../findings/index.js';
import { isHubError } from '../platform/errors.js';
import { createRiskModule, riskMigrations, type RiskService } from '../risk/index.js';
import { runImport, type ImportCounts } from './pipeline.js';
import type { ImportFormat } from './types.js';
import { BILLION_LAUGHS, EXTERNAL_ENTITY } from './xml/testing-hostile.js';

const here = dirname(fileURLToPath(import.meta.url));
const silent = pino({ level: 'silent' });
const schema = {
  entities: [...assetsEntities, ...findingsEntities],
  migrations: [...assetsMigrations, ...findingsMigrations, ...riskMigrations],
};
const NMAP = readFileSync(join(here, 'nmap/testdata/handmade-vulners.xml'), 'utf8');
const OPENVAS = readFileSync(join(here, 'openvas/testdata/handmade-report.xml'), 'utf8');
const NESSUS = readFileSync(join(here, 'nessus/testdata/handmade-scan.nessus'), 'utf8');
const code = (c: string) => (err: unknown) => isHubError(err) && err.code === c;

for (const factory of testStores(schema)) {
  describe(`scanner imports on ${factory.dialect}`, () => {
    let store: TestStore;
    let findings: FindingsService;
    let risk: RiskService;
    let dir: string;
    const tenantId = randomUUID();

    before(async () => {
      store = await factory.open();
      dir = mkdtempSync(join(tmpdir(), 'wp-imports-'));
      const deps = { dataSource: store.dataSource, clock: () => new Date(), log: silent };
      findings = createFindingsModule(deps).service;
      risk = createRiskModule({ ...deps, findings }).service;
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function load(format: ImportFormat, text: string, tenant = tenantId): Promise<ImportCounts> {
      const path = join(dir, `${randomUUID()}.${format}`);
      writeFileSync(path, text);
      const deps = { dataSource: store.dataSource, clock: () => new Date(), log: silent };
      const assets = createAssetsModule(deps);
      return runImport(
        { ...deps, findings, risk, ledger: (em, ctx, host) => assets.applyDiscovery(em, ctx, host) },
        { importId: randomUUID(), tenantId: tenant, format, path },
      );
    }
    const rows = async (sql: string, params: unknown[]) =>
      store.dataSource.query<Record<string, unknown>[]>(
        factory.dialect === 'postgres'
          ? sql.replace(/\?/g, (_m, i: number) => `$${sql.slice(0, i).split('?').length}`)
          : sql,
        params,
      );
    const count = async (table: string, tenant = tenantId) =>
      Number((await rows(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [tenant]))[0]?.['n']);
    const byCve = async (cve: string) => {
      const page = await findings.list(tenantId, { cve }, { limit: 10 });
      assert.equal(page.total, 1, `one finding for ${cve}`);
      return findings.get(tenantId, page.items[0]?.id ?? '');
    };

    it('merges nmap-vulners, OpenVAS and Nessus reports of one host into one finding per CVE×port', async () => {
      assert.deepEqual(pick(await load('nmap', NMAP)), {
        new: 3,
        merged: 0,
        updated: 0,
        unchanged: 0,
        closed: 0,
      });
      assert.deepEqual(pick(await load('openvas', OPENVAS)), {
        new: 0,
        merged: 2,
        updated: 0,
        unchanged: 0,
        closed: 0,
      });
      assert.deepEqual(pick(await load('nessus', NESSUS)), {
        new: 1,
        merged: 2,
        updated: 0,
        unchanged: 0,
        closed: 0,
      });
      assert.equal(await count('assets'), 1, 'one asset for the host all three scanned');
      assert.equal(await count('findings'), 4);
      for (const cve of ['CVE-2023-38408', 'CVE-2021-41617']) {
        const f = await byCve(cve);
        assert.equal(f.sourceCount, 3);
        assert.deepEqual([...new Set(f.evidences.map((e) => e.source))].sort(), [
          'nessus',
          'nmap',
          'openvas',
        ]);
        assert.equal(f.port, 22);
        assert.equal(f.protocol, 'tcp');
      }
    });

    it('re-importing the same report changes nothing and adds no evidence', async () => {
      const evidences = await count('finding_evidences');
      const c = await load('nessus', NESSUS);
      assert.deepEqual(pick(c), { new: 0, merged: 0, updated: 0, unchanged: 3, closed: 0 });
      assert.equal(c.raw, 3);
      assert.equal(await count('finding_evidences'), evidences);
      assert.equal(await count('findings'), 4);
    });

    it('a later report without a finding marks it not seen since; its return is recurring', async () => {
      const later = NESSUS.replace('1764110000', '1764200000');
      const without = later.replace(/<ReportItem [^>]*pluginID="158900"[\s\S]*?<\/ReportItem>/, '');
      const gone = await load('nessus', without);
      assert.deepEqual(pick(gone), { new: 0, merged: 0, updated: 2, unchanged: 0, closed: 1 });
      assert.equal((await byCve('CVE-2021-41617')).status, 'resolved');
      const back = await load('nessus', NESSUS.replace('1764110000', '1764300000'));
      assert.equal(back.recurring, 1);
      const f = await byCve('CVE-2021-41617');
      assert.equal(f.status, 'reopened');
      assert.equal(f.recurrenceCount, 1);
    });

    it('every imported finding is scored with a breakdown, a priority and a deadline', async () => {
      const f = await byCve('CVE-2023-38408');
      assert.ok(f.riskScore !== null && f.riskScore > 0);
      assert.match(f.priority ?? '', /^P[1-4]$/);
      assert.ok(f.dueAt);
      const base = f.riskFactors['base'] as { source: string; version: string; score: number };
      assert.equal(base.source, 'scanner');
      assert.equal(base.score, 9.8);
    });

    it('changing the SLA policy re-scores open findings', async () => {
      const before = await byCve('CVE-2023-38408');
      const { rescored } = await risk.setConfig(tenantId, {
        bands: { P1: 99, P2: 98, P3: 97 },
        slaDays: { P1: 1, P2: 2, P3: 3, P4: 365 },
        kevOverride: true,
      });
      assert.equal(rescored, await countOpen());
      const after = await byCve('CVE-2023-38408');
      assert.equal(after.priority, 'P4');
      assert.notEqual(after.dueAt, before.dueAt);
      assert.equal(
        new Date(after.dueAt ?? '').getTime() - new Date(after.firstSeenAt).getTime(),
        365 * 86_400_000,
      );
      const p4 = await findings.list(tenantId, { priority: 'P4', sort: 'risk' }, { limit: 50 });
      assert.equal(p4.total, rescored);
      const scores = p4.items.map((i) => i.riskScore ?? -1);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
        'sorted by risk',
      );
    });
    const countOpen = async () =>
      Number(
        (
          await rows(
            `SELECT COUNT(*) AS n FROM findings WHERE tenant_id = ? AND status IN ('open', 'reopened')`,
            [tenantId],
          )
        )[0]?.['n'],
      );

    it('filters by source', async () => {
      const nmapOnly = await findings.list(tenantId, { source: 'nmap' }, { limit: 50 });
      assert.equal(nmapOnly.total, 3);
    });

    for (const [name, text] of [
      ['billion laughs', BILLION_LAUGHS.replace('<r>', '<nmaprun>').replace('</r>', '</nmaprun>')],
      ['an external entity', EXTERNAL_ENTITY],
      ['1000-deep nesting', `<nmaprun><host>${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}</host></nmaprun>`],
    ] as const) {
      it(`refuses ${name} and stores nothing`, async () => {
        const other = randomUUID();
        const host = NMAP.slice(NMAP.indexOf('<host '), NMAP.indexOf('</host>') + 7);
        // A valid host first: it must not be stored either.
        const report = text.includes('<nmaprun>') ? text.replace('<nmaprun>', `<nmaprun>${host}`) : text;
        await assert.rejects(
          (async () => {
            const path = join(dir, `${randomUUID()}.xml`);
            writeFileSync(path, report);
            const deps = { dataSource: store.dataSource, clock: () => new Date(), log: silent };
            const assets = createAssetsModule(deps);
            await runImport(
              { ...deps, findings, risk, ledger: (em, ctx, h) => assets.applyDiscovery(em, ctx, h) },
              { importId: randomUUID(), tenantId: other, format: 'nmap', path },
            );
          })(),
          code('IMPORT_XML_HOSTILE'),
        );
        assert.equal(await count('assets', other), 0);
        assert.equal(await count('findings', other), 0);
      });
    }

    it('a report broken after its first host stores nothing (IMPORT_PARSE_FAILED with the line)', async () => {
      const other = randomUUID();
      const broken = NMAP.replace('<host><status state="down"', '<host><status state="down"></hostx');
      await assert.rejects(load('nmap', broken, other), (err: unknown) => {
        assert.ok(code('IMPORT_PARSE_FAILED')(err));
        assert.ok(typeof (err as { details?: { line?: number } }).details?.line === 'number');
        return true;
      });
      assert.equal(await count('assets', other), 0);
      assert.equal(await count('findings', other), 0);
    });
  });
}

function pick(c: ImportCounts) {
  return { new: c.new, merged: c.merged, updated: c.updated, unchanged: c.unchanged, closed: c.closed };
}
