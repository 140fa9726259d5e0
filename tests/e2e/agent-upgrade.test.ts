// Signed self-upgrade of the single-executable agent against a real hub on 127.0.0.1:
// v1 runs → a build whose signature is not the hub's is refused (v1 keeps running, nothing
// swapped) → v2 upgrades and reconnects as v2 → v3, built to be unable to connect, is rolled
// back to v2, which reconnects and reports UPGRADE_ROLLED_BACK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { cachedAgentBuild } from '../../agent/packaging/testing.js';
import { createTenant, freePort, hubCli, startHub, tempDir, waitFor, type Tenant } from './lib/harness.js';

const run = promisify(execFile);
const skip =
  process.platform !== 'linux' || process.arch !== 'x64' ? 'the single executable is linux-x64 only' : false;
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface TaskView {
  state: string;
  result: { errorCode: string | null; errorMessage: string | null } | null;
}
interface UpgradeView {
  version: string;
  events: { code: string; taskId: string; details: Record<string, string> }[];
}

async function upgrade(
  acme: Tenant,
  agentId: string,
  version: string,
  confirmTimeoutS: number,
): Promise<string> {
  const res = await acme.api.request<{ tasks: { agentId: string; taskId: string }[] }>(
    'POST',
    '/api/v1/agents/upgrade',
    {
      agentIds: [agentId],
      version,
      confirmTimeoutS,
    },
  );
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const task = res.body.tasks[0];
  assert.equal(task?.agentId, agentId);
  return task.taskId;
}

function finished(acme: Tenant, taskId: string, timeoutMs = 120_000): Promise<TaskView> {
  return waitFor(
    `upgrade task ${taskId} to finish`,
    async () => {
      const t = await acme.api.get<TaskView>(`/api/v1/tasks/${taskId}`);
      return ['succeeded', 'failed', 'refused', 'expired'].includes(t.state) ? t : undefined;
    },
    timeoutMs,
  );
}

