// Test helper: realistic InventoryReports built in code. Not imported by production code.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toLong, watchpost } from '@watchpost/proto';
import { INVENTORY_SECTIONS, type InventorySection } from './inventory-sections.js';

export type ReportParts = Omit<watchpost.v1.IInventoryReport, 'sections' | 'unchangedSections' | 'digests'>;

const digestOf = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex');

const SECTION_FIELDS: Record<InventorySection, keyof ReportParts> = {
  host: 'host',
  interfaces: 'interfaces',
  processes: 'processes',
  services: 'services',
  accounts: 'accounts',
  groups: 'groups',
  listeners: 'listeners',
  packages: 'packages',
};

/**
 * A report carrying `sent` in full and naming `unchanged` as unchanged; digests are computed
 * for both (for unchanged ones from `unchangedParts`, i.e. what the agent last sent).
 */
export function inventoryReport(
  parts: ReportParts,
  sent: InventorySection[],
  unchanged: InventorySection[] = [],
  unchangedParts: ReportParts = {},
): watchpost.v1.InventoryReport {
  const digests: Record<string, string> = {};
  for (const s of sent) digests[s] = digestOf(parts[SECTION_FIELDS[s]]);
  for (const s of unchanged) digests[s] = digestOf(unchangedParts[SECTION_FIELDS[s]]);
  const body: watchpost.v1.IInventoryReport = {
    collectedAtMs: parts.collectedAtMs ?? toLong(Date.UTC(2026, 10, 25, 12, 0, 0), false),
    sections: sent,
    unchangedSections: unchanged,
    digests,
  };
  for (const s of sent) Object.assign(body, { [SECTION_FIELDS[s]]: parts[SECTION_FIELDS[s]] });
  // Through the wire codec, so the test sees exactly what the gateway would hand over.
  return watchpost.v1.InventoryReport.decode(watchpost.v1.InventoryReport.encode(body).finish());
}

export function syntheticPackages(count: number, prefix = 'lib'): watchpost.v1.IPackage[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}pkg-${String(i).padStart(5, '0')}`,
    version: `1.${i % 7}.${i}-1+deb12u${i % 3}`,
    arch: i % 5 === 0 ? 'all' : 'amd64',
    manager: 'dpkg',
    sourceName: i % 4 === 0 ? `${prefix}src-${i}` : '',
    sourceVersion: i % 4 === 0 ? `1.${i % 7}.${i}-1` : '',
  }));
}

export const sampleParts = (): ReportParts => ({
  host: {
    hostname: 'web-01',
    fqdn: 'web-01.example.internal',
    machineId: '0123456789abcdef0123456789abcdef',
    osPlatform: 'linux',
    osDistro: 'Debian GNU/Linux',
    osId: 'debian',
    osVersion: '12',
    osCodename: 'bookworm',
    kernel: '6.1.0-26-amd64',
    arch: 'x64',
    manufacturer: 'QEMU',
    model: 'Standard PC',
    serial: '',
    virtual: true,
    cpuBrand: 'AMD EPYC',
    cpuCores: 4,
    memoryBytes: toLong(8 * 1024 ** 3),
    bootTimeMs: toLong(Date.UTC(2026, 10, 20), false),
    timezone: 'UTC',
  },
  interfaces: [
    {
      name: 'lo',
      mac: '00:00:00:00:00:00',
      ipv4: ['127.0.0.1/8'],
      ipv6: ['::1/128'],
      internal: true,
      up: true,
      mtu: 65536,
    },
    // Loopback addresses only: tests never carry any other IP literal.
    { name: 'eth0', mac: '52:54:00:12:34:56', ipv4: ['127.0.0.1/8'], ipv6: ['::1/128'], up: true, mtu: 1500 },
  ],
  processes: [
    {
      pid: 1,
      ppid: 0,
      name: 'systemd',
      path: '/usr/lib/systemd/systemd',
      user: 'root',
      startedAtMs: toLong(Date.UTC(2026, 10, 20), false),
    },
    { pid: 812, ppid: 1, name: 'sshd', path: '/usr/sbin/sshd', user: 'root' },
  ],
  services: [
    { name: 'ssh.service', running: true, enabled: true, manager: 'systemd' },
    { name: 'cron.service', running: true, enabled: true, manager: 'systemd' },
  ],
  accounts: [
    {
      name: 'root',
      uid: 0,
      gid: 0,
      home: '/root',
      shell: '/bin/bash',
      passwordState: watchpost.v1.PasswordState.PASSWORD_STATE_SET,
      loginShell: true,
    },
    {
      name: 'nobody',
      uid: 65534,
      gid: 65534,
      home: '/nonexistent',
      shell: '/usr/sbin/nologin',
      passwordState: watchpost.v1.PasswordState.PASSWORD_STATE_LOCKED,
    },
    {
      name: 'ghost',
      uid: 4294967294,
      gid: 4294967294,
      passwordState: watchpost.v1.PasswordState.PASSWORD_STATE_EMPTY,
      loginShell: true,
    },
  ],
  groups: [
    { name: 'root', gid: 0, members: [] },
    { name: 'sudo', gid: 27, members: ['alice', 'bob'] },
  ],
  listeners: [
    { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 22, pid: 812, process: 'sshd' },
    { protocol: 'tcp', family: 6, address: '::1', port: 22, pid: 812, process: 'sshd' },
    { protocol: 'udp', family: 4, address: '127.0.0.1', port: 323, pid: 0 },
  ],
  packages: syntheticPackages(40),
});

export const ALL_SECTIONS: InventorySection[] = [...INVENTORY_SECTIONS];

/** The real dpkg status file from ../shared/fixtures, or null (with the reason) when absent. */
export function loadDpkgFixture(name: string): { text: string } | { skip: string } {
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const dir = process.env['WATCHPOST_FIXTURES'] ?? join(repoRoot, '..', 'shared', 'fixtures');
  const path = join(dir, 'dpkg', name);
  if (!existsSync(path)) return { skip: `fixture ${path} not present` };
  return { text: readFileSync(path, 'utf8') };
}
