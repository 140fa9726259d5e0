// Applies one DriftReport inside the gateway's batch transaction. A chunk of a full snapshot is
// kept until all chunks are there; the complete snapshot then becomes the accepted baseline
// (first one) or is compared with it. Incremental changes become drift events. Replays change
// nothing: chunks and snapshots are keyed by snapshot_id, changes already known are skipped.
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { RejectCode, toBigInt, watchpost } from '@watchpost/proto';
import type { AgentsRepository } from '../agents/index.js';
import { addAssetTimelineEvents } from '../assets/index.js';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { ChangeName, DriftEventRow, DriftSourceName, StateItemRow } from './entities.js';
import { DriftRepository } from './repository.js';
import {
  assembleSnapshot,
  compareSnapshot,
  keyHashOf,
  SnapshotAssemblyError,
  type Item,
} from './snapshot.js';
import { checkDriftReport, DRIFT_LIMITS } from './validation.js';

export interface DriftContext {
  tenantId: string;
  agentId: string;
  assetId?: string | null | undefined;
  receivedAt: Date;
}
export type ApplyDrift = (
  em: EntityManager,
  ctx: DriftContext,
  report: watchpost.v1.IDriftReport,
) => Promise<{ events: number; baselineEstablished: boolean }>;

const FIRST_SNAPSHOT = 'first-snapshot';
const CHANGE: Record<number, ChangeName> = { 1: 'added', 2: 'removed', 3: 'modified' };
const SOURCE: Record<number, DriftSourceName> = { 1: 'watch', 2: 'scan' };
const ms = (v: unknown) => new Date(Number(toBigInt((v ?? 0) as number)));

export const itemOf = (i: watchpost.v1.IStateItem): Item => ({
  kind: i.kind ?? '',
  key: i.key ?? '',
  digest: i.digest ?? '',
  valueJson: i.valueJson ?? '',
  secret: i.secret === true,
});
const valueOf = (i: Item | undefined): string | null =>
  i ? JSON.stringify({ digest: i.digest, valueJson: i.valueJson, secret: i.secret }) : null;

