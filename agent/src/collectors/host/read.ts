// Thin I/O: host facts from systeminformation plus os-release and machine-id.
import { hostname } from 'node:os';
import si from 'systeminformation';
import { readTextOrUndefined } from '../linux/procfs.js';
import { parseBootTime } from '../processes/parse.js';
import { parseOsRelease } from './parse.js';

export interface HostFactsRecord {
  hostname: string;
  fqdn: string;
  machineId: string;
  osPlatform: string;
  osDistro: string;
  osId: string;
  osVersion: string;
  osCodename: string;
  kernel: string;
  arch: string;
  manufacturer: string;
  model: string;
  serial: string;
  virtual: boolean;
  cpuBrand: string;
  cpuCores: number;
  memoryBytes: number;
  bootTimeMs: number;
  timezone: string;
}

export async function readHostFacts(): Promise<HostFactsRecord> {
  const [os, system, cpu, mem, uuid, osReleaseText, machineIdText, procStat] = await Promise.all([
    si.osInfo(),
    si.system(),
    si.cpu(),
    si.mem(),
    si.uuid(),
    readTextOrUndefined('/etc/os-release'),
    readTextOrUndefined('/etc/machine-id'),
    readTextOrUndefined('/proc/stat'),
  ]);
  // btime is exact and stable; uptime-derived boot time jitters and would change the digest.
  const btime = parseBootTime(procStat ?? '');
  const time = si.time();
  const osRelease = parseOsRelease(osReleaseText ?? '');
  const serial = system.serial && system.serial !== '-' ? system.serial : '';
  return {
    hostname: os.hostname || hostname(),
    fqdn: os.fqdn || '',
    machineId: machineIdText?.trim() || uuid.os || system.uuid || '',
    osPlatform: process.platform,
    osDistro: os.distro || osRelease['NAME'] || '',
    osId: osRelease['ID'] ?? '',
    osVersion: osRelease['VERSION_ID'] ?? os.release,
    osCodename: osRelease['VERSION_CODENAME'] || os.codename || '',
    kernel: os.kernel || '',
    arch: os.arch || process.arch,
    manufacturer: system.manufacturer || '',
    model: system.model || '',
    serial,
    virtual: system.virtual,
    cpuBrand: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' '),
    cpuCores: cpu.cores || 0,
    memoryBytes: mem.total || 0,
    bootTimeMs:
      btime !== undefined ? btime * 1000 : Math.round((Date.now() - time.uptime * 1000) / 60_000) * 60_000,
    timezone: time.timezoneName || time.timezone || '',
  };
}
