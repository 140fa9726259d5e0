// Column types that mean the same on SQLite and PostgreSQL, for migrations written with
// TypeORM's Table API. Entities declare instants as `type: Date`; migrations create them with
// instantType(): timestamptz on PostgreSQL, datetime (UTC text) on SQLite.
import type { QueryRunner } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(qr: QueryRunner): Dialect {
  return qr.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

export function instantType(qr: QueryRunner): string {
  return dialectOf(qr) === 'postgres' ? 'timestamptz' : 'datetime';
}

// Column builders for migrations (TypeORM Table API), identical on both dialects.
export const idColumn = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
export const refColumn = (name: string, nullable = false) => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
export const textColumn = (name: string, nullable = false) => ({ name, type: 'text', isNullable: nullable });
export const intColumn = (name: string, nullable = false, dflt?: number) => ({
  name,
  type: 'integer',
  isNullable: nullable,
  ...(dflt === undefined ? {} : { default: dflt }),
});
export const bigintColumn = (name: string, nullable = false, dflt?: number) => ({
  name,
  type: 'bigint',
  isNullable: nullable,
  ...(dflt === undefined ? {} : { default: dflt }),
});
export const boolColumn = (name: string, dflt: boolean) => ({ name, type: 'boolean', default: dflt });
export const instantColumn = (qr: QueryRunner, name: string, nullable = false) => ({
  name,
  type: instantType(qr),
  isNullable: nullable,
});

/** bigint columns come back as string (pg) or number (sqlite); entities hold them as string. */
export const bigintAsString = {
  from: (v: unknown): string | null =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : null,
  to: (v: unknown): unknown => v,
};

/** A foreign key from `column` to `table(id)`, for the Table API. */
export function refTo(
  column: string,
  table: string,
): { columnNames: string[]; referencedTableName: string; referencedColumnNames: string[] } {
  return { columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] };
}
