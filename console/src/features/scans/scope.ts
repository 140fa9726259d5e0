/**
 * Scope check before a scan is submitted: the same rule as the hub's (hub/src/scans/targets.ts) —
 * a target is an address, a CIDR or an "A-B" range, and every address of it must lie inside the
 * tenant's scope CIDRs. The hub checks again on submit; this only shows the verdict early.
 */
export type TargetVerdict = 'inside' | 'outside' | 'invalid';

interface Interval {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function v4(s: string): bigint | null {
  if (!V4.test(s)) return null;
  return s.split('.').reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function v6(s: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':') || s.split('::').length > 2) return null;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const t = v4(tail);
    if (t === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(t >> 16n).toString(16)}:${(t & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined || rest === '' ? [] : rest.split(':');
  if (rest === undefined ? h.length !== 8 : h.length + r.length > 7) return null;
  const groups = [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function address(s: string): { family: 4 | 6; value: bigint } | null {
  const a = v4(s);
  if (a !== null) return { family: 4, value: a };
  const b = v6(s);
  return b === null ? null : { family: 6, value: b };
}

function cidr(s: string): Interval | null {
  const slash = s.indexOf('/');
  const base = address(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!base || !/^\d{1,3}$/.test(prefixText)) return null;
  const bits = base.family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return null;
  const host = BigInt(bits - prefix);
  const lo = (base.value >> host) << host;
  return { family: base.family, lo, hi: lo + (1n << host) - 1n };
}

export function parseTarget(raw: string): Interval | null {
  const s = raw.trim();
  if (s === '' || s.length > 100) return null;
  if (s.includes('/')) return cidr(s);
  const dash = s.indexOf('-');
  if (dash > 0) {
    const a = address(s.slice(0, dash));
    const b = address(s.slice(dash + 1));
    if (!a || !b || a.family !== b.family || a.value > b.value) return null;
    return { family: a.family, lo: a.value, hi: b.value };
  }
  const a = address(s);
  return a ? { family: a.family, lo: a.value, hi: a.value } : null;
}

function inside(t: Interval, scope: Interval[]): boolean {
  const same = scope
    .filter((s) => s.family === t.family)
    .sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  let covered = t.lo;
  for (const s of same) {
    if (s.lo > covered) break;
    if (s.hi >= covered) {
      if (s.hi >= t.hi) return true;
      covered = s.hi + 1n;
    }
  }
  return false;
}

/** Targets typed one per line or separated by commas/spaces. */
export function splitTargets(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function checkTargets(
  targets: readonly string[],
  scope: readonly string[],
): { target: string; verdict: TargetVerdict }[] {
  const intervals = scope
    .map((c) => (c.includes('/') ? cidr(c) : null))
    .filter((x): x is Interval => x !== null);
  return targets.map((target) => {
    const iv = parseTarget(target);
    return { target, verdict: iv === null ? 'invalid' : inside(iv, intervals) ? 'inside' : 'outside' };
  });
}
