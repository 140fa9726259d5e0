// Content checks of a BaselineReport before anything is stored (pure). A report that fails here
// is answered with Reject{code} and leaves no row behind.
import { POLICY_LIMITS, RejectCode, toBigInt, watchpost } from '@watchpost/proto';

export const BASELINE_LIMITS = {
  maxResults: POLICY_LIMITS.maxChecks,
  maxEvidencesPerCheck: 16,
  maxFoundChars: 512,
  maxRuleChars: 4096,
  maxTargetChars: 4096,
  maxReasonChars: 4096,
} as const;

/** The policy document id (proto/src/policy.ts `policyDocumentSchema.id`). */
export const POLICY_KEY_RE = /^[a-z0-9][a-z0-9_.-]{0,127}$/;
const RUN_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface BaselineRejection {
  code: RejectCode;
  reason: string;
}

const bad = (reason: string): BaselineRejection => ({ code: RejectCode.INVALID_MESSAGE, reason });
const limit = (reason: string): BaselineRejection => ({ code: RejectCode.LIMIT_EXCEEDED, reason });
const { CheckStatus } = watchpost.v1;

export function checkBaselineReport(r: watchpost.v1.IBaselineReport): BaselineRejection | null {
  if (!RUN_ID_RE.test(r.runId ?? '')) return bad('baseline_report.run_id is empty or malformed');
  if (!POLICY_KEY_RE.test(r.policyId ?? '')) return bad('baseline_report.policy_id is not a policy id');
  const started = Number(toBigInt(r.startedAtMs ?? 0));
  if (!(started > 0 && started < 8.64e15)) return bad('baseline_report.started_at_ms is not a time');
  const score = r.score ?? 0;
  if (!Number.isFinite(score) || score < 0 || score > 100) return bad('baseline_report.score not in 0..100');
  if ((r.requirementsReason?.length ?? 0) > BASELINE_LIMITS.maxReasonChars)
    return limit('baseline_report.requirements_reason too long');
  if (r.requirementsReason?.includes('\u0000'))
    return bad('baseline_report.requirements_reason contains NUL');
  const results = r.results ?? [];
  if (results.length > BASELINE_LIMITS.maxResults) return limit(`over ${BASELINE_LIMITS.maxResults} results`);
  const seen = new Set<string>();
  const counts = new Map<number, number>();
  for (const c of results) {
    const id = c.checkId ?? '';
    if (id.length < 1 || id.length > 128) return bad('check_id empty or over 128 chars');
    if (seen.has(id)) return bad(`check ${id} reported twice`);
    seen.add(id);
    const status = c.status ?? 0;
    if (status < CheckStatus.CHECK_STATUS_PASS || status > CheckStatus.CHECK_STATUS_ERROR)
      return bad(`check ${id}: status unspecified`);
    counts.set(status, (counts.get(status) ?? 0) + 1);
    if ((c.reason?.length ?? 0) > BASELINE_LIMITS.maxReasonChars)
      return limit(`check ${id}: reason too long`);
    const evidence = c.evidence ?? [];
    if (evidence.length > BASELINE_LIMITS.maxEvidencesPerCheck)
      return limit(`check ${id}: over ${BASELINE_LIMITS.maxEvidencesPerCheck} evidences`);
    for (const e of evidence) {
      if ((e.found?.length ?? 0) > BASELINE_LIMITS.maxFoundChars)
        return limit(`check ${id}: evidence.found over ${BASELINE_LIMITS.maxFoundChars} chars`);
      if ((e.rule?.length ?? 0) > BASELINE_LIMITS.maxRuleChars)
        return limit(`check ${id}: evidence.rule too long`);
      if ((e.target?.length ?? 0) > BASELINE_LIMITS.maxTargetChars)
        return limit(`check ${id}: evidence.target too long`);
    }
    // PostgreSQL text cannot hold NUL: one would fail the whole batch instead of this report.
    const texts = [
      id,
      c.reason ?? '',
      ...evidence.flatMap((e) => [e.found ?? '', e.rule ?? '', e.target ?? '']),
    ];
    if (texts.some((s) => s.includes('\u0000'))) return bad(`check ${id}: text contains NUL`);
  }
  // The summary must describe the results it came with: a mismatch is a broken report.
  const expect: [string, number | null | undefined, number][] = [
    ['passed', r.passed, CheckStatus.CHECK_STATUS_PASS],
    ['failed', r.failed, CheckStatus.CHECK_STATUS_FAIL],
    ['not_applicable', r.notApplicable, CheckStatus.CHECK_STATUS_NOT_APPLICABLE],
    ['errors', r.errors, CheckStatus.CHECK_STATUS_ERROR],
  ];
  for (const [name, given, status] of expect) {
    if ((given ?? 0) !== (counts.get(status) ?? 0))
      return bad(
        `baseline_report.${name} (${given ?? 0}) does not match the results (${counts.get(status) ?? 0})`,
      );
  }
  return null;
}
