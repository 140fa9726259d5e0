// Ingest benchmark: results/s from N simulated agents through the real hub gateway into SQLite
// and PostgreSQL, each next to the raw driver's bulk-insert rate of the same rows measured in the
// same run; protobuf vs JSON bytes for the same batch; the real agent's RSS idle and collecting.
// Prints figures; asserts nothing. Options via env: BENCH_AGENTS (4), BENCH_RESULTS (25000 per
// agent), BENCH_DATABASE_URL or WATCHPOST_TEST_DATABASE_URL for the PostgreSQL run.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { encodeAgentEnvelope, toLong, watchpost } from '@watchpost/proto';
import {
  agentCli,
  createTenant,
  freePort,
  startAgent,
  startHub,
  tempDir,
  waitFor,
  type Api,
} from '../../tests/e2e/lib/harness.js';
import { createPgDatabase } from '../../tests/e2e/lib/stores.js';
import { connectSim, enrollSim } from './lib/sim-agent.js';
import { progressBar } from './lib/progress.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 4);
const RESULTS = Number(process.env.BENCH_RESULTS ?? 25_000);
const PAYLOAD = 64;
const pgBase = process.env.BENCH_DATABASE_URL ?? process.env.WATCHPOST_TEST_DATABASE_URL;

interface Row {
  id: string;
  tenantId: string;
  taskId: string;
  agentId: string;
  seq: number;
  counter: number;
  percent: number;
}

function rowsFor(n: number): Row[] {
  const tenantId = randomUUID(),
    taskId = randomUUID(),
    agentId = randomUUID();
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    tenantId,
    taskId,
    agentId,
    seq: i + 1,
    counter: i + 1,
    percent: Math.floor((i * 100) / n),
  }));
}

const ddl = `CREATE TABLE bench_events (id varchar(36) PRIMARY KEY, tenant_id varchar(36) NOT NULL, task_id varchar(36) NOT NULL,
  agent_id varchar(36) NOT NULL, seq bigint NOT NULL, kind varchar(16) NOT NULL, state varchar(16) NOT NULL, percent integer NOT NULL,
  counter bigint NOT NULL, message text NOT NULL, created_at %TS% NOT NULL, UNIQUE (agent_id, seq))`;

function rawSqlite(dir: string, rows: Row[]): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // as the hub
  db.exec(ddl.replace('%TS%', 'datetime'));
  const ins = db.prepare(`INSERT INTO bench_events VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
  const now = new Date().toISOString();
  const t0 = performance.now();
  db.transaction(() => {
    for (const r of rows)
      ins.run(
        r.id,
        r.tenantId,
        r.taskId,
        r.agentId,
        r.seq,
        'progress',
        'running',
        r.percent,
        r.counter,
        '',
        now,
      );
  })();
  const s = (performance.now() - t0) / 1000;
  db.close();
  return rows.length / s;
}

async function rawPostgres(url: string, rows: Row[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(ddl.replace('%TS%', 'timestamptz'));
  const t0 = performance.now();
  await c.query('BEGIN');
  const chunk = 1000;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values: unknown[] = [];
    const tuples = part.map((r, j) => {
      values.push(r.id, r.tenantId, r.taskId, r.agentId, r.seq, r.percent, r.counter);
      const b = j * 7;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},'progress','running',$${b + 6},$${b + 7},'',now())`;
    });
    await c.query(`INSERT INTO bench_events VALUES ${tuples.join(',')}`, values);
  }
  await c.query('COMMIT');
  const s = (performance.now() - t0) / 1000;
  await c.end();
  return rows.length / s;
}

async function gatewayRun(
  store: 'sqlite' | 'postgres',
  databaseUrl: string | undefined,
  dir: string,
): Promise<number> {
  const hubOpts = { dataDir: join(dir, `hub-${store}`), port: await freePort(), databaseUrl };
  const hub = await startHub(hubOpts);
  try {
    const t = await createTenant(hubOpts, hub.url, 'bench');
    const ids = await Promise.all(
      Array.from({ length: AGENTS }, (_, i) => enrollSim(hub.wsUrl, t.enrollToken, `sim-${i}`)),
    );
    const sessions = await Promise.all(ids.map((id) => connectSim(hub.wsUrl, id)));
    for (const id of ids)
      await postTask(t.api, id.agentId, {
        kind: 'pipeline_probe',
        params: { count: RESULTS, payloadBytes: PAYLOAD },
      });
    const probes = await Promise.all(sessions.map((s) => s.nextProbe()));
    const bar = progressBar(`gateway → ${store}`, AGENTS);
    const t0 = performance.now();
    await Promise.all(
      sessions.map((s, i) => s.stream(probes[i]!.taskId, RESULTS, PAYLOAD).then(() => bar.tick())),
    );
    const s = (performance.now() - t0) / 1000;
    bar.done();
    sessions.forEach((x) => x.close());
    return (AGENTS * (RESULTS + 2)) / s;
  } finally {
    await hub.kill();
  }
}

