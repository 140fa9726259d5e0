import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type { ScanView } from '../../../../hub/src/scans/api-types';
import type { TenantScopeView } from '../../../../hub/src/tenancy/api-types';

export type { TenantScopeView } from '../../../../hub/src/tenancy/api-types';

export const scanProfiles = ['discovery', 'top-ports', 'full', 'service'] as const;
export type ScanProfile = (typeof scanProfiles)[number];
export const scanStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'partial'] as const;

// The part of the hub's ScanView (hub/src/scans/api-types.ts) the console reads, as a schema that
// checks the hub's answers (GET /scans, /scans/:id, the SSE `scan` event). `scanViewFits` below
// fails the build if the hub's type stops providing what this schema expects.
export const scanHostSchema = z.object({
  primaryIp: z.nullable(z.string()),
  ips: z.array(z.string()),
  hostnames: z.array(z.string()),
  status: z.string(),
  os: z.nullable(z.object({ name: z.string(), accuracy: z.number() })),
  openPorts: z.array(
    z.object({
      port: z.number(),
      protocol: z.string(),
      service: z.string(),
      product: z.string(),
      version: z.string(),
    }),
  ),
  weakCredentials: z.number(),
  agentId: z.string(),
  observedAt: z.string(),
});
export type ScanHost = z.infer<typeof scanHostSchema>;

export const scanSchema = z.object({
  id: z.string(),
  state: z.enum(scanStates),
  cancelRequested: z.boolean(),
  agentIds: z.array(z.string()),
  targets: z.array(z.string()),
  profile: z.string(),
  schedule: z.nullable(z.string()),
  runCount: z.number(),
  pendingRun: z.boolean(),
  progress: z.object({
    percent: z.number(),
    etaAt: z.nullable(z.string()),
    tasks: z.array(
      z.object({
        agentId: z.string(),
        taskId: z.string(),
        state: z.string(),
        percent: z.number(),
        message: z.string(),
        etaAt: z.nullable(z.string()),
        errorCode: z.nullable(z.string()),
      }),
    ),
  }),
  counts: z.object({
    hostsUp: z.number(),
    hostsDown: z.number(),
    openPorts: z.number(),
    weakCredentials: z.number(),
    hostsSeen: z.number(),
  }),
  hosts: z.optional(z.array(scanHostSchema)),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Scan = z.infer<typeof scanSchema>;
export const scanViewFits = (view: ScanView): Scan => view;
const scanPageSchema = z.object({ items: z.array(scanSchema), total: z.number() });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const scopeSchema = z.custom<TenantScopeView>(
  (v) => isRecord(v) && Array.isArray(v['cidrs']) && typeof v['timezone'] === 'string',
);

/** POST /scans body (hub/src/scans/schemas.ts createScanSchema). */
export interface CreateScanBody {
  agentId: string;
  targets: string[];
  profile: ScanProfile;
  ports?: string;
  topPorts?: number;
  maxRate?: number;
  timeoutS?: number;
  credentialChecks: boolean;
  schedule?: string;
  window?: { start: string; end: string };
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export function getScope(signal?: AbortSignal): Promise<TenantScopeView> {
  return requestJson('/api/v1/tenant/scope', scopeSchema, opts(signal));
}

export function createScan(body: CreateScanBody): Promise<Scan> {
  return requestJson('/api/v1/scans', scanSchema, { method: 'POST', body });
}

export function listScans(page: { limit: number; offset: number }, signal?: AbortSignal) {
  return requestJson(`/api/v1/scans?limit=${page.limit}&offset=${page.offset}`, scanPageSchema, opts(signal));
}

export function getScan(id: string, signal?: AbortSignal): Promise<Scan> {
  return requestJson(`/api/v1/scans/${encodeURIComponent(id)}`, scanSchema, opts(signal));
}

export function cancelScan(id: string): Promise<Scan> {
  return requestJson(`/api/v1/scans/${encodeURIComponent(id)}/cancel`, scanSchema, { method: 'POST' });
}
