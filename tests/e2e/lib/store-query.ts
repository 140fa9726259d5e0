// Reads the hub's store directly, to check what was committed (not what the API says).
import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';

export interface ProbeRows {
  progress: number;
  distinctCounters: number;
  minCounter: number | null;
  maxCounter: number | null;
  results: number;
}

const probeSql = `SELECT
  SUM(CASE WHEN kind = 'progress' AND counter > 0 THEN 1 ELSE 0 END) AS progress,
  COUNT(DISTINCT CASE WHEN kind = 'progress' AND counter > 0 THEN counter END) AS "distinctCounters",
  MIN(CASE WHEN kind = 'progress' AND counter > 0 THEN counter END) AS "minCounter",
  MAX(CASE WHEN kind = 'progress' AND counter > 0 THEN counter END) AS "maxCounter",
  SUM(CASE WHEN kind = 'result' THEN 1 ELSE 0 END) AS results
FROM task_events WHERE task_id = $1`;

function normalise(row: Record<string, unknown> | undefined): ProbeRows {
  const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    progress: n(row?.progress) ?? 0,
    distinctCounters: n(row?.distinctCounters) ?? 0,
    minCounter: n(row?.minCounter),
    maxCounter: n(row?.maxCounter),
    results: n(row?.results) ?? 0,
  };
}

/** Counts the probe rows of one task in the hub store (SQLite file in dataDir, or PostgreSQL). */
export async function probeRows(
  dataDir: string,
  databaseUrl: string | undefined,
  taskId: string,
): Promise<ProbeRows> {
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      const res = await c.query(probeSql, [taskId]);
      return normalise(res.rows[0] as Record<string, unknown> | undefined);
    } finally {
      await c.end();
    }
  }
  const db = new Database(join(dataDir, 'watchpost.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return normalise(
      db.prepare(probeSql.replace('$1', '?')).get(taskId) as Record<string, unknown> | undefined,
    );
  } finally {
    db.close();
  }
}
