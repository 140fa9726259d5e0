// Baseline runs on the agent: at startup (after the first connect), when a policy is applied,
// on each policy's schedule (jittered), and on a BaselineEvaluate task. Runs are serialized —
// one policy evaluation at a time, in the background, so the connection is never blocked — and
// each report goes through the durable outbox like every other report.
import { randomUUID } from 'node:crypto';
import { watchpost } from '@watchpost/proto';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/index.js';
import type { AppliedPolicy, PolicyChangeListener } from '../policies/policies.js';
import { evaluatePolicy } from './evaluate.js';
import type { HostView } from './host.js';
import { createLinuxHost } from './linux/host.js';
import { toBaselineReport } from './report.js';

const { BaselineTrigger } = watchpost.v1;

export interface BaselineConfig {
  allowCommands: boolean;
  root: string;
  commandTimeoutMs: number;
}

export interface BaselineServiceDeps {
  policies: { active(): AppliedPolicy[]; onChange(listener: PolicyChangeListener): void };
  outbox: Outbox;
  log: Logger;
  config: BaselineConfig;
  /** One fresh HostView per policy run (host lists are cached inside a run only). */
  host?: () => HostView;
  random?: () => number;
}

export interface BaselineSummary {
  policies: number;
  passed: number;
  failed: number;
  notApplicable: number;
  errors: number;
}

/** A BaselineEvaluate task that cannot run (unknown policy id); TaskResult BASELINE_FAILED. */
export class BaselineFailedError extends Error {
  readonly code = 'BASELINE_FAILED';
}

export class BaselineService {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Background runs queued but not started yet (trigger + policy ids). */
  private readonly queued = new Set<string>();
  private stopped = false;
  private started = false;

  constructor(private readonly deps: BaselineServiceDeps) {
    deps.policies.onChange(({ policyId, removed }) => {
      this.clearTimer(policyId);
      if (removed || this.stopped) return;
      this.background(BaselineTrigger.BASELINE_TRIGGER_POLICY_CHANGE, [policyId]);
      this.schedule(policyId);
    });
  }

  /** First connect: evaluate everything applied, then keep each policy on its schedule. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.background(BaselineTrigger.BASELINE_TRIGGER_STARTUP);
    for (const p of this.deps.policies.active()) this.schedule(p.policyId);
  }

  /** BaselineEvaluate: every named policy (all applied when empty) must be applied here. */
  async runTask(taskId: string, policyIds: readonly string[]): Promise<BaselineSummary> {
    const applied = new Set(this.deps.policies.active().map((p) => p.policyId));
    const unknown = policyIds.filter((id) => !applied.has(id));
    if (unknown.length > 0)
      throw new BaselineFailedError(`no applied policy with id ${unknown.join(', ')} on this agent`);
    return this.evaluate(
      BaselineTrigger.BASELINE_TRIGGER_TASK,
      policyIds.length ? policyIds : undefined,
      taskId,
    );
  }

  /** Queues one run per policy (all applied when `policyIds` is undefined); resolves when done. */
  evaluate(
    trigger: watchpost.v1.BaselineTrigger,
    policyIds?: readonly string[],
    taskId?: string,
  ): Promise<BaselineSummary> {
    const run = this.chain.then(() => this.runPolicies(trigger, policyIds, taskId));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** A method, not the field: the flag flips while a run awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
  }

  async settled(): Promise<void> {
    await this.chain;
  }

  private async runPolicies(
    trigger: watchpost.v1.BaselineTrigger,
    policyIds: readonly string[] | undefined,
    taskId: string | undefined,
  ): Promise<BaselineSummary> {
    const wanted = policyIds ? new Set(policyIds) : undefined;
    const policies = this.deps.policies.active().filter((p) => !wanted || wanted.has(p.policyId));
    const summary: BaselineSummary = { policies: 0, passed: 0, failed: 0, notApplicable: 0, errors: 0 };
    for (const policy of policies) {
      // A stopping agent abandons the run; a task stays recorded as running and resumes.
      if (this.isStopped()) throw new Error('baseline run stopped');
      const host = this.deps.host?.() ?? createLinuxHost(this.deps.config);
      const outcome = await evaluatePolicy(policy.document, host, {
        allowCommands: this.deps.config.allowCommands,
        shouldStop: () => this.stopped,
      });
      if (this.isStopped()) throw new Error('baseline run stopped');
      const report = toBaselineReport(outcome, {
        runId: randomUUID(),
        policyId: policy.policyId,
        policyVersion: policy.version,
        trigger,
        ...(taskId ? { taskId } : {}),
      });
      await this.deps.outbox.append([{ baselineReport: report }]);
      summary.policies++;
      summary.passed += outcome.passed;
      summary.failed += outcome.failed;
      summary.notApplicable += outcome.notApplicable;
      summary.errors += outcome.errors;
      this.deps.log.info(
        {
          policyId: policy.policyId,
          version: policy.version,
          trigger,
          passed: outcome.passed,
          failed: outcome.failed,
          notApplicable: outcome.notApplicable,
          errors: outcome.errors,
          durationMs: outcome.durationMs,
        },
        'baseline evaluated',
      );
    }
    return summary;
  }

  /**
   * Runs nobody waits for. An identical run already queued is not queued twice, so a stalled
   * outbox (collection paused at its budget) cannot make the queue grow schedule after schedule.
   */
  private background(trigger: watchpost.v1.BaselineTrigger, policyIds?: readonly string[]): void {
    const key = `${trigger}:${policyIds?.join(',') ?? '*'}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const run = this.chain.then(() => {
      this.queued.delete(key);
      return this.runPolicies(trigger, policyIds, undefined);
    });
    this.chain = run.catch(() => undefined);
    run.catch((err: unknown) => {
      this.queued.delete(key);
      if (!this.isStopped()) this.deps.log.error({ trigger, err: errorMessage(err) }, 'baseline run failed');
    });
  }

  private schedule(policyId: string): void {
    this.clearTimer(policyId); // one timer per policy, whoever (re)schedules it
    const policy = this.deps.policies.active().find((p) => p.policyId === policyId);
    if (!policy || this.stopped) return;
    // ±10 % jitter so a fleet that received the policy together does not evaluate in lockstep.
    const jitter = 0.9 + 0.2 * (this.deps.random ?? Math.random)();
    const delayMs = Math.min(policy.document.scheduleS * 1000 * jitter, 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(policyId);
      this.background(BaselineTrigger.BASELINE_TRIGGER_SCHEDULE, [policyId]);
      this.schedule(policyId);
    }, delayMs);
    timer.unref();
    this.timers.set(policyId, timer);
  }

  private clearTimer(policyId: string): void {
    const timer = this.timers.get(policyId);
    if (timer) clearTimeout(timer);
    this.timers.delete(policyId);
  }
}
