// REST response types of /api/v1/policies, defined once: the console imports them.
import type { PolicyAssignment } from './assignment.js';
import type { PolicyValidationError } from './validation-error.js';

export type { PolicyAssignment, PolicyValidationError };

export interface PolicySummaryView {
  id: string;
  /** The document id (`id:` in the YAML); what the agent reports results under. */
  policyKey: string;
  title: string;
  version: string;
  source: 'yaml' | 'sca' | 'builtin';
  builtin: boolean;
  revision: number;
  checks: number;
  assignment: PolicyAssignment;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyView extends PolicySummaryView {
  yaml: string;
  /** The compiled policy document (what agents receive). */
  document: unknown;
}

export interface PolicyListView {
  items: PolicySummaryView[];
  total: number;
  limit: number;
  offset: number;
}

export interface PolicyValidateView {
  valid: boolean;
  errors: PolicyValidationError[];
  checks: number;
}

export interface ScaImportWarningView {
  checkId: string | null;
  rule: string | null;
  message: string;
}

export interface ScaImportView {
  policy: PolicyView;
  stats: { checks: number; rules: number; unsupportedRules: number; checksWithUnsupported: number };
  warnings: ScaImportWarningView[];
}

export type DeploymentState = 'pending' | 'applied' | 'rejected' | 'outdated';

export interface PolicyDeploymentAgentView {
  agentId: string;
  hostname: string;
  online: boolean;
  state: DeploymentState;
  /** The revision the agent runs (applied / outdated), else null. */
  appliedRevision: number | null;
  appliedAt: string | null;
  /** Why the agent refused the current revision (rejected), else null. */
  reason: string | null;
  reasonCode: string | null;
}

export interface PolicyDeploymentView {
  policyId: string;
  revision: number;
  counts: Record<DeploymentState, number>;
  agents: PolicyDeploymentAgentView[];
}
