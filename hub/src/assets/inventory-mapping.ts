// Pure mapping from a (validated) InventoryReport to the ledger's row data. No I/O.
import { toBigInt, watchpost, type LongLike } from '@watchpost/proto';
import type {
  AccountRow,
  AssetRow,
  GroupRow,
  InterfaceRow,
  ListenerRow,
  PackageRow,
  PasswordStateText,
  ProcessEntry,
  ServiceRow,
} from './entities.js';

type Ids = 'id' | 'tenantId' | 'assetId';
export type InterfaceData = Omit<InterfaceRow, Ids>;
export type PackageData = Omit<PackageRow, Ids>;
export type ListenerData = Omit<ListenerRow, Ids>;
export type AccountData = Omit<AccountRow, Ids>;
export type GroupData = Omit<GroupRow, Ids>;
export type ServiceData = Omit<ServiceRow, Ids>;

export type HostData = Pick<
  AssetRow,
  | 'hostname'
  | 'fqdn'
  | 'machineId'
  | 'osPlatform'
  | 'osDistro'
  | 'osId'
  | 'osVersion'
  | 'osCodename'
  | 'kernel'
  | 'arch'
  | 'manufacturer'
  | 'model'
  | 'serial'
  | 'virtual'
  | 'cpuBrand'
  | 'cpuCores'
  | 'memoryBytes'
  | 'bootTimeAt'
  | 'timezone'
>;

// PostgreSQL text cannot hold NUL; a stray one from a host file must not fail the batch.
const clean = (s: string | null | undefined): string => (s ?? '').replaceAll('\u0000', '');
const orNull = (s: string | null | undefined): string | null => clean(s) || null;
const instantOrNull = (ms: LongLike): Date | null => {
  const v = toBigInt(ms);
  return v === 0n ? null : new Date(Number(v));
};

export function mapHost(h: watchpost.v1.IHostFacts | null | undefined): HostData {
  const host = h ?? {};
  return {
    hostname: orNull(host.hostname),
    fqdn: orNull(host.fqdn),
    machineId: orNull(host.machineId),
    osPlatform: orNull(host.osPlatform),
    osDistro: orNull(host.osDistro),
    osId: orNull(host.osId),
    osVersion: orNull(host.osVersion),
    osCodename: orNull(host.osCodename),
    kernel: orNull(host.kernel),
    arch: orNull(host.arch),
    manufacturer: orNull(host.manufacturer),
    model: orNull(host.model),
    serial: orNull(host.serial),
    virtual: host.virtual ?? false,
    cpuBrand: orNull(host.cpuBrand),
    cpuCores: host.cpuCores ?? 0,
    memoryBytes: Number(toBigInt(host.memoryBytes)),
    bootTimeAt: instantOrNull(host.bootTimeMs),
    timezone: orNull(host.timezone),
  };
}

/** Keeps the last row for each key: the tables are unique on it. Returns how many were dropped. */
function uniqueBy<T>(rows: T[], keyOf: (r: T) => string): { rows: T[]; duplicates: number } {
  const byKey = new Map<string, T>();
  for (const r of rows) byKey.set(keyOf(r), r);
  return { rows: [...byKey.values()], duplicates: rows.length - byKey.size };
}

export const packageKey = (p: PackageData): string => `${p.manager}\u0000${p.name}\u0000${p.arch}`;

export function mapPackages(list: watchpost.v1.IPackage[] | null | undefined): {
  rows: PackageData[];
  duplicates: number;
} {
  const rows = (list ?? []).map((p) => ({
    manager: clean(p.manager),
    name: clean(p.name),
    arch: clean(p.arch),
    version: clean(p.version),
    sourceName: orNull(p.sourceName),
    sourceVersion: orNull(p.sourceVersion),
  }));
  return uniqueBy(rows, packageKey);
}

export function mapInterfaces(list: watchpost.v1.INetworkInterface[] | null | undefined): InterfaceData[] {
  const rows = (list ?? []).map((i) => ({
    name: clean(i.name),
    mac: orNull(i.mac),
    ipv4: (i.ipv4 ?? []).map(clean),
    ipv6: (i.ipv6 ?? []).map(clean),
    internal: i.internal ?? false,
    virtual: i.virtual ?? false,
    up: i.up ?? false,
    mtu: i.mtu ?? 0,
  }));
  return uniqueBy(rows, (r) => r.name).rows;
}

/** The host's own addresses as analysts search for them: non-internal interfaces, IPv4 first. */
export function primaryIps(interfaces: InterfaceData[]): string[] {
  const external = interfaces.filter((i) => !i.internal);
  const strip = (cidr: string) => cidr.split('/')[0] ?? cidr;
  const v4 = external.flatMap((i) => i.ipv4.map(strip));
  const v6 = external.flatMap((i) => i.ipv6.map(strip));
  return [...new Set([...v4, ...v6])].filter((a) => a !== '');
}

export function mapListeners(list: watchpost.v1.IListeningSocket[] | null | undefined): ListenerData[] {
  return (list ?? []).map((l) => ({
    protocol: clean(l.protocol),
    family: l.family ?? 0,
    address: clean(l.address),
    port: l.port ?? 0,
    pid: l.pid ? l.pid : null,
    process: orNull(l.process),
  }));
}

const PASSWORD_STATES: Record<number, PasswordStateText> = {
  [watchpost.v1.PasswordState.PASSWORD_STATE_UNKNOWN]: 'unknown',
  [watchpost.v1.PasswordState.PASSWORD_STATE_SET]: 'set',
  [watchpost.v1.PasswordState.PASSWORD_STATE_EMPTY]: 'empty',
  [watchpost.v1.PasswordState.PASSWORD_STATE_LOCKED]: 'locked',
};

export function mapAccounts(list: watchpost.v1.IAccount[] | null | undefined): AccountData[] {
  const rows = (list ?? []).map((a) => ({
    name: clean(a.name),
    uid: a.uid ?? 0,
    gid: a.gid ?? 0,
    home: orNull(a.home),
    shell: orNull(a.shell),
    gecos: orNull(a.gecos),
    passwordState: PASSWORD_STATES[a.passwordState ?? 0] ?? 'unknown',
    loginShell: a.loginShell ?? false,
    passwordChangedAt: instantOrNull(a.passwordChangedAtMs),
  }));
  return uniqueBy(rows, (r) => r.name).rows;
}

export function mapGroups(list: watchpost.v1.IAccountGroup[] | null | undefined): GroupData[] {
  const rows = (list ?? []).map((g) => ({
    name: clean(g.name),
    gid: g.gid ?? 0,
    members: (g.members ?? []).map(clean),
  }));
  return uniqueBy(rows, (r) => r.name).rows;
}

export function mapServices(list: watchpost.v1.IServiceInfo[] | null | undefined): ServiceData[] {
  const rows = (list ?? []).map((s) => ({
    manager: clean(s.manager),
    name: clean(s.name),
    running: s.running ?? false,
    enabled: s.enabled ?? false,
  }));
  return uniqueBy(rows, (r) => `${r.manager}\u0000${r.name}`).rows;
}

export function mapProcesses(list: watchpost.v1.IProcessInfo[] | null | undefined): ProcessEntry[] {
  return (list ?? []).map((p) => ({
    pid: p.pid ?? 0,
    ppid: p.ppid ?? 0,
    name: clean(p.name),
    path: orNull(p.path),
    user: orNull(p.user),
    startedAt: instantOrNull(p.startedAtMs)?.toISOString() ?? null,
  }));
}
