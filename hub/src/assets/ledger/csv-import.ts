// Bulk attribute import from CSV (POST /assets/import, body {"csv": "..."}). Header row names the
// columns; each row finds its asset by `id`, or by `ip` in `lookup_zone` (default internal), and
// sets any of: owner_person, owner_team, owner_contact, business_system, location, zone,
// cia_confidentiality, cia_integrity, cia_availability (1-5), tags (separated by ';').
// All or nothing: every row is checked first; any error answers 400 with the line numbers and
// nothing is changed.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { hubError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { attributesPatch, patchColumns } from './attributes.js';

export const CSV_LIMITS = { rows: 10_000, bytes: 4 * 1024 * 1024 } as const;
export const csvBody = z.object({ csv: z.string().min(1).max(CSV_LIMITS.bytes) }).strict();

const KNOWN = new Set([
  'id',
  'ip',
  'lookup_zone',
  'owner_person',
  'owner_team',
  'owner_contact',
  'business_system',
  'location',
  'zone',
  'cia_confidentiality',
  'cia_integrity',
  'cia_availability',
  'tags',
]);

export interface CsvRow {
  line: number;
  key: { id: string } | { ip: string; zone: string };
  columns: Record<string, string | number | null>;
}

const blankToNull = (v: string | undefined): string | null | undefined =>
  v === undefined ? undefined : v.trim() === '' ? null : v.trim();

function rowPatch(r: Record<string, string>): Record<string, unknown> {
  const num = (v: string | undefined) => {
    const t = blankToNull(v);
    return t === undefined || t === null ? t : Number(t);
  };
  const patch: Record<string, unknown> = {};
  const owner: Record<string, unknown> = {};
  for (const [col, key] of [
    ['owner_person', 'person'],
    ['owner_team', 'team'],
    ['owner_contact', 'contact'],
  ] as const) {
    const v = blankToNull(r[col]);
    if (v !== undefined) owner[key] = v;
  }
  if (Object.keys(owner).length > 0) patch['owner'] = owner;
  for (const [col, key] of [
    ['business_system', 'businessSystem'],
    ['location', 'location'],
  ] as const) {
    const v = blankToNull(r[col]);
    if (v !== undefined) patch[key] = v;
  }
  const zone = blankToNull(r['zone']);
  if (zone) patch['zone'] = zone;
  const cia: Record<string, unknown> = {};
  for (const k of ['confidentiality', 'integrity', 'availability'] as const) {
    const v = num(r[`cia_${k}`]);
    if (v !== undefined) cia[k] = v;
  }
  if (Object.keys(cia).length > 0) patch['cia'] = cia;
  if (r['tags'] !== undefined) {
    patch['tags'] = r['tags']
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return patch;
}

/** Parses and validates the whole file; throws VALIDATION_FAILED with every line's problem. */
export function parseAttributesCsv(text: string): CsvRow[] {
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      max_record_size: 64 * 1024,
      to: CSV_LIMITS.rows + 1,
    });
  } catch (err) {
    throw hubError('VALIDATION_FAILED', `csv: ${(err as Error).message}`);
  }
  if (records.length > CSV_LIMITS.rows) {
    throw hubError('VALIDATION_FAILED', `csv: more than ${CSV_LIMITS.rows} rows`);
  }
  const header = Object.keys(records[0] ?? {});
  const unknown = header.filter((h) => !KNOWN.has(h));
  if (unknown.length > 0) throw hubError('VALIDATION_FAILED', `csv: unknown column(s) ${unknown.join(', ')}`);
  if (!header.includes('id') && !header.includes('ip')) {
    throw hubError('VALIDATION_FAILED', 'csv: needs an id or an ip column to find each asset');
  }
  const rows: CsvRow[] = [];
  const errors: { line: number; message: string }[] = [];
  records.forEach((r, i) => {
    const line = i + 2; // the header is line 1
    const id = blankToNull(r['id']);
    const ip = blankToNull(r['ip']);
    if (id && !isUuid(id)) return errors.push({ line, message: 'id is not an asset id' });
    if (!id && !ip) return errors.push({ line, message: 'needs an id or an ip' });
    const parsed = attributesPatch.safeParse(rowPatch(r));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return errors.push({ line, message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
    }
    rows.push({
      line,
      key: id ? { id } : { ip: ip ?? '', zone: blankToNull(r['lookup_zone']) ?? 'internal' },
      columns: patchColumns(parsed.data),
    });
    return undefined;
  });
  if (errors.length > 0) {
    throw hubError('VALIDATION_FAILED', `csv: ${errors.length} invalid row(s), nothing imported`, { errors });
  }
  return rows;
}
