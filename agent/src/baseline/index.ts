// Baseline policy evaluation on the agent: the rule engine (evaluatePolicy over a HostView),
// the Linux HostView (root-prefixed), and the service that runs it on triggers.
export { evaluatePolicy, combine, type EvaluateOptions } from './evaluate.js';
export type { HostView, HostStat, ServiceState } from './host.js';
export { createLinuxHost, type LinuxHostOptions } from './linux/host.js';
export { toBaselineReport } from './report.js';
export {
  BaselineFailedError,
  BaselineService,
  type BaselineConfig,
  type BaselineServiceDeps,
  type BaselineSummary,
} from './service.js';
export {
  REASONS,
  EVAL_LIMITS,
  type CheckOutcome,
  type CheckStatus,
  type Evidence,
  type PolicyOutcome,
} from './types.js';
