// Self-upgrade (AgentUpgrade task): verify, swap, restart, confirm or roll back. The marker
// (marker.ts) carries the state across processes; this class holds one process's part of it.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSea } from 'node:sea';
import { AgentEventCode, TaskErrorCode, watchpost } from '@watchpost/proto';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox, OutboxBody } from '../outbox/index.js';
import { refusal, taskResult, TaskState } from '../tasks/messages.js';
import {
  clearMarker,
  decideAtStart,
  decideOnConnected,
  readMarker,
  writeMarker,
  type UpgradeMarker,
} from './marker.js';
import {
  download,
  prevPath,
  reexec,
  reportedVersion,
  restorePrev,
  RESTART_EXIT_CODE,
  swapIn,
  underSystemd,
} from './swap.js';
import { buildUrl, checkBuild, checkParams, type UpgradeParams } from './verify.js';

const DEFAULT_CONFIRM_TIMEOUT_S = 120;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface UpgradeDeps {
  dataDir: string;
  hubUrl: string;
  hubPublicKey: Uint8Array;
  version: string;
  log: Logger;
  /** The running executable (process.execPath inside the single executable). */
  exe?: string;
  /** Whether this process is the single executable (only it can replace itself). */
  sea?: boolean;
  now?: () => number;
}

type Restart = { kind: 'upgrade' | 'rollback'; marker: UpgradeMarker };

export class UpgradeService {
  private outbox: Outbox | undefined;
  private stopAgent: () => void = () => undefined;
  private restart: Restart | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly markerPath: string;
  private readonly exe: string;

