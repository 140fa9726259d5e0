// Defensive field readers shared by the pure feed parsers. Feed records are untrusted `unknown`:
// a wrong type reads as absent, and a record without its identity is rejected (RecordError) so the
// importer can count it as failed and go on with the next one.
import type { CvssMetric, Reference } from '../store-api.js';

/** A structurally valid JSON value that is not a usable record (no id, wrong shape). */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Obj[] => arr(v).filter(isObj);
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export const num = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};
export const bool = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : dflt);
export const strs = (v: unknown): string[] => arr(v).flatMap((x) => (typeof x === 'string' && x ? [x] : []));

/** Record ids are short printable tokens; anything else is refused rather than stored. */
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:+\-/]{0,127}$/;
export function requireId(v: unknown, what: string): string {
  const s = str(v);
  if (s === null || !ID_RE.test(s)) throw new RecordError(`${what}: missing or malformed id`);
  // A fresh flat copy: the parser's strings are slices of its 256 KiB input chunks, and an id
  // kept for the whole import (the changed-ids set) would otherwise pin its chunk in memory.
  return Buffer.from(/^cve-/i.test(s) ? s.toUpperCase() : s, 'utf8').toString('utf8');
}

/** Feed instants without a zone (NVD) are UTC; output is always ISO-8601 with `Z`. */
export function isoInstant(v: unknown): string | null {
  const s = str(v);
  if (s === null) return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(s) || /^\d{4}-\d\d-\d\d$/.test(s) ? s : `${s}Z`;
  const d = new Date(zoned);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `YYYY-MM-DD` from a date or instant. */
export function isoDate(v: unknown): string | null {
  const s = str(v);
  if (s === null) return null;
  if (/^\d{4}-\d\d-\d\d$/.test(s)) return s;
  const i = isoInstant(s);
  return i === null ? null : i.slice(0, 10);
}

export function englishText(v: unknown): string {
  const list = objs(v);
  const en = list.find((d) => d.lang === 'en' || d.lang === 'en-US') ?? list[0];
  return str(en?.value) ?? '';
}

export function references(v: unknown): Reference[] {
  return objs(v).flatMap((r) => {
    const url = str(r.url);
    return url === null ? [] : [{ url, tags: strs(r.tags) }];
  });
}

const VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const;
export function cvssVersion(v: unknown, vector: string): CvssMetric['version'] | null {
  const s = str(v) ?? /^CVSS:(\d\.\d)\//.exec(vector)?.[1] ?? null;
  return (VERSIONS as readonly string[]).includes(s ?? '') ? (s as CvssMetric['version']) : null;
}

/** A metric from a `cvssData`-like object (NVD 2.0, CVE 5 `cvssV3_1`…). */
export function cvssFrom(
  data: Obj,
  source: string,
  type: CvssMetric['type'],
  severityFallback: unknown = null,
): CvssMetric | null {
  const vector = str(data.vectorString);
  if (vector === null) return null;
  const version = cvssVersion(data.version, vector);
  if (version === null) return null;
  return {
    version,
    vector,
    baseScore: num(data.baseScore),
    baseSeverity: str(data.baseSeverity) ?? str(severityFallback),
    source,
    type,
  };
}

export const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/** Human-readable position for error messages. */
export const where = (file: string, index: number): string => `${file} record #${index + 1}`;
