// A real hub process and a real agent process on 127.0.0.1: the agent enrolls, streams its
// inventory, and the hub's API returns exactly the packages dpkg reports as installed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentCli, createTenant, freePort, startAgent, startHub, tempDir, waitFor } from './lib/harness.js';
import { skipReason, storeCases } from './lib/stores.js';

const run = promisify(execFile);

interface AgentRow {
  id: string;
  hostname: string;
  online: boolean;
  assetId: string | null;
  version: string;
}
interface PackageRow {
  name: string;
  version: string;
  arch: string;
  manager: string;
}

async function dpkgInstalled(): Promise<string[]> {
  const { stdout } = await run(
    'dpkg-query',
    ['-W', '-f', '${db:Status-Status} ${Package} ${Architecture} ${Version}\n'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('installed '))
    .map((l) => l.slice('installed '.length))
    .sort();
}

for (const store of storeCases) {
  test(
    `enroll, inventory and packages end to end (${store.name})`,
    { skip: skipReason(store) ?? (existsSync('/var/lib/dpkg/status') ? false : 'not a dpkg system') },
    async (t) => {
      const db = await store.create();
      const dir = tempDir('wp-e2e-');
      t.after(async () => {
        await db.drop();
        dir.remove();
      });
      const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort(), databaseUrl: db.databaseUrl };
      const hub = await startHub(hubOpts);
      t.after(() => hub.kill());
      const acme = await createTenant(hubOpts, hub.url, 'acme');

      const agentOpts = { dataDir: join(dir.path, 'agent') };
      const enrolled = await agentCli(agentOpts, [
        'enroll',
        '--hub',
        hub.wsUrl,
        '--token',
        acme.enrollToken,
        '--json',
      ]);
      const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };
      assert.match(agentId, /^[0-9a-f-]{36}$/);

      const agent = startAgent(agentOpts);
      t.after(() => agent.kill());

      const row = await waitFor('agent online with an asset', async () => {
        const { items } = await acme.api.get<{ items: AgentRow[] }>('/api/v1/agents');
        const a = items.find((i) => i.id === agentId);
        return a?.online && a.assetId ? a : undefined;
      });
      assert.ok(row.version.length > 0);

      const expected = await dpkgInstalled();
      assert.ok(expected.length > 10, 'this machine has a dpkg database');
      const packages = await waitFor('the package inventory', async () => {
        const res = await acme.api.get<{ items: PackageRow[]; total: number }>(
          `/api/v1/assets/${row.assetId}/packages`,
        );
        return res.total > 0 ? res : undefined;
      });
      const got = packages.items
        .filter((p) => p.manager === 'dpkg')
        .map((p) => `${p.name} ${p.arch} ${p.version}`)
        .sort();
      assert.deepEqual(got, expected);
      assert.equal(packages.total, packages.items.length);

      const asset = await acme.api.get<{ hostname: string; interfaces: unknown[] }>(
        `/api/v1/assets/${row.assetId}`,
      );
      assert.equal(typeof asset.hostname, 'string');
      assert.ok(Array.isArray(asset.interfaces) && asset.interfaces.length > 0);

      // A second tenant sees none of it.
      const other = await createTenant(hubOpts, hub.url, 'globex');
      const foreign = await other.api.request('GET', `/api/v1/assets/${row.assetId}`);
      assert.equal(foreign.status, 404);
      const foreignAgents = await other.api.get<{ items: AgentRow[] }>('/api/v1/agents');
      assert.equal(foreignAgents.items.length, 0);

      // The hub asks for a fresh inventory; the agent runs the signed task and reports back.
      const created = await acme.api.request<{ id: string }>('POST', `/api/v1/agents/${agentId}/tasks`, {
        kind: 'collect_inventory',
        params: { full: true },
      });
      assert.equal(created.status, 201);
      const done = await waitFor('collect_inventory task to finish', async () => {
        const task = await acme.api.get<{ state: string }>(`/api/v1/tasks/${created.body.id}`);
        return ['succeeded', 'failed', 'refused'].includes(task.state) ? task : undefined;
      });
      assert.equal(done.state, 'succeeded');
    },
  );
}
