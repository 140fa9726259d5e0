// Debian package version ordering, exactly as deb-version(7) and dpkg's verrevcmp() define it.
// Agent baseline rules and the hub's matcher both use this, so "installed < fixed" means the
// same thing on both sides. The function is total: dpkg itself compares malformed versions too
// (it only warns), and refusing them here would hide a package from matching.

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const TILDE = 126;

/** Splits `[epoch:]upstream[-revision]`: epoch before the first colon, revision after the last hyphen. */
export function parseDpkgVersion(version: string): DpkgVersion {
  const v = version.trim();
  const colon = v.indexOf(':');
  let epoch = 0;
  let rest = v;
  if (colon >= 0) {
    // dpkg parses the epoch with strtol; a non-numeric epoch is an error there, 0 here.
    const parsed = Number.parseInt(v.slice(0, colon), 10);
    epoch = Number.isFinite(parsed) && parsed >= 0 ? parsed : 0;
    rest = v.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
  return { epoch, upstream: rest, revision: '' };
}

/** dpkg's order(): digits 0, letters their code, `~` below everything (even the end), others after letters. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === TILDE) return -1;
  return c + 256;
}

/** dpkg verrevcmp(): alternating non-digit and digit runs; returns <0, 0 or >0. */
export function dpkgVerrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : Number.NaN);
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === 48) i++;
    while (at(b, j) === 48) j++;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares two Debian versions: -1 when a < b, 0 when equal, 1 when a > b. */
export function dpkgCompare(a: string, b: string): -1 | 0 | 1 {
  const va = parseDpkgVersion(a);
  const vb = parseDpkgVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  const upstream = dpkgVerrevcmp(va.upstream, vb.upstream);
  if (upstream !== 0) return sign(upstream);
  return sign(dpkgVerrevcmp(va.revision, vb.revision));
}
