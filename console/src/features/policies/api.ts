import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type {
  PolicyAssignment,
  PolicyDeploymentView,
  PolicyListView,
  PolicyValidateView,
  PolicyView,
  ScaImportView,
} from '../../../../hub/src/policies/api-types';
import type {
  BaselineRunDetail,
  BaselineRunsPage,
  EvaluateResponse,
} from '../../../../hub/src/baselines/api-types';

export type {
  DeploymentState,
  PolicyAssignment,
  PolicyDeploymentView,
  PolicySummaryView,
  PolicyValidationError,
  PolicyView,
  ScaImportView,
} from '../../../../hub/src/policies/api-types';
export type { BaselineCheckResult, BaselineRunDetail } from '../../../../hub/src/baselines/api-types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const has =
  (...keys: string[]) =>
  (v: unknown) =>
    isRecord(v) && keys.every((k) => k in v);

// Shape checks at the edge; the static types are the hub's own (a hub change breaks this build).
const listSchema = z.custom<PolicyListView>(has('items', 'total'));
const policySchema = z.custom<PolicyView>(has('id', 'policyKey', 'yaml', 'assignment'));
const validateSchema = z.custom<PolicyValidateView>(
  (v) => has('valid', 'errors')(v) && Array.isArray(v.errors),
);
const scaSchema = z.custom<ScaImportView>(has('policy', 'stats', 'warnings'));
const deploymentSchema = z.custom<PolicyDeploymentView>(has('counts', 'agents'));
const runsSchema = z.custom<BaselineRunsPage>(has('items', 'total'));
const evaluateSchema = z.custom<EvaluateResponse>((v) => has('tasks')(v) && Array.isArray(v.tasks));
const runSchema = z.custom<BaselineRunDetail>((v) => has('results')(v) && Array.isArray(v.results));

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const path = (id: string) => `/api/v1/policies/${encodeURIComponent(id)}`;

export const listPolicies = (limit: number, offset: number, signal?: AbortSignal) =>
  requestJson(`/api/v1/policies?limit=${String(limit)}&offset=${String(offset)}`, listSchema, opts(signal));
export const getPolicy = (id: string, signal?: AbortSignal) =>
  requestJson(path(id), policySchema, opts(signal));
export const validatePolicy = (yaml: string, signal?: AbortSignal) =>
  requestJson('/api/v1/policies/validate', validateSchema, {
    method: 'POST',
    body: { yaml },
    ...opts(signal),
  });
export const createPolicy = (yaml: string) =>
  requestJson('/api/v1/policies', policySchema, { method: 'POST', body: { yaml } });
export const replacePolicy = (id: string, yaml: string) =>
  requestJson(path(id), policySchema, { method: 'PUT', body: { yaml } });
export const importSca = (yaml: string) =>
  requestJson('/api/v1/policies/import-sca', scaSchema, { method: 'POST', body: { yaml } });
/** A writable copy (built-ins are read-only) under a new document id. */
export const copyPolicy = (id: string, newKey: string) =>
  requestJson(`${path(id)}/copy`, policySchema, { method: 'POST', body: { id: newKey } });
const deletedSchema = z.custom<Record<string, never>>(isRecord);
/** 204 on success; the hub refuses built-ins (FORBIDDEN). */
export const deletePolicy = (id: string) => requestJson(path(id), deletedSchema, { method: 'DELETE' });
export const assignPolicy = (id: string, assignment: PolicyAssignment) =>
  requestJson(`${path(id)}/assignment`, policySchema, { method: 'PUT', body: assignment });
export const getDeployment = (id: string, signal?: AbortSignal) =>
  requestJson(`${path(id)}/deployment`, deploymentSchema, opts(signal));

/** The latest run of the policy per asset, with its per-check results (newest runs first). */
export async function latestResults(policyKey: string, signal?: AbortSignal): Promise<BaselineRunDetail[]> {
  const q = new URLSearchParams({ policy: policyKey, limit: '200' });
  const page = await requestJson(`/api/v1/baselines/runs?${q.toString()}`, runsSchema, opts(signal));
  const latest = new Map<string, string>();
  for (const run of page.items) if (!latest.has(run.assetId)) latest.set(run.assetId, run.id);
  // Bounded: a results page shows at most 20 assets' latest runs.
  const ids = [...latest.values()].slice(0, 20);
  return Promise.all(
    ids.map((id) => requestJson(`/api/v1/baselines/runs/${encodeURIComponent(id)}`, runSchema, opts(signal))),
  );
}

/** Asks the agents to evaluate the policy now (a BaselineEvaluate task each). */
export const evaluateNow = (agentIds: string[], policyKey: string) =>
  requestJson('/api/v1/baselines/evaluate', evaluateSchema, {
    method: 'POST',
    body: { agentIds, policyIds: [policyKey] },
  });
