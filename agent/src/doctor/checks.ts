// Pure verdicts of `watchpost-agent doctor`: each takes what the I/O layer read and says ok /
// warn / fail with a hint an operator on site can act on.
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

/** Linux capability numbers (include/uapi/linux/capability.h). */
export const CAP_NET_ADMIN = 12;
export const CAP_NET_RAW = 13;

/** `nmap --version` → "7.93" (null when the output is not nmap's). */
export function parseNmapVersion(stdout: string): string | null {
  const m = /^Nmap version (\d+\.\d+(?:\.\d+)?)/m.exec(stdout);
  return m?.[1] ?? null;
}

export function nmapCheck(stdout: string | null): CheckResult {
  if (stdout === null)
    return {
      name: 'nmap',
      status: 'warn',
      detail: 'nmap not found on PATH',
      hint: 'install nmap (apt-get install nmap) to run scan tasks; inventory works without it',
    };
  const v = parseNmapVersion(stdout);
  if (!v)
    return {
      name: 'nmap',
      status: 'fail',
      detail: 'nmap --version gave unexpected output',
      hint: 'check that "nmap" on PATH is the real nmap',
    };
  const [major = 0] = v.split('.').map(Number);
  if (major < 7)
    return {
      name: 'nmap',
      status: 'warn',
      detail: `nmap ${v}`,
      hint: 'nmap >= 7 is expected (XML output and --stats-every)',
    };
  return { name: 'nmap', status: 'ok', detail: `nmap ${v}` };
}

/** The CapEff line of /proc/self/status → effective capability set. */
export function parseCapEff(procStatus: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(procStatus);
  return m?.[1] ? BigInt(`0x${m[1]}`) : null;
}

export function hasCap(set: bigint, cap: number): boolean {
  return (set & (1n << BigInt(cap))) !== 0n;
}

export function capabilitiesCheck(uid: number, procStatus: string | null): CheckResult {
  const name = 'capabilities';
  if (uid === 0) return { name, status: 'ok', detail: 'running as root: SYN scans available' };
  const eff = procStatus === null ? null : parseCapEff(procStatus);
  if (eff === null) return { name, status: 'warn', detail: 'cannot read CapEff from /proc/self/status' };
  if (hasCap(eff, CAP_NET_RAW))
    return {
      name,
      status: 'ok',
      detail: `CAP_NET_RAW held${hasCap(eff, CAP_NET_ADMIN) ? ', CAP_NET_ADMIN held' : ''}`,
    };
  return {
    name,
    status: 'warn',
    detail: 'no CAP_NET_RAW: scans fall back to TCP connect (-sT), no MAC/OS detail',
    hint: 'run under the packaged systemd unit (AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN)',
  };
}

/** Skew = hub clock − local clock, with the round trip's half as the uncertainty. */
export function clockCheck(localBeforeMs: number, localAfterMs: number, hubMs: number): CheckResult {
  const mid = (localBeforeMs + localAfterMs) / 2;
  const skewMs = Math.round(hubMs - mid);
  const abs = Math.abs(skewMs);
  const detail = `skew ${skewMs} ms vs the hub (±${Math.ceil((localAfterMs - localBeforeMs) / 2)} ms)`;
  if (abs < 5_000) return { name: 'clock', status: 'ok', detail };
  const hint =
    'synchronise the clock (systemd-timesyncd, chrony): tasks carry expiry times signed by the hub';
  return { name: 'clock', status: abs < 300_000 ? 'warn' : 'fail', detail, hint };
}

export function diskCheck(freeBytes: number, budgetBytes: number, outboxBytes: number): CheckResult {
  const needed = Math.max(0, budgetBytes - outboxBytes);
  const mib = (n: number) => `${Math.round(n / 1048576)} MiB`;
  const detail = `${mib(freeBytes)} free for the data dir; outbox budget ${mib(budgetBytes)} (${mib(outboxBytes)} used)`;
  if (freeBytes >= needed) return { name: 'disk', status: 'ok', detail };
  const hint = 'free disk space or lower outboxBudgetBytes in agent.json';
  return { name: 'disk', status: freeBytes < 16 * 1048576 ? 'fail' : 'warn', detail, hint };
}

export function worst(results: readonly CheckResult[]): CheckStatus {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  return results.some((r) => r.status === 'warn') ? 'warn' : 'ok';
}
