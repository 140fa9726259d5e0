// Pure parsers of /proc/<pid>/stat, /proc/<pid>/status and /proc/stat.

export interface ProcStat {
  pid: number;
  name: string;
  ppid: number;
  startTicks: number;
}

/** "1234 (some (odd) name) S 1 ..." — the name may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] = state (field 3), rest[1] = ppid (4), rest[19] = starttime (22)
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return undefined;
  return {
    pid,
    name: text.slice(open + 1, close),
    ppid,
    startTicks: Number.isFinite(startTicks) ? startTicks : 0,
  };
}

/** Real uid from the "Uid:" line of /proc/<pid>/status. */
export function parseStatusUid(text: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Boot time (seconds since epoch) from the btime line of /proc/stat. */
export function parseBootTime(text: string): number | undefined {
  const m = /^btime\s+(\d+)/m.exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Strips the " (deleted)" suffix the kernel adds to the exe link of a replaced binary. */
export function exePath(linkTarget: string | undefined): string {
  return linkTarget ? linkTarget.replace(/ \(deleted\)$/, '') : '';
}
