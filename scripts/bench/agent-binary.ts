// Agent binary benchmark: the single executable (SEA) next to the same agent run by node from
// agent/dist and through tsx, in the same run: size on disk, start time of `--version` (median
// of 7), and idle RSS of `run` connected to a real hub on 127.0.0.1 (after the first inventory
// and 20 s idle). Prints figures; asserts nothing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cachedAgentBuild } from '../../agent/packaging/testing.js';
import { createTenant, freePort, repoRoot, startHub, tempDir, waitFor } from '../../tests/e2e/lib/harness.js';

const build = await cachedAgentBuild('0.0.0-bench', { deb: true });
const variants: { name: string; cmd: string[] }[] = [
  { name: 'SEA `watchpost-agent`', cmd: [build.binary] },
  { name: 'node agent/dist', cmd: [process.execPath, join(repoRoot, 'agent/bin/watchpost-agent.js')] },
  {
    name: 'node --import tsx agent/src',
    cmd: [process.execPath, '--import', 'tsx', join(repoRoot, 'agent/src/cli.ts')],
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN) / 1024;
}

const dir = tempDir('wp-bench-agent-');
const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
const hub = await startHub(hubOpts);
try {
  const acme = await createTenant(hubOpts, hub.url, 'acme');
  console.log(
    `SEA ${(statSync(build.binary).size / 1048576).toFixed(1)} MiB, .deb ${(statSync(build.deb ?? '').size / 1048576).toFixed(1)} MiB`,
  );
  console.log('| variant | `--version` median ms | idle RSS MiB |');
  console.log('| --- | --- | --- |');
  for (const v of variants) {
    const [cmd = '', ...pre] = v.cmd;
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      spawnSync(cmd, [...pre, '--version'], { stdio: 'ignore' });
      times.push(performance.now() - t0);
    }
    const data = join(dir.path, v.name.replace(/\W+/g, '-'));
    const token = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(repoRoot, 'hub/bin/watchpost-hub.js'),
          'token',
          'create',
          '--tenant',
          'acme',
          '--data-dir',
          hubOpts.dataDir,
          '--json',
        ],
        {
          env: { ...process.env, WATCHPOST_DATA_DIR: hubOpts.dataDir },
        },
      ).toString(),
    ) as { token: string };
    const enrolled = JSON.parse(
      execFileSync(
        cmd,
        [...pre, 'enroll', '--hub', hub.wsUrl, '--token', token.token, '--data-dir', data, '--json'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      ).toString(),
    ) as { agentId: string };
    const child = spawn(cmd, [...pre, 'run', '--data-dir', data], {
      stdio: 'ignore',
      env: { ...process.env, WATCHPOST_AGENT_LOG_LEVEL: 'warn' },
    });
    await waitFor('agent online with inventory', async () => {
      const a = await acme.api.get<{ online: boolean; assetId: string | null }>(
        `/api/v1/agents/${enrolled.agentId}`,
      );
      return a.online && a.assetId ? a : undefined;
    });
    await new Promise((r) => setTimeout(r, 20_000));
    const rss = rssMiB(child.pid ?? 0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    console.log(`| ${v.name} | ${median(times).toFixed(0)} | ${rss.toFixed(1)} |`);
  }
} finally {
  await hub.kill();
  dir.remove();
}
