// The rule engine: a policy document + a HostView → per-check results. Combination follows
// Wazuh SCA: a rule that cannot be evaluated ("invalid") never counts as a pass —
//   all:  any rule false → fail; else any invalid → not_applicable; else pass
//   any:  any rule true  → pass; else any invalid → not_applicable; else fail
//   none: any rule true  → fail; else any invalid → not_applicable; else pass
// Evaluation stops at the first rule that decides the outcome, as SCA does.
import type { PolicyCheck, PolicyDocument, PolicyRule } from '@watchpost/proto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { errorMessage } from '../errors.js';
import type { HostView } from './host.js';
import { evaluateRule, type RuleContext } from './rules/index.js';
import {
  EVAL_LIMITS,
  REASONS,
  RuleError,
  type CheckOutcome,
  type Evidence,
  type PolicyOutcome,
  type RuleVerdict,
} from './types.js';
import { expandRule } from './variables.js';

export interface EvaluateOptions {
  /** The agent's local `baseline.allowCommands` (off by default). */
  allowCommands: boolean;
  now?: () => number;
  /** Checked between checks: a stopping agent abandons the run. */
  shouldStop?: () => boolean;
}

/** Evidence bytes per report: keeps a 2,000-check report well inside one 4 MiB frame. */
const REPORT_EVIDENCE_BUDGET = 2 * 1024 * 1024;

type Condition = PolicyCheck['condition'];
type Combined = { status: 'pass' | 'fail' | 'not_applicable'; reason: string };

function decisive(condition: Condition, v: RuleVerdict): boolean {
  return condition === 'all' ? v.state === 'false' : v.state === 'true';
}

export function combine(condition: Condition, verdicts: readonly RuleVerdict[]): Combined {
  const invalid = verdicts.find((v) => v.state === 'invalid');
  const anyTrue = verdicts.some((v) => v.state === 'true');
  const anyFalse = verdicts.some((v) => v.state === 'false');
  const na: Combined = { status: 'not_applicable', reason: invalid?.reason ?? '' };
  if (condition === 'all')
    return anyFalse ? { status: 'fail', reason: '' } : invalid ? na : { status: 'pass', reason: '' };
  if (condition === 'any')
    return anyTrue ? { status: 'pass', reason: '' } : invalid ? na : { status: 'fail', reason: '' };
  return anyTrue ? { status: 'fail', reason: '' } : invalid ? na : { status: 'pass', reason: '' };
}

async function evaluateExpanded(
  rule: PolicyRule,
  doc: PolicyDocument,
  ctx: RuleContext,
): Promise<RuleVerdict> {
  const expansions = expandRule(rule, doc.variables);
  if (expansions.length === 1) return evaluateRule(expansions[0] as PolicyRule, ctx);
  const negate = 'negate' in rule && rule.negate;
  const verdicts: RuleVerdict[] = [];
  for (const e of expansions) {
    const v = await evaluateRule(negate ? ({ ...e, negate: false } as PolicyRule) : e, ctx);
    verdicts.push(v);
    if (v.state === 'true') break;
  }
  const invalid = verdicts.find((v) => v.state === 'invalid');
  let state: RuleVerdict['state'] = verdicts.some((v) => v.state === 'true')
    ? 'true'
    : invalid
      ? 'invalid'
      : 'false';
  if (negate && state !== 'invalid') state = state === 'true' ? 'false' : 'true';
  const evidence = verdicts.flatMap((v) => v.evidence).map((e) => ({ ...e, matched: state === 'true' }));
  return state === 'invalid' ? { state, reason: invalid?.reason ?? '', evidence } : { state, evidence };
}

async function evaluateRules(
  condition: Condition,
  rules: readonly PolicyRule[],
  doc: PolicyDocument,
  ctx: RuleContext,
): Promise<{ combined: Combined; evidence: Evidence[] }> {
  const verdicts: RuleVerdict[] = [];
  for (const rule of rules) {
    const v = await evaluateExpanded(rule, doc, ctx);
    verdicts.push(v);
    if (decisive(condition, v)) break;
  }
  return { combined: combine(condition, verdicts), evidence: verdicts.flatMap((v) => v.evidence) };
}

