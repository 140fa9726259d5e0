// Test helper: run the same suite against a fresh SQLite file and, when
// WATCHPOST_TEST_DATABASE_URL is set, a freshly created PostgreSQL database (dropped afterwards).
// The schema always comes from the migrations, from empty. Not imported by production code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import type { Dialect } from '../db/portable.js';
import { serializeSqlite } from '../db/sqlite-serial.js';

export interface TestStore {
  dialect: Dialect;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface StoreSchema {
  entities: EntitySchema[];
  migrations: (new () => MigrationInterface)[];
}

async function openSqlite(schema: StoreSchema): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-store-'));
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: join(dir, 'test.db'),
    entities: schema.entities,
    migrations: schema.migrations,
    synchronize: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  serializeSqlite(dataSource);
  return {
    dialect: 'sqlite',
    dataSource,
    close: async () => {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url: string, schema: StoreSchema): Promise<TestStore> {
  const name = `wp_test_${randomBytes(6).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url });
  // Unreachable server with the variable set: this throws, and the suite fails loudly.
  await admin.initialize();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const dataSource = new DataSource({
    type: 'postgres',
    url: target.toString(),
    entities: schema.entities,
    migrations: schema.migrations,
    synchronize: false,
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
    throw err;
  }
  return {
    dialect: 'postgres',
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export interface StoreFactory {
  dialect: Dialect;
  open(): Promise<TestStore>;
}

/** The stores a suite runs on; prints why PostgreSQL is skipped when it is. */
export function testStores(schema: StoreSchema): StoreFactory[] {
  const stores: StoreFactory[] = [{ dialect: 'sqlite', open: () => openSqlite(schema) }];
  const url = process.env['WATCHPOST_TEST_DATABASE_URL'];
  if (url) stores.push({ dialect: 'postgres', open: () => openPostgres(url, schema) });
  else console.log('# PostgreSQL store skipped: WATCHPOST_TEST_DATABASE_URL is not set');
  return stores;
}
