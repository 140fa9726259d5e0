// One report → ledger assets and findings, in ONE transaction: the report is streamed (memory is
// bounded by one host batch plus the identity keys seen, for "not seen since") and every batch is
// written as soon as it is parsed; a parse error anywhere (hostile XML, a syntax error at line N)
// rolls the whole import back, so nothing of a broken report is stored. The price: on SQLite the
// import holds the store's single writer slot while it runs (about 1 s per 10k findings, see
// scripts/bench/intel); PostgreSQL only locks the findings it touches.
import type { EntityManager } from 'typeorm';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { watchpost } from '@watchpost/proto';
import { stat } from 'node:fs/promises';
import type { FindingsService } from '../findings/index.js';
import type { DiscoveryContext, DiscoveryOutcome } from '../assets/index.js';
import { assetBelongsToTenant } from '../assets/index.js';
import { hubError } from '../platform/errors.js';
import type { RiskService } from '../risk/index.js';
import { discoveredHost, findingsOf, hostKey, onlyLoopback } from './mapping.js';
import { readReport } from './source.js';
import type { HostBatch, ImportFormat } from './types.js';

export interface ImportRequest {
  importId: string;
  tenantId: string;
  format: ImportFormat;
  path: string;
  /** Network zone of the scanned hosts (the ledger compares addresses within a zone). */
  zone?: string | undefined;
  /** Attribute every host to this asset (SARIF / Trivy of a known asset). */
  assetId?: string | undefined;
  /** The agent whose host ran the scanner: loopback targets are its asset. */
  scannerAgentId?: string | undefined;
}

export interface ImportCounts {
  /** Distinct assets the report's findings landed on. */
  hosts: number;
  /** Host batches in the report (OpenVAS: one per result). */
  batches: number;
  /** Observations in the report (before one-per-CVE fan-out). */
  raw: number;
  new: number;
  /** Existing findings this source had reported before. */
  updated: number;
  /** Existing findings another source had reported: this source now confirms them too. */
  merged: number;
  /** Findings that came back after being resolved. */
  recurring: number;
  /** Already recorded with this source and report time (a re-import). */
  unchanged: number;
  /** Open findings of this source on these assets that the report no longer has. */
  closed: number;
  assetsCreated: number;
  skippedHosts: number;
}

export interface ImportProgress {
  phase: 'parsing' | 'storing' | 'closing';
  /** Host batches stored (OpenVAS: results). */
  hostsDone: number;
  bytesDone: number;
  bytesTotal: number;
}

export type LedgerApply = (
  em: EntityManager,
  ctx: DiscoveryContext,
  host: watchpost.v1.IDiscoveredHost,
) => Promise<DiscoveryOutcome | undefined>;

export interface PipelineDeps {
  dataSource: DataSource;
  findings: FindingsService;
  risk: RiskService;
  ledger: LedgerApply;
  clock: () => Date;
  log: Logger;
}

export const emptyCounts = (): ImportCounts => ({
  hosts: 0,
  batches: 0,
  raw: 0,
  new: 0,
  updated: 0,
  merged: 0,
  recurring: 0,
  unchanged: 0,
  closed: 0,
  assetsCreated: 0,
  skippedHosts: 0,
});