export function driftApplier(deps: {
  agents: AgentsRepository;
  log: Logger;
  /** After the state moved: resolve drift findings whose key is back at its accepted value. */
  settle: (em: EntityManager, ctx: { tenantId: string; assetId: string; at: Date }) => Promise<unknown>;
}): ApplyDrift {
  return async (em, ctx, report) => {
    const rejection = checkDriftReport(report);
    if (rejection) throw hubError('VALIDATION_FAILED', rejection.reason, { rejectCode: rejection.code });
    const assetId = ctx.assetId ?? (await deps.agents.find(ctx.tenantId, ctx.agentId, em))?.assetId ?? null;
    if (!assetId) {
      throw hubError('VALIDATION_FAILED', 'the agent has no asset yet: send an inventory first', {
        rejectCode: RejectCode.INVALID_MESSAGE,
      });
    }
    const repo = new DriftRepository(em);
    const base = { tenantId: ctx.tenantId, assetId };
    const stateRow = (h: string, i: Item): StateItemRow => ({
      id: newId(),
      ...base,
      ...i,
      keyHash: h,
      updatedAt: ctx.receivedAt,
    });
    const eventRow = (
      e: {
        keyHash: string;
        kind: string;
        key: string;
        change: ChangeName;
        before: Item | undefined;
        after: Item | undefined;
      },
      extra: Partial<DriftEventRow>,
    ): DriftEventRow => ({
      id: newId(),
      ...base,
      kind: e.kind,
      key: e.key,
      keyHash: e.keyHash,
      change: e.change,
      beforeJson: valueOf(e.before),
      afterJson: valueOf(e.after),
      diff: '',
      coalesced: 1,
      firstSeenAt: ms(report.takenAtMs),
      lastSeenAt: ms(report.takenAtMs),
      source: 'snapshot',
      status: 'open',
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      findingId: null,
      linkedFindingId: null,
      linkedCheckId: null,
      createdAt: ctx.receivedAt,
      ...extra,
    });
    let events: DriftEventRow[] = [];
    let baselineEstablished = false;
    let stateMoved = false;

    if (report.full) {
      const snapshotId = report.snapshotId ?? '';
      let snap = await repo.findSnapshot(ctx.tenantId, ctx.agentId, snapshotId);
      if (snap?.state === 'applied') return { events: 0, baselineEstablished: false };
      if (!snap) {
        snap = {
          id: newId(),
          ...base,
          agentId: ctx.agentId,
          snapshotId,
          chunkCount: report.chunkCount ?? 1,
          takenAt: ms(report.takenAtMs),
          state: 'assembling',
          items: 0,
          createdAt: ctx.receivedAt,
          appliedAt: null,
        };
        await repo.insertSnapshot(snap);
      } else if (snap.chunkCount !== report.chunkCount) {
        throw hubError('VALIDATION_FAILED', `snapshot ${snapshotId}: chunk_count changed`, {
          rejectCode: RejectCode.INVALID_MESSAGE,
        });
      }
      const chunk = report.chunk ?? 0;
      if (!(await repo.hasChunk(ctx.tenantId, snap.id, chunk))) {
        await repo.insertChunk({
          id: newId(),
          tenantId: ctx.tenantId,
          snapshotRowId: snap.id,
          chunk,
          items: JSON.stringify((report.items ?? []).map(itemOf)),
        });
      }
      if ((await repo.chunkCount(ctx.tenantId, snap.id)) < snap.chunkCount)
        return { events: 0, baselineEstablished };
      let items: Map<string, Item>;
      try {
        const chunks = await repo.chunks(ctx.tenantId, snap.id);
        items = assembleSnapshot(
          snap.chunkCount,
          chunks.map((c) => ({ chunk: c.chunk, items: JSON.parse(c.items) as Item[] })),
          DRIFT_LIMITS.maxSnapshotItems,
        );
      } catch (err) {
        if (!(err instanceof SnapshotAssemblyError)) throw err;
        throw hubError('VALIDATION_FAILED', `snapshot ${snapshotId}: ${err.message}`, {
          rejectCode: RejectCode.INVALID_MESSAGE,
        });
      }
      if (!(await repo.hasBaseline(ctx.tenantId, assetId))) {
        // The asset's first snapshot is its accepted baseline (until an expert accepts changes).
        const rows = [...items].map(([h, i]) => stateRow(h, i));
        await repo.insertBaseline(
          rows.map(({ updatedAt: _u, ...r }) => ({
            ...r,
            id: newId(),
            acceptedBy: FIRST_SNAPSHOT,
            acceptedAt: ctx.receivedAt,
            reason: `first full snapshot ${snapshotId}`,
          })),
        );
        const known = await repo.state(ctx.tenantId, assetId);
        for (const k of known) await repo.setStateItem(ctx.tenantId, assetId, k.keyHash, undefined);
        await repo.insertState(rows);
        baselineEstablished = true;
      } else {
        const toMap = (rows: Item[]) => new Map(rows.map((r) => [keyHashOf(r.kind, r.key), r]));
        const cmp = compareSnapshot(
          items,
          toMap(await repo.state(ctx.tenantId, assetId)),
          toMap(await repo.baseline(ctx.tenantId, assetId)),
        );
        stateMoved = cmp.stateChanges.length > 0;
        for (const c of cmp.stateChanges)
          await repo.setStateItem(ctx.tenantId, assetId, c.keyHash, c.item && stateRow(c.keyHash, c.item));
        events = cmp.events.map((e) => eventRow(e, {}));
      }
      await repo.markApplied(snap, items.size, ctx.receivedAt);
    } else {
      for (const c of report.changes ?? []) {
        const kind = c.kind ?? '';
        const key = c.key ?? '';
        const h = keyHashOf(kind, key);
        const after = c.after ? itemOf(c.after) : undefined;
        const before = c.before ? itemOf(c.before) : undefined;
        const known = await repo.stateItem(ctx.tenantId, assetId, h);
        // Already known (a replay, or the periodic scan repeating what the watcher sent).
        if ((known?.digest ?? null) === (after?.digest ?? null)) continue;
        await repo.setStateItem(ctx.tenantId, assetId, h, after && stateRow(h, after));
        stateMoved = true;
        const secret = before?.secret === true || after?.secret === true;
        events.push(
          eventRow(
            { keyHash: h, kind, key, change: CHANGE[c.change ?? 0] ?? 'modified', before, after },
            {
              // Secrets travel by hash only; a diff would leak their content.
              diff: secret ? '' : (c.diff ?? ''),
              coalesced: c.coalesced ?? 1,
              firstSeenAt: ms(c.firstSeenMs),
              lastSeenAt: ms(c.lastSeenMs),
              source: SOURCE[c.source ?? 0] ?? 'unspecified',
            },
          ),
        );
      }
    }
    await repo.insertEvents(events);
    if (stateMoved) await deps.settle(em, { tenantId: ctx.tenantId, assetId, at: ctx.receivedAt });
    if (events.length > 0) {
      await addAssetTimelineEvents(
        em,
        ctx.tenantId,
        assetId,
        ctx.receivedAt,
        'agent:drift',
        events.map((e) => ({
          kind: 'drift',
          detail: { eventId: e.id, kind: e.kind, key: e.key, change: e.change },
        })),
      );
    }
    deps.log.info(
      {
        tenantId: ctx.tenantId,
        assetId,
        full: report.full === true,
        events: events.length,
        baselineEstablished,
      },
      'drift report applied',
    );
    return { events: events.length, baselineEstablished };
  };
}
