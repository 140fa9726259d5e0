// Thin I/O: one pass over /proc. Processes vanishing mid-read are skipped.
import { listPids, mapLimit, readlinkOrUndefined, readTextOrUndefined } from '../../linux/procfs.js';
import { exePath, parseBootTime, parseProcStat, parseStatusUid } from '../parse.js';
import { CLOCK_TICKS_PER_SECOND } from '../spec.js';

export interface ProcessRecord {
  pid: number;
  ppid: number;
  name: string;
  path: string;
  user: string;
  startedAtMs: number;
}

export async function readProcesses(
  maxItems: number,
  usersByUid: ReadonlyMap<number, string>,
): Promise<ProcessRecord[]> {
  const bootTime = parseBootTime((await readTextOrUndefined('/proc/stat')) ?? '') ?? 0;
  const pids = (await listPids()).slice(0, maxItems);
  const records = await mapLimit(pids, 16, async (pid): Promise<ProcessRecord | undefined> => {
    const stat = parseProcStat((await readTextOrUndefined(`/proc/${pid}/stat`)) ?? '');
    if (!stat) return undefined;
    const uid = parseStatusUid((await readTextOrUndefined(`/proc/${pid}/status`)) ?? '');
    return {
      pid: stat.pid,
      ppid: stat.ppid,
      name: stat.name,
      path: exePath(await readlinkOrUndefined(`/proc/${pid}/exe`)),
      user: uid === undefined ? '' : (usersByUid.get(uid) ?? String(uid)),
      startedAtMs:
        bootTime > 0 ? Math.round((bootTime + stat.startTicks / CLOCK_TICKS_PER_SECOND) * 1000) : 0,
    };
  });
  return records.filter((r): r is ProcessRecord => r !== undefined);
}
