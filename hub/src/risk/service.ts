// Scores findings (score.ts) with what intel, the ledger and the scanner know, and applies the
// tenant's SLA policy. Called by imports after each batch and on a policy change (re-score).
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { FindingRow, FindingsService, RiskUpdate } from '../findings/index.js';
import type { IntelReader, IntelVulnerability } from '../intel/store-api.js';
import { parseOrThrow } from '../findings/schemas.js';
import { dueDateOf, priorityOf, riskConfigSchema, type RiskConfig } from './config.js';
import { RiskRepository } from './repository.js';
import { riskScore } from './score.js';
import { hintsOf, inputsFor, type RiskSubject } from './subject.js';

export type { ScannerRiskHints } from './subject.js';

/** Intel as scoring needs it: any IntelReader (intel/) satisfies it; absent = scanner data only. */
export type RiskIntel = Pick<IntelReader, 'vulnsByIds'>;

const RESCORE_BATCH = 500;

export class RiskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly findings: FindingsService,
    private readonly intel: RiskIntel | null,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  config(tenantId: string): Promise<RiskConfig> {
    return new RiskRepository(this.dataSource.manager).config(tenantId);
  }

  /** Stores a new policy and re-scores the tenant's open findings (batched transactions). */
  async setConfig(tenantId: string, input: unknown): Promise<{ config: RiskConfig; rescored: number }> {
    const config = parseOrThrow(riskConfigSchema, input, 'risk config');
    await this.dataSource.transaction((tx) =>
      new RiskRepository(tx).saveConfig(tenantId, config, this.clock()),
    );
    const rescored = await this.rescoreOpen(tenantId);
    this.log.info({ tenantId, rescored }, 'risk config changed, findings re-scored');
    return { config, rescored };
  }

  async rescoreOpen(tenantId: string): Promise<number> {
    let afterId: string | undefined;
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (tx) => {
        const rows = await this.findings.forScoring(tx, tenantId, {
          ...(afterId ? { afterId } : {}),
          limit: RESCORE_BATCH,
        });
        await this.scoreRows(tx, tenantId, rows);
        afterId = rows[rows.length - 1]?.id;
        return rows.length;
      });
      total += n;
      if (n < RESCORE_BATCH) return total;
    }
  }

  /** Scores the given findings inside the caller's transaction. */
  async scoreFindings(em: EntityManager, tenantId: string, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += RESCORE_BATCH) {
      const rows = await this.findings.forScoring(em, tenantId, {
        ids: ids.slice(i, i + RESCORE_BATCH),
        limit: RESCORE_BATCH,
      });
      await this.scoreRows(em, tenantId, rows);
    }
  }

  private async score(
    em: EntityManager,
    tenantId: string,
    subjects: (RiskSubject & { firstSeenAt: Date })[],
  ): Promise<Omit<RiskUpdate, 'id'>[]> {
    const repo = new RiskRepository(em);
    const config = await repo.config(tenantId);
    const facts = await repo.assetFacts(
      tenantId,
      subjects.map((r) => r.assetId),
    );
    const cves = [...new Set(subjects.map((r) => r.cve).filter((c): c is string => !!c))];
    const intel =
      this.intel && cves.length ? await this.intel.vulnsByIds(cves) : new Map<string, IntelVulnerability>();
    return subjects.map((s) => {
      const inputs = inputsFor(s, facts.get(s.assetId), s.cve ? intel.get(s.cve) : undefined);
      const b = riskScore(inputs);
      const priority = priorityOf(b.score, config);
      const due = dueDateOf(priority, s.firstSeenAt, inputs.kev.dueDate, config);
      return {
        riskScore: b.score,
        riskFactors: {
          ...b,
          scanner: s.scanner,
          priority,
          dueAt: due.dueAt.toISOString(),
          kevCapped: due.kevCapped,
        },
        priority,
        dueAt: due.dueAt,
      };
    });
  }

  /** Scores findings not stored yet (FindingsService.upsertMany's `scoreNew`). */
  readonly scoreNew = (em: EntityManager, rows: FindingRow[]): Promise<Omit<RiskUpdate, 'id'>[]> =>
    this.score(em, rows[0]?.tenantId ?? '', rows.map(subjectOfRow));

  private async scoreRows(
    em: EntityManager,
    tenantId: string,
    rows: Awaited<ReturnType<FindingsService['forScoring']>>,
  ): Promise<void> {
    if (rows.length === 0) return;
    const scored = await this.score(em, tenantId, rows.map(subjectOfRow));
    const updates: RiskUpdate[] = rows.flatMap((r, i) => {
      const s = scored[i];
      return s ? [{ id: r.id, ...s }] : [];
    });
    await this.findings.applyRisk(em, tenantId, updates);
  }
}

function subjectOfRow(r: FindingRow): RiskSubject & { firstSeenAt: Date } {
  return {
    assetId: r.assetId,
    cve: r.cve ?? null,
    port: r.port,
    protocol: r.protocol,
    severity: r.severity,
    cvssScore: r.cvssScore,
    confidence: r.confidence ?? null,
    scanner: hintsOf(r.riskFactors['scanner']),
    firstSeenAt: r.firstSeenAt,
  };
}
