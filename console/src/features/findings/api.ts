import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type { FindingDetail, FindingsPage } from '../../../../hub/src/findings/api-types';
import { apiParams, type FindingFilters } from './query';

export type {
  FindingDetail,
  FindingEvidence,
  FindingSummary,
  FindingsPage,
} from '../../../../hub/src/findings/api-types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

// Shape checks at the edge; the static type is the hub's own, so a hub change breaks this build.
const pageSchema = z.custom<FindingsPage>(
  (v) => isRecord(v) && Array.isArray(v['items']) && typeof v['total'] === 'number',
);
const detailSchema = z.custom<FindingDetail>(
  (v) =>
    isRecord(v) &&
    typeof v['id'] === 'string' &&
    isRecord(v['riskFactors']) &&
    Array.isArray(v['evidences']) &&
    typeof v['description'] === 'string',
);

export function listFindings(f: FindingFilters, signal?: AbortSignal): Promise<FindingsPage> {
  return requestJson(`/api/v1/findings?${apiParams(f).toString()}`, pageSchema, signal ? { signal } : {});
}

export function getFinding(id: string, signal?: AbortSignal): Promise<FindingDetail> {
  return requestJson(`/api/v1/findings/${encodeURIComponent(id)}`, detailSchema, signal ? { signal } : {});
}

export interface RiskFactorRow {
  factor: string;
  points: number;
  detail: string;
}

/**
 * The risk breakdown as rows: every factor of `riskFactors` that carries `points` (risk/score.ts:
 * base, kev, epss, criticality, exposure), with its other scalar fields as the detail text.
 */
export function riskRows(factors: Record<string, unknown>): RiskFactorRow[] {
  const rows: RiskFactorRow[] = [];
  for (const [factor, value] of Object.entries(factors)) {
    if (!isRecord(value) || typeof value['points'] !== 'number') continue;
    const detail = Object.entries(value)
      .filter(([k, v]) => k !== 'points' && v !== null && typeof v !== 'object')
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ');
    rows.push({ factor, points: value['points'], detail });
  }
  return rows;
}

/** The confidence multiplier (risk/score.ts), null when the finding has none. */
export function confidenceFactor(factors: Record<string, unknown>): { level: string; factor: number } | null {
  const c = factors['confidence'];
  return isRecord(c) && typeof c['factor'] === 'number' && typeof c['level'] === 'string'
    ? { level: c['level'], factor: c['factor'] }
    : null;
}
