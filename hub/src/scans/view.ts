// The REST shape of a scan (GET /scans, GET /scans/:id).
import type { TaskRow } from '../tasks/index.js';
import type { DiscoveryObservationRow, ScanRow, ScanRunRow } from './entities.js';
import type { PortJson } from './observation.js';
import type { ScanOptions } from './schemas.js';
import { scanState } from './state.js';
import type { ScanHostSummary, ScanView } from './api-types.js';

export type { ScanHostSummary, ScanView } from './api-types.js';
import type { ScanWindow } from './cron.js';

function summaryNumber(t: TaskRow | undefined, key: string): number {
  if (!t?.summary) return 0;
  try {
    const v = (JSON.parse(t.summary) as Record<string, unknown>)[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}

function hostSummary(o: DiscoveryObservationRow): ScanHostSummary {
  const ports = JSON.parse(o.ports) as PortJson[];
  return {
    primaryIp: o.primaryIp,
    ips: JSON.parse(o.ips) as string[],
    macs: JSON.parse(o.macs) as { addr: string; vendor: string }[],
    hostnames: JSON.parse(o.hostnames) as string[],
    status: o.status,
    os: o.osName === null ? null : { name: o.osName, accuracy: o.osAccuracy ?? 0 },
    openPorts: ports
      .filter((p) => p.state === 'open')
      .map((p) => ({
        port: p.port,
        protocol: p.protocol,
        service: p.service,
        product: p.product,
        version: p.version,
      })),
    weakCredentials: o.weakCredentials,
    agentId: o.agentId,
    observedAt: o.observedAt.toISOString(),
  };
}

function latestEta(tasks: readonly { etaAt: string | null }[]): string | null {
  let latest: string | null = null;
  // ISO instants from toISOString() compare correctly as strings.
  for (const t of tasks) if (t.etaAt !== null && (latest === null || t.etaAt > latest)) latest = t.etaAt;
  return latest;
}

export function scanView(
  s: ScanRow,
  runs: readonly ScanRunRow[],
  tasks: ReadonlyMap<string, TaskRow>,
  counts: { hostsUp: number; openPorts: number; weakCredentials: number; hostsSeen: number },
  hosts: readonly DiscoveryObservationRow[] | null,
): ScanView {
  const taskList = runs.map((r) => {
    const t = tasks.get(r.taskId);
    return {
      agentId: r.agentId,
      taskId: r.taskId,
      state: t?.state ?? 'queued',
      percent: t?.percent ?? 0,
      message: t?.lastMessage ?? '',
      etaAt: t?.etaAt?.toISOString() ?? null,
      errorCode: t?.errorCode ?? null,
      cancelTaskId: r.cancelTaskId,
    };
  });
  const percent =
    taskList.length === 0 ? 0 : Math.round(taskList.reduce((a, t) => a + t.percent, 0) / taskList.length);
  const view: ScanView = {
    id: s.id,
    state: scanState(taskList, s.cancelledAt !== null),
    cancelRequested: s.cancelledAt !== null,
    agentIds: JSON.parse(s.agentIds) as string[],
    targets: JSON.parse(s.targets) as string[],
    profile: s.profile,
    options: JSON.parse(s.options) as ScanOptions,
    schedule: s.schedule,
    window: s.window === null ? null : (JSON.parse(s.window) as ScanWindow),
    runCount: s.runCount,
    pendingRun: s.pendingRun,
    progress: { percent, etaAt: latestEta(taskList), tasks: taskList },
    counts: {
      ...counts,
      hostsDown: runs.reduce((a, r) => a + summaryNumber(tasks.get(r.taskId), 'hostsDown'), 0),
    },
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
  if (hosts !== null) view.hosts = hosts.map(hostSummary);
  return view;
}
