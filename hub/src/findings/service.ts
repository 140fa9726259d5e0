// The findings service: the one entry point every producer (inventory matching, discovery,
// baselines, scanners) writes through, and the reads behind the REST API.
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { assetBelongsToTenant } from '../assets/index.js';
import { hubError } from '../platform/errors.js';
import { isUuid, newId } from '../platform/ids.js';
import type { FindingDetail, FindingSummary, FindingsPage } from './api-types.js';
import type { EvidenceRow, FindingRow, Priority } from './entities.js';
import { freshFinding, mergeObservation } from './merge.js';
import { upsertBatch, type ScoreNew } from './batch.js';
import { boundExcerpt, findingIdentityKey } from './identity.js';
import { FindingsRepository } from './repository.js';
import {
  findingFiltersSchema,
  observationSchema,
  pageSchema,
  parseOrThrow,
  resolveScopeSchema,
  type Observation,
  type ResolveScope,
} from './schemas.js';

export interface UpsertResult {
  findingId: string;
  identityKey: string;
  /** 'created' new finding; 'updated' existing one; 'reopened' a resolved one came back;
   *  'duplicate' this (source, observedAt) was already recorded — nothing changed. */
  outcome: 'created' | 'updated' | 'reopened' | 'duplicate';
  /** True when this source had not reported the finding before (it now has one more source). */
  newSource?: boolean;
}

/** A finding's risk score, breakdown and SLA, as risk/ computed them. */
export interface RiskUpdate {
  id: string;
  riskScore: number;
  riskFactors: Record<string, unknown>;
  priority: Priority;
  dueAt: Date | null;
}

