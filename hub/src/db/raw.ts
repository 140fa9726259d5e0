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

export async function runSql(
  em: EntityManager,
  dialect: Dialect,
  text: string,
  params: readonly unknown[],
): Promise<unknown> {
  return em.query(sqlFor(dialect, text), [...params]);
}

/** Rows affected by an UPDATE/DELETE run through em.query, on both drivers. */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && typeof result[1] === 'number') return result[1]; // pg: [rows, count]
  if (result && typeof result === 'object' && 'changes' in result) return Number(result.changes); // sqlite
  return 0;
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
