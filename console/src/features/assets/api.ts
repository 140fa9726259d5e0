import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import type {
  AssetAttributes,
  AssetDetail,
  AssetListItem,
  Page,
  PackageItem,
} from '../../../../hub/src/assets/api-types';
import type { AssetBaseline } from '../../../../hub/src/baselines/api-types';
import type { DriftEventsPage, DriftEventView } from '../../../../hub/src/drift/api-types';
import type { FindingsPage } from '../../../../hub/src/findings/api-types';
import { apiQuery, type AssetListFilters } from './query';

export type {
  AssetAttributes,
  AssetDetail,
  AssetListItem,
  Page,
  PackageItem,
} from '../../../../hub/src/assets/api-types';
export type { AssetBaseline } from '../../../../hub/src/baselines/api-types';
export type { DriftEventView } from '../../../../hub/src/drift/api-types';
export type { FindingsPage } from '../../../../hub/src/findings/api-types';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
// Shape checks at the edge; the static types are the hub's own, so a hub change breaks this build.
const isPage = (v: unknown): boolean =>
  isRecord(v) && Array.isArray(v['items']) && typeof v['total'] === 'number';
const hasKeys = (v: unknown, keys: string[]) => isRecord(v) && keys.every((k) => k in v);

/** GET /assets/:id/services item (ledger ports: what scans saw open on the host). */
export const servicePortSchema = z.object({
  protocol: z.string(),
  port: z.number(),
  state: z.string(),
  service: z.string(),
  product: z.string(),
  version: z.string(),
  extraInfo: z.string(),
  tunnel: z.string(),
  cpes: z.array(z.string()),
});
export type ServicePort = z.infer<typeof servicePortSchema>;
const servicesSchema = z.object({ items: z.array(servicePortSchema), total: z.number() });

/** GET /assets/:id/timeline item. */
export const timelineEventSchema = z.object({
  at: z.string(),
  kind: z.string(),
  detail: z.unknown(),
  source: z.string(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
const timelineSchema = z.object({ items: z.array(timelineEventSchema), total: z.number() });

/** GET /exposure: open ports per zone. */
export const exposureSchema = z.object({
  zones: z.array(
    z.object({
      zone: z.string(),
      assetCount: z.number(),
      openPorts: z.number(),
      ports: z.array(
        z.object({
          assetId: z.string(),
          assetName: z.string(),
          shadow: z.boolean(),
          protocol: z.string(),
          port: z.number(),
          service: z.string(),
          product: z.string(),
          version: z.string(),
          firstSeenAt: z.string(),
          lastSeenAt: z.string(),
        }),
      ),
    }),
  ),
  truncated: z.boolean(),
});
export type Exposure = z.infer<typeof exposureSchema>;

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const enc = encodeURIComponent;

export function listAssets(f: AssetListFilters, signal?: AbortSignal): Promise<Page<AssetListItem>> {
  return requestJson(
    `/api/v1/assets?${apiQuery(f).toString()}`,
    z.custom<{ items: AssetListItem[]; total: number }>(isPage),
    opts(signal),
  );
}

export function getAsset(id: string, signal?: AbortSignal): Promise<AssetDetail> {
  return requestJson(
    `/api/v1/assets/${enc(id)}`,
    z.custom<AssetDetail>((v) => hasKeys(v, ['id', 'attributes'])),
    opts(signal),
  );
}

/** PATCH /assets/:id: the attributes as stored after the change. */
export type AttributesPatch = {
  owner?: { person?: string | null; team?: string | null; contact?: string | null };
  zone?: string;
  cia?: { confidentiality?: number | null; integrity?: number | null; availability?: number | null };
  tags?: string[];
};
export function patchAsset(id: string, patch: AttributesPatch): Promise<AssetAttributes> {
  return requestJson(
    `/api/v1/assets/${enc(id)}`,
    z.custom<AssetAttributes>((v) => hasKeys(v, ['owner', 'cia', 'tags'])),
    {
      method: 'PATCH',
      body: patch,
    },
  );
}

export function importAssetsCsv(csv: string): Promise<{ updated: number }> {
  return requestJson('/api/v1/assets/import', z.object({ updated: z.number() }), {
    method: 'POST',
    body: { csv },
  });
}

export function getExposure(signal?: AbortSignal): Promise<Exposure> {
  return requestJson('/api/v1/exposure?limit=2000', exposureSchema, opts(signal));
}

export function listServices(id: string, signal?: AbortSignal): Promise<ServicePort[]> {
  return requestJson(`/api/v1/assets/${enc(id)}/services`, servicesSchema, opts(signal)).then((p) => p.items);
}

export function listPackages(
  id: string,
  page: { name: string; limit: number; offset: number },
  signal?: AbortSignal,
): Promise<Page<PackageItem>> {
  const q = new URLSearchParams({ limit: String(page.limit), offset: String(page.offset) });
  if (page.name) q.set('name', page.name);
  return requestJson(
    `/api/v1/assets/${enc(id)}/packages?${q.toString()}`,
    z.custom<{ items: PackageItem[]; total: number }>(isPage),
    opts(signal),
  );
}

export function listAssetFindings(
  id: string,
  page: { limit: number; offset: number },
  signal?: AbortSignal,
): Promise<FindingsPage> {
  const q = new URLSearchParams({ assetId: id, limit: String(page.limit), offset: String(page.offset) });
  return requestJson(
    `/api/v1/findings?${q.toString()}`,
    z.custom<{ items: FindingsPage['items'][number][]; total: number }>(isPage),
    opts(signal),
  );
}

export function getAssetBaseline(id: string, signal?: AbortSignal): Promise<AssetBaseline> {
  return requestJson(
    `/api/v1/assets/${enc(id)}/baseline`,
    z.custom<AssetBaseline>((v) => hasKeys(v, ['policies'])),
    opts(signal),
  );
}

export function getTimeline(id: string, signal?: AbortSignal): Promise<TimelineEvent[]> {
  return requestJson(`/api/v1/assets/${enc(id)}/timeline?limit=500`, timelineSchema, opts(signal)).then(
    (p) => p.items,
  );
}

export function listDriftEvents(assetId: string, signal?: AbortSignal): Promise<DriftEventsPage> {
  return requestJson(
    `/api/v1/drift/events?asset=${enc(assetId)}&limit=200`,
    z.custom<{ items: DriftEventView[]; total: number }>(isPage),
    opts(signal),
  );
}

export function decideDrift(id: string, decision: 'accept' | 'flag', reason: string): Promise<unknown> {
  return requestJson(`/api/v1/drift/events/${enc(id)}/${decision}`, z.unknown(), {
    method: 'POST',
    body: { reason },
  });
}
