// GET /assets, /assets/:id, /assets/:id/packages (mounted under /api/v1 behind bearer auth).
import { Router } from '@koa/router';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { hubError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import type { AuthState } from '../platform/module.js';
import type { AssetDetail, AssetListItem, AssetSummary, PackageItem, Page } from './api-types.js';
import { dialectOfDataSource } from '../db/data-source.js';
import { LedgerStore } from './ledger/store.js';
import { attributesFromRow } from './ledger/attributes.js';
import type { AssetRow } from './entities.js';
import { AssetRepository, type AssetFilters } from './repository.js';

const listQuery = z.object({
  q: z.string().max(200).optional(),
  zone: z.string().max(64).optional(),
  owner: z.string().max(200).optional(),
  tag: z.string().max(64).optional(),
  shadow: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  agent: z.enum(['with', 'without']).optional(),
  openPort: z.coerce.number().int().min(1).max(65535).optional(),
  product: z.string().max(200).optional(),
  drift: z.enum(['open']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

const packagesQuery = z.object({
  name: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'query';
    throw hubError('VALIDATION_FAILED', `${where}: ${issue?.message ?? 'invalid'}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSummary(a: AssetRow): AssetSummary {
  return {
    id: a.id,
    kind: a.kind,
    name: a.name,
    hostname: a.hostname,
    fqdn: a.fqdn,
    os: {
      platform: a.osPlatform,
      distro: a.osDistro,
      id: a.osId,
      version: a.osVersion,
      codename: a.osCodename,
    },
    kernel: a.kernel,
    arch: a.arch,
    agentId: a.agentId,
    ips: a.ips,
    firstSeenAt: a.firstSeenAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    inventoryAt: iso(a.inventoryAt),
    packageCount: a.packageCount,
  };
}

async function findAsset(repo: AssetRepository, tenantId: string, id: string): Promise<AssetRow> {
  const asset = isUuid(id) ? await repo.findById(tenantId, id) : null;
  if (!asset) throw hubError('NOT_FOUND', 'asset not found');
  return asset;
}

export function assetsRouter(dataSource: DataSource): Router<AuthState> {
  const router = new Router<AuthState>();
  const repo = () => new AssetRepository(dataSource.manager);

  router.get('/assets', async (ctx) => {
    const q = parseQuery(listQuery, ctx.query);
    const { limit: _l, offset: _o, q: _q, ...filters } = q;
    const [rows, total] = await repo().list(ctx.state.auth.tenantId, {
      ...(q.q ? { q: q.q } : {}),
      ...(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as AssetFilters),
      limit: q.limit,
      offset: q.offset,
    });
    const extras = await new LedgerStore(dataSource.manager, dialectOfDataSource(dataSource)).listExtras(
      ctx.state.auth.tenantId,
      rows.map((r) => r.id),
    );
    const attributes = await new LedgerStore(
      dataSource.manager,
      dialectOfDataSource(dataSource),
    ).attributesOf(
      ctx.state.auth.tenantId,
      rows.map((r) => r.id),
    );
    const items = rows.map((r): AssetListItem => {
      const e = extras.get(r.id);
      return {
        ...toSummary(r),
        zone: e?.zone ?? 'internal',
        shadow: e?.shadow ?? false,
        seenBy: e?.seenBy ?? [],
        attributes: attributes.get(r.id) ?? attributesFromRow({}),
      };
    });
    const body: Page<AssetListItem> = { items, total };
    ctx.body = body;
  });

  router.get('/assets/:id', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    const asset = await findAsset(repo(), tenantId, ctx.params['id'] ?? '');
    const c = await repo().children(tenantId, asset.id);
    const attributes = await new LedgerStore(
      dataSource.manager,
      dialectOfDataSource(dataSource),
    ).attributesOf(tenantId, [asset.id]);
    const body: AssetDetail = {
      ...toSummary(asset),
      attributes: attributes.get(asset.id) ?? attributesFromRow({}),
      machineId: asset.machineId,
      hardware: {
        manufacturer: asset.manufacturer,
        model: asset.model,
        serial: asset.serial,
        virtual: asset.virtual,
        cpuBrand: asset.cpuBrand,
        cpuCores: asset.cpuCores,
        memoryBytes: asset.memoryBytes,
      },
      bootTimeAt: iso(asset.bootTimeAt),
      timezone: asset.timezone,
      processCount: asset.processCount,
      interfaces: c.interfaces.map(({ id: _i, tenantId: _t, assetId: _a, ...rest }) => rest),
      listeners: c.listeners.map(({ id: _i, tenantId: _t, assetId: _a, ...rest }) => rest),
      accounts: c.accounts.map(({ id: _i, tenantId: _t, assetId: _a, passwordChangedAt, ...rest }) => ({
        ...rest,
        passwordChangedAt: iso(passwordChangedAt),
      })),
      groups: c.groups.map(({ name, gid, members }) => ({ name, gid, members })),
      services: c.services.map(({ name, manager, running, enabled }) => ({
        name,
        manager,
        running,
        enabled,
      })),
    };
    ctx.body = body;
  });

  router.get('/assets/:id/packages', async (ctx) => {
    const tenantId = ctx.state.auth.tenantId;
    const q = parseQuery(packagesQuery, ctx.query);
    const asset = await findAsset(repo(), tenantId, ctx.params['id'] ?? '');
    const [rows, total] = await repo().listPackages(tenantId, asset.id, {
      ...(q.name ? { name: q.name } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      offset: q.offset,
    });
    const items: PackageItem[] = rows.map((p) => ({
      name: p.name,
      version: p.version,
      arch: p.arch,
      manager: p.manager,
      sourceName: p.sourceName,
      sourceVersion: p.sourceVersion,
    }));
    const body: Page<PackageItem> = { items, total };
    ctx.body = body;
  });

  return router;
}
