// The ledger's REST surface (mounted under /api/v1 behind bearer auth, tenant-scoped):
// GET /assets/:id/services, GET /assets/:id/timeline, PATCH /assets/:id, POST /assets/:id/split,
// GET /exposure.
import { Router } from '@koa/router';
import type { DataSource } from 'typeorm';
import { dialectOfDataSource } from '../../db/data-source.js';
import { hubError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { AuthState } from '../../platform/module.js';
import { parseQuery } from '../routes.js';
import {
  attributesFromRow,
  attributesPatch,
  attributeText,
  patchColumns,
  ATTRIBUTE_COLUMNS,
} from './attributes.js';
import { LedgerStore } from './store.js';
import { csvBody, parseAttributesCsv } from './csv-import.js';
import { splitAsset, splitBody } from './split.js';
import { z } from 'zod';
import { requirePermission } from '../../users/index.js';

/** Zones listed first on the exposure surface: what the internet reaches comes first. */
const ZONE_ORDER = ['internet-facing', 'dmz'];
const zoneRank = (zone: string): number => {
  const i = ZONE_ORDER.indexOf(zone);
  return i === -1 ? ZONE_ORDER.length : i;
};
const isoOf = (v: Date | string): string =>
  new Date(
    typeof v === 'string' && !/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? `${v.replace(' ', 'T')}Z` : v,
  ).toISOString();

const timelineQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500) });
const exposureQuery = z.object({ limit: z.coerce.number().int().min(1).max(100_000).default(10_000) });

export function ledgerRouter(dataSource: DataSource): Router<AuthState> {
  const router = new Router<AuthState>();
  const inTx = <T>(work: (store: LedgerStore) => Promise<T>): Promise<T> =>
    dataSource.transaction((em) => work(new LedgerStore(em, dialectOfDataSource(dataSource))));
  const asset = async (store: LedgerStore, tenantId: string, id: string) => {
    const row = isUuid(id) ? await store.assetRow(tenantId, id) : undefined;
    if (!row) throw hubError('NOT_FOUND', 'asset not found');
    return row;
  };

  router.get('/assets/:id/services', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    ctx.body = await inTx(async (store) => {
      await asset(store, tenantId, ctx.params['id'] ?? '');
      const ports = await store.ports(tenantId, ctx.params['id'] ?? '');
      ports.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
      return { items: ports.map(({ id: _id, ...p }) => p), total: ports.length };
    });
  });

  router.get('/assets/:id/timeline', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    const q = parseQuery(timelineQuery, ctx.query);
    ctx.body = await inTx(async (store) => {
      await asset(store, tenantId, ctx.params['id'] ?? '');
      const items = await store.events(tenantId, ctx.params['id'] ?? '', q.limit);
      return { items, total: items.length };
    });
  });

  router.patch('/assets/:id', async (ctx) => {
    requirePermission(ctx, 'assets:write');
    const tenantId = ctx.state.auth.tenantId;
    const patch = parseQuery(attributesPatch, ctx.request.body);
    const columns = patchColumns(patch);
    ctx.body = await inTx(async (store) => {
      const id = ctx.params['id'] ?? '';
      const before = await asset(store, tenantId, id);
      const changes = ATTRIBUTE_COLUMNS.filter(
        (c) => c in columns && attributeText(before[c]) !== attributeText(columns[c]),
      );
      await store.setAttributes(tenantId, id, columns);
      await store.addEvents(
        tenantId,
        id,
        new Date(),
        `api:${ctx.state.auth.tokenId}`,
        changes.map((c) => ({
          kind: 'attribute_changed',
          detail: { field: c, from: before[c] ?? null, to: columns[c] ?? null },
        })),
      );
      return attributesFromRow((await store.assetRow(tenantId, id)) ?? {});
    });
  });

  router.post('/assets/:id/split', async (ctx) => {
    requirePermission(ctx, 'assets:write');
    const tenantId = ctx.state.auth.tenantId;
    const body = parseQuery(splitBody, ctx.request.body);
    const id = await inTx(async (store) => {
      const old = await asset(store, tenantId, ctx.params['id'] ?? '');
      return splitAsset(
        store,
        tenantId,
        String(old['id']),
        body,
        new Date(),
        `api:${ctx.state.auth.tokenId}`,
      );
    });
    ctx.status = 201;
    ctx.body = { id };
  });

  router.post('/assets/import', async (ctx) => {
    requirePermission(ctx, 'assets:write');
    const tenantId = ctx.state.auth.tenantId;
    const rows = parseAttributesCsv(parseQuery(csvBody, ctx.request.body).csv);
    ctx.body = await inTx(async (store) => {
      const missing: { line: number; message: string }[] = [];
      const targets: { id: string; row: (typeof rows)[number] }[] = [];
      for (const row of rows) {
        const id = 'id' in row.key ? row.key.id : await store.assetByIp(tenantId, row.key.zone, row.key.ip);
        if (!id || !(await store.assetRow(tenantId, id)))
          missing.push({ line: row.line, message: 'no such asset' });
        else targets.push({ id, row });
      }
      if (missing.length > 0) {
        throw hubError(
          'VALIDATION_FAILED',
          `csv: ${missing.length} row(s) match no asset, nothing imported`,
          {
            errors: missing,
          },
        );
      }
      for (const { id, row } of targets) {
        const before = (await store.assetRow(tenantId, id)) ?? {};
        const changes = ATTRIBUTE_COLUMNS.filter(
          (c) => c in row.columns && attributeText(before[c]) !== attributeText(row.columns[c]),
        );
        await store.setAttributes(tenantId, id, row.columns);
        await store.addEvents(
          tenantId,
          id,
          new Date(),
          `csv:${ctx.state.auth.tokenId}`,
          changes.map((c) => ({
            kind: 'attribute_changed',
            detail: { field: c, from: before[c] ?? null, to: row.columns[c] ?? null },
          })),
        );
      }
      return { updated: targets.length };
    });
  });

  router.get('/exposure', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    const q = parseQuery(exposureQuery, ctx.query);
    const rows = await inTx((store) => store.openPorts(tenantId, q.limit));
    const zones = new Map<string, { zone: string; assets: Set<string>; ports: unknown[] }>();
    for (const r of rows) {
      const z = zones.get(r.zone) ?? { zone: r.zone, assets: new Set<string>(), ports: [] };
      z.assets.add(r.asset_id);
      z.ports.push({
        assetId: r.asset_id,
        assetName: r.name,
        shadow: r.agent_id === null,
        protocol: r.protocol,
        port: Number(r.port),
        service: r.service ?? '',
        product: r.product ?? '',
        version: r.version ?? '',
        firstSeenAt: isoOf(r.first_seen_at),
        lastSeenAt: isoOf(r.last_seen_at),
      });
      zones.set(r.zone, z);
    }
    ctx.body = {
      zones: [...zones.values()]
        .sort((a, b) => zoneRank(a.zone) - zoneRank(b.zone) || a.zone.localeCompare(b.zone))
        .map((z) => ({ zone: z.zone, assetCount: z.assets.size, openPorts: z.ports.length, ports: z.ports })),
      truncated: rows.length === q.limit,
    };
  });

  return router;
}
