// The stores an end-to-end test runs against: SQLite always; PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set (a fresh database per test, dropped after).
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export interface StoreCase {
  name: 'sqlite' | 'postgres';
  /** Creates the store; returns the hub's WATCHPOST_DATABASE_URL (undefined = SQLite) and a cleanup. */
  create(): Promise<{ databaseUrl: string | undefined; drop(): Promise<void> }>;
}

export const pgUrl = process.env.WATCHPOST_TEST_DATABASE_URL;

export async function createPgDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wp_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`WATCHPOST_TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${String(err)}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const storeCases: StoreCase[] = [
  { name: 'sqlite', create: async () => ({ databaseUrl: undefined, drop: async () => {} }) },
  {
    name: 'postgres',
    async create() {
      if (!pgUrl)
        throw new Error('unreachable: postgres case runs only when WATCHPOST_TEST_DATABASE_URL is set');
      const db = await createPgDatabase(pgUrl);
      return { databaseUrl: db.url, drop: db.drop };
    },
  },
];

export function skipReason(store: StoreCase): string | undefined {
  return store.name === 'postgres' && !pgUrl
    ? 'WATCHPOST_TEST_DATABASE_URL is not set: PostgreSQL case skipped'
    : undefined;
}
