// Bench section "feed-import" (C1): streaming feed import at scale into a fresh SQLite store
// through the production importer (IntelService), with peak RSS growth sampled every 20 ms.
// Each measured step runs in a fresh process (intel-feeds-child.ts), so peak RSS is its own.
// Load is synthesised from the real fixture records:
// - NVD 2.0: every `cve` object of the real NVD fixtures (api2-*, fkie-*, feed2 2022) is cycled
//   into one yearly-feed-shaped file of ~INTEL_BENCH_NVD_MB (default 200) MB, ids rewritten to
//   CVE-2090-NNNNNNN; content otherwise as published.
// - OSV: the real OSV records (Alpine, Ubuntu, Debian DSA, NVD-converted) cycled into a zip of
//   INTEL_BENCH_OSV_RECORDS (default 50 000) member files, ids rewritten.
// Baseline, same run: the same files read by the streaming parser alone (no store), so the
// ratio is the cost of hashing, diffing and writing. A second import of the NVD file shows the
// idempotent path (every record unchanged).
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { repoRoot } from '../../tests/e2e/lib/harness.js';
import type { BenchSection } from './intel.js';

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? join(repoRoot, '..', 'shared', 'fixtures');
const NVD_MB = Number(process.env['INTEL_BENCH_NVD_MB'] ?? 200);
const OSV_RECORDS = Number(process.env['INTEL_BENCH_OSV_RECORDS'] ?? 50_000);
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

function nvdTemplates(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of readdirSync(join(fixtures, 'nvd')).filter((n) => n.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(fixtures, 'nvd', f), 'utf8')) as Record<string, unknown>;
    const list = Array.isArray(doc['vulnerabilities'])
      ? (doc['vulnerabilities'] as { cve: Record<string, unknown> }[])
      : null;
    if (list) out.push(...list.map((v) => v.cve));
    else if (typeof doc['id'] === 'string') out.push(doc);
  }
  return out;
}

async function writeNvd(path: string, targetBytes: number): Promise<number> {
  const templates = nvdTemplates().map((t) => JSON.stringify(t));
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(
    '{"resultsPerPage":0,"startIndex":0,"totalResults":0,"format":"NVD_CVE","version":"2.0","vulnerabilities":[',
  );
  let bytes = 0;
  let n = 0;
  while (bytes < targetBytes) {
    const t = templates[n % templates.length] ?? '{}';
    const rec = `${n ? ',' : ''}{"cve":${t.replace(/"id":"CVE-\d+-\d+"/, `"id":"CVE-2090-${String(n).padStart(7, '0')}"`)}}`;
    await write(rec);
    bytes += rec.length;
    n++;
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
  return n;
}

async function writeOsvZip(path: string, records: number): Promise<void> {
  const templates = readdirSync(join(fixtures, 'osv'))
    .filter((f) => f.endsWith('.json') && !f.includes('schema'))
    .map((f) => readFileSync(join(fixtures, 'osv', f), 'utf8'));
  const zip = new yazl.ZipFile();
  const done = pipeline(zip.outputStream, createWriteStream(path));
  for (let i = 0; i < records; i++) {
    const id = `OSV-BENCH-${i}`;
    const text = (templates[i % templates.length] ?? '{}').replace(/"id":\s*"[^"]+"/, `"id": "${id}"`);
    zip.addBuffer(Buffer.from(text), `${id}.json`);
  }
  zip.end();
  await done;
}

interface ChildRun {
  records: number;
  ms: number;
  rssStart: number;
  rssPeak: number;
}

/** Runs one measured step in a fresh process (see intel-feeds-child.ts). */
function child(mode: 'parse' | 'import', file: string, dataDir: string, nodeArgs: string[] = []): ChildRun {
  const script = join(repoRoot, 'scripts', 'bench', 'intel-feeds-child.ts');
  const out = execFileSync(process.execPath, [...nodeArgs, '--import', 'tsx', script, mode, file, dataDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildRun;
}

export const feedImportSection: BenchSection = {
  name: 'feed-import',
  title: 'Feed import (C1): streaming NVD 2.0 and OSV zip into SQLite',
  async run() {
    if (!existsSync(join(fixtures, 'nvd'))) {
      console.log(`skipped: fixtures not found at ${fixtures}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'wp-bench-intel-feeds-'));
    const nvdFile = join(dir, 'nvdcve-2.0-synthetic.json');
    const osvFile = join(dir, 'osv-synthetic.zip');
    const nvdRecords = await writeNvd(nvdFile, NVD_MB * 2 ** 20);
    await writeOsvZip(osvFile, OSV_RECORDS);
    const data = join(dir, 'data');
    try {
      console.log(
        '| run | file | records | seconds | records/s | peak RSS growth (sampled, over RSS at start) |',
      );
      console.log('| --- | --- | --- | --- | --- | --- |');
      const row = (run: string, file: string, r: ChildRun) => {
        console.log(
          `| ${run} | ${file} | ${r.records.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(1)} | ${Math.round((r.records / r.ms) * 1000).toLocaleString('en-US')} | ${mb(r.rssPeak - r.rssStart)} |`,
        );
        return r;
      };
      const nvdName = `NVD 2.0 feed, ${mb(statSync(nvdFile).size)}`;
      const osvName = `OSV zip, ${mb(statSync(osvFile).size)}`;
      const p1 = row('baseline: parse only', nvdName, child('parse', nvdFile, data));
      const i1 = row('import (all new)', nvdName, child('import', nvdFile, data));
      row('re-import (all unchanged)', nvdName, child('import', nvdFile, data));
      // Node's default heap limit lets garbage pile up before collecting; with the old space capped the
      // same import must still finish, which shows what it really holds (no per-record retention).
      const capped = row(
        'import (all new), --max-old-space-size=128',
        nvdName,
        child('import', nvdFile, join(dir, 'data-capped'), ['--max-old-space-size=128']),
      );
      const p2 = row('baseline: parse only', osvName, child('parse', osvFile, data));
      const i3 = row('import (all new)', osvName, child('import', osvFile, data));
      const growth = capped.rssPeak - capped.rssStart;
      console.log(
        `\nNVD records written: ${nvdRecords}; import/parse-only time ratio ${(i1.ms / p1.ms).toFixed(1)} (NVD), ${(i3.ms / p2.ms).toFixed(1)} (OSV).` +
          ` Goal: peak RSS growth < 150 MB for the ~200 MB NVD import (heap-capped run): ${growth < 150 * 2 ** 20 ? 'met' : 'NOT met'}.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
