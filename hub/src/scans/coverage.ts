// Which ports a scan covered, from its profile and options: lets the ledger close a port that a
// later scan of the same ports no longer finds open. Unknown coverage (top ports chosen by nmap,
// host discovery only, port syntax we do not expand) closes nothing.
import type { ScanOptions } from './schemas.js';

const MAX_PORT = 65_535;

/** Parses "22,80,8000-8100" (optionally "T:"-prefixed TCP parts); undefined for anything else. */
export function tcpPortRanges(spec: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  for (const raw of spec.split(',')) {
    const part = raw.trim().replace(/^T:/i, '');
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > MAX_PORT || lo > hi) return undefined;
    ranges.push([lo, hi]);
  }
  return ranges.length > 0 ? ranges : undefined;
}

export function coveragePredicate(
  profile: string,
  options: Partial<ScanOptions>,
): ((portKey: string) => boolean) | undefined {
  if (profile === 'discovery') return undefined;
  const ranges = options.ports
    ? tcpPortRanges(options.ports)
    : profile === 'full'
      ? [[1, MAX_PORT] as [number, number]]
      : undefined;
  if (!ranges) return undefined;
  return (key) => {
    const m = /^tcp\/(\d+)$/.exec(key);
    if (!m) return false;
    const port = Number(m[1]);
    return ranges.some(([lo, hi]) => port >= lo && port <= hi);
  };
}
