// Test helper: reads a hub's store directly (better-sqlite3 or pg), as the fault tests do, to
// prove what was and was not stored.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export interface StoreTarget {
  dataDir: string;
  databaseUrl: string | undefined;
}

/** Runs one read-only query against the hub's store. */
export async function queryStore(t: StoreTarget, sql: string): Promise<Record<string, unknown>[]> {
  if (t.databaseUrl !== undefined) {
    const c = new pg.Client({ connectionString: t.databaseUrl });
    await c.connect();
    try {
      return (await c.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  }
  const db = new Database(join(t.dataDir, 'watchpost.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

export interface RowCounts {
  agents: number;
  taskEvents: number;
  agentEvents: number;
  rejects: number;
  lastSeqOf(agentId: string): number;
  agentEventsOf(agentId: string): number;
  rejectsOf(agentId: string): number;
  taskEventsOf(taskId: string): number;
}

async function grouped(t: StoreTarget, table: string, col: string): Promise<Map<string, number>> {
  const rows = await queryStore(t, `SELECT ${col} AS k, COUNT(*) AS n FROM ${table} GROUP BY ${col}`);
  return new Map(rows.map((r) => [String(r['k']), Number(r['n'])]));
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

export async function countRows(t: StoreTarget): Promise<RowCounts> {
  const agents = await queryStore(t, 'SELECT id, last_seq FROM agents');
  const lastSeq = new Map(agents.map((r) => [String(r['id']), Number(r['last_seq'])]));
  const events = await grouped(t, 'agent_events', 'agent_id');
  const rejects = await grouped(t, 'ingest_rejects', 'agent_id');
  const taskEvents = await grouped(t, 'task_events', 'task_id');
  return {
    agents: agents.length,
    taskEvents: sum(taskEvents),
    agentEvents: sum(events),
    rejects: sum(rejects),
    lastSeqOf: (id) => lastSeq.get(id) ?? -1,
    agentEventsOf: (id) => events.get(id) ?? 0,
    rejectsOf: (id) => rejects.get(id) ?? 0,
    taskEventsOf: (id) => taskEvents.get(id) ?? 0,
  };
}