export async function runImport(
  deps: PipelineDeps,
  req: ImportRequest,
  onProgress: (p: ImportProgress) => void = () => undefined,
): Promise<ImportCounts> {
  const startedAt = deps.clock();
  if (req.assetId && !(await assetBelongsToTenant(deps.dataSource.manager, req.tenantId, req.assetId)))
    throw hubError('NOT_FOUND', 'asset not found');

  const counts = emptyCounts();
  const assets = new Map<string, string | null>(); // host key → asset id (null: skipped)
  /** (asset, source) → identity keys seen and the report time, for "not seen since". */
  const seen = new Map<string, { assetId: string; source: string; checkedAt: Date; keys: Set<string> }>();
  const totalBytes = (await stat(req.path)).size;
  let bytes = 0;
  return deps.dataSource.transaction(async (tx) => {
    for await (const batch of readReport(req.format, req.path, (n) => (bytes += n))) {
      await storeBatch(deps, tx, req, batch, startedAt, { counts, assets, seen });
      onProgress({ phase: 'storing', hostsDone: counts.hosts, bytesDone: bytes, bytesTotal: totalBytes });
    }
    onProgress({ phase: 'closing', hostsDone: counts.hosts, bytesDone: bytes, bytesTotal: totalBytes });
    for (const s of seen.values()) {
      const resolved = await deps.findings.resolveNotSeen(tx, req.tenantId, {
        assetId: s.assetId,
        type: 'vulnerability',
        source: s.source,
        seenIdentityKeys: [...s.keys],
        checkedAt: s.checkedAt,
      });
      counts.closed += resolved.resolvedIds.length;
    }
    counts.hosts = new Set([...assets.values()].filter((a) => a !== null)).size;
    deps.log.info(
      { importId: req.importId, tenantId: req.tenantId, format: req.format, ...counts },
      'report imported',
    );
    return counts;
  });
}
async function storeBatch(
  deps: PipelineDeps,
  tx: EntityManager,
  req: ImportRequest,
  batch: HostBatch,
  startedAt: Date,
  state: {
    counts: ImportCounts;
    assets: Map<string, string | null>;
    seen: Map<string, { assetId: string; source: string; checkedAt: Date; keys: Set<string> }>;
  },
): Promise<void> {
  const { counts } = state;
  counts.batches += 1;
  counts.raw += batch.observations.length;
  const observedAt = batch.observedAt ?? startedAt;
  const key = hostKey(batch.host);
  let assetId = req.assetId ?? state.assets.get(key);
  if (assetId === undefined) {
    assetId = null;
    const identifiable = batch.host.ips.length + batch.host.macs.length + batch.host.hostnames.length > 0;
    if (identifiable && (!onlyLoopback(batch.host) || req.scannerAgentId)) {
      const placed = await deps.ledger(
        tx,
        {
          tenantId: req.tenantId,
          // Sightings record who saw the host: the scanner's agent, else the importer.
          agentId: req.scannerAgentId ?? `import:${req.format}`,
          scanId: req.importId,
          zone: req.zone ?? 'internal',
          receivedAt: observedAt,
        },
        discoveredHost(batch.host),
      );
      assetId = placed?.assetId ?? null;
      if (placed?.created) counts.assetsCreated += 1;
    }
    state.assets.set(key, assetId);
  }
  if (assetId === null) {
    counts.skippedHosts += 1;
    return;
  }
  const touched: string[] = [];
  const seenKey = `${assetId}\u0000${batch.source}`;
  const seen = state.seen.get(seenKey) ?? {
    assetId,
    source: batch.source,
    checkedAt: observedAt,
    keys: new Set(),
  };
  state.seen.set(seenKey, seen);
  const observations = batch.observations.flatMap((o) =>
    findingsOf(o, { assetId, source: batch.source, observedAt, format: req.format, importId: req.importId }),
  );
  // New findings are scored before they are written (stored once, with risk and deadline).
  const results = await deps.findings.upsertMany(tx, req.tenantId, observations, deps.risk.scoreNew);
  for (const r of results) {
    seen.keys.add(r.identityKey);
    if (r.outcome === 'duplicate') counts.unchanged += 1;
    else {
      // Existing findings keep their first-seen date: their deadline is recomputed from it below.
      if (r.outcome !== 'created') touched.push(r.findingId);
      if (r.outcome === 'created') counts.new += 1;
      else if (r.outcome === 'reopened') counts.recurring += 1;
      else if (r.newSource) counts.merged += 1;
      else counts.updated += 1;
    }
  }
  await deps.risk.scoreFindings(tx, req.tenantId, [...new Set(touched)]);
}
