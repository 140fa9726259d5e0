// The few hot paths that bypass TypeORM's entity persistence (ingest batches): portable raw SQL
// with `?` placeholders, rewritten to $n for PostgreSQL, and chunked multi-row INSERTs.
// Instants are written the way TypeORM writes `Date` columns, so entity reads see the same values.
import type { EntityManager } from 'typeorm';
import type { Dialect } from './portable.js';

export function sqlFor(dialect: Dialect, text: string): string {
  if (dialect === 'sqlite') return text;
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
}

export function instantParam(dialect: Dialect, d: Date): Date | string {
  return dialect === 'postgres' ? d : d.toISOString().replace('T', ' ').replace('Z', '');
}

export function boolParam(dialect: Dialect, b: boolean): boolean | number {
  return dialect === 'postgres' ? b : b ? 1 : 0;
}

/** Runs one statement (in em's transaction when it has one); resolves with the affected rows. */
export async function runSql(
  em: EntityManager,
  dialect: Dialect,
  text: string,
  params: readonly unknown[],
): Promise<number> {
  const own = em.queryRunner === undefined;
  const qr = em.queryRunner ?? em.dataSource.createQueryRunner();
  try {
    const res = await qr.query(sqlFor(dialect, text), [...params], true);
    return res.affected ?? 0;
  } finally {
    if (own) await qr.release();
  }
}

// SQLite allows 32766 bound variables per statement, PostgreSQL 65535; stay well below both.
const MAX_PARAMS = 30000;

export async function bulkInsert(
  em: EntityManager,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const rowPlaceholder = `(${columns.map(() => '?').join(',')})`;
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const text = `INSERT INTO ${table} (${columns.join(',')}) VALUES ${chunk.map(() => rowPlaceholder).join(',')}`;
    await em.query(sqlFor(dialect, text), chunk.flat());
  }
}
