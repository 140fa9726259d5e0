// Thin I/O: reads the /proc/net tables and attributes sockets to processes through
// /proc/<pid>/fd links (only those this agent may read; others stay pid 0).
import { readdir } from 'node:fs/promises';
import { listPids, mapLimit, readlinkOrUndefined, readTextOrUndefined } from '../../linux/procfs.js';
import { parseProcNet, socketInode, type ProcNetSocket } from '../parse.js';
import { PROC_NET_TABLES } from '../spec.js';

export interface Listener {
  protocol: string;
  family: number;
  address: string;
  port: number;
  pid: number;
  process: string;
}

export async function readListeners(maxItems: number): Promise<Listener[]> {
  const sockets: ProcNetSocket[] = [];
  for (const table of PROC_NET_TABLES) {
    const text = await readTextOrUndefined(table.file);
    if (text !== undefined) sockets.push(...parseProcNet(text, table.protocol, table.family));
  }
  const owners = await socketOwners(new Set(sockets.map((s) => s.inode).filter((i) => i > 0)));
  const seen = new Set<string>();
  const out: Listener[] = [];
  for (const s of sockets) {
    const owner = owners.get(s.inode);
    const key = `${s.protocol}|${s.family}|${s.address}|${s.port}|${owner?.pid ?? 0}`;
    if (seen.has(key) || out.length >= maxItems) continue;
    seen.add(key);
    out.push({
      protocol: s.protocol,
      family: s.family,
      address: s.address,
      port: s.port,
      pid: owner?.pid ?? 0,
      process: owner?.name ?? '',
    });
  }
  return out;
}

async function socketOwners(inodes: Set<number>): Promise<Map<number, { pid: number; name: string }>> {
  const owners = new Map<number, { pid: number; name: string }>();
  if (inodes.size === 0) return owners;
  const pids = await listPids();
  await mapLimit(pids, 16, async (pid) => {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      return;
    }
    let name: string | undefined;
    for (const fd of fds) {
      const target = await readlinkOrUndefined(`/proc/${pid}/fd/${fd}`);
      const inode = target ? socketInode(target) : undefined;
      if (inode === undefined || !inodes.has(inode) || owners.has(inode)) continue;
      name ??= ((await readTextOrUndefined(`/proc/${pid}/comm`)) ?? '').trim();
      owners.set(inode, { pid, name });
    }
  });
  return owners;
}
