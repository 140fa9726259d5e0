// One DataSource per process: PostgreSQL when WATCHPOST_DATABASE_URL is set, otherwise a SQLite
// file in the data dir (WAL, busy_timeout 5000 ms, foreign keys on). Schema only via migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Dialect } from './portable.js';
import { allEntities, allMigrations } from './registry.js';
import { serializeSqlite } from './sqlite-serial.js';

export interface DbOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

export function createDataSource(opts: DbOptions): DataSource {
  const common = {
    entities: allEntities(),
    migrations: allMigrations(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (opts.databaseUrl !== undefined) {
    return new DataSource({ ...common, type: 'postgres', url: opts.databaseUrl, poolSize: 10 });
  }
  mkdirSync(opts.dataDir, { recursive: true });
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: join(opts.dataDir, 'watchpost.db'),
    enableWAL: true,
    timeout: 5000,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
      // FULL: a commit is on disk before the hub acks it, so an acked result survives power loss too.
      db.pragma('synchronous = FULL');
    },
  });
}

export function dialectOfDataSource(ds: DataSource): Dialect {
  return ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** Opens the store and applies pending migrations (serve start and `migrate`). */
export async function openStore(opts: DbOptions, runMigrations: boolean): Promise<DataSource> {
  const ds = createDataSource(opts);
  await ds.initialize();
  if (runMigrations) await ds.runMigrations({ transaction: 'each' });
  // After migrations, which manage their own transactions on the runner.
  serializeSqlite(ds);
  return ds;
}
