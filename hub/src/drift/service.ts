// Drift decisions and reads: accepting a change moves the accepted baseline (who and why),
// flagging it raises a `drift` finding with rollback advice. Also links drift events to the
// baseline checks that failed after them (called by the baselines ingest).
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { z } from 'zod';
import { addAssetTimelineEvents, assetBelongsToTenant } from '../assets/index.js';
import { driftKeyMatches, parseOrThrow, type FailingCheck } from '../baselines/index.js';
import type { FindingsService } from '../findings/index.js';
import { SEVERITIES } from '../findings/index.js';
import { hubError } from '../platform/errors.js';
import { isUuid, newId } from '../platform/ids.js';
import type {
  DriftBaselineView,
  DriftEventsPage,
  DriftEventView,
  DriftItemValue,
  FlagResponse,
} from './api-types.js';
import { DRIFT_KINDS, DRIFT_STATUSES, type DriftEventRow, type ItemValue } from './entities.js';
import { DriftRepository } from './repository.js';
import { reverseUnifiedDiff } from './reverse-diff.js';
import { componentOf, FLAG_SOURCE, settleDriftFindings } from './settle.js';

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s !== ''))
    .pipe(z.array(z.enum(values)).max(values.length * 2));
const uuid = z.string().refine(isUuid, { message: 'not a UUID' });

