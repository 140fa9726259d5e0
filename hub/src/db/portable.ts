// Column types that mean the same on SQLite and PostgreSQL, for migrations written with
// TypeORM's Table API. Entities declare instants as `type: Date`; migrations create them with
// instantType(): timestamptz on PostgreSQL, datetime (UTC text) on SQLite.
import type { QueryRunner } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(qr: QueryRunner): Dialect {
  return qr.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

export function instantType(qr: QueryRunner): string {
  return dialectOf(qr) === 'postgres' ? 'timestamptz' : 'datetime';
}
