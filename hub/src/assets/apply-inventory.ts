// Applies one InventoryReport to an agent's asset inside the caller's transaction (PROTOCOL.md
// "Inventory reports"): sections in `sections` are replaced in full (by diff), sections in
// `unchanged_sections` or in neither list keep what is stored. Applying the same report twice
// leaves the store as the first application left it.
import { toBigInt, type watchpost } from '@watchpost/proto';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import {
  AccountEntity,
  GroupEntity,
  InterfaceEntity,
  ListenerEntity,
  PackageEntity,
  ServiceEntity,
  type AssetRow,
} from './entities.js';
import { isInventorySection, type InventorySection } from './inventory-sections.js';
import { checkInventoryReport } from './inventory-validation.js';
import {
  mapAccounts,
  mapGroups,
  mapHost,
  mapInterfaces,
  mapListeners,
  mapPackages,
  mapProcesses,
  mapServices,
  packageKey,
  primaryIps,
  type InterfaceData,
} from './inventory-mapping.js';
import { contentKey, diffSection } from './row-diff.js';
import { AssetRepository, type SectionRow, type SectionTable } from './repository.js';
import { LedgerStore } from './ledger/store.js';
import { dialectOfDataSource } from '../db/data-source.js';

export interface InventoryContext {
  tenantId: string;
  agentId: string;
  receivedAt: Date;
}

export interface ApplyInventoryResult {
  assetId: string;
  /**
   * Sections the agent called unchanged whose digest differs from the stored one (or that were
   * never stored): the hub's copy may be stale, so the caller should ask for a full report.
   */
  divergedSections: InventorySection[];
  /** Rows written per replaced section (inserted + updated + deleted). */
  writes: Partial<Record<InventorySection, number>>;
  /**
   * Sections sent in full whose digest equals the stored one (e.g. the full report after an
   * agent restart): what is stored is already that content, so they were not diffed.
   */
  skippedSections: InventorySection[];
}

type Report = watchpost.v1.IInventoryReport;

interface ListSection<D extends object> {
  table: SectionTable<SectionRow & D>;
  rows: (r: Report) => D[];
  key: (row: D) => string;
  fields: readonly (keyof D)[];
}

const listSection = <D extends object>(s: ListSection<D>): ListSection<D> => s;
const LISTENER_FIELDS = ['protocol', 'family', 'address', 'port', 'pid', 'process'] as const;

// Each list section: its table, how report rows map to table rows, and what identifies a row.
const LIST_SECTIONS = {
  interfaces: listSection({
    table: InterfaceEntity,
    rows: (r) => mapInterfaces(r.interfaces),
    key: (i) => i.name,
    fields: ['name', 'mac', 'ipv4', 'ipv6', 'internal', 'virtual', 'up', 'mtu'],
  }),
  packages: listSection({
    table: PackageEntity,
    rows: (r) => mapPackages(r.packages).rows,
    key: packageKey,
    fields: ['manager', 'name', 'arch', 'version', 'sourceName', 'sourceVersion'],
  }),
  listeners: listSection({
    table: ListenerEntity,
    rows: (r) => mapListeners(r.listeners),
    key: (l) => contentKey(l, LISTENER_FIELDS),
    fields: LISTENER_FIELDS,
  }),
  accounts: listSection({
    table: AccountEntity,
    rows: (r) => mapAccounts(r.accounts),
    key: (a) => a.name,
    fields: [
      'name',
      'uid',
      'gid',
      'home',
      'shell',
      'gecos',
      'passwordState',
      'loginShell',
      'passwordChangedAt',
    ],
  }),
  groups: listSection({
    table: GroupEntity,
    rows: (r) => mapGroups(r.groups),
    key: (g) => g.name,
    fields: ['name', 'gid', 'members'],
  }),
  services: listSection({
    table: ServiceEntity,
    rows: (r) => mapServices(r.services),
    key: (s) => `${s.manager}\u0000${s.name}`,
    fields: ['manager', 'name', 'running', 'enabled'],
  }),
} as const;

function newAsset(ctx: InventoryContext): AssetRow {
  return {
    id: newId(),
    tenantId: ctx.tenantId,
    agentId: ctx.agentId,
    kind: 'host',
    name: ctx.agentId,
    ...mapHost(null),
    ips: [],
    packageCount: 0,
    processCount: 0,
    sectionDigests: {},
    firstSeenAt: ctx.receivedAt,
    lastSeenAt: ctx.receivedAt,
    inventoryAt: null,
  };
}

