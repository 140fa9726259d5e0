// Commits one batch of an agent's sequenced messages in ONE transaction together with
// agents.last_seq; the caller acks only after this resolves. Content failures become
// ingest_rejects rows (and Reject frames); they advance last_seq like any stored message.
import { toBigInt, type watchpost, AgentEventCode, RejectCode } from '@watchpost/proto';
import type { DataSource, EntityManager } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import { bulkInsert, instantParam, runSql } from '../db/raw.js';
import { isHubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import {
  etaFromProgress,
  foldTaskEvents,
  type TaskEventInsert,
  type TaskFoldEvent,
  type TasksRepository,
} from '../tasks/index.js';
import { progressStateName, resultStateName } from '../tasks/fold.js';
import type { ApplyDiscovery } from '../scans/index.js';
import type { ApplyBaseline } from '../baselines/index.js';
import type { ApplyDrift } from '../drift/index.js';
import { validateSequenced, type ContentRejection } from './validate.js';

export type ApplyInventory = (
  em: EntityManager,
  ctx: { tenantId: string; agentId: string; receivedAt: Date },
  report: watchpost.v1.IInventoryReport,
) => Promise<{ assetId: string; divergedSections?: readonly string[] }>;

export interface IngestDeps {
  ds: DataSource;
  tasks: TasksRepository;
  applyInventory: ApplyInventory;
  applyDiscovery: ApplyDiscovery;
  /** Baseline results and configuration drift (#4); absent in gateway-only tests. */
  applyBaseline?: ApplyBaseline | undefined;
  applyDrift?: ApplyDrift | undefined;
  clock: () => Date;
}

export interface BatchOutcome {
  lastSeq: bigint;
  /** A report called sections unchanged that the hub does not hold: ask for a full one. */
  needsFullInventory: boolean;
  rejects: { seq: bigint; code: string; reason: string }[];
}

export class SeqConflictError extends Error {}

const REFUSAL_CODES: ReadonlySet<string> = new Set([
  AgentEventCode.TASK_SIGNATURE_INVALID,
  AgentEventCode.TASK_EXPIRED,
  AgentEventCode.TASK_WRONG_AGENT,
  AgentEventCode.TASK_UNSUPPORTED,
]);

export async function commitBatch(
  deps: IngestDeps,
  who: { tenantId: string; agentId: string },
  expectedLastSeq: bigint,
  batch: readonly watchpost.v1.AgentEnvelope[],
): Promise<BatchOutcome> {
  const dialect = dialectOfDataSource(deps.ds);
  const newLast = toBigInt(batch[batch.length - 1]?.seq);
  const now = deps.clock();
  return deps.ds.transaction(async (em) => {
    // First statement: advances last_seq only from the value this connection expects. Takes the
    // row lock on PostgreSQL, so two nodes can never commit the same seqs.
    const res = await runSql(
      em,
      dialect,
      'UPDATE agents SET last_seq = ? WHERE id = ? AND tenant_id = ? AND last_seq = ?',
      [newLast.toString(), who.agentId, who.tenantId, expectedLastSeq.toString()],
    );
    if (res !== 1) throw new SeqConflictError(`last_seq moved away from ${expectedLastSeq}`);

    const rejects: BatchOutcome['rejects'] = [];
    const rejectRows: unknown[][] = [];
    const addReject = (env: watchpost.v1.AgentEnvelope, r: ContentRejection) => {
      const seq = toBigInt(env.seq);
      rejects.push({ seq, code: r.code, reason: r.reason });
      rejectRows.push([
        newId(),
        who.tenantId,
        who.agentId,
        seq.toString(),
        r.code,
        r.reason,
        env.body ?? 'none',
        instantParam(dialect, now),
      ]);
    };

    const valid: watchpost.v1.AgentEnvelope[] = [];
    for (const env of batch) {
      const r = validateSequenced(env);
      if (r) addReject(env, r);
      else valid.push(env);
    }

    // Tasks referenced by progress/results/refusals must exist for this agent.
    const taskIds = new Set<string>();
    for (const env of valid) {
      if (env.taskProgress?.taskId) taskIds.add(env.taskProgress.taskId);
      if (env.taskResult?.taskId) taskIds.add(env.taskResult.taskId);
      if (env.discoveryReport?.taskId) taskIds.add(env.discoveryReport.taskId);
      const ev = env.agentEvent;
      if (ev?.ref && ev.code && REFUSAL_CODES.has(ev.code)) taskIds.add(ev.ref);
    }
    const known = new Map(
      (await deps.tasks.existingFor(em, who.tenantId, who.agentId, [...taskIds])).map((t) => [t.id, t]),
    );
    const folds = new Map<string, TaskFoldEvent[]>();
    const pushFold = (id: string, e: TaskFoldEvent) => {
      const list = folds.get(id) ?? [];
      list.push(e);
      folds.set(id, list);
    };
    const taskEvents: TaskEventInsert[] = [];
    const eventRows: unknown[][] = [];
    let assetId: string | null = null;
    let needsFullInventory = false;

    for (const env of valid) {
      const seq = toBigInt(env.seq);
      // Decoded sub-messages are full class instances (defaults on the prototype).
      const p = env.taskProgress as watchpost.v1.TaskProgress | null | undefined;
      const r = env.taskResult as watchpost.v1.TaskResult | null | undefined;
      if (p) {
        if (!known.has(p.taskId)) {
          addReject(env, { code: RejectCode.UNKNOWN_TASK, reason: `unknown task ${p.taskId}` });
          continue;
        }
        const state = progressStateName(p.state);
        taskEvents.push({
          id: newId(),
          tenantId: who.tenantId,
          taskId: p.taskId,
          agentId: who.agentId,
          seq,
          kind: 'progress',
          state,
          percent: p.percent,
          counter: toBigInt(p.counter),
          message: p.message,
          createdAt: now,
        });
        pushFold(p.taskId, {
          kind: 'progress',
          state: p.state,
          percent: p.percent,
          message: p.message,
          etaAt: etaFromProgress(toBigInt(p.etaMs), now),
        });
      } else if (r) {
        if (!known.has(r.taskId)) {
          addReject(env, { code: RejectCode.UNKNOWN_TASK, reason: `unknown task ${r.taskId}` });
          continue;
        }
        taskEvents.push({
          id: newId(),
          tenantId: who.tenantId,
          taskId: r.taskId,
          agentId: who.agentId,
          seq,
          kind: 'result',
          state: resultStateName(r.state),
          percent: 100,
          counter: 0n,
          message: r.errorMessage,
          createdAt: now,
        });
        pushFold(r.taskId, {
          kind: 'result',
          state: r.state,
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
          summary: r.summaryJson,
        });
      } else if (env.agentEvent) {
        const e = env.agentEvent as watchpost.v1.AgentEvent;
        eventRows.push([
          newId(),
          who.tenantId,
          who.agentId,
          seq.toString(),
          e.code,
          e.severity,
          e.message,
          e.ref,
          JSON.stringify(e.details),
          instantParam(dialect, now),
        ]);
        if (REFUSAL_CODES.has(e.code) && known.has(e.ref)) {
          pushFold(e.ref, { kind: 'refusal', code: e.code, message: e.message });
        }
      } else if (env.discoveryReport) {
        const report = env.discoveryReport as watchpost.v1.DiscoveryReport;
        if (!known.has(report.taskId)) {
          addReject(env, { code: RejectCode.UNKNOWN_TASK, reason: `unknown task ${report.taskId}` });
          continue;
        }
        await applyInSavepoint(env, addReject, () =>
          em.transaction((inner) =>
            deps.applyDiscovery(
              inner,
              { tenantId: who.tenantId, agentId: who.agentId, receivedAt: now },
              report,
            ),
          ),
        );
      } else if (env.baselineReport || env.driftReport) {
        const ctx = { tenantId: who.tenantId, agentId: who.agentId, assetId, receivedAt: now };
        const { applyBaseline, applyDrift } = deps;
        const work: ((inner: EntityManager) => Promise<unknown>) | undefined = env.baselineReport
          ? applyBaseline &&
            ((inner) => applyBaseline(inner, ctx, env.baselineReport as watchpost.v1.BaselineReport))
          : applyDrift && ((inner) => applyDrift(inner, ctx, env.driftReport as watchpost.v1.DriftReport));
        if (!work) {
          addReject(env, {
            code: RejectCode.INVALID_MESSAGE,
            reason: `${env.body ?? ''} not handled by this hub`,
          });
          continue;
        }
        // Savepoint: a report the domain refuses is rejected whole, without losing the batch.
        await applyInSavepoint(env, addReject, () => em.transaction((inner) => work(inner)));
      } else if (env.inventory) {
        const report = env.inventory as watchpost.v1.InventoryReport;
        try {
          // Savepoint: a report the asset ledger refuses is rejected without losing the batch.
          const out = await em.transaction((inner) =>
            deps.applyInventory(
              inner,
              { tenantId: who.tenantId, agentId: who.agentId, receivedAt: now },
              report,
            ),
          );
          assetId = out.assetId;
          if ((out.divergedSections?.length ?? 0) > 0) needsFullInventory = true;
        } catch (err) {
          if (isHubError(err) && err.status < 500) {
            const code =
              err.details?.['rejectCode'] === RejectCode.LIMIT_EXCEEDED
                ? RejectCode.LIMIT_EXCEEDED
                : RejectCode.INVALID_MESSAGE;
            addReject(env, { code, reason: err.message });
          } else throw err;
        }
      }
    }

    await deps.tasks.insertEvents(em, taskEvents);
    await bulkInsert(
      em,
      dialect,
      'agent_events',
      ['id', 'tenant_id', 'agent_id', 'seq', 'code', 'severity', 'message', 'ref', 'details', 'created_at'],
      eventRows,
    );
    await bulkInsert(
      em,
      dialect,
      'ingest_rejects',
      ['id', 'tenant_id', 'agent_id', 'seq', 'code', 'reason', 'body_kind', 'created_at'],
      rejectRows,
    );
    for (const [taskId, events] of folds) {
      const t = known.get(taskId);
      if (!t) continue;
      const folded = foldTaskEvents(t, events);
      await deps.tasks.saveFolded(em, who.tenantId, taskId, { ...folded, updatedAt: now });
    }
    if (assetId !== null) {
      await runSql(em, dialect, 'UPDATE agents SET asset_id = ? WHERE id = ? AND tenant_id = ?', [
        assetId,
        who.agentId,
        who.tenantId,
      ]);
    }
    rejects.sort((a, b) => (a.seq < b.seq ? -1 : 1));
    return { lastSeq: newLast, rejects, needsFullInventory };
  });
}

/** Runs a domain's apply in a savepoint; its 4xx HubErrors become Rejects, the batch goes on. */
async function applyInSavepoint(
  env: watchpost.v1.AgentEnvelope,
  addReject: (env: watchpost.v1.AgentEnvelope, r: ContentRejection) => void,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!isHubError(err) || err.status >= 500) throw err;
    const wanted = err.details?.['rejectCode'];
    const code =
      wanted === RejectCode.LIMIT_EXCEEDED || wanted === RejectCode.UNKNOWN_TASK
        ? wanted
        : RejectCode.INVALID_MESSAGE;
    addReject(env, { code, reason: err.message });
  }
}
