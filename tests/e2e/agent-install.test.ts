// The single-executable agent, installed the way an operator would: a real hub on 127.0.0.1
// serves the build and install.sh; install.sh runs into a throwaway prefix (never the real /),
// checks sha256 + signature, enrolls; the SEA (no tsx, no agent sources) then runs, reports
// inventory, answers status/doctor, and uninstalls. Tampered downloads are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { cachedAgentBuild } from '../../agent/packaging/testing.js';
import { createTenant, freePort, hubCli, startHub, tempDir, waitFor } from './lib/harness.js';

const run = promisify(execFile);
const VERSION = '0.9.0';

function skipReason(): string | false {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return 'the single executable is built for linux-x64 only';
  for (const tool of ['dpkg-deb', 'fakeroot', 'openssl', 'curl', 'dpkg-query'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  if (!/^OpenSSL [3-9]/.test(spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout))
    return 'OpenSSL < 3';
  return false;
}

/** lstat-based: a dangling symlink is still present. */
function present(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** An environment without the developer's node on PATH and nothing of this checkout. */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/nonexistent', LANG: 'C', ...extra };
}

async function installSh(hubUrl: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const script = await (await fetch(`${hubUrl}/install.sh`)).text();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-s', '--', ...args], { env: bareEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(script);
  });
}

function dpkgInstalledCount(): number {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Status}\n'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return r.stdout.split('\n').filter((l) => l === 'installed').length;
}