async function evaluateCheck(
  check: PolicyCheck,
  doc: PolicyDocument,
  ctx: RuleContext,
  now: () => number,
): Promise<CheckOutcome> {
  const t0 = now();
  let outcome: Omit<CheckOutcome, 'durationMs'>;
  try {
    const { combined, evidence } = await evaluateRules(check.condition, check.rules, doc, ctx);
    outcome = { checkId: check.id, status: combined.status, reason: combined.reason, evidence };
  } catch (err) {
    const reason = err instanceof RuleError ? err.message : `evaluation failed: ${errorMessage(err)}`;
    outcome = { checkId: check.id, status: 'error', reason: reason.slice(0, 1000), evidence: [] };
  }
  return {
    ...outcome,
    evidence: outcome.evidence.slice(0, EVAL_LIMITS.maxEvidence),
    durationMs: Math.max(0, now() - t0),
  };
}

/** undefined when the host fits the policy; else the reason every check is not_applicable. */
async function unmetRequirements(doc: PolicyDocument, ctx: RuleContext): Promise<string | undefined> {
  const os = await ctx.host.osRelease();
  const platforms = doc.platforms.map((p) => p.toLowerCase());
  const fits =
    platforms.length === 0 || platforms.some((p) => p === 'linux' || p === os.id || os.idLike.includes(p));
  if (!fits)
    return REASONS.requirementsUnmet(`platform ${os.id || 'unknown'} is not one of ${platforms.join(', ')}`);
  const req = doc.requirements;
  if (!req) return undefined;
  try {
    const { combined } = await evaluateRules(req.condition, req.rules, doc, ctx);
    if (combined.status === 'pass') return undefined;
    const why = combined.status === 'not_applicable' ? ` (${combined.reason})` : '';
    return REASONS.requirementsUnmet(`${req.title || 'policy requirements'}${why}`);
  } catch (err) {
    return REASONS.requirementsUnmet(`${req.title || 'policy requirements'} (${(err as Error).message})`);
  }
}

export async function evaluatePolicy(
  doc: PolicyDocument,
  host: HostView,
  opts: EvaluateOptions,
): Promise<PolicyOutcome> {
  const now = opts.now ?? Date.now;
  const startedAtMs = now();
  const ctx: RuleContext = { host, allowCommands: opts.allowCommands };
  const unmet = await unmetRequirements(doc, ctx);
  const results: CheckOutcome[] = [];
  let evidenceBytes = 0;
  for (const [i, check] of doc.checks.entries()) {
    if (opts.shouldStop?.()) break;
    if (i % 32 === 31) await yieldToLoop(); // never starve the connection's timers
    const outcome: CheckOutcome = unmet
      ? { checkId: check.id, status: 'not_applicable', reason: unmet, evidence: [], durationMs: 0 }
      : await evaluateCheck(check, doc, ctx, now);
    evidenceBytes += outcome.evidence.reduce(
      (n, e) => n + e.rule.length + e.target.length + e.found.length,
      0,
    );
    if (evidenceBytes > REPORT_EVIDENCE_BUDGET) outcome.evidence = outcome.evidence.slice(0, 1);
    results.push(outcome);
  }
  const count = (s: CheckOutcome['status']): number => results.filter((r) => r.status === s).length;
  const passed = count('pass');
  const failed = count('fail');
  return {
    startedAtMs,
    durationMs: Math.max(0, now() - startedAtMs),
    results,
    passed,
    failed,
    notApplicable: count('not_applicable'),
    errors: count('error'),
    score: passed + failed === 0 ? 0 : (passed / (passed + failed)) * 100,
    requirementsUnmet: unmet !== undefined,
    requirementsReason: unmet ?? '',
  };
}
