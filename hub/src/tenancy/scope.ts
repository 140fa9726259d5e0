// A tenant's declared scan scope: the CIDRs its scans may target. No row = the default
// (127.0.0.1/32), so a new tenant can scan only the loopback until an operator widens it.
import { EntitySchema, Table, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { instantColumn, refTo, textColumn } from '../db/portable.js';
import { hubError } from '../platform/errors.js';
import { MAX_SCOPE_ENTRIES, parseScopeCidr } from '../scans/targets.js';
import type { Tenant } from './entities.js';
import { DEFAULT_TENANT_TIMEZONE, parseTimezone } from './timezone.js';

export const DEFAULT_TENANT_SCOPE: readonly string[] = ['127.0.0.1/32'];

export interface TenantScopeRow {
  tenantId: string;
  cidrs: string; // JSON array of CIDR strings
  updatedAt: Date;
}

export const TenantScopeEntity = new EntitySchema<TenantScopeRow>({
  name: 'TenantScope',
  tableName: 'tenant_scopes',
  columns: {
    tenantId: { type: 'varchar', primary: true, name: 'tenant_id' },
    cidrs: { type: 'text' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
});

export class TenantScope1764200000000 implements MigrationInterface {
  name = 'TenantScope1764200000000';
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenant_scopes',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          textColumn('cidrs'),
          instantColumn(qr, 'updated_at'),
        ],
        foreignKeys: [refTo('tenant_id', 'tenants')],
      }),
    );
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('tenant_scopes');
  }
}

/** Parses "CIDR[,CIDR…]"; throws VALIDATION_FAILED naming the bad entry. */
export function parseScopeList(text: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw hubError('VALIDATION_FAILED', 'scope needs at least one CIDR');
  if (items.length > MAX_SCOPE_ENTRIES)
    throw hubError('VALIDATION_FAILED', `scope over ${MAX_SCOPE_ENTRIES} CIDRs`);
  for (const c of items) {
    if (!parseScopeCidr(c)) {
      throw hubError('VALIDATION_FAILED', `"${c}" is not a CIDR with zero host bits (e.g. 127.0.0.0/8)`);
    }
  }
  return [...new Set(items)];
}

export class TenantScopeStore {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date,
  ) {}

  async get(tenantId: string): Promise<string[]> {
    const row = await this.ds.getRepository(TenantScopeEntity).findOneBy({ tenantId });
    return row ? (JSON.parse(row.cidrs) as string[]) : [...DEFAULT_TENANT_SCOPE];
  }

  async set(tenantId: string, cidrs: readonly string[]): Promise<string[]> {
    const list = parseScopeList(cidrs.join(','));
    await this.ds
      .getRepository(TenantScopeEntity)
      .save({ tenantId, cidrs: JSON.stringify(list), updatedAt: this.clock() });
    return list;
  }

  // The tenants entity is named, not imported: entities.ts imports this file.
  /** The tenant's IANA timezone (UTC for an unknown tenant). */
  async timezone(tenantId: string): Promise<string> {
    const row = await this.ds
      .getRepository<Tenant>('Tenant')
      .findOne({ where: { id: tenantId }, select: { timezone: true } });
    return row?.timezone ?? DEFAULT_TENANT_TIMEZONE;
  }

  /** Validates and stores the tenant's timezone; returns it as the runtime names it. */
  async setTimezone(tenantId: string, zone: string): Promise<string> {
    const tz = parseTimezone(zone);
    await this.ds.getRepository<Tenant>('Tenant').update({ id: tenantId }, { timezone: tz });
    return tz;
  }
}
