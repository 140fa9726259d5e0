// The findings service: the one entry point every producer (inventory matching, discovery,
// baselines, scanners) writes through, and the reads behind the REST API.
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { assetBelongsToTenant } from '../assets/index.js';
import { hubError } from '../platform/errors.js';
import { isUuid, newId } from '../platform/ids.js';
import type { FindingDetail, FindingSummary, FindingsPage } from './api-types.js';
import { severityRank, type EvidenceRow, type FindingRow } from './entities.js';
import { boundExcerpt, findingIdentityKey } from './identity.js';
import { FindingsRepository } from './repository.js';
import {
  findingFiltersSchema,
  observationSchema,
  pageSchema,
  parseOrThrow,
  resolveScopeSchema,
  type Observation,
  type ParsedObservation,
  type ResolveScope,
} from './schemas.js';

export interface UpsertResult {
  findingId: string;
  identityKey: string;
  /** 'created' new finding; 'updated' existing one; 'reopened' a resolved one came back;
   *  'duplicate' this (source, observedAt) was already recorded — nothing changed. */
  outcome: 'created' | 'updated' | 'reopened' | 'duplicate';
}

const MAX_EVIDENCES_SHOWN = 100;
const maxDate = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);
const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

function freshFinding(tenantId: string, key: string, o: ParsedObservation): FindingRow {
  return {
    id: newId(),
    tenantId,
    assetId: o.assetId,
    type: o.type,
    identityKey: key,
    ruleId: o.ruleId,
    component: o.component,
    port: o.port ?? null,
    protocol: o.protocol?.toLowerCase() ?? null,
    title: o.title,
    description: o.description,
    severity: o.severity,
    severityRank: severityRank(o.severity),
    cvssScore: o.cvssScore ?? null,
    riskScore: o.riskScore ?? null,
    riskFactors: o.riskFactors,
    status: 'open',
    firstSeenAt: o.observedAt,
    lastSeenAt: o.observedAt,
    resolvedAt: null,
    recurrenceCount: 0,
    sourceCount: 1,
  };
}

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
      if (outcome === 'updated') {
        if (await repo.hasEvidence(tenantId, row.id, o.source, o.observedAt)) {
          return { findingId: row.id, identityKey: key, outcome: 'duplicate' };
        }
        const next: FindingRow = { ...row };
        if (!(await repo.hasSource(tenantId, row.id, o.source))) next.sourceCount += 1;
        if (o.observedAt.getTime() >= row.lastSeenAt.getTime()) {
          // The newest observation describes the finding (a rescored CVE, a changed title).
          Object.assign(next, {
            title: candidate.title,
            description: candidate.description,
            severity: candidate.severity,
            severityRank: candidate.severityRank,
            cvssScore: candidate.cvssScore,
            riskScore: candidate.riskScore,
            riskFactors: candidate.riskFactors,
          });
        }
        next.lastSeenAt = maxDate(row.lastSeenAt, o.observedAt);
        next.firstSeenAt = minDate(row.firstSeenAt, o.observedAt);
        // Only an observation made after the resolution reopens: late evidence from before it does not.
        if (
          row.status === 'resolved' &&
          row.resolvedAt &&
          o.observedAt.getTime() > row.resolvedAt.getTime()
        ) {
          next.status = 'reopened';
          next.resolvedAt = null;
          next.recurrenceCount += 1;
          outcome = 'reopened';
        }
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
      return { findingId: row.id, identityKey: key, outcome };
    });
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
  };
}
