// Runs one accepted scan: nmap through runNmap, every finished host as one DiscoveryReport through
// the outbox (optionally with weak-credential results), throttled TaskProgress, then one
// TaskResult. Stops nmap on cancel, at the window end and at the task's timeout.
import { TaskErrorCode, toLong, watchpost } from '@watchpost/proto';
import type { Logger } from '../log.js';
import type { Outbox, OutboxBody } from '../outbox/index.js';
import type { Store } from '../state/store.js';
import { taskProgress, taskResult, TaskState } from '../tasks/messages.js';
import { deleteRunning } from '../tasks/runningTasks.js';
import { findNmap, runNmap } from './nmap.js';
import { prepareScan } from './prepare.js';
import { SCAN_LIMITS } from './spec.js';
import type { NmapRunStats } from './stream.js';
import { identifyByBanner } from './banner.js';

export interface CredentialTarget {
  host: string;
  port: number;
  service: string;
  product?: string;
}
export type CredentialChecker = (
  targets: CredentialTarget[],
  opts: { signal?: AbortSignal },
) => Promise<watchpost.v1.IWeakCredential[]>;

/** Why a scan was stopped early; STOPPED = the agent is shutting down (the task resumes later). */
export type StopReason = 'CANCELLED' | 'WINDOW_ENDED' | 'TIMEOUT' | 'STOPPED';

