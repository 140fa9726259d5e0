// Kill -9 the hub several times while an agent streams ≥ 10,000 results, and kill -9 the agent
// while its outbox holds thousands of unsent results: afterwards every result is stored exactly
// once. Real processes, real sockets, 127.0.0.1 only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  agentCli,
  createTenant,
  freePort,
  startAgent,
  startHub,
  tempDir,
  waitFor,
  type Api,
  type Hub,
} from './lib/harness.js';
import { probeRows } from './lib/store-query.js';
import { skipReason, storeCases } from './lib/stores.js';

const COUNT = 20_000;

async function startProbe(api: Api, agentId: string, count: number): Promise<string> {
  const res = await api.request<{ id: string }>('POST', `/api/v1/agents/${agentId}/tasks`, {
    kind: 'pipeline_probe',
    params: { count, payloadBytes: 64 },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

function assertExactlyOnce(rows: Awaited<ReturnType<typeof probeRows>>, count: number): void {
  assert.deepEqual(rows, {
    progress: count,
    distinctCounters: count,
    minCounter: 1,
    maxCounter: count,
    results: 1,
  });
}

for (const store of storeCases) {
  test(
    `hub killed -9 three times mid-stream: every result stored exactly once (${store.name})`,
    { skip: skipReason(store) },
    async (t) => {
      const db = await store.create();
      const dir = tempDir('wp-fault-hub-');
      const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort(), databaseUrl: db.databaseUrl };
      let hub: Hub = await startHub(hubOpts);
      t.after(async () => {
        await hub.kill();
        await db.drop();
        dir.remove();
      });
      const acme = await createTenant(hubOpts, hub.url, 'acme');
      const agentOpts = { dataDir: join(dir.path, 'agent') };
      const { agentId } = JSON.parse(
        (await agentCli(agentOpts, ['enroll', '--hub', hub.wsUrl, '--token', acme.enrollToken, '--json']))
          .stdout,
      ) as { agentId: string };
      const agent = startAgent(agentOpts);
      t.after(() => agent.kill());
      await waitFor('agent online', async () => {
        const { items } = await acme.api.get<{ items: { id: string; online: boolean }[] }>('/api/v1/agents');
        return items.find((a) => a.id === agentId && a.online);
      });

      const taskId = await startProbe(acme.api, agentId, COUNT);
      const storedAtKill: number[] = [];
      for (let kill = 0; kill < 3; kill++) {
        // Spread the kills over the stream: at about 20 %, 40 % and 60 % committed.
        const target = ((kill + 1) * COUNT) / 5;
        await waitFor('results to flow', async () => {
          const now = (await probeRows(hubOpts.dataDir, db.databaseUrl, taskId)).progress;
          return now >= target ? now : undefined;
        });
        await hub.kill('SIGKILL');
        storedAtKill.push((await probeRows(hubOpts.dataDir, db.databaseUrl, taskId)).progress);
        hub = await startHub(hubOpts);
      }
      t.diagnostic(`results committed when each kill landed: ${storedAtKill.join(', ')} of ${COUNT}`);
      for (const stored of storedAtKill)
        assert.ok(stored < COUNT, `each kill landed mid-stream (${storedAtKill.join(', ')})`);

      const done = await waitFor(
        'probe task to succeed',
        async () => {
          const task = await acme.api.get<{ state: string }>(`/api/v1/tasks/${taskId}`);
          return task.state === 'succeeded' ? task : undefined;
        },
        180_000,
      );
      assert.equal(done.state, 'succeeded');
      assertExactlyOnce(await probeRows(hubOpts.dataDir, db.databaseUrl, taskId), COUNT);
      assert.equal(agent.child.exitCode, null, 'the agent survived every hub crash');
    },
  );
}

test('agent killed -9 with thousands of results in its outbox: nothing is lost', async (t) => {
  const dir = tempDir('wp-fault-agent-');
  const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
  let hub: Hub = await startHub(hubOpts);
  t.after(async () => {
    await hub.kill();
    dir.remove();
  });
  const acme = await createTenant(hubOpts, hub.url, 'acme');
  const agentOpts = { dataDir: join(dir.path, 'agent') };
  const { agentId } = JSON.parse(
    (await agentCli(agentOpts, ['enroll', '--hub', hub.wsUrl, '--token', acme.enrollToken, '--json'])).stdout,
  ) as { agentId: string };
  let agent = startAgent(agentOpts);
  t.after(() => agent.kill());
  await waitFor('agent online', async () => {
    const { items } = await acme.api.get<{ items: { id: string; online: boolean }[] }>('/api/v1/agents');
    return items.find((a) => a.id === agentId && a.online);
  });

  const taskId = await startProbe(acme.api, agentId, COUNT);
  await waitFor('the agent to accept the probe', async () => {
    const task = await acme.api.get<{ state: string }>(`/api/v1/tasks/${taskId}`);
    return ['accepted', 'running'].includes(task.state) ? task : undefined;
  });
  // Hub gone: results pile up in the agent's durable outbox.
  await hub.kill('SIGKILL');
  const statusFile = join(agentOpts.dataDir, 'status.json');
  const backlog = await waitFor(
    'a backlog of unsent results',
    async () => {
      const s = JSON.parse(readFileSync(statusFile, 'utf8')) as { outboxMessages: number };
      return s.outboxMessages >= 1000 ? s.outboxMessages : undefined;
    },
    120_000,
  );
  await agent.kill('SIGKILL');
  agent = startAgent(agentOpts);
  // Both down-and-up again: the agent reconnects to the restarted hub and drains its outbox…
  hub = await startHub(hubOpts);
  // …and is killed once more in the middle of that drain.
  const drainedAtKill = await waitFor('the drain to start', async () => {
    const now = (await probeRows(hubOpts.dataDir, undefined, taskId)).progress;
    return now > 0 ? now : undefined;
  });
  await agent.kill('SIGKILL');
  t.diagnostic(`results committed when the agent was killed mid-drain: ${drainedAtKill}`);
  assert.ok(drainedAtKill < COUNT, 'the second kill landed mid-drain');
  agent = startAgent(agentOpts);
  const done = await waitFor(
    'probe task to succeed',
    async () => {
      const task = await acme.api.get<{ state: string }>(`/api/v1/tasks/${taskId}`);
      return task.state === 'succeeded' ? task : undefined;
    },
    180_000,
  );
  assert.equal(done.state, 'succeeded');
  t.diagnostic(`outbox backlog when the agent was killed: ${backlog}`);
  assert.ok(backlog >= 1000);
  assertExactlyOnce(await probeRows(hubOpts.dataDir, undefined, taskId), COUNT);
});
