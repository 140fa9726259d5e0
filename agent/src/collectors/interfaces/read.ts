// Thin I/O: Node's view of addresses plus /sys/class/net on Linux.
import { networkInterfaces } from 'node:os';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { readTextOrUndefined } from '../linux/procfs.js';
import { mergeInterfaces, type InterfaceRecord, type SysNetInfo } from './parse.js';

export async function readInterfaces(maxItems: number): Promise<InterfaceRecord[]> {
  const sys = new Map<string, SysNetInfo>();
  let names: string[] = [];
  try {
    names = await readdir('/sys/class/net');
  } catch {
    // not Linux or /sys not mounted: Node's view only
  }
  for (const name of names) {
    const base = `/sys/class/net/${name}`;
    const [operstate, mtu, mac, type] = await Promise.all(
      ['operstate', 'mtu', 'address', 'type'].map((f) => readTextOrUndefined(`${base}/${f}`)),
    );
    sys.set(name, {
      operstate: operstate?.trim(),
      mtu: mtu ? Number(mtu.trim()) : undefined,
      mac: mac?.trim(),
      virtual: existsSync(`/sys/devices/virtual/net/${name}`),
      loopback: type?.trim() === '772',
    });
  }
  return mergeInterfaces(networkInterfaces(), sys).slice(0, maxItems);
}
