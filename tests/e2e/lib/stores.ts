// The stores an end-to-end test runs against: SQLite always; PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set (a fresh database per test, dropped after).
import { tempPgDatabase } from '../../../hub/src/testing/postgres.js';

export interface StoreCase {
  name: 'sqlite' | 'postgres';
  /** Creates the store; returns the hub's WATCHPOST_DATABASE_URL (undefined = SQLite) and a cleanup. */
  create(): Promise<{ databaseUrl: string | undefined; drop(): Promise<void> }>;
}

export const pgUrl = process.env.WATCHPOST_TEST_DATABASE_URL;

/** A fresh database on the test server, dropped after; fails loudly when the server is unreachable. */
export async function createPgDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  try {
    return await tempPgDatabase(baseUrl);
  } catch (err) {
    throw new Error(`WATCHPOST_TEST_DATABASE_URL is set but PostgreSQL is unreachable: ${String(err)}`);
  }
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
