// Receives SignedTasks from the session: verifies, refuses (AgentEvent + TaskResult REFUSED) or
// accepts durably (accepted id + running record + ACCEPTED progress in one batch), then runs.
import { AgentEventCode, watchpost } from '@watchpost/proto';
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
}

export class TaskRunner {
  private stopped = false;
  private readonly active = new Set<Promise<unknown>>();

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