test(
  'install.sh from the hub installs, enrolls and runs the single executable',
  { skip: skipReason() },
  async (t) => {
    const build = await cachedAgentBuild(VERSION, { deb: true });
    const dir = tempDir('wp-install-');
    t.after(() => dir.remove());
    const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
    const hub = await startHub(hubOpts);
    t.after(() => hub.kill());
    const acme = await createTenant(hubOpts, hub.url, 'acme');

    const added = await hubCli<{ sha256: string; signature: string }>(hubOpts, [
      'agent-build',
      'add',
      build.binary,
      '--version',
      VERSION,
    ]);
    assert.equal(added.sha256, sha256(build.binary));
    await hubCli(hubOpts, ['agent-build', 'add', build.deb ?? '', '--version', VERSION]);
    const token = await hubCli<{ token: string; installCommand: string }>(hubOpts, [
      'token',
      'create',
      '--tenant',
      'acme',
      '--uses',
      '1',
      '--hub-url',
      hub.url,
    ]);
    assert.equal(
      token.installCommand,
      `curl -fsSL ${hub.url}/install.sh | sudo sh -s -- --token ${token.token}`,
    );

    // --- install into a throwaway root --------------------------------------------------------
    const root = join(dir.path, 'root');
    mkdirSync(root);
    const installed = await installSh(hub.url, ['--token', token.token, '--prefix', root]);
    assert.equal(installed.code, 0, installed.out);
    assert.match(installed.out, /verified \(sha256 [0-9a-f]{64}, signed by the hub key\)/);
    const exe = join(root, 'usr/lib/watchpost-agent/watchpost-agent');
    assert.equal(sha256(exe), added.sha256);
    assert.equal(statSync(exe).mode & 0o777, 0o755);
    assert.equal(
      readlinkSync(join(root, 'usr/bin/watchpost-agent')),
      '../lib/watchpost-agent/watchpost-agent',
    );
    const state = join(root, 'var/lib/watchpost-agent');
    assert.equal(statSync(state).mode & 0o777, 0o700);
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'etc/watchpost-agent/agent.json'), 'utf8')), {
      scope: ['127.0.0.1/32'],
    });
    assert.ok(lstatSync(join(state, 'agent.json')).isSymbolicLink());
    const identity = JSON.parse(readFileSync(join(state, 'identity.json'), 'utf8')) as {
      agentId: string;
      hubUrl: string;
    };
    assert.equal(identity.hubUrl, `${hub.url.replace('http', 'ws')}/agent/v1`);

    // The unit install.sh wrote is the .deb's unit, and systemd accepts it.
    const unitFile = join(root, 'lib/systemd/system/watchpost-agent.service');
    const unit = readFileSync(unitFile, 'utf8');
    const debDir = join(dir.path, 'deb');
    await run('dpkg-deb', ['-x', build.deb ?? '', debDir]);
    assert.equal(readFileSync(join(debDir, 'lib/systemd/system/watchpost-agent.service'), 'utf8'), unit);
    assert.ok(existsSync(join(debDir, 'usr/lib/watchpost-agent/watchpost-agent')));
    const control = (await run('dpkg-deb', ['-f', build.deb ?? ''])).stdout;
    assert.match(control, new RegExp(`^Version: ${VERSION.replaceAll('.', '\\.')}$`, 'm'));
    for (const directive of [
      'Restart=on-failure',
      'User=watchpost-agent',
      'StateDirectory=watchpost-agent',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN',
      'CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN',
    ])
      assert.ok(unit.split('\n').includes(directive), directive);
    if (spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0) {
      // ExecStart must exist for verify: point it at the prefix. The container has no running
      // systemd, so the implicit sysinit.target dependency is not followed (--recursive-errors=no).
      const verify = (file: string) =>
        spawnSync('systemd-analyze', ['verify', '--man=no', '--recursive-errors=no', file], {
          encoding: 'utf8',
        });
      const probe = join(dir.path, 'verify');
      mkdirSync(probe);
      writeFileSync(
        join(probe, 'watchpost-agent.service'),
        unit.replace('/usr/bin/watchpost-agent', join(root, 'usr/bin/watchpost-agent')),
      );
      const ok = verify(join(probe, 'watchpost-agent.service'));
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(ok.stderr.trim(), '');
      // …and the same verifier rejects a broken unit, so the check above means something.
      writeFileSync(join(probe, 'broken.service'), unit.replace('Restart=on-failure', 'Restart=sometimes'));
      assert.notEqual(verify(join(probe, 'broken.service')).stderr.trim(), '');
    } else t.diagnostic('systemd-analyze not installed: unit checked by directive only');

    // --- the installed executable runs with no Node on PATH ------------------------------------
    const agentEnv = bareEnv({ WATCHPOST_AGENT_LOG_LEVEL: 'warn', WATCHPOST_AGENT_BACKOFF_MAX_MS: '1000' });
    assert.equal((await run(exe, ['--version'], { env: agentEnv })).stdout.trim(), VERSION);
    const agent = spawn(exe, ['run', '--data-dir', state], {
      env: agentEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let agentErr = '';
    agent.stderr.on('data', (d: Buffer) => (agentErr += d.toString()));
    const agentExit = new Promise((r) => agent.once('exit', r));
    t.after(async () => {
      if (agent.exitCode === null) agent.kill('SIGTERM');
      await agentExit;
    });
    const row = await waitFor('SEA agent online with its asset', async () => {
      const { items } = await acme.api.get<{
        items: { id: string; online: boolean; assetId: string | null; version: string }[];
      }>('/api/v1/agents');
      const a = items.find((i) => i.id === identity.agentId);
      return a?.online && a.assetId ? a : undefined;
    });
    assert.equal(row.version, VERSION);
    const expectedPackages = dpkgInstalledCount();
    const packages = await waitFor('the package inventory', async () => {
      const res = await acme.api.get<{ total: number; items: { manager: string }[] }>(
        `/api/v1/assets/${row.assetId}/packages`,
      );
      return res.total > 0 ? res : undefined;
    });
    assert.equal(packages.items.filter((p) => p.manager === 'dpkg').length, expectedPackages, agentErr);
    // The native LevelDB addon was extracted from the executable into the state dir.
    assert.ok(existsSync(join(state, 'native', VERSION)), 'native addon cache');

    // The status file is rewritten on connection changes and heartbeats: wait for a connected one.
    const status = await waitFor('status --json reports the connection', async () => {
      const s = JSON.parse(
        (await run(exe, ['status', '--json', '--data-dir', state], { env: agentEnv })).stdout,
      ) as Record<string, unknown>;
      return s['connected'] === true ? s : undefined;
    });
    assert.equal(status['connected'], true);
    assert.equal(status['running'], true);
    assert.deepEqual(status['scope'], ['127.0.0.1/32']);
    const doctor = spawnSync(exe, ['doctor', '--json', '--data-dir', state], {
      env: agentEnv,
      encoding: 'utf8',
    });
    const checks = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string }[] }).checks;
    const byName = Object.fromEntries(checks.map((c) => [c.name, c.status]));
    assert.equal(byName['hub-tcp'], 'ok');
    assert.equal(byName['hub-http'], 'ok');
    assert.equal(byName['clock'], 'ok');
    assert.equal(byName['disk'], 'ok');
    assert.equal(doctor.status, checks.some((c) => c.status === 'fail') ? 1 : 0);

    agent.kill('SIGTERM');
    assert.equal(await agentExit, 0);

    // --- tampered downloads are refused, nothing lands ------------------------------------------
    const stored = join(hubOpts.dataDir, 'agent-builds', VERSION, 'linux-x64');
    const good = readFileSync(stored);
    const bad = Buffer.from(good);
    bad[bad.length - 100] = (bad[bad.length - 100] ?? 0) ^ 0xff;
    writeFileSync(stored, bad);
    const root2 = join(dir.path, 'root2');
    mkdirSync(root2);
    const tampered = await installSh(hub.url, ['--no-enroll', '--prefix', root2]);
    assert.notEqual(tampered.code, 0);
    assert.match(tampered.out, /sha256 mismatch/);
    assert.ok(!existsSync(join(root2, 'usr/lib/watchpost-agent/watchpost-agent')));

    // Same bytes as signed, but the signature is not the hub's: refused too.
    writeFileSync(stored, good);
    const db = new Database(join(hubOpts.dataDir, 'watchpost.db'));
    const forged = Buffer.from(added.signature, 'base64');
    forged[0] = (forged[0] ?? 0) ^ 0x01;
    db.prepare('UPDATE agent_builds SET signature = ? WHERE version = ? AND platform = ?').run(
      forged.toString('base64'),
      VERSION,
      'linux-x64',
    );
    db.close();
    const unsigned = await installSh(hub.url, ['--no-enroll', '--prefix', root2]);
    assert.notEqual(unsigned.code, 0);
    assert.match(unsigned.out, /signature check failed/);
    assert.ok(!existsSync(join(root2, 'usr/lib/watchpost-agent/watchpost-agent')));

    // --- uninstall from the prefix --------------------------------------------------------------
    const removed = JSON.parse(
      (await run(exe, ['uninstall', '--prefix', root, '--purge', '--json'], { env: agentEnv })).stdout,
    ) as { removed: string[] };
    assert.equal(removed.removed.length, 5);
    for (const p of [
      'usr/bin/watchpost-agent',
      'usr/lib/watchpost-agent',
      'lib/systemd/system/watchpost-agent.service',
      'etc/watchpost-agent',
      'var/lib/watchpost-agent',
    ])
      assert.ok(!present(join(root, p)), p);
  },
);
