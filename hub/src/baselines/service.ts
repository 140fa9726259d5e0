// Reads behind the baselines REST API, and on-demand evaluation as BaselineEvaluate tasks.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AgentsRepository } from '../agents/index.js';
import { assetBelongsToTenant } from '../assets/index.js';
import { parseOrThrow } from './parse.js';
import { hubError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import type { TasksService } from '../tasks/index.js';
import type {
  AssetBaseline,
  BaselineRunDetail,
  BaselineRunSummary,
  BaselineRunsPage,
  CheckEvidenceView,
  ComplianceReport,
  EvaluateResponse,
} from './api-types.js';
import { BUCKET_MS, complianceSeries, type BucketName } from './compliance.js';
import type { BaselineResultRow, BaselineRunRow } from './entities.js';
import type { PolicyLookup } from './ingest.js';
import { BaselinesRepository } from './repository.js';
import { POLICY_KEY_RE } from './validation.js';

/** Drift event ids linked to each finding (the drift domain answers). */
export type DriftLinksOf = (tenantId: string, findingIds: string[]) => Promise<Map<string, string[]>>;

const uuid = z.string().refine(isUuid, { message: 'not a UUID' });
const policyKey = z.string().regex(POLICY_KEY_RE, { message: 'not a policy id' });
const instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), { message: 'invalid date' });

