// Scans: creation (scope-checked), runs (one signed scan task per agent, started by the
// scheduler when due and inside the window), cancellation, and the read views.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AgentsRepository } from '../agents/index.js';
import { hubError, isHubError } from '../platform/errors.js';
import { isUuid, newId } from '../platform/ids.js';
import type { TasksService, TaskRow } from '../tasks/index.js';
import type { TenantScopeStore } from '../tenancy/index.js';
import { cronMatches, localTime, parseCron, windowState, type ScanWindow } from './cron.js';
import type { ScanRow, ScanRunRow } from './entities.js';
import { ScansRepository } from './repository.js';
import { createScanSchema, type ScanOptions } from './schemas.js';
import { scanView, type ScanView } from './view.js';
import { firstOutOfScope } from './targets.js';

export interface ScansDeps {
  ds: DataSource;
  tasks: TasksService;
  agents: AgentsRepository;
  scopes: TenantScopeStore;
  clock: () => Date;
  log: Logger;
}

/** Minute key of `at` in UTC: a cron minute fires once even when the scheduler ticks twice in it. */
const minuteKey = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();

export class ScansService {
  readonly repo: ScansRepository;

  constructor(private readonly d: ScansDeps) {
    this.repo = new ScansRepository(d.ds);
  }

  async create(tenantId: string, body: unknown): Promise<ScanView> {
    const parsed = createScanSchema.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw hubError('VALIDATION_FAILED', `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}`);
    }
    const b = parsed.data;
    const outside = firstOutOfScope(b.targets, await this.d.scopes.get(tenantId));
    if (outside !== null) {
      throw hubError('SCOPE_VIOLATION', `target ${outside} is outside the tenant's declared scope`, {
        target: outside,
      });
    }
    const agentIds = [...new Set(b.agentIds ?? (b.agentId === undefined ? [] : [b.agentId]))];
    for (const id of agentIds) {
      const a = await this.d.agents.find(tenantId, id);
      if (!a) throw hubError('NOT_FOUND', `no agent ${id}`);
      if (a.revokedAt !== null) throw hubError('CONFLICT', `agent ${id} is revoked`);
    }
    const options: ScanOptions = {
      ports: b.ports ?? '',
      topPorts: b.topPorts ?? 0,
      maxRate: b.maxRate ?? 0,
      timeoutS: b.timeoutS ?? 0,
      credentialChecks: b.credentialChecks,
    };
    const window: ScanWindow | null = b.window
      ? { ...b.window, timezone: b.window.timezone ?? (await this.d.scopes.timezone(tenantId)) }
      : null;
    const now = this.d.clock();
    const row = await this.repo.insertScan(this.d.ds.manager, {
      id: newId(),
      tenantId,
      agentIds: JSON.stringify(agentIds),
      targets: JSON.stringify(b.targets),
      profile: b.profile,
      options: JSON.stringify(options),
      schedule: b.schedule ?? null,
      window: window ? JSON.stringify(window) : null,
      // A scan without a schedule runs once, now or when its window opens.
      pendingRun: b.schedule === undefined,
      lastFiredMinute: null,
      runCount: 0,
      cancelledAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.advance(row, now);
    return this.get(tenantId, row.id);
  }

  /** One scheduler pass over every schedulable scan; errors of one scan do not stop the others. */
  async tick(): Promise<void> {
    const now = this.d.clock();
    for (const s of await this.repo.schedulable()) {
      try {
        await this.advance(s, now);
      } catch (err) {
        this.d.log.error({ err, scanId: s.id }, 'scan scheduling failed');
      }
    }
  }

  /** Fires the cron when it matches this minute, then starts a pending run if the window is open. */
  private async advance(s: ScanRow, now: Date): Promise<void> {
    const window = s.window === null ? null : (JSON.parse(s.window) as ScanWindow);
    let pending = s.pendingRun;
    const patch: Partial<ScanRow> = {};
    if (s.schedule !== null) {
      const cron = parseCron(s.schedule);
      const key = minuteKey(now);
      if (cron && s.lastFiredMinute !== key && cronMatches(cron, localTime(now, window?.timezone ?? 'UTC'))) {
        pending = true;
        Object.assign(patch, { pendingRun: true, lastFiredMinute: key });
      }
    }
    const win = window === null ? { open: true, endsAt: null } : windowState(now, window);
    if (!pending || !win.open) {
      if (Object.keys(patch).length > 0) {
        await this.repo.updateScan(this.d.ds.manager, s.tenantId, s.id, { ...patch, updatedAt: now });
      }
      return;
    }
    await this.startRun(s, now, win.endsAt, patch);
  }

  private async startRun(
    s: ScanRow,
    now: Date,
    windowEnd: Date | null,
    patch: Partial<ScanRow>,
  ): Promise<void> {
    const agentIds = JSON.parse(s.agentIds) as string[];
    const options = JSON.parse(s.options) as ScanOptions;
    const runNo = s.runCount + 1;
    const params = {
      scanId: s.id,
      targets: JSON.parse(s.targets) as string[],
      profile: s.profile,
      ...options,
      windowEndMs: windowEnd?.getTime() ?? 0,
    };
    // Undelivered when the window has closed: the agent would only stop it at once.
    const expiresInS =
      windowEnd === null ? undefined : Math.max(60, Math.floor((windowEnd.getTime() - now.getTime()) / 1000));
    const started: string[] = [];
    const claimed = await this.d.ds.transaction(async (em) => {
      if (!(await this.repo.claimRun(em, s, runNo, { ...patch, updatedAt: now }))) return false;
      const runs: ScanRunRow[] = [];
      for (const agentId of agentIds) {
        try {
          const task = await this.d.tasks.enqueue(em, s.tenantId, agentId, 'scan', params, expiresInS);
          runs.push({
            id: newId(),
            tenantId: s.tenantId,
            scanId: s.id,
            runNo,
            agentId,
            taskId: task.id,
            cancelTaskId: null,
            windowEndAt: windowEnd,
            createdAt: now,
          });
          started.push(agentId);
        } catch (err) {
          // A revoked or deleted agent skips this run; the others still scan.
          if (!isHubError(err)) throw err;
          this.d.log.warn({ scanId: s.id, agentId, code: err.code }, 'scan run skipped an agent');
        }
      }
      await this.repo.insertRuns(em, runs);
      return true;
    });
    if (!claimed) return;
    this.d.log.info({ scanId: s.id, runNo, agents: started.length }, 'scan run started');
    for (const agentId of started) this.d.tasks.deliver(s.tenantId, agentId);
  }

  private async requireScan(tenantId: string, id: string): Promise<ScanRow> {
    const s = isUuid(id) ? await this.repo.findScan(tenantId, id) : null;
    if (!s) throw hubError('NOT_FOUND', `no scan ${id}`);
    return s;
  }

  private async runTasks(s: ScanRow): Promise<{ runs: ScanRunRow[]; tasks: Map<string, TaskRow> }> {
    const runs = s.runCount === 0 ? [] : await this.repo.runsOf(s.tenantId, s.id, s.runCount);
    const tasks = new Map<string, TaskRow>();
    for (const r of runs) {
      const t = await this.d.tasks.repo.find(s.tenantId, r.taskId);
      if (t) tasks.set(r.taskId, t);
    }
    return { runs, tasks };
  }

  async get(tenantId: string, id: string): Promise<ScanView> {
    const s = await this.requireScan(tenantId, id);
    const { runs, tasks } = await this.runTasks(s);
    const taskIds = runs.map((r) => r.taskId);
    const [counts, hosts] = await Promise.all([
      this.repo.countsOf(tenantId, taskIds),
      this.repo.observationsOf(tenantId, taskIds),
    ]);
    return scanView(s, runs, tasks, counts, hosts);
  }

  async list(tenantId: string, limit: number, offset: number): Promise<{ items: ScanView[]; total: number }> {
    const [rows, total] = await this.repo.listScans(tenantId, limit, offset);
    const items: ScanView[] = [];
    for (const s of rows) {
      const { runs, tasks } = await this.runTasks(s);
      const counts = await this.repo.countsOf(
        tenantId,
        runs.map((r) => r.taskId),
      );
      items.push(scanView(s, runs, tasks, counts, null));
    }
    return { items, total };
  }

  /**
   * Stops the scan: no further runs; tasks no agent has received are cancelled at the hub, and
   * every task an agent may hold gets a signed CancelTask.
   */
  async cancel(tenantId: string, id: string): Promise<ScanView> {
    const s = await this.requireScan(tenantId, id);
    const now = this.d.clock();
    const notify = new Set<string>();
    await this.d.ds.transaction(async (em) => {
      await this.repo.updateScan(em, tenantId, id, {
        cancelledAt: s.cancelledAt ?? now,
        pendingRun: false,
        updatedAt: now,
      });
      const runs = s.runCount === 0 ? [] : await this.repo.runsOf(tenantId, id, s.runCount, em);
      for (const r of runs) {
        const t = await this.d.tasks.repo.find(tenantId, r.taskId, em);
        if (!t || r.cancelTaskId !== null) continue;
        if (t.state === 'queued') {
          await this.d.tasks.cancelUndelivered(em, tenantId, t.id);
        } else if (['sent', 'accepted', 'running'].includes(t.state)) {
          const c = await this.d.tasks.enqueue(em, tenantId, r.agentId, 'cancel', { taskId: t.id });
          await this.repo.setCancelTask(em, tenantId, r.id, c.id);
          notify.add(r.agentId);
        }
      }
    });
    this.d.log.info({ scanId: id, cancelTasks: notify.size }, 'scan cancelled');
    for (const agentId of notify) this.d.tasks.deliver(tenantId, agentId);
    return this.get(tenantId, id);
  }
}
