// Scan targets and scopes as address intervals (pure). A target is one address, a CIDR, or an
// "A-B" range of one family; a scope is a list of CIDRs. Hostnames and anything option-looking
// never parse, so nothing but validated addresses ever reaches an agent's nmap argv.
import { isIPv4, isIPv6 } from 'node:net';

export type Family = 4 | 6;

export interface AddressInterval {
  family: Family;
  lo: bigint;
  hi: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
export const MAX_TARGETS = 256;
export const MAX_SCOPE_ENTRIES = 1024;

function v4ToBigInt(s: string): bigint {
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(s: string): bigint {
  let text = s;
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = Number(v4ToBigInt(tail));
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const restParts = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headParts.length - restParts.length;
  groups.push(...headParts.map((g) => parseInt(g, 16)));
  if (rest !== undefined) for (let i = 0; i < missing; i++) groups.push(0);
  groups.push(...restParts.map((g) => parseInt(g, 16)));
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** One address, or null when `s` is not a literal IPv4/IPv6 address (zone ids refused). */
export function parseAddress(s: string): { family: Family; value: bigint } | null {
  if (isIPv4(s)) return { family: 4, value: v4ToBigInt(s) };
  if (isIPv6(s) && !s.includes('%')) return { family: 6, value: v6ToBigInt(s) };
  return null;
}

function cidrInterval(s: string): AddressInterval | null {
  const slash = s.indexOf('/');
  const base = parseAddress(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!base || !/^\d{1,3}$/.test(prefixText)) return null;
  const bits = BITS[base.family];
  const prefix = Number(prefixText);
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const lo = (base.value >> hostBits) << hostBits;
  return { family: base.family, lo, hi: lo + (1n << hostBits) - 1n };
}

/** A target or scope entry as an interval, or null when it is not valid syntax. */
export function parseTarget(raw: string): AddressInterval | null {
  const s = raw.trim();
  if (s === '' || s.length > 100 || s !== raw) return null;
  if (s.includes('/')) return cidrInterval(s);
  const dash = s.indexOf('-');
  if (dash > 0) {
    const a = parseAddress(s.slice(0, dash));
    const b = parseAddress(s.slice(dash + 1));
    if (!a || !b || a.family !== b.family || a.value > b.value) return null;
    return { family: a.family, lo: a.value, hi: b.value };
  }
  const a = parseAddress(s);
  return a ? { family: a.family, lo: a.value, hi: a.value } : null;
}

/** A CIDR only (scope entries); host bits must be zero so the stored scope reads as meant. */
export function parseScopeCidr(raw: string): AddressInterval | null {
  if (!raw.includes('/')) return null;
  const iv = cidrInterval(raw);
  const base = parseAddress(raw.slice(0, raw.indexOf('/')));
  return iv && base && base.value === iv.lo ? iv : null;
}

/** True when every address of `target` lies inside the union of `scope`. */
export function insideScope(target: AddressInterval, scope: readonly AddressInterval[]): boolean {
  const same = scope.filter((s) => s.family === target.family).sort((a, b) => (a.lo < b.lo ? -1 : 1));
  let covered = target.lo; // lowest address of the target not yet known to be covered
  for (const s of same) {
    if (s.lo > covered) break;
    if (s.hi >= covered) {
      if (s.hi >= target.hi) return true;
      covered = s.hi + 1n;
    }
  }
  return false;
}

/** The first target outside the scope (for the SCOPE_VIOLATION message), or null. */
export function firstOutOfScope(targets: readonly string[], scope: readonly string[]): string | null {
  const intervals = scope.map(parseScopeCidr).filter((x): x is AddressInterval => x !== null);
  for (const t of targets) {
    const iv = parseTarget(t);
    if (!iv || !insideScope(iv, intervals)) return t;
  }
  return null;
}
