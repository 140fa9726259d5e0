// Receives SignedTasks from the session: verifies, refuses (AgentEvent + TaskResult REFUSED) or
// accepts durably (accepted id + running record + ACCEPTED progress in one batch), then runs.
import { AgentEventCode, TaskErrorCode, watchpost } from '@watchpost/proto';
import { prepareScan, runScan, type CredentialChecker, type ScanDeps } from '../discovery/index.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox, OutboxBody } from '../outbox/index.js';
import type { Store } from '../state/store.js';
import { AcceptedTasks } from './acceptedTasks.js';
import { refusal, taskProgress, taskResult, TaskState } from './messages.js';
import { probeParamsError, runPipelineProbe } from './pipelineProbe.js';
import { deleteRunning, loadRunning, putRunning, type RunningTask } from './runningTasks.js';
import { verifySignedTask } from './verify.js';

export interface InventoryTrigger {
  /** Collects and queues an inventory report; returns a small summary for the TaskResult. */
  collectAndQueue(full: boolean): Promise<Record<string, unknown>>;
}

export interface TaskRunnerDeps {
  store: Store;
  outbox: Outbox;
  agentId: string;
  hubPublicKey: Uint8Array;
  inventory: InventoryTrigger;
  log: Logger;
  now?: () => number;
  /** The agent's scan allowlist (config `scope`). */
  scope: readonly string[];
  /** Default-credential checks run on scanned hosts when a ScanTask asks for them. */
  checkCredentials?: CredentialChecker;
  /** nmap location, privilege and pid observer overrides (tests). */
  scan?: Pick<ScanDeps, 'nmapPath' | 'privileged' | 'onSpawn'>;
  /** Self-upgrade (src/upgrade): runs an accepted AgentUpgrade up to the swap. */
  upgrade?: { run(taskId: string, task: watchpost.v1.IAgentUpgrade): Promise<void> };
  /** Baseline evaluation (src/baseline): one BaselineReport per policy, then a summary. */
  baseline?: { runTask(taskId: string, policyIds: readonly string[]): Promise<object> };
  /** Configuration-change monitoring (src/drift): BaselineEvaluate{snapshot} sends a full snapshot. */
  drift?: { fullSnapshot(): Promise<object> };
}

export class TaskRunner {
  private stopped = false;
  private readonly active = new Set<Promise<unknown>>();
  /** Running scans by task id: aborting one stops its nmap (reason CANCELLED or STOPPED). */
  private readonly scans = new Map<string, AbortController>();

  private constructor(
    private readonly deps: TaskRunnerDeps,
    private readonly accepted: AcceptedTasks,
  ) {}

  static async open(deps: TaskRunnerDeps): Promise<TaskRunner> {
    return new TaskRunner(deps, await AcceptedTasks.open(deps.store));
  }

  /** Resumes tasks that were accepted but not finished when the agent last stopped. */
  async resumeUnfinished(): Promise<number> {
    const running = await loadRunning(this.deps.store);
    for (const task of running) {
      this.deps.log.info(
        { taskId: task.taskId, kind: task.kind },
        'resuming a task interrupted by a restart',
      );
      this.track(this.execute(task));
    }
    return running.length;
  }

  /** Entry point from the session; never throws (work continues in the background). */
  handle(signed: watchpost.v1.ISignedTask): Promise<void> {
    const done = this.handleSigned(signed).catch((err: unknown) =>
      this.deps.log.error({ err: errorMessage(err) }, 'task handling failed'),
    );
    this.track(done);
    return done;
  }

