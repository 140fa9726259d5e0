// A tenant's timezone (IANA, default UTC): scan windows without their own zone are read in it.
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { hubError } from '../platform/errors.js';

export const DEFAULT_TENANT_TIMEZONE = 'UTC';

export class TenantTimezone1764410000000 implements MigrationInterface {
  name = 'TenantTimezone1764410000000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'tenants',
      new TableColumn({
        name: 'timezone',
        type: 'varchar',
        length: '64',
        isNullable: false,
        default: `'${DEFAULT_TENANT_TIMEZONE}'`,
      }),
    );
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('tenants', 'timezone');
  }
}

/** Returns the zone when this runtime knows it as an IANA timezone; throws VALIDATION_FAILED. */
export function parseTimezone(zone: string): string {
  if (zone === '' || zone.length > 64) throw hubError('VALIDATION_FAILED', 'timezone needs 1–64 characters');
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw hubError('VALIDATION_FAILED', `"${zone}" is not an IANA timezone (e.g. Europe/Berlin)`);
  }
}