async function replaceList<D extends object>(
  repo: AssetRepository,
  asset: AssetRow,
  spec: ListSection<D>,
  rows: D[],
): Promise<number> {
  const stored = await repo.loadSection(asset.tenantId, asset.id, spec.table);
  const diff = diffSection<D>(stored, rows, spec.key, spec.fields);
  await repo.applySectionDiff(asset.tenantId, asset.id, spec.table, diff, newId);
  return diff.insert.length + diff.update.length + diff.remove.length;
}

export async function applyInventory(
  em: EntityManager,
  ctx: InventoryContext,
  report: Report,
  log?: Logger,
): Promise<ApplyInventoryResult> {
  const rejection = checkInventoryReport(report);
  if (rejection) throw hubError('VALIDATION_FAILED', rejection.reason, { rejectCode: rejection.code });

  const repo = new AssetRepository(em);
  const existing = await repo.findByAgent(ctx.tenantId, ctx.agentId);
  const asset: AssetRow = existing ? { ...existing } : newAsset(ctx);
  if (!existing) await repo.insertAsset(asset);

  const sent = new Set((report.sections ?? []).filter(isInventorySection));
  let macs: string[] | undefined;
  const digests = report.digests ?? {};
  const writes: ApplyInventoryResult['writes'] = {};
  const stored = { ...asset.sectionDigests };
  const skippedSections: InventorySection[] = [];
  const alreadyStored = (name: InventorySection): boolean => {
    const digest = digests[name];
    const same = digest !== undefined && digest !== '' && stored[name] === digest;
    if (same) skippedSections.push(name);
    return same;
  };

  if (sent.has('host')) {
    Object.assign(asset, mapHost(report.host));
    asset.name = asset.hostname ?? existing?.name ?? ctx.agentId;
  }
  for (const name of ['interfaces', 'packages', 'listeners', 'accounts', 'groups', 'services'] as const) {
    if (!sent.has(name) || alreadyStored(name)) continue;
    const spec = LIST_SECTIONS[name] as unknown as ListSection<object>;
    const rows = spec.rows(report);
    writes[name] = await replaceList(repo, asset, spec, rows);
    if (name === 'interfaces') {
      asset.ips = primaryIps(rows as InterfaceData[]);
      macs = (rows as InterfaceData[]).filter((i) => !i.internal).map((i) => i.mac ?? '');
    }
    if (name === 'packages') asset.packageCount = rows.length;
  }
  if (sent.has('processes') && !alreadyStored('processes')) {
    const processes = mapProcesses(report.processes);
    await repo.saveProcesses(asset.tenantId, asset.id, processes);
    asset.processCount = processes.length;
    writes.processes = 1;
  }

  // A replaced section takes the digest it came with (none: we no longer know one).
  const nextDigests: Record<string, string> = Object.fromEntries(
    Object.entries(stored).filter(([name]) => !(sent as Set<string>).has(name)),
  );
  for (const name of sent) {
    const digest = digests[name];
    if (digest) nextDigests[name] = digest;
  }
  const divergedSections = (report.unchangedSections ?? [])
    .filter(isInventorySection)
    .filter(
      (name) => !nextDigests[name] || (digests[name] !== undefined && digests[name] !== nextDigests[name]),
    );
  asset.sectionDigests = nextDigests;

  if (asset.lastSeenAt.getTime() < ctx.receivedAt.getTime()) asset.lastSeenAt = ctx.receivedAt;
  asset.inventoryAt = new Date(Number(toBigInt(report.collectedAtMs)));
  await repo.updateAsset(ctx.tenantId, asset);
  // The agent's own keys go into the ledger so that scans of this host correlate with it.
  if (sent.has('host') || macs) {
    await new LedgerStore(em, dialectOfDataSource(em.dataSource)).upsertIdentities(
      ctx.tenantId,
      asset.id,
      {
        zone: 'internal',
        machineId: asset.machineId ?? undefined,
        macs: macs ?? [],
        ips: macs
          ? asset.ips.filter((ip) => !ip.startsWith('127.') && ip !== '::1' && !ip.startsWith('fe80:'))
          : [],
        hostnames: asset.hostname ? [asset.hostname] : [],
      },
      ctx.receivedAt,
    );
  }

  if (divergedSections.length > 0) {
    log?.warn(
      { assetId: asset.id, agentId: ctx.agentId, divergedSections },
      'inventory digests diverge from the store',
    );
  }
  log?.debug(
    { assetId: asset.id, agentId: ctx.agentId, sections: [...sent], writes, skippedSections },
    'inventory applied',
  );
  return { assetId: asset.id, divergedSections, writes, skippedSections };
}
