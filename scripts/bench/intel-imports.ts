// Bench section "imports": a synthetic Nessus report with ~10k findings, imported into a fresh
// SQLite store through the real pipeline (ledger, findings dedup, risk scoring), then imported
// again (every finding already known: the dedup path), next to a parse-only baseline of the same
// file in the same run. The report is synthesised from the real ReportItems of the Nessus
// fixtures: every item (severity 1–4) of both files is repeated on N made-up hosts (198.18.0.0/15,
// the benchmarking range), so findings = N × (CVE fan-out of the items).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { createAssetsModule } from '../../hub/src/assets/index.js';
import { allEntities, allMigrations } from '../../hub/src/db/registry.js';
import { serializeSqlite } from '../../hub/src/db/sqlite-serial.js';
import { createFindingsModule } from '../../hub/src/findings/index.js';
import { readReport, runImport } from '../../hub/src/imports/index.js';
import { createRiskModule } from '../../hub/src/risk/index.js';
import { repoRoot } from '../../tests/e2e/lib/harness.js';
import type { BenchSection } from './intel.js';

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? join(repoRoot, '..', 'shared', 'fixtures');
const SOURCES = ['nessus/defectdojo-nessus_with_cvssv3.nessus', 'nessus/defectdojo-nessus_v_unknown.xml'];
const TARGET_FINDINGS = Number(process.env['BENCH_IMPORT_FINDINGS'] ?? 10_000);

function realItems(): string[] {
  return SOURCES.flatMap(
    (f) =>
      readFileSync(join(fixtures, f), 'utf8').match(
        /<ReportItem [^>]*severity="[1-4]"[\s\S]*?<\/ReportItem>/g,
      ) ?? [],
  );
}

/** Findings one host yields: each item's CVEs (or its plugin id), deduplicated per port. */
function findingsPerHost(items: string[]): number {
  const keys = new Set<string>();
  for (const it of items) {
    const port = /port="(\d+)"/.exec(it)?.[1] ?? '0';
    const cves = [...new Set(it.match(/CVE-\d{4}-\d{4,}/g) ?? [])];
    for (const id of cves.length ? cves : [/pluginID="(\d+)"/.exec(it)?.[1] ?? '']) keys.add(`${port}/${id}`);
  }
  return keys.size;
}

function synthesise(path: string): { hosts: number; expected: number } {
  const items = realItems();
  const perHost = findingsPerHost(items);
  const hosts = Math.ceil(TARGET_FINDINGS / perHost);
  const parts = ['<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Report name="bench">\n'];
  for (let h = 0; h < hosts; h++) {
    const ip = `198.18.${Math.floor(h / 250)}.${(h % 250) + 1}`;
    parts.push(
      `<ReportHost name="${ip}"><HostProperties><tag name="host-ip">${ip}</tag>` +
        `<tag name="HOST_START_TIMESTAMP">1764100000</tag></HostProperties>\n${items.join('\n')}\n</ReportHost>\n`,
    );
  }
  parts.push('</Report>\n</NessusClientData_v2>\n');
  writeFileSync(path, parts.join(''));
  return { hosts, expected: hosts * perHost };
}

async function openSqlite(dir: string): Promise<DataSource> {
  const ds = new DataSource({
    type: 'better-sqlite3',
    database: join(dir, 'bench.db'),
    entities: allEntities(),
    migrations: allMigrations(),
    synchronize: false,
  });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  serializeSqlite(ds);
  return ds;
}

export const importsSection: BenchSection = {
  name: 'imports',
  title: 'Scanner report import with dedup (10k findings)',
  async run() {
    if (!existsSync(join(fixtures, SOURCES[0] ?? ''))) {
      console.log(`skipped: Nessus fixtures not present under ${fixtures}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'wp-bench-imports-'));
    try {
      const report = join(dir, 'bench.nessus');
      const { hosts, expected } = synthesise(report);
      const ds = await openSqlite(dir);
      const log = pino({ level: 'silent' });
      const deps = { dataSource: ds, clock: () => new Date(), log };
      const findings = createFindingsModule(deps).service;
      const risk = createRiskModule({ ...deps, findings }).service;
      const assets = createAssetsModule(deps);
      const pipeline = { ...deps, findings, risk, ledger: assets.applyDiscovery };
      const tenantId = '00000000-0000-4000-8000-00000000bench';
      const req = { importId: '', tenantId, format: 'nessus' as const, path: report };

      // Wall time and this process's CPU time: on a shared machine the wall clock includes
      // waiting for a core, the CPU time does not.
      const timed = async <T>(fn: () => Promise<T>): Promise<[T, number, number]> => {
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        const out = await fn();
        const used = process.cpuUsage(cpu);
        return [out, performance.now() - t0, (used.user + used.system) / 1000];
      };
      const [observations, parseMs, parseCpu] = await timed(async () => {
        let n = 0;
        for await (const b of readReport('nessus', report)) n += b.observations.length;
        return n;
      });
      const [first, firstMs, firstCpu] = await timed(() =>
        runImport(pipeline, { ...req, importId: 'bench-1' }),
      );
      const [again, againMs, againCpu] = await timed(() =>
        runImport(pipeline, { ...req, importId: 'bench-2' }),
      );
      await ds.destroy();

      console.log(`report: ${hosts} hosts, ${observations} ReportItems, ${expected} findings expected\n`);
      console.log(
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${cpus().length} cores\n`,
      );
      console.log(
        '| run | findings new / unchanged | wall ms | CPU ms | findings per CPU s | CPU × parse-only |',
      );
      console.log('| --- | --- | --- | --- | --- | --- |');
      console.log(`| parse only (baseline) | – | ${parseMs.toFixed(0)} | ${parseCpu.toFixed(0)} | – | 1.0 |`);
      const row = (name: string, c: typeof first, ms: number, cpu: number) =>
        console.log(
          `| ${name} | ${c.new} / ${c.unchanged} | ${ms.toFixed(0)} | ${cpu.toFixed(0)} | ${Math.round(((c.new + c.unchanged) / cpu) * 1000)} | ${(cpu / parseCpu).toFixed(1)} |`,
        );
      row('first import (SQLite)', first, firstMs, firstCpu);
      row('re-import, all known (SQLite)', again, againMs, againCpu);
      console.log('\ngoal: < 2 s for 10k findings (DefectDojo reports ≈ 200 s)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
