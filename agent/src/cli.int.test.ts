// The CLI as real processes against the in-test hub peer: enroll (refused → exit 2), run,
// status while running, SIGTERM → exit 0, revocation → exit 3, bad config → key named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { TestHub } from './testing/testHub.js';
import { agentRoot } from './testing/paths.js';

const CLI = ['--import', 'tsx', join(agentRoot, 'src', 'cli.ts')];
const ENV = { ...process.env, WATCHPOST_AGENT_BACKOFF_MAX_MS: '100', WATCHPOST_AGENT_LOG_LEVEL: 'warn' };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI, ...args], { cwd: agentRoot, env: ENV }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function setup(t: { after: (fn: () => unknown) => void }) {
  const hub = new TestHub({ heartbeatIntervalS: 1 });
  await hub.start();
  t.after(() => hub.stop());
  const dir = mkdtempSync(join(tmpdir(), 'wp-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { hub, dir };
}

test('enroll: refusal exits 2 with the close code and reason; success prints JSON and stores the identity', async (t) => {
  const { hub, dir } = await setup(t);
  const refused = await cli([
    'enroll',
    '--hub',
    hub.url,
    '--token',
    'wpe_wrong',
    '--data-dir',
    dir,
    '--json',
  ]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /4402/);
  assert.match(refused.stderr, /TOKEN_INVALID: enrollment token unknown/);

  const ok = await cli([
    'enroll',
    '--hub',
    hub.url,
    '--token',
    hub.createToken(),
    '--tenant',
    'acme',
    '--data-dir',
    dir,
    '--json',
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  const lines = ok.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const out = JSON.parse(lines[0] ?? '') as { agentId: string; tenantId: string; hub: string };
  assert.ok(hub.agents.has(out.agentId));
  assert.equal(out.hub, `${hub.url}/agent/v1`);
  assert.equal(statSync(join(dir, 'agent.key')).mode & 0o777, 0o600);
  const identity = JSON.parse(readFileSync(join(dir, 'identity.json'), 'utf8')) as {
    hubPublicKey: string;
    agentId: string;
  };
  assert.equal(identity.hubPublicKey, hub.hubPublicKey.toString('base64'));
  assert.ok(
    !readFileSync(join(dir, 'identity.json'), 'utf8').includes('PRIVATE'),
    'no key material in identity.json',
  );
});

test('run: status works while running; SIGTERM exits 0; revocation exits 3', async (t) => {
  const { hub, dir } = await setup(t);
  writeFileSync(join(dir, 'agent.json'), JSON.stringify({ heartbeatIntervalS: 1, statusIntervalS: 1 }));
  const enrolled = await cli([
    'enroll',
    '--hub',
    hub.url,
    '--token',
    hub.createToken(),
    '--data-dir',
    dir,
    '--json',
  ]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };

  const start = () => {
    const child = spawn(process.execPath, [...CLI, 'run', '--data-dir', dir], {
      cwd: agentRoot,
      env: ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    return child;
  };
  let child = start();
  await hub.waitFor(
    () => hub.agents.get(agentId)?.stored.some((e) => e.inventory) ?? false,
    'inventory from the running agent',
  );
  let status: { running?: boolean; connected?: boolean; agentId?: string; pid?: number } = {};
  for (;;) {
    const res = await cli(['status', '--data-dir', dir, '--json']);
    assert.equal(res.code, 0, res.stderr);
    status = JSON.parse(res.stdout) as typeof status;
    if (status.connected) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status.running, true);
  assert.equal(status.agentId, agentId);
  assert.equal(status.pid, child.pid);

  child.kill('SIGTERM');
  const [termCode] = (await once(child, 'exit')) as [number | null];
  assert.equal(termCode, 0);
  const after = JSON.parse((await cli(['status', '--data-dir', dir, '--json'])).stdout) as typeof status;
  assert.equal(after.running, false);
  assert.equal(after.connected, false);

  child = start();
  await hub.waitFor(() => hub.isConnected(agentId), 'reconnected');
  hub.revoke(agentId);
  const [revokedCode] = (await once(child, 'exit')) as [number | null];
  assert.equal(revokedCode, 3);
});

test('a bad agent.json fails fast naming the key', async (t) => {
  const { dir } = await setup(t);
  writeFileSync(join(dir, 'agent.json'), JSON.stringify({ outboxBudgetByte: 1 }));
  const res = await cli(['run', '--data-dir', dir]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /unknown key "outboxBudgetByte"/);
});

test('kill -9 mid-probe: after restart every counter arrives exactly once, none restarts from 1', async (t) => {
  const { hub, dir } = await setup(t);
  const enrolled = await cli([
    'enroll',
    '--hub',
    hub.url,
    '--token',
    hub.createToken(),
    '--data-dir',
    dir,
    '--json',
  ]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };
  const stored = () => hub.agents.get(agentId)?.stored ?? [];
  const start = () => {
    const child = spawn(process.execPath, [...CLI, 'run', '--data-dir', dir], {
      cwd: agentRoot,
      env: ENV,
      stdio: 'ignore',
    });
    t.after(() => child.kill('SIGKILL'));
    return child;
  };
  let child = start();
  await hub.waitFor(() => hub.isConnected(agentId), 'connected');
  const count = 50_000;
  const taskId = hub.sendTask(agentId, { pipelineProbe: { count, payloadBytes: 64 } });
  await hub.waitFor(() => stored().length > 2000, 'probe under way');
  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.ok(stored().length < count, 'killed mid-probe');
  child = start();
  await hub.waitFor(
    () => stored().length > count && stored().some((e) => e.taskResult?.taskId === taskId),
    'probe finished after the crash',
    120_000,
  );
  const counters = stored()
    .filter((e) => e.taskProgress?.taskId === taskId && e.taskProgress.state === 2)
    .map((e) => Number(e.taskProgress?.counter?.toString()));
  assert.equal(counters.length, count);
  assert.ok(
    counters.every((c, i) => c === i + 1),
    'each counter exactly once, in order',
  );
  const seqs = stored().map((e) => Number(e.seq.toString()));
  assert.ok(
    seqs.every((s, i) => s === i + 1),
    'seqs contiguous from 1: nothing lost, nothing twice',
  );
});
