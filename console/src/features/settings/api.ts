import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type { RiskConfig, RiskConfigSaved, RiskConfigView } from '../../../../hub/src/risk/api-types';

export type { RiskConfig } from '../../../../hub/src/risk/api-types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const hasConfig = (v: unknown) =>
  isRecord(v) &&
  isRecord(v['config']) &&
  ['bands', 'slaDays', 'kevOverride'].every((k) => k in (v['config'] as object));

// Shape checks at the edge; the static types are the hub's own (a hub change breaks this build).
const viewSchema = z.custom<RiskConfigView>(hasConfig);
const savedSchema = z.custom<RiskConfigSaved>(
  (v) => hasConfig(v) && isRecord(v) && typeof v['rescored'] === 'number',
);

export const getRiskConfig = (signal?: AbortSignal) =>
  requestJson('/api/v1/risk/config', viewSchema, signal ? { signal } : {});
/** The hub validates (bands must decrease P1 > P2 > P3) and re-scores the open findings. */
export const putRiskConfig = (config: RiskConfig) =>
  requestJson('/api/v1/risk/config', savedSchema, { method: 'PUT', body: config });
