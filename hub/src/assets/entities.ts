// The asset ledger's tables. EntitySchema (no decorators); the schema itself is created only by
// migrations/ — keep both in step. Every row carries tenant_id and every query filters on it.
import { EntitySchema, type EntitySchemaColumnOptions, type ValueTransformer } from 'typeorm';

/** PostgreSQL returns bigint as text; better-sqlite3 returns a number. Both become a number. */
const bigintAsNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
};

const id: EntitySchemaColumnOptions = { type: 'varchar', length: 36, primary: true };
const tenantId: EntitySchemaColumnOptions = { type: 'varchar', length: 64, name: 'tenant_id' };
const assetId: EntitySchemaColumnOptions = { type: 'varchar', length: 36, name: 'asset_id' };
const text = (name: string, nullable = true): EntitySchemaColumnOptions => ({ type: 'text', name, nullable });
const int = (name: string): EntitySchemaColumnOptions => ({ type: 'integer', name });
const bigint = (name: string, nullable = false): EntitySchemaColumnOptions => ({
  type: 'bigint',
  name,
  nullable,
  transformer: bigintAsNumber,
});
const bool = (name: string): EntitySchemaColumnOptions => ({ type: 'boolean', name });
const instant = (name: string, nullable = false): EntitySchemaColumnOptions => ({
  type: Date,
  name,
  nullable,
});
const json = (name: string): EntitySchemaColumnOptions => ({ type: 'simple-json', name });

export interface AssetRow {
  id: string;
  tenantId: string;
  agentId: string | null;
  kind: 'host';
  name: string;
  hostname: string | null;
  fqdn: string | null;
  machineId: string | null;
  osPlatform: string | null;
  osDistro: string | null;
  osId: string | null;
  osVersion: string | null;
  osCodename: string | null;
  kernel: string | null;
  arch: string | null;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  virtual: boolean;
  cpuBrand: string | null;
  cpuCores: number;
  memoryBytes: number;
  bootTimeAt: Date | null;
  timezone: string | null;
  /** Addresses of the non-internal interfaces, IPv4 first (no prefix length). */
  ips: string[];
  packageCount: number;
  processCount: number;
  /** Section name → SHA-256 the agent reported for what is stored now. */
  sectionDigests: Record<string, string>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  inventoryAt: Date | null;
}

export const AssetEntity = new EntitySchema<AssetRow>({
  name: 'Asset',
  tableName: 'assets',
  columns: {
    id,
    tenantId,
    agentId: { type: 'varchar', length: 64, name: 'agent_id', nullable: true },
    kind: { type: 'varchar', length: 16 },
    name: text('name', false),
    hostname: text('hostname'),
    fqdn: text('fqdn'),
    machineId: text('machine_id'),
    osPlatform: text('os_platform'),
    osDistro: text('os_distro'),
    osId: text('os_id'),
    osVersion: text('os_version'),
    osCodename: text('os_codename'),
    kernel: text('kernel'),
    arch: text('arch'),
    manufacturer: text('manufacturer'),
    model: text('model'),
    serial: text('serial'),
    virtual: bool('virtual'),
    cpuBrand: text('cpu_brand'),
    cpuCores: int('cpu_cores'),
    memoryBytes: bigint('memory_bytes'),
    bootTimeAt: instant('boot_time_at', true),
    timezone: text('timezone'),
    ips: json('ips'),
    packageCount: int('package_count'),
    processCount: int('process_count'),
    sectionDigests: json('section_digests'),
    firstSeenAt: instant('first_seen_at'),
    lastSeenAt: instant('last_seen_at'),
    inventoryAt: instant('inventory_at', true),
  },
});

export interface InterfaceRow {
  id: string;
  tenantId: string;
  assetId: string;
  name: string;
  mac: string | null;
  ipv4: string[];
  ipv6: string[];
  internal: boolean;
  virtual: boolean;
  up: boolean;
  mtu: number;
}

export const InterfaceEntity = new EntitySchema<InterfaceRow>({
  name: 'AssetInterface',
  tableName: 'asset_interfaces',
  columns: {
    id,
    tenantId,
    assetId,
    name: text('name', false),
    mac: text('mac'),
    ipv4: json('ipv4'),
    ipv6: json('ipv6'),
    internal: bool('internal'),
    virtual: bool('virtual'),
    up: bool('up'),
    mtu: int('mtu'),
  },
});

