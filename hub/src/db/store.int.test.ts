// The same store suite on SQLite and (when WATCHPOST_TEST_DATABASE_URL is set) PostgreSQL, each
// in a fresh database: migrations from empty, tenant scoping, token bookkeeping, bulk inserts.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { AgentsService, type Agent } from '../agents/index.js';
import { isHubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { TasksService } from '../tasks/index.js';
import { loadOrCreateHubKey, TenancyService } from '../tenancy/index.js';
import { tempPgDatabase, testDatabaseUrl, type TempDatabase } from '../testing/postgres.js';
import { openStore, type DbOptions } from './data-source.js';
import { testAgentRow } from '../testing/agent-row.js';

const backends = ['sqlite', ...(testDatabaseUrl() ? ['postgres'] : [])];
if (!testDatabaseUrl()) console.log('# postgres store suite skipped: WATCHPOST_TEST_DATABASE_URL is not set');

const notFound = (e: unknown) => isHubError(e) && e.code === 'NOT_FOUND';

const agentRow = (tenantId: string): Agent => testAgentRow(tenantId);

for (const backend of backends) {
  describe(`store (${backend})`, () => {
    let pgDb: TempDatabase | undefined;
    let opts: DbOptions;
    let ds: DataSource;
    const clock = () => new Date();

    before(async () => {
      if (backend === 'postgres') pgDb = await tempPgDatabase();
      opts = { dataDir: mkdtempSync(join(tmpdir(), 'wp-store-')), databaseUrl: pgDb?.url };
      ds = await openStore(opts, true);
    });
    after(async () => {
      await ds?.destroy();
      await pgDb?.drop();
    });

    test('migrations run from empty and are idempotent', async () => {
      const tables = [
        'tenants',
        'enrollment_tokens',
        'api_tokens',
        'hub_keys',
        'agents',
        'agent_events',
        'ingest_rejects',
        'tasks',
        'task_events',
      ];
      for (const t of tables) assert.ok(await ds.createQueryRunner().hasTable(t), `table ${t}`);
      assert.deepEqual(await ds.runMigrations(), []);
    });

    test('every node sharing the store gets the same hub key', async () => {
      const second = await openStore(opts, true);
      try {
        const a = await loadOrCreateHubKey(new TenancyService(ds, clock).repo, clock());
        const b = await loadOrCreateHubKey(new TenancyService(second, clock).repo, clock());
        assert.equal(a.publicKeyRaw.length, 32);
        assert.deepEqual(a.publicKeyRaw, b.publicKeyRaw);
      } finally {
        await second.destroy();
      }
    });

    test('tenant scoping: tenant B never sees or changes tenant A rows', async () => {
      const tenancy = new TenancyService(ds, clock);
      const agents = new AgentsService(ds, clock);
      const identity = await loadOrCreateHubKey(tenancy.repo, clock());
      const tasks = new TasksService(ds, agents.repo, clock, 3600, identity);
      const A = await tenancy.createTenant(`a-${backend}`);
      const B = await tenancy.createTenant(`b-${backend}`);
      const tokA = await tenancy.createEnrollmentToken(A.id, 60_000, null);
      const agentA = agentRow(A.id);
      await ds.transaction((em) => agents.repo.insert(em, agentA));
      const taskA = await tasks.create(A.id, agentA.id, {
        kind: 'collect_inventory',
        params: { full: true },
      });

      assert.equal((await agents.list(B.id)).length, 0);
      assert.equal((await agents.list(A.id)).length, 1);
      await assert.rejects(agents.get(B.id, agentA.id), notFound);
      await assert.rejects(agents.revoke(B.id, agentA.id), notFound);
      assert.equal((await agents.get(A.id, agentA.id)).revokedAt, null);
      await assert.rejects(tasks.get(B.id, taskA.id), notFound);
      await assert.rejects(
        tasks.create(B.id, agentA.id, { kind: 'collect_inventory', params: { full: true } }),
        notFound,
      );
      assert.equal((await tasks.get(A.id, taskA.id)).state, 'queued');
      assert.equal((await tenancy.listEnrollmentTokens(B.id)).length, 0);
      await assert.rejects(tenancy.revokeEnrollmentToken(B.id, tokA.id), notFound);
      assert.equal((await tenancy.listEnrollmentTokens(A.id))[0]?.revoked, false);
      assert.equal(await tasks.repo.find(B.id, taskA.id), null);
    });

    test('enrollment tokens: uses are consumed atomically; revoked and wrong-tenant tokens refused', async () => {
      const tenancy = new TenancyService(ds, clock);
      const T = await tenancy.createTenant(`t-${backend}`);
      const once = await tenancy.createEnrollmentToken(T.id, 60_000, 1);
      const first = await ds.transaction((em) => tenancy.consumeEnrollment(em, once.token, ''));
      const second = await ds.transaction((em) => tenancy.consumeEnrollment(em, once.token, ''));
      assert.deepEqual([first.ok, second.ok ? 'ok' : second.refusal], [true, 'USED_UP']);
      const multi = await tenancy.createEnrollmentToken(T.id, 60_000, null);
      const wrong = await ds.transaction((em) => tenancy.consumeEnrollment(em, multi.token, 'someone-else'));
      assert.equal(wrong.ok ? 'ok' : wrong.refusal, 'WRONG_TENANT');
      const byName = await ds.transaction((em) => tenancy.consumeEnrollment(em, multi.token, T.name));
      assert.equal(byName.ok, true);
      await tenancy.revokeEnrollmentToken(T.id, multi.id);
      const revoked = await ds.transaction((em) => tenancy.consumeEnrollment(em, multi.token, ''));
      assert.equal(revoked.ok ? 'ok' : revoked.refusal, 'REVOKED');
      const api = await tenancy.createApiToken(T.id, 'ci');
      assert.deepEqual(await tenancy.authenticateApiToken(api.token), { tenantId: T.id, tokenId: api.id });
      assert.equal(await tenancy.authenticateApiToken(`${api.token}x`), null);
    });

    test('task events are bulk-inserted in chunks and unique per (agent, seq)', async () => {
      const tenancy = new TenancyService(ds, clock);
      const agents = new AgentsService(ds, clock);
      const tasks = new TasksService(
        ds,
        agents.repo,
        clock,
        3600,
        await loadOrCreateHubKey(tenancy.repo, clock()),
      );
      const T = await tenancy.createTenant(`bulk-${backend}`);
      const agent = agentRow(T.id);
      await ds.transaction((em) => agents.repo.insert(em, agent));
      const task = await tasks.create(T.id, agent.id, { kind: 'pipeline_probe', params: { count: 6000 } });
      const rows = Array.from({ length: 6000 }, (_, i) => ({
        id: newId(),
        tenantId: T.id,
        taskId: task.id,
        agentId: agent.id,
        seq: BigInt(i + 1),
        kind: 'progress' as const,
        state: 'running',
        percent: 0,
        counter: BigInt(i + 1),
        message: '',
        createdAt: new Date(),
      }));
      await ds.transaction((em) => tasks.repo.insertEvents(em, rows));
      const counted = (await ds.query(
        `SELECT COUNT(*) AS n FROM task_events WHERE task_id = '${task.id}'`,
      )) as {
        n: number;
      }[];
      assert.equal(Number(counted[0]?.n), 6000);
      await assert.rejects(
        ds.transaction((em) => tasks.repo.insertEvents(em, [{ ...rows[0]!, id: newId() }])),
      );
    });
  });
}
