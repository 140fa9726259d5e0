import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type {
  IntelImport,
  IntelImportsView,
  IntelStatusView,
  VulnSpreadPage,
  WarningsPage,
} from '../../../../hub/src/intel/api-types';

export type { IntelImport, SourceStatus, VulnSpread, WarningItem } from '../../../../hub/src/intel/api-types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const has =
  (...keys: string[]) =>
  (v: unknown) =>
    isRecord(v) && keys.every((k) => k in v);

// Shape checks at the edge; the static types are the hub's own (a hub change breaks this build).
const statusSchema = z.custom<IntelStatusView>(has('sources'));
const importSchema = z.custom<IntelImport>(has('id', 'state', 'progress', 'counts'));
const importsSchema = z.custom<IntelImportsView>(has('items'));
const warningsSchema = z.custom<WarningsPage>(has('items', 'total'));
const spreadSchema = z.custom<VulnSpreadPage>(has('items', 'total'));

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const page = (limit: number, offset: number) => `limit=${String(limit)}&offset=${String(offset)}`;

export const intelStatus = (signal?: AbortSignal) =>
  requestJson('/api/v1/intel/status', statusSchema, opts(signal));
export const listImports = (signal?: AbortSignal) =>
  requestJson('/api/v1/intel/imports', importsSchema, opts(signal));
export const getImport = (id: string, signal?: AbortSignal) =>
  requestJson(`/api/v1/intel/imports/${encodeURIComponent(id)}`, importSchema, opts(signal));
/** The file goes up as the raw body; the hub answers 202 with the queued import job. */
export const uploadFeed = (file: Blob, name: string) =>
  requestJson(`/api/v1/intel/imports?name=${encodeURIComponent(name.slice(0, 255))}`, importSchema, {
    method: 'POST',
    body: file,
  });
export const listWarnings = (limit: number, offset: number, signal?: AbortSignal) =>
  requestJson(`/api/v1/warnings?${page(limit, offset)}`, warningsSchema, opts(signal));
export const warningsByCve = (limit: number, offset: number, signal?: AbortSignal) =>
  requestJson(`/api/v1/warnings/by-cve?${page(limit, offset)}`, spreadSchema, opts(signal));
