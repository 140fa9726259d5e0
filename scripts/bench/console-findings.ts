// The console's findings list with 1M findings in the store: the API calls behind the list's
// first page, sorts and filters, timed through a real hub (HTTP + auth + SQLite), next to the same
// calls on a 1,000-finding tenant in the same store (the baseline: what the list costs when
// the store is small). Rows are written with the hub's bulk SQL helper (db/raw.ts) into a temp
// SQLite store whose schema the hub's own migrations created. Prints figures; asserts nothing.
// Run alone (scripts/bench/console-findings) or from scripts/bench/console. Env: BENCH_FINDINGS.
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { bulkInsert } from '../../hub/src/db/raw.js';
import { EVIDENCE_COLUMNS, FINDING_COLUMNS, toParam } from '../../hub/src/findings/raw-insert.js';
import type { FindingRow } from '../../hub/src/findings/entities.js';
import { createTenant, freePort, startHub, tempDir, waitFor, type Api } from '../../tests/e2e/lib/harness.js';

const FINDINGS = Number(process.env['BENCH_FINDINGS'] ?? 1_000_000);
const SMALL = 1000;
const HOSTS = 100;
const TYPES = [
  'vulnerability',
  'vulnerability',
  'vulnerability',
  'baseline',
  'exposure',
  'weak_credential',
] as const;
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
const SOURCES = ['nessus', 'nmap', 'openvas', 'trivy', 'agent:inventory'];
const STATUSES = ['open', 'open', 'open', 'resolved', 'reopened'] as const;

/** A hand-made nmap report of documentation addresses (never contacted): the ledger's assets. */
function nmapReport(tag: string, hosts: number): string {
  const rows = Array.from({ length: hosts }, (_, i) => {
    const ip = `${i < 200 ? '192.0.2' : '198.51.100'}.${(i % 200) + 1}`;
    return `<host><status state="up"/><address addr="${ip}" addrtype="ipv4"/><hostnames><hostname name="${tag}-${i}.example" type="PTR"/></hostnames><ports><port protocol="tcp" portid="443"><state state="open"/><service name="https"/></port></ports></host>`;
  });
  return `<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="nmap" start="1764100000" version="7.94">${rows.join('\n')}</nmaprun>\n`;
}

async function importAssets(
  hubUrl: string,
  token: string,
  api: Api,
  tag: string,
  hosts: number,
): Promise<void> {
  const res = await fetch(`${hubUrl}/api/v1/imports?format=nmap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body: nmapReport(tag, hosts),
  });
  if (res.status !== 202) throw new Error(`nmap import: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const job = await waitFor('asset import', async () => {
    const j = await api.get<{ state: string }>(`/api/v1/imports/${id}`);
    return j.state === 'running' ? undefined : j;
  });
  if (job.state !== 'succeeded') throw new Error(`nmap import: ${JSON.stringify(job)}`);
}

function finding(tenantId: string, assetIds: string[], i: number, now: number): FindingRow {
  const type = TYPES[i % TYPES.length] ?? 'vulnerability';
  const severity = SEVERITIES[(i * 7) % SEVERITIES.length] ?? 'low';
  const vuln = type === 'vulnerability';
  const risk = vuln ? Math.round(((i * 7919) % 1000) / 10) : null;
  const cve = vuln ? `CVE-2024-${String(10000 + (i % 40000))}` : null;
  const seen = new Date(now - (i % 86_400) * 60_000);
  return {
    id: randomUUID(),
    tenantId,
    assetId: assetIds[i % assetIds.length] ?? '',
    type,
    identityKey: createHash('sha256')
      .update(`${tenantId}:${String(i)}`)
      .digest('hex'),
    ruleId: cve ?? `rule-${String(i % 5000)}`,
    component: `pkg-${String(i % 3000)}`,
    port: i % 3 === 0 ? 443 : null,
    protocol: i % 3 === 0 ? 'tcp' : null,
    title: `Bench finding ${String(i)}`,
    description: '',
    severity,
    severityRank: SEVERITIES.indexOf(severity),
    cvssScore: vuln ? (risk ?? 0) / 10 : null,
    riskScore: risk,
    riskFactors: {},
    status: STATUSES[i % STATUSES.length] ?? 'open',
    firstSeenAt: seen,
    lastSeenAt: seen,
    resolvedAt: null,
    recurrenceCount: 0,
    sourceCount: 1,
    priority: risk === null ? null : risk >= 70 ? 'P1' : risk >= 50 ? 'P2' : risk >= 30 ? 'P3' : 'P4',
    dueAt: null,
    cve,
    confidence: null,
    fromIntel: false,
  } as FindingRow;
}

/** Writes `count` findings (and one evidence each) in batches of 50k rows, one transaction each. */
async function fill(ds: DataSource, tenantId: string, count: number): Promise<number> {
  const assetIds = (
    (await ds.query('SELECT id FROM assets WHERE tenant_id = ?', [tenantId])) as { id: string }[]
  ).map((r) => r.id);
  if (assetIds.length === 0) throw new Error('no assets');
  const cols = Object.keys(FINDING_COLUMNS);
  const getters = Object.values(FINDING_COLUMNS);
  const now = Date.now();
  const t0 = performance.now();
  for (let start = 0; start < count; start += 50_000) {
    const n = Math.min(50_000, count - start);
    const rows = Array.from({ length: n }, (_, k) => finding(tenantId, assetIds, start + k, now));
    await ds.transaction(async (em) => {
      await bulkInsert(
        em,
        'sqlite',
        'findings',
        cols,
        rows.map((r) => getters.map((g) => toParam('sqlite', g(r)))),
      );
      const evidences = rows.map((r, k) => [
        randomUUID(),
        tenantId,
        r.id,
        SOURCES[(start + k) % SOURCES.length],
        toParam('sqlite', r.lastSeenAt),
        toParam('sqlite', r.lastSeenAt),
        null,
        '{}',
      ]);
      await bulkInsert(em, 'sqlite', 'finding_evidences', EVIDENCE_COLUMNS, evidences);
    });
    if (count >= 200_000) process.stderr.write(`\r  wrote ${String(start + n)} / ${String(count)} findings`);
  }
  if (count >= 200_000) process.stderr.write('\n');
  return performance.now() - t0;
}

async function timeGet(api: Api, path: string, rounds = 5): Promise<{ median: number; total: number }> {
  let total = 0;
  const times: number[] = [];
  if (rounds > 1) await api.get(path); // warm-up (statement cache, page cache)
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    total = (await api.get<{ total: number }>(path)).total;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(rounds / 2)] ?? 0, total };
}