  constructor(private readonly deps: UpgradeDeps) {
    this.markerPath = join(deps.dataDir, 'upgrade.json');
    this.exe = deps.exe ?? process.execPath;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * First thing `run` does, before the local store is opened. Returns false when this process
   * must not go on (an overdue or crash-looping new build was replaced by the previous one,
   * which is starting instead).
   */
  checkAtStart(): boolean {
    const decision = decideAtStart(readMarker(this.markerPath), this.deps.version, this.now());
    if (decision.action === 'none') {
      if (decision.dropMarker) clearMarker(this.markerPath);
      return true;
    }
    if (decision.action === 'report-rollback') return true;
    if (decision.action === 'rollback') {
      this.deps.log.error(
        { from: decision.marker.to, to: decision.marker.from, reason: decision.reason },
        'upgrade not confirmed: rolling back',
      );
      this.rollBack(decision.marker);
      this.restartProcess();
      return false;
    }
    writeMarker(this.markerPath, decision.marker);
    this.deps.log.info(
      { from: decision.marker.from, timeoutMs: decision.timeoutMs },
      'new build started: waiting for the hub to accept it',
    );
    this.timer = setTimeout(
      () => {
        // Confirmed in the meantime (the Welcome cleared the marker): nothing to undo.
        if (readMarker(this.markerPath)?.state !== 'pending') return;
        this.deps.log.error(
          { version: this.deps.version },
          'no Welcome before the upgrade deadline: rolling back',
        );
        this.restart = { kind: 'rollback', marker: decision.marker };
        this.stopAgent();
      },
      Math.max(0, decision.timeoutMs),
    );
    this.timer.unref();
    return true;
  }

  /** Wires the running agent: where results go and how to stop it for a restart. */
  attach(outbox: Outbox, stopAgent: () => void): void {
    this.outbox = outbox;
    this.stopAgent = stopAgent;
  }

  /** Called on every Welcome: the first one confirms an upgrade or reports a rollback. */
  async onConnected(): Promise<void> {
    const marker = readMarker(this.markerPath);
    const decision = decideOnConnected(marker, this.deps.version);
    // A rollback already decided wins over a Welcome that arrives while the agent stops for it.
    if (decision === 'none' || !marker || !this.outbox || this.restart?.kind === 'rollback') return;
    clearTimeout(this.timer);
    const bodies: OutboxBody[] =
      decision === 'completed'
        ? [
            event(
              AgentEventCode.UPGRADE_COMPLETED,
              `upgraded ${marker.from} → ${marker.to}`,
              marker,
              watchpost.v1.Severity.SEVERITY_INFO,
            ),
            taskResult(marker.taskId, TaskState.TASK_STATE_SUCCEEDED, {
              summaryJson: JSON.stringify({ from: marker.from, to: marker.to }),
            }),
          ]
        : [
            event(
              AgentEventCode.UPGRADE_ROLLED_BACK,
              `build ${marker.to} did not connect; back on ${marker.from}`,
              marker,
              watchpost.v1.Severity.SEVERITY_HIGH,
            ),
            taskResult(marker.taskId, TaskState.TASK_STATE_FAILED, {
              errorCode: TaskErrorCode.UPGRADE_FAILED,
              errorMessage: `build ${marker.to} did not connect within ${marker.confirmTimeoutS}s: rolled back to ${marker.from}`,
            }),
          ];
    await this.outbox.append(bodies);
    clearMarker(this.markerPath);
    this.deps.log.info({ decision, from: marker.from, to: marker.to }, 'upgrade finished');
  }

  /** Runs an accepted AgentUpgrade task up to the swap; the restart follows the agent's stop. */
  async run(taskId: string, task: watchpost.v1.IAgentUpgrade): Promise<void> {
    const params: UpgradeParams = {
      version: task.version ?? '',
      path: task.path ?? '',
      sha256: task.sha256 ?? new Uint8Array(),
      signature: task.buildSignature ?? new Uint8Array(),
      sizeBytes: Number(task.sizeBytes ?? 0),
    };
    const fail = (reason: string, refused: boolean) => this.fail(taskId, params.version, reason, refused);
    if (!(this.deps.sea ?? isSea()))
      return fail('only the single-executable agent can replace itself', false);
    if (this.restart) return fail('another upgrade or rollback is in progress', false);
    const checked = checkParams(params);
    if (!checked.ok) return fail(checked.reason, true);
    const url = buildUrl(this.deps.hubUrl, params.path);
    if (typeof url === 'string') return fail(url, true);
    const tmp = join(dirname(this.exe), `.watchpost-agent-${params.version}.${process.pid}.download`);
    let got;
    try {
      got = await download(url, tmp, params.sizeBytes, DOWNLOAD_TIMEOUT_MS);
    } catch (err) {
      return fail(`download failed: ${errorMessage(err)}`, false);
    }
    const verdict = checkBuild(params, this.deps.hubPublicKey, got);
    if (verdict.ok && reportedVersion(tmp) !== params.version)
      return this.discard(tmp, () => fail(`the new build does not report version ${params.version}`, true));
    if (!verdict.ok) return this.discard(tmp, () => fail(`${verdict.check}: ${verdict.reason}`, true));
    const confirmTimeoutS = task.confirmTimeoutS || DEFAULT_CONFIRM_TIMEOUT_S;
    const marker: UpgradeMarker = {
      taskId,
      from: this.deps.version,
      to: params.version,
      exe: this.exe,
      prev: prevPath(this.exe),
      deadlineMs: this.now() + confirmTimeoutS * 1000,
      confirmTimeoutS,
      starts: 0,
      state: 'pending',
    };
    try {
      writeMarker(this.markerPath, marker);
      swapIn(tmp, this.exe);
    } catch (err) {
      clearMarker(this.markerPath);
      return this.discard(tmp, () => fail(`swap failed: ${errorMessage(err)}`, false));
    }
    this.deps.log.info({ from: marker.from, to: marker.to }, 'build verified and swapped in: restarting');
    this.restart = { kind: 'upgrade', marker };
    this.stopAgent();
  }

  /** After the agent has stopped cleanly: perform a pending restart. False when there is none. */
  restartIfPending(): boolean {
    if (!this.restart) return false;
    if (this.restart.kind === 'rollback') this.rollBack(this.restart.marker);
    this.restartProcess();
    return true;
  }

  private rollBack(marker: UpgradeMarker): void {
    if (existsSync(marker.prev)) restorePrev(marker.exe);
    writeMarker(this.markerPath, { ...marker, state: 'rolled-back' });
  }

  private restartProcess(): void {
    // Everything is closed by now; systemd (Restart=on-failure) starts the unit's executable again.
    if (underSystemd()) process.exit(RESTART_EXIT_CODE);
    const pid = reexec(this.exe, process.argv.slice(2));
    this.deps.log.info({ newPid: pid }, 'restarted');
    process.exitCode = 0;
  }

  private async discard(tmp: string, then: () => Promise<void>): Promise<void> {
    rmSync(tmp, { force: true });
    return then();
  }

  private async fail(taskId: string, version: string, reason: string, refused: boolean): Promise<void> {
    this.deps.log.warn({ taskId, version, reason }, refused ? 'upgrade refused' : 'upgrade failed');
    const bodies: OutboxBody[] = [];
    if (refused) bodies.push(refusal(AgentEventCode.UPGRADE_REFUSED, reason, taskId, { version }));
    bodies.push(
      taskResult(taskId, TaskState.TASK_STATE_FAILED, {
        errorCode: TaskErrorCode.UPGRADE_FAILED,
        errorMessage: reason.slice(0, 1000),
      }),
    );
    await this.outbox?.append(bodies);
  }
}

function event(code: string, message: string, m: UpgradeMarker, severity: watchpost.v1.Severity): OutboxBody {
  return { agentEvent: { code, severity, message, ref: m.taskId, details: { from: m.from, to: m.to } } };
}
