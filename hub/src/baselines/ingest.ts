// Applies one BaselineReport inside the gateway's batch transaction: the run and its results,
// a `baseline` finding per failing check, resolution of the policy's findings whose check now
// passes (or no longer applies), and links from recent drift events to the checks that failed.
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { RejectCode, toBigInt, watchpost, type PolicyCheck, type PolicyDocument } from '@watchpost/proto';
import type { AgentsRepository } from '../agents/index.js';
import { findingIdentityKey, type FindingsService, type Severity, SEVERITIES } from '../findings/index.js';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { CHECK_STATUSES, RUN_TRIGGERS, type BaselineResultRow, type BaselineRunRow } from './entities.js';
import { BaselinesRepository } from './repository.js';
import { checkTargets, policySource } from './targets.js';
import { checkBaselineReport } from './validation.js';

/** What the hub knows of a policy (the policies domain); null when it holds no such policy. */
export interface PolicyInfo {
  /** The document id (`id:` in the YAML): how runs and findings name the policy. */
  policyKey: string;
  /** The id agents know the policy by (PolicyUpdate.policy_id). */
  wireId: string;
  title: string;
  document: PolicyDocument | null;
}
/** Finds a policy by the id agents know it by, or by its key. */
export type PolicyLookup = (
  em: EntityManager,
  tenantId: string,
  idOrKey: string,
) => Promise<PolicyInfo | null>;

export interface FailingCheck {
  checkId: string;
  findingId: string;
  targets: string[];
}
/** Links drift events seen on the asset in (since, until] to the failing checks naming their key. */
export type LinkDrift = (
  em: EntityManager,
  ctx: { tenantId: string; assetId: string; since: Date | null; until: Date },
  failing: FailingCheck[],
) => Promise<void>;

export interface BaselineContext {
  tenantId: string;
  agentId: string;
  /** The agent's asset when the same batch just set it; otherwise read from the agent row. */
  assetId?: string | null | undefined;
  receivedAt: Date;
}

export type ApplyBaseline = (
  em: EntityManager,
  ctx: BaselineContext,
  report: watchpost.v1.IBaselineReport,
) => Promise<{ runId: string; findings: number; resolved: number }>;

/** An enum value a newer agent may send that this hub does not know reads as unspecified. */
const TRIGGERS = new Map(RUN_TRIGGERS.map((t, i) => [i, t]));
const triggerName = (t: number) => TRIGGERS.get(t) ?? 'unspecified';
const statusName = (s: number) => CHECK_STATUSES[s - 1] ?? 'error';
const severityOf = (s: string | undefined): Severity =>
  (SEVERITIES as readonly string[]).includes(s ?? '') ? (s as Severity) : 'medium';