export async function benchFindingsList(): Promise<void> {
  const dir = tempDir('wp-bench-console-findings-');
  const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
  try {
    let hub = await startHub(hubOpts);
    const big = await createTenant(hubOpts, hub.url, 'big');
    const small = await createTenant(hubOpts, hub.url, 'small');
    // The Api class keeps its token private: a second token per tenant for the raw report upload.
    const { hubCli } = await import('../../tests/e2e/lib/harness.js');
    for (const [t, name] of [
      [big, 'big'],
      [small, 'small'],
    ] as const) {
      const token = (await hubCli<{ token: string }>(hubOpts, ['apitoken', 'create', '--tenant', name]))
        .token;
      await importAssets(hub.url, token, t.api, name, HOSTS);
    }
    await hub.kill();

    const ds = new DataSource({ type: 'better-sqlite3', database: join(hubOpts.dataDir, 'watchpost.db') });
    await ds.initialize();
    // A bulk load: no fsync per transaction (the hub is stopped; the file is thrown away after).
    await ds.query('PRAGMA synchronous = OFF');
    const bigMs = await fill(ds, big.tenant.id, FINDINGS);
    await fill(ds, small.tenant.id, SMALL);
    await ds.destroy();
    console.log(
      `findings store: ${FINDINGS.toLocaleString('en')} findings + evidences written in ${(bigMs / 1000).toFixed(1)} s ` +
        `(${Math.round(FINDINGS / (bigMs / 1000)).toLocaleString('en')} rows/s, db/raw.ts bulkInsert)`,
    );

    hub = await startHub(hubOpts);
    const asset =
      (await big.api.get<{ items: { id: string }[] }>('/api/v1/assets?limit=1')).items[0]?.id ?? '';
    const smallAsset =
      (await small.api.get<{ items: { id: string }[] }>('/api/v1/assets?limit=1')).items[0]?.id ?? '';
    // [name, path, rounds]: the source filter still takes ~1.5 s at 1M (BENCHMARKS.md), timed once.
    const calls: [string, (a: string) => string, number?][] = [
      ['first page (sort severity)', () => '/api/v1/findings?limit=50'],
      ['sort by risk', () => '/api/v1/findings?limit=50&sort=risk'],
      ['page 1000 (offset 49 950)', () => '/api/v1/findings?limit=50&offset=49950'],
      [
        'filter type=vulnerability, sort risk',
        () => '/api/v1/findings?type=vulnerability&sort=risk&limit=50',
      ],
      ['filter priority=P1, status=open', () => '/api/v1/findings?priority=P1&status=open&limit=50'],
      ['filter cve', () => '/api/v1/findings?cve=CVE-2024-10007&limit=50'],
      ['filter asset', (a) => `/api/v1/findings?assetId=${a}&limit=50`],
      ['filter source=trivy', () => '/api/v1/findings?source=trivy&limit=50', 1],
    ];
    console.log(
      `\n| findings list call | ${FINDINGS.toLocaleString('en')} findings: ms (median of 5; source: 1 call) | rows matched | baseline ${String(SMALL)} findings: ms |`,
    );
    console.log('| --- | --- | --- | --- |');
    for (const [name, path, rounds] of calls) {
      const b = await timeGet(big.api, path(asset), rounds);
      const s = await timeGet(small.api, path(smallAsset));
      console.log(
        `| ${name} | ${b.median.toFixed(1)} | ${b.total.toLocaleString('en')} | ${s.median.toFixed(1)} |`,
      );
    }
    await hub.kill();
  } finally {
    dir.remove();
  }
}

// Runs when loaded: alone through scripts/bench/console-findings, or imported by console.ts.
await benchFindingsList();
