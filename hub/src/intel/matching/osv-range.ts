// OSV `affected` evaluation for packages that are not built by a distro (language ecosystems):
// an ECOSYSTEM/SEMVER range is a list of introduced / fixed / last_affected events, read pairwise
// in order; `introduced: "0"` means "since the beginning". GIT ranges name commits, which an
// installed version cannot be compared with, so they never match.
import { compareVersions } from '@watchpost/proto';
import type { AffectedPackage } from '../store-api.js';

export interface RangeVerdict {
  affected: boolean;
  /** The fix that ends the matching interval, when the feed names one. */
  fixedIn: string | null;
}

export function osvAffects(entry: AffectedPackage, installed: string): RangeVerdict {
  const cmp = (a: string, b: string) => compareVersions(entry.ecosystem, a, b);
  if (entry.versions.includes(installed)) return { affected: true, fixedIn: firstFixed(entry) };
  for (const range of entry.ranges) {
    if (range.type === 'GIT') continue;
    let introduced: string | null = null;
    for (const ev of range.events) {
      if (ev.introduced !== undefined) {
        introduced = ev.introduced;
        continue;
      }
      if (introduced === null) continue;
      const after = introduced === '0' || cmp(installed, introduced) >= 0;
      if (ev.fixed !== undefined) {
        if (after && cmp(installed, ev.fixed) < 0) return { affected: true, fixedIn: ev.fixed };
        introduced = null;
      } else if (ev.last_affected !== undefined) {
        if (after && cmp(installed, ev.last_affected) <= 0) return { affected: true, fixedIn: null };
        introduced = null;
      } else if (ev.limit !== undefined) {
        if (after && cmp(installed, ev.limit) < 0) return { affected: true, fixedIn: null };
        introduced = null;
      }
    }
    // An interval left open ("introduced" with no end) covers every later version.
    if (introduced !== null && (introduced === '0' || cmp(installed, introduced) >= 0)) {
      return { affected: true, fixedIn: null };
    }
  }
  return { affected: false, fixedIn: null };
}

function firstFixed(entry: AffectedPackage): string | null {
  for (const r of entry.ranges) for (const ev of r.events) if (ev.fixed !== undefined) return ev.fixed;
  return null;
}