test(
  'self-upgrade: refused when unsigned, applied when good, rolled back when it cannot connect',
  { skip },
  async (t) => {
    // One after the other: the machine is shared, and each build is cached for the next run.
    const v1 = await cachedAgentBuild('0.1.0');
    const v2 = await cachedAgentBuild('0.2.0');
    const v3 = await cachedAgentBuild('0.3.0', { fault: 'no-connect' });
    const dir = tempDir('wp-upgrade-');
    const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
    const hub = await startHub(hubOpts);
    const acme = await createTenant(hubOpts, hub.url, 'acme');
    for (const b of [v1, v2, v3])
      await hubCli(hubOpts, ['agent-build', 'add', b.binary, '--version', b.version]);

    // The agent's own copy of v1: the upgrade replaces this file in place.
    mkdirSync(join(dir.path, 'bin'));
    const exe = join(dir.path, 'bin', 'watchpost-agent');
    copyFileSync(v1.binary, exe);
    const data = join(dir.path, 'agent');
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: dir.path,
      WATCHPOST_AGENT_LOG_LEVEL: 'info',
      WATCHPOST_AGENT_BACKOFF_MAX_MS: '1000',
    };
    const enrolled = await run(
      exe,
      ['enroll', '--hub', hub.wsUrl, '--token', acme.enrollToken, '--json', '--data-dir', data],
      { env },
    );
    const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };

    let logs = '';
    const first = spawn(exe, ['run', '--data-dir', data], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    // Restarted agents share this pipe (they inherit stderr), so the log stays complete.
    first.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    // Hooks run in registration order: the agent (after re-execs a detached process this test
    // started, found by the pid in its status.json), then the hub, then the temp dir.
    let passed = false;
    t.after(async () => {
      if (!passed) t.diagnostic(`agent log:\n${logs.slice(-8000)}`);
      let pid = first.pid ?? 0;
      try {
        pid = (JSON.parse(readFileSync(join(data, 'status.json'), 'utf8')) as { pid: number }).pid;
      } catch {
        // no status written yet: the first process is the one to stop
      }
      if (alive(pid)) {
        process.kill(pid, 'SIGTERM');
        await waitFor('the agent to stop', async () => (alive(pid) ? undefined : true));
      }
      await hub.kill();
      dir.remove();
    });
    const version = async () =>
      (await acme.api.get<UpgradeView>(`/api/v1/agents/${agentId}/upgrades`)).version;
    const online = (v: string) =>
      waitFor(
        `agent online as ${v}`,
        async () => {
          const a = await acme.api.get<{ online: boolean; version: string }>(`/api/v1/agents/${agentId}`);
          return a.online && a.version === v ? a : undefined;
        },
        120_000,
      );
    await online('0.1.0');

    // 1. A signature that is not the hub key's: refused before anything is swapped.
    const db = new Database(join(hubOpts.dataDir, 'watchpost.db'));
    const row = db.prepare('SELECT signature FROM agent_builds WHERE version = ?').get('0.2.0') as {
      signature: string;
    };
    const forged = Buffer.from(row.signature, 'base64');
    forged[10] = (forged[10] ?? 0) ^ 0x40;
    db.prepare('UPDATE agent_builds SET signature = ? WHERE version = ?').run(
      forged.toString('base64'),
      '0.2.0',
    );
    db.close();
    const refusedId = await upgrade(acme, agentId, '0.2.0', 60);
    const refused = await finished(acme, refusedId);
    assert.equal(refused.state, 'failed', logs);
    assert.equal(refused.result?.errorCode, 'UPGRADE_FAILED');
    assert.match(refused.result?.errorMessage ?? '', /signature/);
    const afterRefusal = await acme.api.get<UpgradeView>(`/api/v1/agents/${agentId}/upgrades`);
    assert.ok(afterRefusal.events.some((e) => e.code === 'UPGRADE_REFUSED' && e.taskId === refusedId));
    assert.equal(sha256(exe), sha256(v1.binary), 'nothing swapped');
    assert.ok(!existsSync(`${exe}.prev`));
    assert.equal(await version(), '0.1.0');

    // 2. Re-adding the build re-signs it with the hub key: the upgrade goes through.
    await hubCli(hubOpts, ['agent-build', 'add', v2.binary, '--version', '0.2.0']);
    const goodId = await upgrade(acme, agentId, '0.2.0', 60);
    const good = await finished(acme, goodId);
    assert.equal(good.state, 'succeeded', `${JSON.stringify(good)}\n${logs}`);
    await online('0.2.0');
    assert.equal(sha256(exe), sha256(v2.binary));
    assert.equal(sha256(`${exe}.prev`), sha256(v1.binary));
    const completed = await acme.api.get<UpgradeView>(`/api/v1/agents/${agentId}/upgrades`);
    assert.ok(
      completed.events.some(
        (e) => e.code === 'UPGRADE_COMPLETED' && e.taskId === goodId && e.details['to'] === '0.2.0',
      ),
    );
    assert.ok(!existsSync(join(data, 'upgrade.json')), 'marker cleared after confirmation');

    // 3. v3 verifies and starts but never reaches the hub: after its confirm timeout it restores v2.
    const badId = await upgrade(acme, agentId, '0.3.0', 10);
    const rolled = await finished(acme, badId, 180_000);
    assert.equal(rolled.state, 'failed', logs);
    assert.equal(rolled.result?.errorCode, 'UPGRADE_FAILED');
    assert.match(rolled.result?.errorMessage ?? '', /rolled back to 0\.2\.0/);
    await online('0.2.0');
    assert.equal(sha256(exe), sha256(v2.binary), 'previous executable restored');
    const history = await acme.api.get<UpgradeView>(`/api/v1/agents/${agentId}/upgrades`);
    assert.ok(history.events.some((e) => e.code === 'UPGRADE_ROLLED_BACK' && e.taskId === badId));
    assert.ok(!history.events.some((e) => e.code === 'UPGRADE_COMPLETED' && e.taskId === badId));
    assert.match(logs, /no Welcome before the upgrade deadline: rolling back/);
    assert.ok(!existsSync(join(data, 'upgrade.json')));
    passed = true;
  },
);
