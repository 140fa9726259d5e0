// The baselines REST API's response shapes: defined once here, imported by the console.
import type { CheckStatusName, RunTrigger } from './entities.js';
import type { ComplianceBy, ComplianceSeries } from './compliance.js';

export type { CheckStatusName, RunTrigger, ComplianceBy, ComplianceSeries };

export interface BaselineRunSummary {
  id: string;
  assetId: string;
  agentId: string;
  agentRunId: string;
  policyKey: string;
  policyRevision: number;
  policyTitle: string;
  trigger: RunTrigger;
  taskId: string | null;
  startedAt: string;
  durationMs: number;
  passed: number;
  failed: number;
  notApplicable: number;
  errors: number;
  score: number;
  requirementsUnmet: boolean;
  requirementsReason: string;
  receivedAt: string;
}

export interface CheckEvidenceView {
  rule: string;
  target: string;
  found: string;
  matched: boolean;
}

export interface BaselineCheckResult {
  checkId: string;
  title: string;
  severity: string;
  remediation: string;
  status: CheckStatusName;
  reason: string;
  durationMs: number;
  evidence: CheckEvidenceView[];
  /** The `baseline` finding of a failing check. */
  findingId: string | null;
  /** Drift events linked to this check's finding (a change that made it fail). */
  linkedDriftEventIds: string[];
}

export interface BaselineRunDetail extends BaselineRunSummary {
  results: BaselineCheckResult[];
}

export interface BaselineRunsPage {
  items: BaselineRunSummary[];
  total: number;
}

/** GET /assets/:id/baseline: the latest run of every policy with per-check status. */
export interface AssetBaseline {
  assetId: string;
  policies: BaselineRunDetail[];
}

export interface ComplianceReport {
  by: ComplianceBy;
  bucket: string;
  from: string;
  to: string;
  series: ComplianceSeries[];
}

export interface EvaluateResponse {
  tasks: { taskId: string; agentId: string }[];
}