export const runsQuerySchema = z.object({
  asset: uuid.optional(),
  policy: policyKey.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
export const complianceQuerySchema = z.object({
  by: z.enum(['asset', 'policy', 'tenant']).default('tenant'),
  bucket: z.enum(Object.keys(BUCKET_MS) as [BucketName, ...BucketName[]]).default('day'),
  from: instant.optional(),
  to: instant.optional(),
  asset: uuid.optional(),
  policy: policyKey.optional(),
});
export const evaluateSchema = z
  .object({
    agentIds: z.array(uuid).max(1000).optional(),
    assetIds: z.array(uuid).max(1000).optional(),
    policyIds: z.array(policyKey).max(100).default([]),
    snapshot: z.boolean().default(false),
  })
  .strict()
  .refine((b) => (b.agentIds?.length ?? 0) + (b.assetIds?.length ?? 0) > 0, {
    message: 'agentIds or assetIds required',
  });

const DEFAULT_SPAN_MS = 30 * 86_400_000;

export class BaselinesService {
  constructor(
    private readonly ds: DataSource,
    private readonly deps: {
      tasks: TasksService;
      agents: AgentsRepository;
      driftLinks: DriftLinksOf;
      policies: PolicyLookup;
      clock: () => Date;
      log: Logger;
    },
  ) {}

  private repo() {
    return new BaselinesRepository(this.ds.manager);
  }

  async listRuns(tenantId: string, query: unknown): Promise<BaselineRunsPage> {
    const q = parseOrThrow(runsQuerySchema, query, 'query');
    const [rows, total] = await this.repo().listRuns(tenantId, { assetId: q.asset, policyKey: q.policy }, q);
    return { items: rows.map(runSummary), total };
  }

  async getRun(tenantId: string, id: string): Promise<BaselineRunDetail> {
    const run = isUuid(id) ? await this.repo().findRun(tenantId, id) : null;
    if (!run) throw hubError('NOT_FOUND', 'baseline run not found');
    const [detail] = await this.details(tenantId, [run]);
    return detail as BaselineRunDetail;
  }

  async assetBaseline(tenantId: string, assetId: string): Promise<AssetBaseline> {
    if (!(await assetBelongsToTenant(this.ds.manager, tenantId, assetId)))
      throw hubError('NOT_FOUND', 'asset not found');
    const runs = await this.repo().latestPerPolicy(tenantId, assetId);
    return { assetId, policies: await this.details(tenantId, runs) };
  }

  async compliance(tenantId: string, query: unknown): Promise<ComplianceReport> {
    const q = parseOrThrow(complianceQuerySchema, query, 'query');
    const to = q.to ?? this.deps.clock();
    const from = q.from ?? new Date(to.getTime() - DEFAULT_SPAN_MS);
    if (from.getTime() > to.getTime()) throw hubError('VALIDATION_FAILED', 'query: from is after to');
    const points = await this.repo().runPoints(tenantId, from, to, { assetId: q.asset, policyKey: q.policy });
    let series;
    try {
      series = complianceSeries(points, from, to, q.bucket, q.by);
    } catch (err) {
      if (err instanceof RangeError) throw hubError('VALIDATION_FAILED', `query: ${err.message}`);
      throw err;
    }
    return { by: q.by, bucket: q.bucket, from: from.toISOString(), to: to.toISOString(), series };
  }

  /** One BaselineEvaluate task per agent (named directly or as the agent of a named asset). */
  async evaluate(tenantId: string, body: unknown): Promise<EvaluateResponse> {
    const b = parseOrThrow(evaluateSchema, body, 'body');
    const agentIds = new Set(b.agentIds ?? []);
    if (b.assetIds?.length) {
      const wanted = new Set(b.assetIds);
      const found = new Set<string>();
      for (const a of await this.deps.agents.list(tenantId)) {
        if (a.assetId && wanted.has(a.assetId) && a.revokedAt === null) {
          agentIds.add(a.id);
          found.add(a.assetId);
        }
      }
      const missing = b.assetIds.find((id) => !found.has(id));
      if (missing) throw hubError('NOT_FOUND', `no agent on asset ${missing}`);
    }
    // Agents know policies by their wire id: translate keys (and check the policies exist).
    const policyIds: string[] = [];
    for (const id of b.policyIds) {
      const p = await this.deps.policies(this.ds.manager, tenantId, id);
      if (!p) throw hubError('NOT_FOUND', `no policy ${id}`);
      policyIds.push(p.wireId);
    }
    const params = { policyIds, snapshot: b.snapshot };
    const tasks = await this.ds.transaction(async (em) => {
      const out: EvaluateResponse['tasks'] = [];
      for (const agentId of agentIds) {
        const t = await this.deps.tasks.enqueue(em, tenantId, agentId, 'baseline_evaluate', params);
        out.push({ taskId: t.id, agentId });
      }
      return out;
    });
    for (const t of tasks) this.deps.tasks.deliver(tenantId, t.agentId);
    this.deps.log.info({ tenantId, tasks: tasks.length }, 'baseline evaluation requested');
    return { tasks };
  }

  private async details(tenantId: string, runs: BaselineRunRow[]): Promise<BaselineRunDetail[]> {
    const results = await this.repo().resultsOf(
      tenantId,
      runs.map((r) => r.id),
    );
    const findingIds = results.flatMap((r) => (r.findingId ? [r.findingId] : []));
    const links =
      findingIds.length > 0 ? await this.deps.driftLinks(tenantId, findingIds) : new Map<string, string[]>();
    const byRun = new Map<string, BaselineResultRow[]>();
    for (const r of results) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r]);
    return runs.map((run) => ({
      ...runSummary(run),
      results: (byRun.get(run.id) ?? []).map((r) => ({
        checkId: r.checkId,
        title: r.title,
        severity: r.severity,
        remediation: r.remediation,
        status: r.status,
        reason: r.reason,
        durationMs: r.durationMs,
        evidence: JSON.parse(r.evidence) as CheckEvidenceView[],
        findingId: r.findingId,
        linkedDriftEventIds: r.findingId ? (links.get(r.findingId) ?? []) : [],
      })),
    }));
  }
}

function runSummary(r: BaselineRunRow): BaselineRunSummary {
  return {
    id: r.id,
    assetId: r.assetId,
    agentId: r.agentId,
    agentRunId: r.agentRunId,
    policyKey: r.policyKey,
    policyRevision: r.policyRevision,
    policyTitle: r.policyTitle,
    trigger: r.trigger,
    taskId: r.taskId,
    startedAt: r.startedAt.toISOString(),
    durationMs: r.durationMs,
    passed: r.passed,
    failed: r.failed,
    notApplicable: r.notApplicable,
    errors: r.errors,
    score: r.score,
    requirementsUnmet: r.requirementsUnmet,
    requirementsReason: r.requirementsReason,
    receivedAt: r.receivedAt.toISOString(),
  };
}
