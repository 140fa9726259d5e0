// TypeORM's better-sqlite3 driver runs every query of the process on ONE connection through one
// shared query runner. Left alone, two overlapping `ds.transaction()` calls (two agents' ingest
// batches, a REST write next to an ingest) nest as savepoints inside each other, and a statement
// issued outside any transaction while one is open becomes part of it — committed or rolled back
// with work it has nothing to do with. That breaks "acked only after committed".
//
// serializeSqlite() makes the shared connection behave like a pool of one: a transaction holds
// an exclusive turn from BEGIN to COMMIT/ROLLBACK, statements of that transaction (recognised by
// AsyncLocalStorage) pass, and every other statement waits for its own turn. An implicit
// transaction that TypeORM opens around a single save() outside ds.transaction() is dropped: its
// statements run one turn each (autocommit), which for the single-row saves the hub makes is the
// same thing. PostgreSQL needs none of this (a real pool, real isolation).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export function serializeSqlite(ds: DataSource): void {
  if (ds.options.type === 'postgres') return;
  const owner = new AsyncLocalStorage<symbol>();
  let tail: Promise<void> = Promise.resolve();
  let holder: symbol | undefined;
  const inTurn = (): boolean => holder !== undefined && owner.getStore() === holder;

  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const token = Symbol('sqlite-turn');
    const previous = tail;
    let release: () => void = () => undefined;
    tail = new Promise<void>((resolve) => (release = resolve));
    return previous
      .then(() => {
        holder = token;
        return owner.run(token, work);
      })
      .finally(() => {
        holder = undefined;
        release();
      });
  };

  const manager: EntityManager = ds.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = (...args: unknown[]) =>
    inTurn() ? transaction(...args) : exclusive(() => transaction(...args));

  const qr: QueryRunner = ds.driver.createQueryRunner('master');
  const query = qr.query.bind(qr) as (...args: unknown[]) => Promise<unknown>;
  qr.query = ((...args: unknown[]) =>
    inTurn() ? query(...args) : exclusive(() => query(...args))) as QueryRunner['query'];
  for (const method of ['startTransaction', 'commitTransaction', 'rollbackTransaction'] as const) {
    const original = qr[method].bind(qr) as (...args: unknown[]) => Promise<void>;
    qr[method] = (...args: unknown[]) => (inTurn() ? original(...args) : Promise.resolve());
  }
}
