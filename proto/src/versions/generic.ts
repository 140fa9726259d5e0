// A generic dotted version comparator for upstream versions that follow no packaging scheme:
// CPE ranges in NVD configurations (2.4.49, 1.1.1k, 7.4p1, 5.7.32), scanner product versions.
// Segments are digit runs (numeric) and letter runs; a trailing pre-release word (alpha, beta,
// rc, …) ranks below the bare version, any other trailing word (a letter release, p1) above it.

type Segment = number | string;

const PRE_RELEASE = new Map<string, number>([
  ['dev', 0],
  ['snapshot', 1],
  ['alpha', 2],
  ['beta', 3],
  ['pre', 4],
  ['preview', 4],
  ['rc', 5],
  ['cr', 5],
]);

/** Splits into digit and letter runs; every other character only separates. Lower-cased. */
export function genericSegments(version: string): Segment[] {
  const out: Segment[] = [];
  const re = /(\d+)|([a-z]+)/g;
  const s = version.trim().toLowerCase();
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[1] !== undefined) out.push(Number.parseInt(m[1].replace(/^0+(?=\d)/, ''), 10));
    else if (m[2] !== undefined) out.push(m[2]);
  }
  return out;
}

// Single letters are not pre-releases: OpenSSL's 1.1.1a follows 1.1.1.
const isPreRelease = (seg: Segment | undefined): boolean => typeof seg === 'string' && PRE_RELEASE.has(seg);

function compareSegment(a: Segment, b: Segment): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const pa = PRE_RELEASE.get(a);
    const pb = PRE_RELEASE.get(b);
    if (pa !== undefined && pb !== undefined) return pa - pb;
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // A number outranks a word in the same position (1.0.1 > 1.0.rc1, 1.0.1 > 1.0.beta).
  return typeof a === 'number' ? 1 : -1;
}

/** -1, 0 or 1. `1.2` equals `1.2.0`; `1.0rc1` < `1.0` < `1.0a` < `1.0.1`. */
export function genericCompare(a: string, b: string): -1 | 0 | 1 {
  const sa = genericSegments(a);
  const sb = genericSegments(b);
  const n = Math.max(sa.length, sb.length);
  for (let k = 0; k < n; k++) {
    const x = sa[k];
    const y = sb[k];
    if (x === undefined || y === undefined) {
      const tail = (x ?? y) as Segment;
      // Trailing zeros add nothing: 1.2 == 1.2.0.
      const rest = (x === undefined ? sb : sa).slice(k);
      if (rest.every((s) => s === 0)) return 0;
      const longerIsA = x !== undefined;
      const lower = isPreRelease(tail);
      return (longerIsA ? !lower : lower) ? 1 : -1;
    }
    const c = compareSegment(x, y);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return 0;
}
