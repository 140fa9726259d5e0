/**
 * The findings list's filters ↔ the URL query string. The URL is the source of truth so that a
 * filtered list can be bookmarked, shared and reached from the dashboard; unknown or malformed
 * values are dropped rather than sent to the hub (which would answer 400).
 */
import type { FindingStatus, FindingType, Priority } from '../../../../hub/src/findings/api-types';

export const findingTypes = [
  'vulnerability',
  'weak_credential',
  'baseline',
  'drift',
  'exposure',
  'misconfiguration',
] as const satisfies readonly FindingType[];
export const findingStatuses = ['open', 'resolved', 'reopened'] as const satisfies readonly FindingStatus[];
export const priorities = ['P1', 'P2', 'P3', 'P4'] as const satisfies readonly Priority[];
export const sorts = ['severity', 'risk'] as const;
export const pageSizes = [25, 50, 100, 200] as const;

export interface FindingFilters {
  type: FindingType[];
  priority: Priority[];
  status: FindingStatus[];
  asset: string;
  cve: string;
  source: string;
  sort: (typeof sorts)[number];
  page: number;
  size: number;
}

export const defaultFilters: FindingFilters = {
  type: [],
  priority: [],
  status: [],
  asset: '',
  cve: '',
  source: '',
  sort: 'severity',
  page: 1,
  size: 50,
};

type QueryValue = string | null | (string | null)[] | undefined;
export type RouteQuery = Record<string, QueryValue>;

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cveRe = /^CVE-\d{4}-\d{4,}$/i;
const sourceRe = /^[a-z0-9][a-z0-9:._-]{0,63}$/;

function list(v: QueryValue): string[] {
  const raw = Array.isArray(v) ? v : v == null ? [] : [v];
  return raw.flatMap((s) => (s ?? '').split(',')).filter((s) => s !== '');
}
function one(v: QueryValue): string {
  return list(v)[0] ?? '';
}
function pick<T extends string>(allowed: readonly T[], v: QueryValue): T[] {
  return [...new Set(list(v))].filter((s): s is T => (allowed as readonly string[]).includes(s));
}
function positive(v: QueryValue, fallback: number, max: number): number {
  const n = Number(one(v));
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

export function filtersFromQuery(q: RouteQuery): FindingFilters {
  const asset = one(q['asset']);
  const cve = one(q['cve']).toUpperCase();
  const source = one(q['source']);
  const sort = one(q['sort']);
  const size = positive(q['size'], defaultFilters.size, 500);
  return {
    type: pick(findingTypes, q['type']),
    priority: pick(priorities, q['priority']),
    status: pick(findingStatuses, q['status']),
    asset: uuidRe.test(asset) ? asset.toLowerCase() : '',
    cve: cveRe.test(cve) ? cve : '',
    source: sourceRe.test(source) ? source : '',
    sort: sort === 'risk' ? 'risk' : 'severity',
    page: positive(q['page'], 1, 1_000_000),
    size: (pageSizes as readonly number[]).includes(size) ? size : defaultFilters.size,
  };
}

/** The route query for `f`: defaults are left out so URLs stay short and canonical. */
export function queryFromFilters(f: FindingFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.type.length) q['type'] = f.type.join(',');
  if (f.priority.length) q['priority'] = f.priority.join(',');
  if (f.status.length) q['status'] = f.status.join(',');
  if (f.asset) q['asset'] = f.asset;
  if (f.cve) q['cve'] = f.cve;
  if (f.source) q['source'] = f.source;
  if (f.sort !== defaultFilters.sort) q['sort'] = f.sort;
  if (f.page !== 1) q['page'] = String(f.page);
  if (f.size !== defaultFilters.size) q['size'] = String(f.size);
  return q;
}

/** The hub's GET /api/v1/findings query for `f` (limit/offset from page and size). */
export function apiParams(f: FindingFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.type.length) p.set('type', f.type.join(','));
  if (f.priority.length) p.set('priority', f.priority.join(','));
  if (f.status.length) p.set('status', f.status.join(','));
  if (f.asset) p.set('assetId', f.asset);
  if (f.cve) p.set('cve', f.cve);
  if (f.source) p.set('source', f.source);
  p.set('sort', f.sort);
  p.set('limit', String(f.size));
  p.set('offset', String((f.page - 1) * f.size));
  return p;
}

/** Validation of free-text filter input before it reaches the URL. */
export const filterInputValid = {
  asset: (s: string) => s === '' || uuidRe.test(s.trim()),
  cve: (s: string) => s === '' || cveRe.test(s.trim()),
  source: (s: string) => s === '' || sourceRe.test(s.trim()),
};
