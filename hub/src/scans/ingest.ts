// Applies one DiscoveryReport inside the gateway's batch transaction: one raw observation row,
// and a weak_credential finding per credential that worked.
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { RejectCode, watchpost } from '@watchpost/proto';
import type { AgentsRepository } from '../agents/index.js';
import type { FindingsService } from '../findings/index.js';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { observationRow, weakCredentialObservations } from './observation.js';
import { coveragePredicate } from './coverage.js';
import type { ScanOptions } from './schemas.js';
import type { ScansRepository } from './repository.js';

export interface DiscoveryContext {
  tenantId: string;
  agentId: string;
  receivedAt: Date;
}

export type ApplyDiscovery = (
  em: EntityManager,
  ctx: DiscoveryContext,
  report: watchpost.v1.IDiscoveryReport,
) => Promise<{ observationId: string; findings: number }>;

/** assets.applyDiscovery, as scans needs it. */
export type Ledger = (
  em: EntityManager,
  ctx: {
    tenantId: string;
    agentId: string;
    scanId: string;
    zone: string;
    receivedAt: Date;
    covers: ((portKey: string) => boolean) | undefined;
  },
  host: watchpost.v1.IDiscoveredHost,
) => Promise<{ assetId: string } | undefined>;

export function discoveryApplier(deps: {
  repo: ScansRepository;
  agents: AgentsRepository;
  findings: FindingsService;
  ledger: Ledger;
  log: Logger;
}): ApplyDiscovery {
  return async (em, ctx, report) => {
    const taskId = report.taskId ?? '';
    const run = await deps.repo.runByTask(em, ctx.tenantId, taskId);
    if (!run || run.agentId !== ctx.agentId) {
      throw hubError('VALIDATION_FAILED', `unknown scan task ${taskId}`, {
        rejectCode: RejectCode.UNKNOWN_TASK,
      });
    }
    if (report.scanId && report.scanId !== run.scanId) {
      throw hubError('VALIDATION_FAILED', `scan_id ${report.scanId} does not match task ${taskId}`, {
        rejectCode: RejectCode.INVALID_MESSAGE,
      });
    }
    const rawBytes = watchpost.v1.DiscoveryReport.encode(report).finish().length;
    const row = observationRow(
      {
        id: newId(),
        tenantId: ctx.tenantId,
        scanId: run.scanId,
        taskId,
        agentId: ctx.agentId,
        receivedAt: ctx.receivedAt,
      },
      report,
      rawBytes,
    );
    await deps.repo.insertObservation(em, row);
    // One asset per real host: the ledger matches, creates (shadow) or merges, and tracks ports.
    // Scanning agents sit in the internal zone until zones are assigned per agent.
    const scan = report.host ? await deps.repo.findScan(ctx.tenantId, run.scanId, em) : null;
    const covers = scan
      ? coveragePredicate(scan.profile, JSON.parse(scan.options) as Partial<ScanOptions>)
      : undefined;
    const placed = report.host
      ? await deps.ledger(
          em,
          {
            tenantId: ctx.tenantId,
            agentId: ctx.agentId,
            scanId: run.scanId,
            zone: 'internal',
            receivedAt: row.observedAt,
            covers,
          },
          report.host,
        )
      : undefined;

    const creds = report.host?.weakCredentials ?? [];
    if (creds.length === 0) return { observationId: row.id, findings: 0 };
    // A weak credential belongs to the scanned host's asset; a host that is not up (no ledger
    // asset) falls back to the scanning agent's own asset, with the host in the identity.
    const agent = placed ? undefined : await deps.agents.find(ctx.tenantId, ctx.agentId, em);
    const assetId = placed?.assetId ?? agent?.assetId;
    if (!assetId) {
      deps.log.warn(
        { agentId: ctx.agentId, taskId, credentials: creds.length },
        'weak credentials not recorded as findings: the scanning agent has no asset yet',
      );
      return { observationId: row.id, findings: 0 };
    }
    const observations = weakCredentialObservations(report, {
      assetId,
      scanId: run.scanId,
      taskId,
      agentId: ctx.agentId,
      host: row.primaryIp ?? 'unknown',
      at: row.observedAt,
    });
    for (const o of observations) await deps.findings.upsert(em, ctx.tenantId, o);
    return { observationId: row.id, findings: observations.length };
  };
}