export interface ScanDeps {
  outbox: Outbox;
  store: Store;
  scope: readonly string[];
  log: Logger;
  checkCredentials?: CredentialChecker;
  /** Defaults to the `nmap` found on PATH. */
  nmapPath?: string;
  privileged?: boolean;
  now?: () => number;
  /** Observes nmap's pid (tests check that a cancelled nmap is gone). */
  onSpawn?: (pid: number | undefined) => void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ScanSummary {
  hostsUp: number;
  hostsDown: number;
  openPorts: number;
  weakCredentials: number;
}

/**
 * nmap's service name as the credential checks know it. nmap 7.93's -sV names Mosquitto's port
 * "mosquitto version 2.0.11" instead of "mqtt"; the report keeps nmap's own words.
 */
export function credentialService(service: string): string {
  return /^mosquitto\b/i.test(service) ? 'mqtt' : service;
}

function credentialTargets(host: watchpost.v1.IDiscoveredHost): CredentialTarget[] {
  const addr = (host.addresses ?? []).find((a) => a.type === 'ipv4' || a.type === 'ipv6')?.addr;
  if (!addr || host.status !== 'up') return [];
  return (host.ports ?? [])
    .filter((p) => p.state === 'open' && p.protocol === 'tcp')
    .map((p) => ({
      host: addr,
      port: p.port ?? 0,
      service: credentialService(p.service ?? ''),
      ...(p.product ? { product: p.product } : {}),
    }));
}

export async function runScan(
  taskId: string,
  scan: watchpost.v1.IScanTask,
  deps: ScanDeps,
  stop: AbortSignal,
): Promise<'done' | 'stopped'> {
  const now = deps.now ?? Date.now;
  const summary: ScanSummary = { hostsUp: 0, hostsDown: 0, openPorts: 0, weakCredentials: 0 };
  const finish = async (state: watchpost.v1.TaskState, fields: Partial<watchpost.v1.ITaskResult>) => {
    const body = taskResult(taskId, state, { summaryJson: JSON.stringify(summary), ...fields });
    await deps.outbox.append([body], [deleteRunning(deps.store, taskId)]);
    return 'done' as const;
  };

  const privileged = deps.privileged ?? process.getuid?.() === 0;
  const prepared = prepareScan(scan, deps.scope, { privileged });
  if (!prepared.ok) {
    // Only reachable on resume after the scope changed: new tasks are checked before acceptance.
    const state =
      prepared.code === 'SCOPE_VIOLATION' ? TaskState.TASK_STATE_REFUSED : TaskState.TASK_STATE_FAILED;
    return finish(state, { errorCode: prepared.code, errorMessage: prepared.reason });
  }
  const nmapPath = deps.nmapPath ?? (await findNmap());
  if (!nmapPath)
    return finish(TaskState.TASK_STATE_FAILED, {
      errorCode: TaskErrorCode.NMAP_MISSING,
      errorMessage: 'nmap is not installed on this host',
    });

  const local = new AbortController();
  // A function, not a property read: TypeScript would keep a narrowing across awaits.
  const aborted = (): boolean => local.signal.aborted;
  const abort = (reason: StopReason): void => {
    if (!local.signal.aborted) local.abort(reason);
  };
  const timers: NodeJS.Timeout[] = [];
  // setTimeout fires at once beyond 2^31-1 ms (~24.8 days): re-arm until the instant is reached.
  const at = (instantMs: number, reason: StopReason): void => {
    const delay = instantMs - now();
    if (delay <= 0) abort(reason);
    else timers.push(setTimeout(() => at(instantMs, reason), Math.min(delay, MAX_TIMER_MS)));
  };
  const windowEnd = Number(scan.windowEndMs ?? 0);
  if (windowEnd > 0) at(windowEnd, 'WINDOW_ENDED');
  if (scan.timeoutS) at(now() + scan.timeoutS * 1000, 'TIMEOUT');
  const onStop = (): void => abort(stop.reason === 'CANCELLED' ? 'CANCELLED' : 'STOPPED');
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });

  let lastProgressAt = -Infinity;
  let stats: NmapRunStats | undefined;
  deps.log.info({ taskId, scanId: scan.scanId, argv: prepared.argv }, 'scan starting');
  try {
    const exit = local.signal.aborted
      ? undefined
      : await runNmap({
          nmapPath,
          argv: prepared.argv,
          signal: local.signal,
          ...(deps.onSpawn ? { onSpawn: deps.onSpawn } : {}),
          onEvent: async (event) => {
            if (event.type === 'runstats') {
              stats = event.stats;
              return;
            }
            if (event.type === 'progress') {
              if (now() - lastProgressAt < SCAN_LIMITS.progressIntervalMs) return;
              lastProgressAt = now();
              const p = event.progress;
              await deps.outbox.append([
                taskProgress(taskId, TaskState.TASK_STATE_RUNNING, {
                  percent: p.percent,
                  etaMs: toLong(p.etaMs),
                  stage: p.stage,
                }),
              ]);
              return;
            }
            const host = event.host;
            // -sV asked for products: name what nmap's probes could not, from the banner.
            if (scan.profile === watchpost.v1.ScanProfile.SCAN_PROFILE_SERVICE && !local.signal.aborted) {
              await identifyByBanner(host, local.signal);
            }
            if (scan.credentialChecks && deps.checkCredentials && !local.signal.aborted) {
              const targets = credentialTargets(host);
              try {
                if (targets.length > 0)
                  host.weakCredentials = await deps.checkCredentials(targets, { signal: local.signal });
              } catch (err) {
                // Aborted with the scan, or a check failed: the host is still reported, without them.
                if (!aborted())
                  deps.log.warn(
                    { taskId, err: err instanceof Error ? err.message : String(err) },
                    'credential checks failed',
                  );
              }
            }
            if (host.status === 'up') summary.hostsUp++;
            else summary.hostsDown++;
            summary.openPorts += (host.ports ?? []).filter((p) => p.state === 'open').length;
            summary.weakCredentials += host.weakCredentials?.length ?? 0;
            const report: OutboxBody = {
              discoveryReport: { taskId, scanId: scan.scanId ?? '', observedAtMs: toLong(now()), host },
            };
            await deps.outbox.append([report]);
          },
        });
    const reason = local.signal.aborted ? (local.signal.reason as StopReason) : undefined;
    if (stats) {
      // nmap lists down hosts only with -v; its run statistics count them all.
      summary.hostsDown = Math.max(summary.hostsDown, stats.hostsDown);
    }
    deps.log.info(
      { taskId, reason, exit: exit && { code: exit.code, signal: exit.signal }, summary },
      'scan ended',
    );
    if (reason === 'STOPPED') return 'stopped';
    if (reason === 'CANCELLED' || reason === 'WINDOW_ENDED')
      return await finish(TaskState.TASK_STATE_CANCELLED, {
        errorCode: reason,
        errorMessage:
          reason === 'CANCELLED' ? 'cancelled by the hub' : 'stopped at the end of the scan window',
      });
    if (reason === 'TIMEOUT')
      return await finish(TaskState.TASK_STATE_FAILED, {
        errorCode: TaskErrorCode.TIMEOUT,
        errorMessage: `scan exceeded its ${scan.timeoutS ?? 0} s limit`,
      });
    if (!exit || exit.code !== 0)
      return await finish(TaskState.TASK_STATE_FAILED, {
        errorCode: TaskErrorCode.NMAP_FAILED,
        errorMessage:
          `nmap exited with ${exit?.signal ?? String(exit?.code)}: ${exit?.stderr.trim() ?? ''}`.slice(
            0,
            SCAN_LIMITS.maxStderrBytes,
          ),
      });
    return await finish(TaskState.TASK_STATE_SUCCEEDED, {});
  } finally {
    for (const t of timers) clearTimeout(t);
    stop.removeEventListener('abort', onStop);
  }
}
