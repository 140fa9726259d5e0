// RPM version ordering: rpmvercmp() from rpm's lib/rpmvercmp.c (with `~` pre-release and `^`
// post-release separators) and the epoch:version-release comparison built on it. Total, like
// rpm: any two strings compare.

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string): boolean => isDigit(c) || isAlpha(c);

/** rpmvercmp(): -1, 0 or 1. Separators (anything not alphanumeric, `~` or `^`) only delimit segments. */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const ch = (s: string, k: number): string => (k < s.length ? (s[k] ?? '') : '');
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(ch(a, i)) && ch(a, i) !== '~' && ch(a, i) !== '^') i++;
    while (j < b.length && !isAlnum(ch(b, j)) && ch(b, j) !== '~' && ch(b, j) !== '^') j++;
    const ca = ch(a, i);
    const cb = ch(b, j);
    // `~` sorts before everything, even the end of the string.
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // `^` sorts after the end of the string but before any other segment.
    if (ca === '^' || cb === '^') {
      if (ca === '') return -1;
      if (cb === '') return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '' || cb === '') break;
    let ei = i;
    let ej = j;
    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isAlpha;
    while (ei < a.length && inSegment(ch(a, ei))) ei++;
    while (ej < b.length && inSegment(ch(b, ej))) ej++;
    // A numeric segment is newer than an alphabetic one.
    if (ei === i) return -1;
    if (ej === j) return numeric ? 1 : -1;
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface RpmEvr {
  epoch: string;
  version: string;
  release: string;
}

/** Splits `[epoch:]version[-release]` the way rpm's parseEVR() does. */
export function parseRpmEvr(evr: string): RpmEvr {
  const s = evr.trim();
  let epoch = '';
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0 && /^\d*$/.test(s.slice(0, colon))) {
    epoch = s.slice(0, colon);
    rest = s.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
  return { epoch, version: rest, release: '' };
}

/**
 * Compares two `[epoch:]version[-release]` strings as rpm's rpmdsCompare/rpmEVRcmp do: a missing
 * epoch is 0, and the release is compared only when both sides carry one (so "1.0" matches any
 * release of 1.0, as a dependency range would).
 */
export function rpmCompare(a: string, b: string): -1 | 0 | 1 {
  const ea = parseRpmEvr(a);
  const eb = parseRpmEvr(b);
  const epochA = ea.epoch === '' ? '0' : ea.epoch;
  const epochB = eb.epoch === '' ? '0' : eb.epoch;
  const byEpoch = rpmvercmp(epochA, epochB);
  if (byEpoch !== 0) return byEpoch;
  const byVersion = rpmvercmp(ea.version, eb.version);
  if (byVersion !== 0) return byVersion;
  if (ea.release === '' || eb.release === '') return 0;
  return rpmvercmp(ea.release, eb.release);
}
