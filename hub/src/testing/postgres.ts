// Test helper: a uniquely named PostgreSQL database on WATCHPOST_TEST_DATABASE_URL, dropped after.
//   const pg = testDatabaseUrl();            // undefined → skip with a printed reason
//   await withTempPostgres(async (url) => { ...start a hub with databaseUrl: url... });
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function testDatabaseUrl(): string | undefined {
  const v = process.env['WATCHPOST_TEST_DATABASE_URL'];
  return v === undefined || v === '' ? undefined : v;
}

export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database; throws (loudly) when the server is configured but unreachable. */
export async function tempPgDatabase(baseUrl = testDatabaseUrl()): Promise<TempDatabase> {
  if (baseUrl === undefined) throw new Error('WATCHPOST_TEST_DATABASE_URL is not set');
  const name = `wp_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function withTempPostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const db = await tempPgDatabase();
  try {
    return await fn(db.url);
  } finally {
    await db.drop();
  }
}
