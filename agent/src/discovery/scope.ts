// Scan targets and the local scope allowlist (pure). The agent checks every target itself, whatever
// the hub says: a target is an IPv4/IPv6 address, a CIDR, or an "A-B" range of one family —
// never a hostname or anything nmap could read as an option. IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d) are treated as the IPv4 address they carry, in targets and in the scope alike.
import { isIPv4, isIPv6 } from 'node:net';

export type Family = 4 | 6;

/** An inclusive interval of addresses of one family. */
export interface AddressRange {
  family: Family;
  first: bigint;
  last: bigint;
}

export interface ParsedTarget extends AddressRange {
  /** The target as the operator wrote it (for messages). */
  text: string;
}

export const TARGET_LIMITS = { maxTargetLength: 100, maxTargets: 256 } as const;

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
// Only characters an address, CIDR or range can contain: no whitespace, quotes, '=', ',' or '*'.
const TARGET_CHARS = /^[0-9A-Fa-f:./-]+$/;

export class TargetError extends Error {
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(`invalid target ${JSON.stringify(target.slice(0, TARGET_LIMITS.maxTargetLength))}: ${reason}`);
    this.name = 'TargetError';
  }
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Embedded dotted quad (::ffff:127.0.0.1): rewrite it as its two 16-bit groups.
    const v4 = ipv4ToBigInt(tail);
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const parse = (s: string): bigint[] => (s === '' ? [] : s.split(':').map((g) => BigInt(parseInt(g, 16))));
  const [head = '', rest] = body.split('::');
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = [...left, ...Array<bigint>(8 - left.length - right.length).fill(0n), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses one address; IPv4-mapped IPv6 becomes IPv4. */
export function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  if (isIPv4(text)) return { family: 4, value: ipv4ToBigInt(text) };
  if (isIPv6(text) && !text.includes('%')) {
    const value = ipv6ToBigInt(text);
    if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
    return { family: 6, value };
  }
  return undefined;
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // Fully written out: nmap reads it, nothing needs the short form.
  return groups.join(':');
}

function parseCidr(text: string, what: string): AddressRange {
  const [addrText = '', prefixText, extra] = text.split('/');
  const addr = parseAddress(addrText);
  if (!addr || extra !== undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText))
    throw new TargetError(text, `not an address or ${what}`);
  // A mapped address carries an IPv6 prefix length; shift it to IPv4's.
  const mapped = addr.family === 4 && isIPv6(addrText);
  const prefix = Number(prefixText) - (mapped ? 96 : 0);
  const bits = BITS[addr.family];
  if (prefix < 0 || prefix > bits) throw new TargetError(text, `prefix length out of range`);
  const hostBits = BigInt(bits - prefix);
  const first = (addr.value >> hostBits) << hostBits;
  return { family: addr.family, first, last: first + (1n << hostBits) - 1n };
}

/** Parses one scan target: address, CIDR, or "A-B" range of one family with A <= B. */
export function parseTarget(text: string): ParsedTarget {
  if (text.length === 0 || text.length > TARGET_LIMITS.maxTargetLength)
    throw new TargetError(text, `length must be 1..${TARGET_LIMITS.maxTargetLength}`);
  if (text.startsWith('-')) throw new TargetError(text, 'looks like an nmap option');
  if (!TARGET_CHARS.test(text)) throw new TargetError(text, 'only IP addresses, CIDRs and A-B ranges');
  if (text.includes('/')) return { ...parseCidr(text, 'CIDR'), text };
  const dash = text.indexOf('-');
  if (dash >= 0) {
    const a = parseAddress(text.slice(0, dash));
    const b = parseAddress(text.slice(dash + 1));
    if (!a || !b) throw new TargetError(text, 'a range is two full addresses "A-B"');
    if (a.family !== b.family) throw new TargetError(text, 'a range must stay within one family');
    if (a.value > b.value) throw new TargetError(text, 'a range must not run backwards');
    return { family: a.family, first: a.value, last: b.value, text };
  }
  const addr = parseAddress(text);
  if (!addr) throw new TargetError(text, 'not an IP address');
  return { family: addr.family, first: addr.value, last: addr.value, text };
}

/** Parses a scope entry (an address or a CIDR). */
export function parseScopeEntry(text: string): AddressRange {
  if (text.includes('/')) return parseCidr(text, 'CIDR');
  const addr = parseAddress(text);
  if (!addr) throw new TargetError(text, 'scope entries are addresses or CIDRs');
  return { family: addr.family, first: addr.value, last: addr.value };
}

/** True when every address of `target` lies in the union of the scope ranges. */
export function rangeInScope(target: AddressRange, scope: readonly AddressRange[]): boolean {
  const sorted = scope
    .filter((r) => r.family === target.family)
    .sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
  let next = target.first; // first address not yet shown to be covered
  for (const r of sorted) {
    if (r.first > next) break;
    if (r.last >= next) next = r.last + 1n;
    if (next > target.last) return true;
  }
  return false;
}

export type ScopeVerdict =
  | { ok: true; targets: ParsedTarget[] }
  | { ok: false; code: 'INVALID_PARAMS'; reason: string; target?: string }
  | { ok: false; code: 'SCOPE_VIOLATION'; reason: string; target: string };

/** Validates all targets and checks each against the scope; any failure refuses the whole list. */
export function checkTargets(targets: readonly string[], scope: readonly string[]): ScopeVerdict {
  if (targets.length === 0) return { ok: false, code: 'INVALID_PARAMS', reason: 'no targets' };
  if (targets.length > TARGET_LIMITS.maxTargets)
    return { ok: false, code: 'INVALID_PARAMS', reason: `at most ${TARGET_LIMITS.maxTargets} targets` };
  const parsed: ParsedTarget[] = [];
  for (const text of targets) {
    try {
      parsed.push(parseTarget(text));
    } catch (err) {
      if (err instanceof TargetError)
        return { ok: false, code: 'INVALID_PARAMS', reason: err.message, target: text };
      throw err;
    }
  }
  const ranges = scope.map(parseScopeEntry);
  const outside = parsed.find((t) => !rangeInScope(t, ranges));
  if (outside)
    return {
      ok: false,
      code: 'SCOPE_VIOLATION',
      reason: `target ${outside.text} is outside the agent's scope (${scope.join(', ') || 'empty'})`,
      target: outside.text,
    };
  if (new Set(parsed.map((t) => t.family)).size > 1)
    return { ok: false, code: 'INVALID_PARAMS', reason: 'IPv4 and IPv6 targets cannot share one scan' };
  return { ok: true, targets: parsed };
}

/**
 * The exact nmap target list for validated targets: canonical addresses and CIDRs only (an "A-B"
 * range is split into the CIDR blocks that cover exactly it), so nothing the hub wrote reaches
 * nmap's argv verbatim.
 */
export function nmapTargets(targets: readonly ParsedTarget[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    const bits = BITS[t.family];
    let first = t.first;
    while (first <= t.last) {
      let size = 0;
      while (size < bits) {
        const next = size + 1;
        const block = 1n << BigInt(next);
        if (first % block !== 0n || first + block - 1n > t.last) break;
        size = next;
      }
      const addr = formatAddress(t.family, first);
      out.push(size === 0 ? addr : `${addr}/${bits - size}`);
      first += 1n << BigInt(size);
    }
  }
  return out;
}