export const eventsQuerySchema = z.object({
  asset: uuid.optional(),
  status: csvOf(DRIFT_STATUSES).optional(),
  kind: csvOf(DRIFT_KINDS).optional(),
  finding: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
const reasonText = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .refine((s) => !s.includes('\u0000'), { message: 'contains NUL' });
export const acceptSchema = z.object({ reason: reasonText }).strict();
export const flagSchema = z
  .object({ reason: reasonText, severity: z.enum(SEVERITIES).default('medium') })
  .strict();

const MAX_BASELINE_SHOWN = 5000;

function parseValue(json: string | null): DriftItemValue | null {
  if (json === null) return null;
  const v = JSON.parse(json) as ItemValue;
  let value: unknown = v.valueJson;
  try {
    value = v.valueJson === '' ? null : (JSON.parse(v.valueJson) as unknown);
  } catch {
    // Stored as validated JSON; keep the text if an old row is not.
  }
  return { digest: v.digest, value, secret: v.secret };
}

export function eventView(e: DriftEventRow): DriftEventView {
  return {
    id: e.id,
    assetId: e.assetId,
    kind: e.kind,
    key: e.key,
    change: e.change,
    before: parseValue(e.beforeJson),
    after: parseValue(e.afterJson),
    diff: e.diff,
    coalesced: e.coalesced,
    firstSeenAt: e.firstSeenAt.toISOString(),
    lastSeenAt: e.lastSeenAt.toISOString(),
    source: e.source,
    status: e.status,
    decidedBy: e.decidedBy,
    decidedAt: e.decidedAt?.toISOString() ?? null,
    decisionReason: e.decisionReason,
    findingId: e.findingId,
    linkedFindingId: e.linkedFindingId,
    linkedCheckId: e.linkedCheckId,
    createdAt: e.createdAt.toISOString(),
  };
}

export class DriftService {
  constructor(
    private readonly ds: DataSource,
    private readonly deps: { findings: FindingsService; clock: () => Date; log: Logger },
  ) {}

  async list(tenantId: string, query: unknown): Promise<DriftEventsPage> {
    const q = parseOrThrow(eventsQuerySchema, query, 'query');
    const [rows, total] = await new DriftRepository(this.ds.manager).listEvents(
      tenantId,
      { assetId: q.asset, status: q.status, kind: q.kind, findingId: q.finding },
      q,
    );
    return { items: rows.map(eventView), total };
  }

  async get(tenantId: string, id: string): Promise<DriftEventView> {
    return eventView(await this.event(new DriftRepository(this.ds.manager), tenantId, id));
  }

  private async event(repo: DriftRepository, tenantId: string, id: string): Promise<DriftEventRow> {
    const row = isUuid(id) ? await repo.findEvent(tenantId, id) : null;
    if (!row) throw hubError('NOT_FOUND', 'drift event not found');
    return row;
  }

  /** The change's after-state becomes the accepted baseline for its key. */
  async accept(tenantId: string, id: string, who: string, body: unknown): Promise<DriftEventView> {
    const b = parseOrThrow(acceptSchema, body, 'body');
    const now = this.deps.clock();
    const row = await this.ds.transaction(async (em) => {
      const repo = new DriftRepository(em);
      const e = await this.event(repo, tenantId, id);
      if (e.status === 'accepted') throw hubError('CONFLICT', 'drift event already accepted');
      const after = e.afterJson === null ? null : (JSON.parse(e.afterJson) as ItemValue);
      await repo.setBaselineItem(
        tenantId,
        e.assetId,
        e.keyHash,
        after
          ? {
              id: newId(),
              tenantId,
              assetId: e.assetId,
              kind: e.kind,
              key: e.key,
              keyHash: e.keyHash,
              ...after,
              acceptedBy: who,
              acceptedAt: now,
              reason: b.reason,
            }
          : undefined,
      );
      const patch = { status: 'accepted' as const, decidedBy: who, decidedAt: now, decisionReason: b.reason };
      await repo.updateEvent(tenantId, id, patch);
      await this.timeline(em, tenantId, e, now, 'drift_accepted', who);
      // Accepted = no longer a violation: a drift finding raised for this key resolves.
      await settleDriftFindings(em, this.deps.findings, { tenantId, assetId: e.assetId, at: now });
      return { ...e, ...patch };
    });
    this.deps.log.info({ tenantId, eventId: id, by: who }, 'drift accepted into the baseline');
    return eventView(row);
  }

  /** Marks the change a violation and raises (or updates) the `drift` finding for its key. */
  async flag(tenantId: string, id: string, who: string, body: unknown): Promise<FlagResponse> {
    const b = parseOrThrow(flagSchema, body, 'body');
    const now = this.deps.clock();
    return this.ds.transaction(async (em) => {
      const repo = new DriftRepository(em);
      const e = await this.event(repo, tenantId, id);
      if (e.status === 'accepted') throw hubError('CONFLICT', 'drift event was accepted into the baseline');
      const previous = parseValue(e.beforeJson);
      const reverseDiff = reverseUnifiedDiff(e.diff);
      const advice = [
        `Unapproved ${e.change} ${e.kind} ${e.key} (flagged by ${who}: ${b.reason}).`,
        previous
          ? `Rollback: restore the previous value (sha256 ${previous.digest})${previous.secret ? '' : `: ${JSON.stringify(previous.value)}`}.`
          : `Rollback: remove the ${e.kind}; it was not there before.`,
        reverseDiff ? `Reverse diff (apply with patch -p1):\n${reverseDiff}` : '',
      ]
        .filter(Boolean)
        .join('\n\n');
      const up = await this.deps.findings.upsert(em, tenantId, {
        assetId: e.assetId,
        type: 'drift',
        component: componentOf(e.kind, e.key),
        ruleId: 'drift',
        title: `Unapproved change to ${e.kind} ${e.key}`.slice(0, 500),
        description: advice.slice(0, 16 * 1024),
        severity: b.severity,
        source: FLAG_SOURCE,
        observedAt: now,
        rawExcerpt: e.diff || null,
        details: {
          driftEventId: e.id,
          change: e.change,
          before: previous,
          after: parseValue(e.afterJson),
          reverseDiff: reverseDiff.slice(0, 32 * 1024),
          flaggedBy: who,
          reason: b.reason,
        },
      });
      const patch = {
        status: 'violation' as const,
        decidedBy: who,
        decidedAt: now,
        decisionReason: b.reason,
        findingId: up.findingId,
      };
      await repo.updateEvent(tenantId, id, patch);
      await this.timeline(em, tenantId, e, now, 'drift_flagged', who);
      return {
        event: eventView({ ...e, ...patch }),
        findingId: up.findingId,
        rollback: { previous, reverseDiff },
      };
    });
  }

  async baseline(tenantId: string, assetId: string): Promise<DriftBaselineView> {
    if (!(await assetBelongsToTenant(this.ds.manager, tenantId, assetId)))
      throw hubError('NOT_FOUND', 'asset not found');
    // Bounded read: a 50k-file baseline is not loaded to show its first page.
    const [rows, total] = await new DriftRepository(this.ds.manager).baselinePage(
      tenantId,
      assetId,
      MAX_BASELINE_SHOWN,
    );
    return {
      assetId,
      total,
      items: rows.map((r) => ({
        kind: r.kind,
        key: r.key,
        digest: r.digest,
        value: parseValue(JSON.stringify({ digest: r.digest, valueJson: r.valueJson, secret: r.secret }))
          ?.value,
        secret: r.secret,
        acceptedBy: r.acceptedBy,
        acceptedAt: r.acceptedAt.toISOString(),
        reason: r.reason,
      })),
    };
  }

  /** Links events seen since the previous run to the first failing check naming their key. */
  async link(
    em: EntityManager,
    ctx: { tenantId: string; assetId: string; since: Date | null; until: Date },
    failing: FailingCheck[],
  ): Promise<void> {
    const repo = new DriftRepository(em);
    for (const e of await repo.linkCandidates(ctx.tenantId, ctx.assetId, ctx.since, ctx.until)) {
      const hit = failing.find((c) => driftKeyMatches(e.kind, e.key, c.targets));
      if (!hit) continue;
      await repo.updateEvent(ctx.tenantId, e.id, {
        linkedFindingId: hit.findingId,
        linkedCheckId: hit.checkId,
      });
    }
  }

  async linksOf(tenantId: string, findingIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const r of await new DriftRepository(this.ds.manager).linkedTo(tenantId, findingIds)) {
      if (r.linkedFindingId) out.set(r.linkedFindingId, [...(out.get(r.linkedFindingId) ?? []), r.id]);
    }
    return out;
  }

  private timeline(
    em: EntityManager,
    tenantId: string,
    e: DriftEventRow,
    at: Date,
    kind: string,
    who: string,
  ) {
    return addAssetTimelineEvents(em, tenantId, e.assetId, at, 'hub:drift', [
      { kind, detail: { eventId: e.id, kind: e.kind, key: e.key, by: who } },
    ]);
  }
}
