import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type { Overview } from '../../../../hub/src/overview/api-types';

export type { Overview } from '../../../../hub/src/overview/api-types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

// Shape check at the edge; the static type is the hub's own, so a hub change breaks this build.
const overviewSchema = z.custom<Overview>(
  (v) =>
    isRecord(v) &&
    isRecord(v['assets']) &&
    Array.isArray(v['exposure']) &&
    isRecord(v['findings']) &&
    isRecord(v['agents']) &&
    isRecord(v['drift']) &&
    isRecord(v['warnings']) &&
    isRecord(v['baseline']),
);

export function getOverview(signal?: AbortSignal): Promise<Overview> {
  return requestJson('/api/v1/overview', overviewSchema, signal ? { signal } : {});
}