export function baselineApplier(deps: {
  agents: AgentsRepository;
  findings: FindingsService;
  policies: PolicyLookup;
  linkDrift: LinkDrift;
  log: Logger;
}): ApplyBaseline {
  return async (em, ctx, report) => {
    const rejection = checkBaselineReport(report);
    if (rejection) throw hubError('VALIDATION_FAILED', rejection.reason, { rejectCode: rejection.code });
    const assetId = ctx.assetId ?? (await deps.agents.find(ctx.tenantId, ctx.agentId, em))?.assetId ?? null;
    if (!assetId) {
      throw hubError('VALIDATION_FAILED', 'the agent has no asset yet: send an inventory first', {
        rejectCode: RejectCode.INVALID_MESSAGE,
      });
    }
    // Agents name the policy by its wire id; runs and findings by its key (stable across copies
    // of the hub's rows). A policy the hub does not hold keeps the name the agent used.
    const policy = await deps.policies(em, ctx.tenantId, report.policyId ?? '');
    const policyKey = policy?.policyKey ?? report.policyId ?? '';
    const checks = new Map<string, PolicyCheck>((policy?.document?.checks ?? []).map((c) => [c.id, c]));
    const startedAt = new Date(Number(toBigInt(report.startedAtMs ?? 0)));
    const repo = new BaselinesRepository(em);
    const previous = await repo.previousRun(ctx.tenantId, assetId, policyKey, startedAt);

    const run: BaselineRunRow = {
      id: newId(),
      tenantId: ctx.tenantId,
      assetId,
      agentId: ctx.agentId,
      agentRunId: report.runId ?? '',
      policyKey,
      policyRevision: report.policyVersion ?? 0,
      policyTitle: policy?.title ?? policyKey,
      trigger: triggerName(report.trigger ?? 0),
      taskId: report.taskId ? report.taskId : null,
      startedAt,
      durationMs: report.durationMs ?? 0,
      passed: report.passed ?? 0,
      failed: report.failed ?? 0,
      notApplicable: report.notApplicable ?? 0,
      errors: report.errors ?? 0,
      score: report.score ?? 0,
      requirementsUnmet: report.requirementsUnmet === true,
      requirementsReason: report.requirementsReason ?? '',
      receivedAt: ctx.receivedAt,
    };
    const source = policySource(policyKey);
    const failing: FailingCheck[] = [];
    const keep: string[] = [];
    const results: BaselineResultRow[] = [];
    for (const c of report.results ?? []) {
      const check = checks.get(c.checkId ?? '');
      const evidence = (c.evidence ?? []).map((e) => ({
        rule: e.rule ?? '',
        target: e.target ?? '',
        found: e.found ?? '',
        matched: e.matched === true,
      }));
      const status = statusName(c.status ?? 0);
      const row: BaselineResultRow = {
        id: newId(),
        tenantId: ctx.tenantId,
        runId: run.id,
        checkId: c.checkId ?? '',
        status,
        reason: c.reason ?? '',
        evidence: JSON.stringify(evidence),
        durationMs: c.durationMs ?? 0,
        title: check?.title ?? c.checkId ?? '',
        severity: severityOf(check?.severity),
        remediation: check?.remediation ?? '',
        targets: JSON.stringify(
          checkTargets(
            check,
            evidence.map((e) => e.target),
          ),
        ),
        findingId: null,
      };
      const identity = {
        type: 'baseline' as const,
        assetId,
        component: `policy:${policyKey}`,
        ruleId: row.checkId,
      };
      if (status === 'fail') {
        const up = await deps.findings.upsert(em, ctx.tenantId, {
          ...identity,
          title: row.title,
          description: [
            check?.description,
            check?.rationale && `Rationale: ${check.rationale}`,
            row.remediation && `Remediation: ${row.remediation}`,
          ]
            .filter(Boolean)
            .join('\n\n'),
          severity: severityOf(row.severity),
          source,
          observedAt: startedAt,
          rawExcerpt: evidence.map((e) => `${e.rule} @ ${e.target}: ${e.found}`).join('\n') || null,
          details: {
            runId: run.id,
            policyKey,
            policyRevision: run.policyRevision,
            checkId: row.checkId,
            remediation: row.remediation,
            evidence,
          },
        });
        row.findingId = up.findingId;
        failing.push({
          checkId: row.checkId,
          findingId: up.findingId,
          targets: JSON.parse(row.targets) as string[],
        });
      }
      // An error decides nothing: its finding (if any) stays as it was.
      if (status === 'fail' || status === 'error') keep.push(findingIdentityKey(identity));
      results.push(row);
    }
    await repo.insertRun(run, results);
    const { resolvedIds } = await deps.findings.resolveNotSeen(em, ctx.tenantId, {
      assetId,
      type: 'baseline',
      source,
      seenIdentityKeys: keep,
      checkedAt: startedAt,
    });
    if (failing.length > 0)
      await deps.linkDrift(
        em,
        { tenantId: ctx.tenantId, assetId, since: previous?.startedAt ?? null, until: startedAt },
        failing,
      );
    deps.log.info(
      {
        tenantId: ctx.tenantId,
        assetId,
        policyKey,
        runId: run.id,
        failed: run.failed,
        resolved: resolvedIds.length,
      },
      'baseline run stored',
    );
    return { runId: run.id, findings: failing.length, resolved: resolvedIds.length };
  };
}
