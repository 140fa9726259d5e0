// The scan scheduler on a real store (SQLite, and PostgreSQL when configured) with an injected
// clock: cron fires once per matching minute, a due run waits for its window, a run's task
// carries the window end, cancellation stops further runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { AgentsRepository } from '../agents/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { allEntities, allMigrations } from '../db/registry.js';
import { newId } from '../platform/ids.js';
import { TasksService } from '../tasks/index.js';
import { loadOrCreateHubKey, TenancyService, TenantScopeStore } from '../tenancy/index.js';
import { ScansService } from './index.js';
import { testAgentRow } from '../testing/agent-row.js';

const at = (hh: number, mm = 0, ss = 0) => new Date(Date.UTC(2026, 10, 26, hh, mm, ss));

for (const factory of testStores({ entities: allEntities(), migrations: allMigrations() })) {
  describe(`scan scheduler on ${factory.dialect}`, () => {
    let store: TestStore;
    let now = at(0);
    const clock = () => now;
    let scans: ScansService;
    let tasks: TasksService;
    let scopes: TenantScopeStore;
    let tenantId: string;
    const agentId = newId();

    before(async () => {
      store = await factory.open();
      const ds = store.dataSource;
      const tenancy = new TenancyService(ds, clock);
      tenantId = (await tenancy.createTenant('sched')).id;
      const agents = new AgentsRepository(ds);
      await agents.insert(
        ds.manager,
        testAgentRow(tenantId, {
          id: agentId,
          publicKey: Buffer.alloc(32).toString('base64'),
          hostname: 'scanner',
          version: '0.0.0-test',
          enrolledAt: now,
        }),
      );
      const identity = await loadOrCreateHubKey(tenancy.repo, now);
      tasks = new TasksService(ds, agents, clock, 86_400, identity);
      scans = new ScansService({
        ds,
        tasks,
        agents,
        scopes: (scopes = new TenantScopeStore(ds, clock)),
        clock,
        log: pino({ level: 'silent' }),
      });
    });
    after(async () => {
      await store?.close();
    });

    const scanTasks = async () =>
      (await store.dataSource.transaction((em) => tasks.repo.undelivered(em, tenantId, agentId))).filter(
        (t) => t.kind === 'scan',
      );

    test('hourly cron inside a 01:00-03:00 UTC window', async () => {
      now = at(0, 0, 10);
      const created = await scans.create(tenantId, {
        agentId,
        targets: ['127.0.0.1'],
        profile: 'discovery',
        schedule: '0 * * * *',
        window: { start: '01:00', end: '03:00', timezone: 'UTC' },
      });
      // 00:00 fired, but the window is closed: due, not started.
      assert.equal(created.runCount, 0);
      assert.equal(created.pendingRun, true);
      assert.equal(created.state, 'queued');

      now = at(0, 30);
      await scans.tick();
      assert.equal((await scans.get(tenantId, created.id)).runCount, 0);

      now = at(1, 0, 20);
      await scans.tick();
      let v = await scans.get(tenantId, created.id);
      assert.equal(v.runCount, 1, 'window open: the pending run starts');
      const [first] = await scanTasks();
      const params = JSON.parse(first!.params) as Record<string, unknown>;
      assert.equal(params['windowEndMs'], at(3).getTime());
      assert.ok(first!.expiresAt.getTime() <= at(3).getTime(), 'undelivered past the window: expired');

      now = at(1, 0, 50);
      await scans.tick();
      assert.equal((await scans.get(tenantId, created.id)).runCount, 1, 'one run per cron minute');

      now = at(1, 30);
      await scans.tick();
      assert.equal((await scans.get(tenantId, created.id)).runCount, 1, 'cron does not match');

      now = at(2, 0, 5);
      await scans.tick();
      assert.equal((await scans.get(tenantId, created.id)).runCount, 2);

      now = at(3, 0, 5);
      await scans.tick();
      v = await scans.get(tenantId, created.id);
      assert.equal(v.runCount, 2, '03:00 is outside the window (end exclusive)');
      assert.equal(v.pendingRun, true);

      await scans.cancel(tenantId, created.id);
      now = at(4, 0);
      await scans.tick();
      now = new Date(at(1, 0).getTime() + 86_400_000);
      await scans.tick();
      v = await scans.get(tenantId, created.id);
      assert.equal(v.runCount, 2, 'no runs after cancellation');
      assert.equal(v.pendingRun, false);
      assert.equal(v.cancelRequested, true);
    });

    test('two concurrent ticks start a due run once', async () => {
      now = at(10, 0);
      const created = await scans.create(tenantId, {
        agentId,
        targets: ['127.0.0.1'],
        profile: 'discovery',
        window: { start: '11:00', end: '12:00', timezone: 'UTC' },
      });
      assert.equal(created.runCount, 0);
      const before = (await scanTasks()).length;
      now = at(11, 0);
      await Promise.all([scans.tick(), scans.tick(), scans.tick()]);
      assert.equal((await scans.get(tenantId, created.id)).runCount, 1);
      assert.equal((await scanTasks()).length, before + 1);
    });

    test('cancelling before delivery cancels queued tasks at the hub without a cancel task', async () => {
      now = at(5);
      const created = await scans.create(tenantId, { agentId, targets: ['127.0.0.1'], profile: 'top-ports' });
      assert.equal(created.runCount, 1);
      assert.equal(created.state, 'queued');
      const v = await scans.cancel(tenantId, created.id);
      assert.equal(v.state, 'cancelled');
      assert.equal(v.progress.tasks[0]?.cancelTaskId, null);
      const pending = await store.dataSource.transaction((em) =>
        tasks.repo.undelivered(em, tenantId, agentId),
      );
      assert.equal(
        pending.some((t) => t.kind === 'cancel'),
        false,
      );
    });

    test('a window without a timezone follows the tenant timezone', async () => {
      assert.equal(await scopes.timezone(tenantId), 'UTC', 'the default');
      assert.equal(await scopes.setTimezone(tenantId, 'Asia/Tokyo'), 'Asia/Tokyo');
      await assert.rejects(scopes.setTimezone(tenantId, 'Mars/Base'), { code: 'VALIDATION_FAILED' });
      try {
        now = at(10, 30); // 19:30 in Tokyo (UTC+9, no DST)
        const created = await scans.create(tenantId, {
          agentId,
          targets: ['127.0.0.1'],
          profile: 'discovery',
          window: { start: '20:00', end: '21:00' },
        });
        assert.equal(created.window?.timezone, 'Asia/Tokyo', 'the tenant zone is pinned into the scan');
        assert.equal(created.runCount, 0, '19:30 Tokyo: closed');
        now = at(11, 0, 30); // 20:00 Tokyo
        await scans.tick();
        assert.equal((await scans.get(tenantId, created.id)).runCount, 1, '20:00 Tokyo: open');
        const params = (await scanTasks())
          .map((t) => JSON.parse(t.params) as Record<string, unknown>)
          .find((p) => p['scanId'] === created.id);
        assert.ok(params, 'the run has a scan task');
        assert.equal(params['windowEndMs'], at(12).getTime(), 'ends at 21:00 Tokyo');
      } finally {
        await scopes.setTimezone(tenantId, 'UTC');
      }
    });
  });
}
