// Pure merge of what Node reports (addresses) with what /sys tells (state, MTU, virtual).
import type { NetworkInterfaceInfo } from 'node:os';

export interface InterfaceRecord {
  name: string;
  mac: string;
  ipv4: string[];
  ipv6: string[];
  internal: boolean;
  virtual: boolean;
  up: boolean;
  mtu: number;
}

export interface SysNetInfo {
  operstate?: string | undefined;
  mtu?: number | undefined;
  mac?: string | undefined;
  virtual?: boolean | undefined;
  loopback?: boolean | undefined;
}

export function mergeInterfaces(
  nodeIfaces: Record<string, NetworkInterfaceInfo[] | undefined>,
  sys: ReadonlyMap<string, SysNetInfo>,
): InterfaceRecord[] {
  const names = new Set([...Object.keys(nodeIfaces), ...sys.keys()]);
  return [...names].sort().map((name) => {
    const addrs = nodeIfaces[name] ?? [];
    const s = sys.get(name);
    const mac = addrs.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac ?? s?.mac ?? '';
    const internal = addrs.some((a) => a.internal) || s?.loopback === true;
    const state = s?.operstate;
    return {
      name,
      mac: mac === '00:00:00:00:00:00' ? '' : mac,
      ipv4: addrs.filter((a) => a.family === 'IPv4').map((a) => a.cidr ?? `${a.address}/32`),
      ipv6: addrs.filter((a) => a.family === 'IPv6').map((a) => a.cidr ?? `${a.address}/128`),
      internal,
      virtual: s?.virtual ?? internal,
      // "unknown" is what loopback and many virtual links report while passing traffic.
      up:
        state === undefined ? addrs.length > 0 : state === 'up' || (state === 'unknown' && addrs.length > 0),
      mtu: s?.mtu ?? 0,
    };
  });
}
