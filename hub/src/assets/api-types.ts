// The assets REST API's response shapes: defined once here, imported by the console.
import type { AssetAttributes } from './ledger/attributes.js';

export type { AssetAttributes } from './ledger/attributes.js';
export interface Page<T> {
  items: T[];
  total: number;
}

export interface AssetOs {
  platform: string | null;
  distro: string | null;
  id: string | null;
  version: string | null;
  codename: string | null;
}

export interface AssetSummary {
  id: string;
  kind: 'host';
  name: string;
  hostname: string | null;
  fqdn: string | null;
  os: AssetOs;
  kernel: string | null;
  arch: string | null;
  agentId: string | null;
  ips: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  inventoryAt: string | null;
  packageCount: number;
}

/** A GET /assets list item: the summary plus the ledger's view of it. */
export interface AssetListItem extends AssetSummary {
  /** Network zone (internal, dmz, internet-facing, ...). */
  zone: string;
  /** Seen by scans only: no agent on it and nobody registered it. */
  shadow: boolean;
  /** Ids of the agents whose scans saw the host, sorted. */
  seenBy: string[];
  /** What people keep on the asset (owner, CIA, zone, tags…), editable with PATCH /assets/:id. */
  attributes: AssetAttributes;
}

export interface AssetDetail extends AssetSummary {
  attributes: AssetAttributes;
  machineId: string | null;
  hardware: {
    manufacturer: string | null;
    model: string | null;
    serial: string | null;
    virtual: boolean;
    cpuBrand: string | null;
    cpuCores: number;
    memoryBytes: number;
  };
  bootTimeAt: string | null;
  timezone: string | null;
  processCount: number;
  interfaces: {
    name: string;
    mac: string | null;
    ipv4: string[];
    ipv6: string[];
    internal: boolean;
    virtual: boolean;
    up: boolean;
    mtu: number;
  }[];
  listeners: {
    protocol: string;
    family: number;
    address: string;
    port: number;
    pid: number | null;
    process: string | null;
  }[];
  accounts: {
    name: string;
    uid: number;
    gid: number;
    home: string | null;
    shell: string | null;
    gecos: string | null;
    passwordState: 'unknown' | 'set' | 'empty' | 'locked';
    loginShell: boolean;
    passwordChangedAt: string | null;
  }[];
  groups: { name: string; gid: number; members: string[] }[];
  services: { name: string; manager: string; running: boolean; enabled: boolean }[];
}

export interface PackageItem {
  name: string;
  version: string;
  arch: string;
  manager: string;
  sourceName: string | null;
  sourceVersion: string | null;
}