export interface PackageRow {
  id: string;
  tenantId: string;
  assetId: string;
  manager: string;
  name: string;
  arch: string;
  version: string;
  sourceName: string | null;
  sourceVersion: string | null;
}

export const PackageEntity = new EntitySchema<PackageRow>({
  name: 'AssetPackage',
  tableName: 'asset_packages',
  columns: {
    id,
    tenantId,
    assetId,
    manager: text('manager', false),
    name: text('name', false),
    arch: text('arch', false),
    version: text('version', false),
    sourceName: text('source_name'),
    sourceVersion: text('source_version'),
  },
});

export interface ListenerRow {
  id: string;
  tenantId: string;
  assetId: string;
  protocol: string;
  family: number;
  address: string;
  port: number;
  pid: number | null;
  process: string | null;
}

export const ListenerEntity = new EntitySchema<ListenerRow>({
  name: 'AssetListener',
  tableName: 'asset_listeners',
  columns: {
    id,
    tenantId,
    assetId,
    protocol: text('protocol', false),
    family: int('family'),
    address: text('address', false),
    port: int('port'),
    pid: { type: 'integer', name: 'pid', nullable: true },
    process: text('process'),
  },
});

export type PasswordStateText = 'unknown' | 'set' | 'empty' | 'locked';

/** Password *state* only: hashes are never collected, sent or stored. */
export interface AccountRow {
  id: string;
  tenantId: string;
  assetId: string;
  name: string;
  uid: number;
  gid: number;
  home: string | null;
  shell: string | null;
  gecos: string | null;
  passwordState: PasswordStateText;
  loginShell: boolean;
  passwordChangedAt: Date | null;
}

export const AccountEntity = new EntitySchema<AccountRow>({
  name: 'AssetAccount',
  tableName: 'asset_accounts',
  columns: {
    id,
    tenantId,
    assetId,
    name: text('name', false),
    uid: bigint('uid'),
    gid: bigint('gid'),
    home: text('home'),
    shell: text('shell'),
    gecos: text('gecos'),
    passwordState: { type: 'varchar', length: 16, name: 'password_state' },
    loginShell: bool('login_shell'),
    passwordChangedAt: instant('password_changed_at', true),
  },
});

export interface GroupRow {
  id: string;
  tenantId: string;
  assetId: string;
  name: string;
  gid: number;
  members: string[];
}

export const GroupEntity = new EntitySchema<GroupRow>({
  name: 'AssetGroup',
  tableName: 'asset_groups',
  columns: { id, tenantId, assetId, name: text('name', false), gid: bigint('gid'), members: json('members') },
});

export interface ServiceRow {
  id: string;
  tenantId: string;
  assetId: string;
  manager: string;
  name: string;
  running: boolean;
  enabled: boolean;
}

export const ServiceEntity = new EntitySchema<ServiceRow>({
  name: 'AssetService',
  tableName: 'asset_services',
  columns: {
    id,
    tenantId,
    assetId,
    manager: text('manager', false),
    name: text('name', false),
    running: bool('running'),
    enabled: bool('enabled'),
  },
});

export interface ProcessEntry {
  pid: number;
  ppid: number;
  name: string;
  path: string | null;
  user: string | null;
  startedAt: string | null;
}

/**
 * Processes are kept as one JSON snapshot per asset, not one row per process: the list churns
 * on every report (pids, short-lived workers), nothing queries single processes yet, and
 * rewriting one row is far cheaper than diffing up to 20,000 rows per report. A per-process
 * table can come when something needs to join on it.
 */
export interface ProcessSnapshotRow {
  assetId: string;
  tenantId: string;
  processCount: number;
  processes: ProcessEntry[];
}

export const ProcessSnapshotEntity = new EntitySchema<ProcessSnapshotRow>({
  name: 'AssetProcessSnapshot',
  tableName: 'asset_process_snapshots',
  columns: {
    assetId: { ...assetId, primary: true },
    tenantId,
    processCount: int('process_count'),
    processes: json('processes'),
  },
});

export const assetsEntities = [
  AssetEntity,
  InterfaceEntity,
  PackageEntity,
  ListenerEntity,
  AccountEntity,
  GroupEntity,
  ServiceEntity,
  ProcessSnapshotEntity,
];
