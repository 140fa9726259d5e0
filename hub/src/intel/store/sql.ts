// Portable SQL helpers for the intel writer. Statements come in a small, fixed set of shapes:
// lists are cut into chunks of a fixed size, the remainder into powers of two. The SQLite driver
// caches the last 100 prepared statements, and a multi-row INSERT of thousands of rows compiles
// to megabytes: arbitrary row counts per batch filled that cache with ever-new giant statements
// (600 MB RSS on a 200 MB feed). Bounded shapes keep both the cache and the statements small.
import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../db/portable.js';
import { runSql, sqlFor } from '../../db/raw.js';

const IN_CHUNK = 256;
const ROWS_PER_INSERT = 64;

/** Chunk sizes for n items: `max` while it fits, then the binary digits of the remainder. */
export function chunkSizes(n: number, max: number): number[] {
  const out: number[] = [];
  let left = n;
  while (left >= max) {
    out.push(max);
    left -= max;
  }
  for (let bit = max >> 1; bit >= 1; bit >>= 1) {
    if (left >= bit) {
      out.push(bit);
      left -= bit;
    }
  }
  return out;
}

function* chunks<T>(items: readonly T[], max: number): Generator<T[]> {
  let at = 0;
  for (const size of chunkSizes(items.length, max)) {
    yield items.slice(at, at + size);
    at += size;
  }
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

export async function selectIn<T>(
  em: EntityManager,
  dialect: Dialect,
  sql: (ph: string) => string,
  pre: unknown[],
  keys: string[],
) {
  const out: T[] = [];
  for (const chunk of chunks(keys, IN_CHUNK)) {
    const text = sql(placeholders(chunk.length));
    out.push(...(await em.query<T[]>(sqlFor(dialect, text), [...pre, ...chunk])));
  }
  return out;
}

export async function deleteIn(
  em: EntityManager,
  dialect: Dialect,
  table: string,
  where: string,
  pre: unknown[],
  keys: string[],
) {
  for (const chunk of chunks(keys, IN_CHUNK)) {
    await runSql(em, dialect, `DELETE FROM ${table} WHERE ${where} IN (${placeholders(chunk.length)})`, [
      ...pre,
      ...chunk,
    ]);
  }
}

/** Multi-row INSERT in bounded statement shapes (see the file comment). */
export async function insertRows(
  em: EntityManager,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const row = `(${columns.map(() => '?').join(',')})`;
  for (const chunk of chunks(rows, ROWS_PER_INSERT)) {
    const text = `INSERT INTO ${table} (${columns.join(',')}) VALUES ${chunk.map(() => row).join(',')}`;
    await em.query(sqlFor(dialect, text), chunk.flat());
  }
}

/** Last item per key wins within a batch (a feed listing a record twice). */
export function lastByKey<T extends { key: string }>(items: T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const it of items) m.set(it.key, it);
  return m;
}

/** Drops exact duplicate rows (an alias listed twice). */
export function dedupe(rows: unknown[][]): unknown[][] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = JSON.stringify(r);
    return !seen.has(k) && (seen.add(k), true);
  });
}
