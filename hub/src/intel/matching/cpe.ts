// CPE names: the 2.3 formatted string (`cpe:2.3:a:vendor:product:version:…`, backslash-escaped)
// and the 2.2 URI binding nmap prints (`cpe:/a:openbsd:openssh:7.4`, percent-encoded), parsed into
// attribute values, and attribute matching as NVD criteria use it: `*` ANY, `-` NA, and unquoted
// `*`/`?` wildcards at either end of a value.
import { hubError } from '../../platform/errors.js';

export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'swEdition',
  'targetSw',
  'targetHw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/** ANY (`*`), NA (`-`), or a value; `pattern` is set when the value has unquoted wildcards. */
export type CpeValue =
  { kind: 'any' } | { kind: 'na' } | { kind: 'value'; value: string; pattern: RegExp | null };

export type Cpe = Record<CpeAttribute, CpeValue>;

const ANY: CpeValue = { kind: 'any' };
const NA: CpeValue = { kind: 'na' };
const MAX_CPE_LENGTH = 1024;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One formatted-string component: unescape `\x`, keep unquoted `*`/`?` as wildcards. */
function fsValue(raw: string): CpeValue {
  if (raw === '*' || raw === '') return ANY;
  if (raw === '-') return NA;
  let value = '';
  let re = '';
  let wild = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c === '\\') {
      const next = raw[++i];
      if (next === undefined) throw hubError('VALIDATION_FAILED', 'CPE ends in a lone backslash');
      value += next;
      re += escapeRe(next);
    } else if (c === '*' || c === '?') {
      wild = true;
      value += c;
      re += c === '*' ? '.*' : '.';
    } else {
      value += c;
      re += escapeRe(c);
    }
  }
  const lower = value.toLowerCase();
  return { kind: 'value', value: lower, pattern: wild ? new RegExp(`^${re}$`, 'i') : null };
}

/** Splits on colons that are not backslash-escaped. */
function splitFs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[i + 1] ?? '');
      i++;
    } else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function uriValue(raw: string): CpeValue {
  if (raw === '' || raw === '*') return ANY;
  if (raw === '-') return NA;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw hubError('VALIDATION_FAILED', 'CPE URI has a bad percent-encoding');
  }
  return { kind: 'value', value: decoded.toLowerCase(), pattern: null };
}

/** Parses a CPE 2.3 formatted string or a CPE 2.2 URI. Throws VALIDATION_FAILED when malformed. */
export function parseCpe(text: string): Cpe {
  const s = text.trim();
  if (s.length > MAX_CPE_LENGTH) throw hubError('VALIDATION_FAILED', 'CPE longer than 1024 characters');
  let values: CpeValue[];
  if (/^cpe:2\.3:/i.test(s)) {
    const parts = splitFs(s).slice(2);
    if (parts.length !== 11) throw hubError('VALIDATION_FAILED', `CPE 2.3 needs 11 components: ${s}`);
    values = parts.map(fsValue);
  } else if (/^cpe:\/[aoh]?/i.test(s)) {
    const parts = s.slice(5).split(':');
    if (parts.length > 7) throw hubError('VALIDATION_FAILED', `CPE 2.2 URI has too many components: ${s}`);
    values = parts.map(uriValue);
    while (values.length < 11) values.push(ANY);
  } else {
    throw hubError('VALIDATION_FAILED', `not a CPE name: ${s.slice(0, 80)}`);
  }
  const part = values[0];
  if (part?.kind === 'value' && !['a', 'o', 'h'].includes(part.value)) {
    throw hubError('VALIDATION_FAILED', `CPE part must be a, o or h: ${s}`);
  }
  const cpe = {} as Cpe;
  CPE_ATTRIBUTES.forEach((attr, i) => (cpe[attr] = values[i] ?? ANY));
  return cpe;
}

export const cpeText = (v: CpeValue): string => (v.kind === 'any' ? '*' : v.kind === 'na' ? '-' : v.value);

/**
 * Does a criteria attribute accept the target's value? ANY accepts everything; NA only NA; a value
 * (with wildcards) a matching value. A target ANY (unknown) is accepted by ANY only — except where
 * the caller decides unknown is tolerable (see nvd-config.ts).
 */
export function attributeMatches(criteria: CpeValue, target: CpeValue): boolean {
  if (criteria.kind === 'any') return true;
  if (criteria.kind === 'na') return target.kind === 'na';
  if (target.kind !== 'value') return false;
  return criteria.pattern ? criteria.pattern.test(target.value) : criteria.value === target.value;
}

/** A version that tells nothing: absent, empty, ANY or NA. Never matched as "in range". */
export const isUnknownVersion = (v: CpeValue): boolean => v.kind !== 'value' || v.value.trim() === '';