async function postTask(api: Api, agentId: string, body: unknown): Promise<string> {
  const res = await api.request<{ id: string }>('POST', `/api/v1/agents/${agentId}/tasks`, body);
  if (res.status !== 201) throw new Error(`task create → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

function wireSizes(): { name: string; proto: number; json: number }[] {
  const batch = Array.from({ length: 500 }, (_, i) => ({
    seq: toLong(i + 1),
    messageId: randomUUID(),
    createdAtMs: toLong(Date.now(), false),
    taskProgress: {
      taskId: randomUUID(),
      state: watchpost.v1.TaskState.TASK_STATE_RUNNING,
      counter: toLong(i + 1),
      percent: i % 100,
    },
  }));
  const lines = execFileSync(
    'dpkg-query',
    [
      '-W',
      '-f',
      '${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  )
    .split('\n')
    .filter((l) => l.startsWith('installed\t'))
    .map((l) => l.split('\t'));
  const inventory = {
    seq: toLong(1),
    messageId: randomUUID(),
    createdAtMs: toLong(Date.now(), false),
    inventory: {
      collectedAtMs: toLong(Date.now(), false),
      sections: ['packages'],
      packages: lines.map(([, name = '', version = '', arch = '', src = '', srcVersion = '']) => ({
        name,
        version,
        arch,
        manager: 'dpkg',
        sourceName: src === name ? '' : src,
        sourceVersion: srcVersion === version ? '' : srcVersion,
      })),
    },
  };
  const sizes = (msgs: watchpost.v1.AgentEnvelope.$Properties[]) => ({
    proto: msgs.reduce((n, m) => n + encodeAgentEnvelope(m).length, 0),
    json: msgs.reduce(
      (n, m) =>
        n +
        Buffer.byteLength(
          JSON.stringify(
            watchpost.v1.AgentEnvelope.toObject(watchpost.v1.AgentEnvelope.fromObject(m), {
              longs: String,
              enums: String,
            }),
          ),
        ),
      0,
    ),
  });
  return [
    { name: '500 TaskProgress envelopes', ...sizes(batch) },
    { name: `InventoryReport, ${lines.length} dpkg packages`, ...sizes([inventory]) },
  ];
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function agentRss(dir: string): Promise<{ idleMb: number; collectingPeakMb: number }> {
  const hubOpts = { dataDir: join(dir, 'hub-rss'), port: await freePort() };
  const hub = await startHub(hubOpts);
  const t = await createTenant(hubOpts, hub.url, 'rss');
  const agentOpts = { dataDir: join(dir, 'agent-rss') };
  const { agentId } = JSON.parse(
    (await agentCli(agentOpts, ['enroll', '--hub', hub.wsUrl, '--token', t.enrollToken, '--json'])).stdout,
  ) as { agentId: string };
  const agent = startAgent(agentOpts);
  try {
    await waitFor('agent online with inventory', async () => {
      const { items } = await t.api.get<{ items: { id: string; online: boolean; assetId: string | null }[] }>(
        '/api/v1/agents',
      );
      return items.find((a) => a.id === agentId && a.online && a.assetId);
    });
    await new Promise((r) => setTimeout(r, 3000));
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) {
      idle.push(rssKb(agent.child.pid!));
      await new Promise((r) => setTimeout(r, 100));
    }
    let peak = 0;
    for (let round = 0; round < 3; round++) {
      const taskId = await postTask(t.api, agentId, { kind: 'collect_inventory', params: { full: true } });
      for (;;) {
        peak = Math.max(peak, rssKb(agent.child.pid!));
        const task = await t.api.get<{ state: string }>(`/api/v1/tasks/${taskId}`);
        if (['succeeded', 'failed', 'refused'].includes(task.state)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    idle.sort((a, b) => a - b);
    return { idleMb: idle[Math.floor(idle.length / 2)]! / 1024, collectingPeakMb: peak / 1024 };
  } finally {
    await agent.kill();
    await hub.kill();
  }
}

async function main(): Promise<void> {
  const dir = tempDir('wp-bench-');
  const total = AGENTS * RESULTS;
  console.log(
    `ingest benchmark: ${AGENTS} simulated agents × ${RESULTS} results (${PAYLOAD} B filler), node ${process.version}`,
  );
  try {
    const rows = rowsFor(total);
    const out: string[] = [];
    const sqliteGw = await gatewayRun('sqlite', undefined, dir.path);
    const sqliteRaw = rawSqlite(dir.path, rows);
    out.push(`| SQLite | ${fmt(sqliteGw)} | ${fmt(sqliteRaw)} | ${(sqliteGw / sqliteRaw).toFixed(2)} |`);
    if (pgBase) {
      const db = await createPgDatabase(pgBase);
      const raw = await createPgDatabase(pgBase);
      try {
        const pgGw = await gatewayRun('postgres', db.url, dir.path);
        const pgRaw = await rawPostgres(raw.url, rows);
        out.push(`| PostgreSQL | ${fmt(pgGw)} | ${fmt(pgRaw)} | ${(pgGw / pgRaw).toFixed(2)} |`);
      } finally {
        await db.drop();
        await raw.drop();
      }
    } else {
      out.push('| PostgreSQL | skipped: BENCH_DATABASE_URL / WATCHPOST_TEST_DATABASE_URL unset | | |');
    }
    console.log(
      '\n| store | gateway results/s (end to end, acked) | raw driver bulk insert rows/s | ratio |\n| --- | --- | --- | --- |',
    );
    console.log(out.join('\n'));
    console.log('\n| batch | protobuf bytes | JSON bytes | JSON / protobuf |\n| --- | --- | --- | --- |');
    for (const s of wireSizes())
      console.log(`| ${s.name} | ${fmt(s.proto)} | ${fmt(s.json)} | ${(s.json / s.proto).toFixed(2)} |`);
    const rss = await agentRss(dir.path);
    console.log(
      `\n| agent RSS | MiB |\n| --- | --- |\n| idle (median) | ${rss.idleMb.toFixed(1)} |\n| collecting full inventory (peak) | ${rss.collectingPeakMb.toFixed(1)} |`,
    );
  } finally {
    dir.remove();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

await main();