const MAX_EVIDENCES_SHOWN = 100;
export class FindingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  private run<T>(em: EntityManager | null, work: (em: EntityManager) => Promise<T>): Promise<T> {
    // On SQLite the data source serialises transactions (db/sqlite-serial.ts).
    return em ? work(em) : this.dataSource.transaction(work);
  }

  /**
   * Creates or updates the finding the observation identifies, and records its evidence. A
   * resolved finding seen again after its resolution is reopened. Replaying the same
   * (source, observedAt) changes nothing. Runs in `em` when given (the caller's transaction).
   */
  async upsert(em: EntityManager | null, tenantId: string, input: Observation): Promise<UpsertResult> {
    const o = parseOrThrow(observationSchema, input, 'observation');
    const key = findingIdentityKey(o);
    return this.run(em, async (tx) => {
      if (!(await assetBelongsToTenant(tx, tenantId, o.assetId)))
        throw hubError('NOT_FOUND', 'asset not found');
      const repo = new FindingsRepository(tx);
      const candidate = freshFinding(tenantId, key, o);
      let row = await repo.findByKey(tenantId, key, true);
      if (!row) {
        await repo.insertIfAbsent(candidate);
        row = await repo.findByKey(tenantId, key, true);
        if (!row) throw hubError('INTERNAL', 'finding vanished after insert');
      }
      let outcome: UpsertResult['outcome'] = row.id === candidate.id ? 'created' : 'updated';
      let newSource = outcome === 'created';
      if (outcome === 'updated') {
        if (await repo.hasEvidence(tenantId, row.id, o.source, o.observedAt)) {
          return { findingId: row.id, identityKey: key, outcome: 'duplicate' };
        }
        newSource = !(await repo.hasSource(tenantId, row.id, o.source));
        const merged = mergeObservation(row, o, candidate, newSource);
        if (merged.reopened) outcome = 'reopened';
        const next = merged.next;
        await repo.update(tenantId, next);
      }
      const evidence: EvidenceRow = {
        id: newId(),
        tenantId,
        findingId: row.id,
        source: o.source,
        observedAt: o.observedAt,
        recordedAt: this.clock(),
        rawExcerpt: o.rawExcerpt == null ? null : boundExcerpt(o.rawExcerpt),
        details: o.details,
      };
      await repo.insertEvidence(evidence);
      this.log.debug({ tenantId, findingId: row.id, outcome, source: o.source }, 'finding observed');
      return { findingId: row.id, identityKey: key, outcome, newSource };
    });
  }

  /**
   * upsert for many observations at once (same rules, same results in order), with set-based
   * reads and multi-row writes. Throws CONFLICT when another writer created one of the same
   * findings meanwhile (PostgreSQL); the caller's transaction then rolls back and may be retried.
   * `scoreNew` scores the findings about to be created, so they are written once, scored.
   */
  async upsertMany(
    em: EntityManager | null,
    tenantId: string,
    inputs: Observation[],
    scoreNew?: ScoreNew,
  ): Promise<UpsertResult[]> {
    const parsed = inputs.map((input) => parseOrThrow(observationSchema, input, 'observation'));
    return this.run(em, (tx) => upsertBatch(tx, tenantId, parsed, this.clock(), scoreNew));
  }

  /** Stores risk scores, breakdowns and SLA computed by risk/ (in `em` when given). */
  async applyRisk(em: EntityManager | null, tenantId: string, updates: RiskUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await this.run(em, async (tx) => {
      const repo = new FindingsRepository(tx);
      for (const u of updates) await repo.setRisk(tenantId, u);
    });
  }

  /** Findings to (re-)score, in id order after `afterId`: open ones unless `ids` pins them. */
  forScoring(
    em: EntityManager | null,
    tenantId: string,
    q: { afterId?: string; limit: number; ids?: string[] },
  ): Promise<FindingRow[]> {
    return new FindingsRepository(em ?? this.dataSource.manager).forScoring(tenantId, q);
  }

  /**
   * After a complete check by `source` of one asset and finding type: every open finding that
   * source had reported, not seen by this check and not observed since it started, is resolved.
   * `checkedAt` is when the check started; `seenIdentityKeys` are findingIdentityKey() of what it saw.
   */
  async resolveNotSeen(
    em: EntityManager | null,
    tenantId: string,
    input: ResolveScope,
  ): Promise<{ resolvedIds: string[] }> {
    const scope = parseOrThrow(resolveScopeSchema, input, 'resolve scope');
    const seen = new Set(scope.seenIdentityKeys);
    return this.run(em, async (tx) => {
      const repo = new FindingsRepository(tx);
      const open = await repo.openFromSource(tenantId, { ...scope, before: scope.checkedAt });
      const resolvedIds = open.filter((f) => !seen.has(f.identityKey)).map((f) => f.id);
      await repo.markResolved(tenantId, resolvedIds, scope.checkedAt);
      if (resolvedIds.length > 0) {
        this.log.info(
          { tenantId, assetId: scope.assetId, source: scope.source, resolved: resolvedIds.length },
          'findings resolved',
        );
      }
      return { resolvedIds };
    });
  }

  async list(tenantId: string, filters: unknown, page: unknown): Promise<FindingsPage> {
    const f = parseOrThrow(findingFiltersSchema, filters, 'filters');
    const p = parseOrThrow(pageSchema, page, 'page');
    const [rows, total] = await new FindingsRepository(this.dataSource.manager).list(tenantId, f, p);
    return { items: rows.map(toSummary), total };
  }

  async get(tenantId: string, id: string): Promise<FindingDetail> {
    const repo = new FindingsRepository(this.dataSource.manager);
    const row = isUuid(id) ? await repo.findById(tenantId, id) : null;
    if (!row) throw hubError('NOT_FOUND', 'finding not found');
    const [evidences, evidenceCount] = await repo.evidences(tenantId, id, MAX_EVIDENCES_SHOWN);
    return {
      ...toSummary(row),
      description: row.description,
      riskFactors: row.riskFactors,
      evidenceCount,
      evidences: evidences.map((e) => ({
        id: e.id,
        source: e.source,
        observedAt: e.observedAt.toISOString(),
        recordedAt: e.recordedAt.toISOString(),
        rawExcerpt: e.rawExcerpt,
        details: e.details,
      })),
    };
  }
}

function toSummary(r: FindingRow): FindingSummary {
  return {
    id: r.id,
    assetId: r.assetId,
    type: r.type,
    identityKey: r.identityKey,
    ruleId: r.ruleId,
    component: r.component,
    port: r.port,
    protocol: r.protocol,
    title: r.title,
    severity: r.severity,
    cvssScore: r.cvssScore,
    riskScore: r.riskScore,
    status: r.status,
    firstSeenAt: r.firstSeenAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    resolvedAt: r.resolvedAt ? r.resolvedAt.toISOString() : null,
    recurrenceCount: r.recurrenceCount,
    sourceCount: r.sourceCount,
    priority: r.priority ?? null,
    dueAt: r.dueAt ? r.dueAt.toISOString() : null,
    cve: r.cve ?? null,
    confidence: r.confidence ?? null,
    fromIntel: r.fromIntel ?? false,
  };
}
