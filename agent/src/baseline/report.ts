// PolicyOutcome → the BaselineReport wire message.
import { toLong, watchpost } from '@watchpost/proto';
import type { CheckStatus, PolicyOutcome } from './types.js';

const { CheckStatus: WireStatus } = watchpost.v1;

const STATUS: Record<CheckStatus, watchpost.v1.CheckStatus> = {
  pass: WireStatus.CHECK_STATUS_PASS,
  fail: WireStatus.CHECK_STATUS_FAIL,
  not_applicable: WireStatus.CHECK_STATUS_NOT_APPLICABLE,
  error: WireStatus.CHECK_STATUS_ERROR,
};

export function toBaselineReport(
  outcome: PolicyOutcome,
  meta: {
    runId: string;
    policyId: string;
    policyVersion: number;
    trigger: watchpost.v1.BaselineTrigger;
    taskId?: string;
  },
): watchpost.v1.IBaselineReport {
  return {
    runId: meta.runId,
    policyId: meta.policyId,
    policyVersion: meta.policyVersion,
    trigger: meta.trigger,
    taskId: meta.taskId ?? '',
    startedAtMs: toLong(outcome.startedAtMs, false),
    durationMs: outcome.durationMs,
    results: outcome.results.map((r) => ({
      checkId: r.checkId,
      status: STATUS[r.status],
      reason: r.reason,
      evidence: r.evidence,
      durationMs: r.durationMs,
    })),
    passed: outcome.passed,
    failed: outcome.failed,
    notApplicable: outcome.notApplicable,
    errors: outcome.errors,
    score: outcome.score,
    requirementsUnmet: outcome.requirementsUnmet,
    requirementsReason: outcome.requirementsReason,
  };
}