  /** Lets in-flight work stop at its next step (close the outbox too, to wake blocked ones). */
  stop(): void {
    this.stopped = true;
    for (const scan of this.scans.values()) scan.abort('STOPPED');
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.active]);
  }

  private async handleSigned(signed: watchpost.v1.ISignedTask): Promise<void> {
    const verdict = verifySignedTask(signed, {
      hubPublicKey: this.deps.hubPublicKey,
      agentId: this.deps.agentId,
      nowMs: (this.deps.now ?? Date.now)(),
      alreadyAccepted: (id) => this.accepted.has(id),
    });
    if (!verdict.ok) {
      // A replay is not answered with a TaskResult: the original task already has (or will have)
      // its own result, which a REFUSED one must not overwrite.
      const withResult = verdict.code !== AgentEventCode.TASK_REPLAYED;
      return this.refuse(verdict.code, verdict.reason, verdict.taskId, withResult);
    }
    const { task } = verdict;
    if (task.cancel) return this.cancel(task.taskId, task.cancel.taskId ?? '');
    if (task.scan && !this.scanAllowed(task.taskId, task.scan)) return;
    if (task.upgrade && this.deps.upgrade) return this.acceptUpgrade(task.taskId, task.upgrade);
    const running = this.toRunning(task);
    if (typeof running === 'string')
      return this.refuse(AgentEventCode.TASK_UNSUPPORTED, running, task.taskId, true);
    // Synchronous from the replay check to here: a duplicate arriving meanwhile sees the id.
    const ops = [...this.accepted.acceptOps(task.taskId), putRunning(this.deps.store, running)];
    await this.deps.outbox.append(
      [taskProgress(task.taskId, TaskState.TASK_STATE_ACCEPTED, { stage: running.kind })],
      ops,
    );
    this.deps.log.info({ taskId: task.taskId, kind: running.kind }, 'task accepted');
    await this.accepted.prune();
    await this.execute(running);
  }

  private toRunning(task: watchpost.v1.Task): RunningTask | string {
    if (task.pipelineProbe) {
      const count = task.pipelineProbe.count ?? 0;
      const payloadBytes = task.pipelineProbe.payloadBytes ?? 0;
      const error = probeParamsError(count, payloadBytes);
      return error ?? { kind: 'pipeline_probe', taskId: task.taskId, count, payloadBytes, counter: 0 };
    }
    if (task.collectInventory)
      return { kind: 'collect_inventory', taskId: task.taskId, full: task.collectInventory.full ?? false };
    if (task.scan) {
      const scan = Buffer.from(watchpost.v1.ScanTask.encode(task.scan).finish()).toString('base64');
      return { kind: 'scan', taskId: task.taskId, scan };
    }
    if (task.baselineEvaluate && this.deps.baseline)
      return {
        kind: 'baseline_evaluate',
        taskId: task.taskId,
        policyIds: [...(task.baselineEvaluate.policyIds ?? [])],
        snapshot: task.baselineEvaluate.snapshot ?? false,
      };
    return `task kind ${task.params ?? '(none)'} is not supported by this agent`;
  }

  private async execute(task: RunningTask): Promise<void> {
    try {
      if (task.kind === 'pipeline_probe') {
        const end = await runPipelineProbe(task, {
          outbox: this.deps.outbox,
          store: this.deps.store,
          stopped: () => this.stopped,
        });
        if (end === 'done')
          this.deps.log.info({ taskId: task.taskId, count: task.count }, 'pipeline probe finished');
        return;
      }
      if (task.kind === 'scan') {
        await this.executeScan(task.taskId, task.scan);
        return;
      }
      if (task.kind === 'baseline_evaluate') {
        await this.executeBaseline(task.taskId, task.policyIds, task.snapshot);
        return;
      }
      const summary = await this.deps.inventory.collectAndQueue(task.full);
      await this.finish(
        task.taskId,
        taskResult(task.taskId, TaskState.TASK_STATE_SUCCEEDED, { summaryJson: JSON.stringify(summary) }),
      );
    } catch (err) {
      if (this.stopped) return;
      this.deps.log.error({ taskId: task.taskId, err: errorMessage(err) }, 'task failed');
      await this.finish(
        task.taskId,
        taskResult(task.taskId, TaskState.TASK_STATE_FAILED, {
          errorCode: 'TASK_FAILED',
          errorMessage: errorMessage(err).slice(0, 1000),
        }),
      );
    }
  }

  /**
   * Checks a scan's targets against the local scope before anything is accepted: any target
   * outside refuses the whole task (AgentEvent SCAN_OUT_OF_SCOPE + TaskResult REFUSED
   * SCOPE_VIOLATION); bad parameters refuse it with INVALID_PARAMS. Nothing is spawned.
   */
  private scanAllowed(taskId: string, scan: watchpost.v1.IScanTask): boolean {
    const prepared = prepareScan(scan, this.deps.scope, { privileged: this.privileged() });
    if (prepared.ok) return true;
    this.deps.log.warn({ taskId, code: prepared.code, reason: prepared.reason }, 'scan refused');
    const result = taskResult(taskId, TaskState.TASK_STATE_REFUSED, {
      errorCode: prepared.code,
      errorMessage: prepared.reason,
    });
    const bodies: OutboxBody[] =
      prepared.code === 'SCOPE_VIOLATION'
        ? [
            refusal(AgentEventCode.SCAN_OUT_OF_SCOPE, prepared.reason, taskId, { target: prepared.target }),
            result,
          ]
        : [result];
    this.track(this.deps.outbox.append(bodies));
    return false;
  }

  /** Unknown policy ids or an evaluator failure end the task FAILED with BASELINE_FAILED. */
  private async executeBaseline(
    taskId: string,
    policyIds: readonly string[],
    snapshot = false,
  ): Promise<void> {
    let result: OutboxBody;
    try {
      if (!this.deps.baseline) throw new Error('baseline evaluation is not available on this agent');
      const summary = await this.deps.baseline.runTask(taskId, policyIds);
      const drift = snapshot && this.deps.drift ? { snapshot: await this.deps.drift.fullSnapshot() } : {};
      result = taskResult(taskId, TaskState.TASK_STATE_SUCCEEDED, {
        summaryJson: JSON.stringify({ ...summary, ...drift }),
      });
    } catch (err) {
      if (this.stopped) return; // resumed after the restart
      result = taskResult(taskId, TaskState.TASK_STATE_FAILED, {
        errorCode: TaskErrorCode.BASELINE_FAILED,
        errorMessage: errorMessage(err).slice(0, 1000),
      });
    }
    await this.finish(taskId, result);
  }

  private privileged(): boolean {
    return this.deps.scan?.privileged ?? process.getuid?.() === 0;
  }

  private async executeScan(taskId: string, encoded: string): Promise<void> {
    const scan = watchpost.v1.ScanTask.decode(Buffer.from(encoded, 'base64'));
    const controller = new AbortController();
    this.scans.set(taskId, controller);
    if (this.stopped) controller.abort('STOPPED');
    try {
      await runScan(
        taskId,
        scan,
        {
          outbox: this.deps.outbox,
          store: this.deps.store,
          scope: this.deps.scope,
          log: this.deps.log,
          privileged: this.privileged(),
          ...(this.deps.checkCredentials ? { checkCredentials: this.deps.checkCredentials } : {}),
          ...(this.deps.now ? { now: this.deps.now } : {}),
          ...this.deps.scan,
        },
        controller.signal,
      );
    } finally {
      this.scans.delete(taskId);
    }
  }

  /**
   * AgentUpgrade is not resumable (it ends in a restart, and the new process reports its result
   * from the upgrade marker), so it gets no running-task record.
   */
  private async acceptUpgrade(taskId: string, upgrade: watchpost.v1.IAgentUpgrade): Promise<void> {
    await this.deps.outbox.append(
      [taskProgress(taskId, TaskState.TASK_STATE_ACCEPTED, { stage: 'upgrade' })],
      this.accepted.acceptOps(taskId),
    );
    await this.deps.upgrade?.run(taskId, upgrade);
  }

  /** CancelTask: stops the named running scan (it reports CANCELLED itself), then answers. */
  private async cancel(taskId: string, target: string): Promise<void> {
    await this.deps.outbox.append(
      [taskProgress(taskId, TaskState.TASK_STATE_ACCEPTED, { stage: 'cancel' })],
      this.accepted.acceptOps(taskId),
    );
    const scan = this.scans.get(target);
    scan?.abort('CANCELLED');
    this.deps.log.info({ taskId, target, found: scan !== undefined }, 'cancel requested');
    await this.deps.outbox.append([
      scan
        ? taskResult(taskId, TaskState.TASK_STATE_SUCCEEDED, {
            summaryJson: JSON.stringify({ cancelled: target }),
          })
        : taskResult(taskId, TaskState.TASK_STATE_FAILED, {
            errorCode: TaskErrorCode.INVALID_PARAMS,
            errorMessage: `task ${target} is not running on this agent`,
          }),
    ]);
  }

  private async finish(taskId: string, result: OutboxBody): Promise<void> {
    await this.deps.outbox.append([result], [deleteRunning(this.deps.store, taskId)]);
  }

  private async refuse(
    code: AgentEventCode,
    reason: string,
    taskId: string | undefined,
    withResult: boolean,
  ): Promise<void> {
    this.deps.log.warn({ code, reason, taskId }, 'task refused');
    const bodies: OutboxBody[] = [refusal(code, reason, taskId)];
    if (taskId && withResult)
      bodies.push(
        taskResult(taskId, TaskState.TASK_STATE_REFUSED, { errorCode: code, errorMessage: reason }),
      );
    await this.deps.outbox.append(bodies);
  }

  private track(p: Promise<unknown>): void {
    this.active.add(p);
    void p.finally(() => this.active.delete(p));
  }
}
