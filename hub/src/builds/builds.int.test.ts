// Agent builds against a real hub process, on SQLite and PostgreSQL: `agent-build add` signs with
// the hub key, the public downloads (build, .sig, install.sh), versions per tenant, and upgrade
// orchestration into signed AgentUpgrade tasks — with tenant isolation (a foreign agent is 404).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignPurpose, verifyPayload, watchpost } from '@watchpost/proto';
import {
  cliRaw,
  enrollAgent,
  startHub,
  tempPgDatabase,
  testDatabaseUrl,
  TestAgentClient,
  type EnrolledTestAgent,
  type RunningHubProcess,
  type TempDatabase,
} from '../testing/index.js';

const backends: { name: string; pg: boolean }[] = [{ name: 'sqlite', pg: false }];
if (testDatabaseUrl()) backends.push({ name: 'postgres', pg: true });
else console.log('# postgres builds suite skipped: WATCHPOST_TEST_DATABASE_URL is not set');

type Json = Record<string, unknown>;

for (const backend of backends) {
  describe(`agent builds (${backend.name})`, () => {
    let hub: RunningHubProcess;
    let db: TempDatabase | undefined;
    let tokenAcme: string;
    let tokenOther: string;
    let agent: EnrolledTestAgent;
    const dir = mkdtempSync(join(tmpdir(), 'wp-builds-'));
    const file = join(dir, 'watchpost-agent');
    const bytes = randomBytes(200_000);

    const api = async (method: string, path: string, body?: unknown, token = tokenAcme) => {
      const res = await fetch(hub.url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };

    before(async () => {
      writeFileSync(file, bytes);
      if (backend.pg) db = await tempPgDatabase();
      hub = await startHub(db ? { databaseUrl: db.url } : {});
      await hub.cli(['tenant', 'create', 'acme']);
      await hub.cli(['tenant', 'create', 'other']);
      const enrollToken = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
      tokenAcme = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
      tokenOther = String((await hub.cli(['apitoken', 'create', '--tenant', 'other']))['token']);
      agent = await enrollAgent(hub.wsUrl, enrollToken);
    });
    after(async () => {
      await hub?.kill('SIGTERM');
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('no build yet: install.sh is 404; a bad version or platform is refused by the CLI', async () => {
      assert.equal((await fetch(`${hub.url}/install.sh`)).status, 404);
      const bad = await cliRaw(['agent-build', 'add', file, '--version', '../1'], hub.env);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /VALIDATION_FAILED/);
      const plat = await cliRaw(
        ['agent-build', 'add', file, '--version', '1.0.0', '--platform', 'win'],
        hub.env,
      );
      assert.equal(plat.code, 2);
    });

    test('agent-build add signs (sha256 || version) with the hub key; downloads need no auth', async () => {
      const added = await hub.cli(['agent-build', 'add', file, '--version', '1.0.0']);
      const sha = createHash('sha256').update(bytes).digest();
      assert.equal(added['sha256'], sha.toString('hex'));
      const got = await fetch(`${hub.url}/agent/builds/1.0.0/linux-x64`);
      assert.equal(got.status, 200);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
      const sig = (await (await fetch(`${hub.url}/agent/builds/1.0.0/linux-x64.sig`)).json()) as Json;
      assert.equal(sig['sha256'], sha.toString('hex'));
      assert.equal(sig['version'], '1.0.0');
      const signature = Buffer.from(String(sig['signature']), 'base64');
      assert.ok(verifyPayload(agent.hubPublicKey, signature, SignPurpose.BUILD, sha, Buffer.from('1.0.0')));
      assert.ok(!verifyPayload(agent.hubPublicKey, signature, SignPurpose.BUILD, sha, Buffer.from('1.0.1')));
      assert.equal((await fetch(`${hub.url}/agent/builds/9.9.9/linux-x64`)).status, 404);
      assert.equal((await fetch(`${hub.url}/agent/builds/1.0.0/win-x64`)).status, 400);
      const script = await fetch(`${hub.url}/install.sh`);
      assert.equal(script.status, 200);
      const text = await script.text();
      assert.ok(text.includes(`HUB='${hub.url}'`));
      assert.ok(text.includes("VERSION='1.0.0'"));
      const time = (await (await fetch(`${hub.url}/api/v1/time`)).json()) as Json;
      assert.equal(typeof time['epochMs'], 'number');
    });

    test('versions are per tenant', async () => {
      const client = await TestAgentClient.connect(hub.wsUrl);
      await client.session(agent.key, agent.agentId);
      client.close();
      const acme = await api('GET', '/api/v1/agents/versions');
      assert.equal(acme.status, 200);
      const items = acme.body['items'] as { version: string; count: number; agents: string[] }[];
      assert.equal(items.length, 1);
      assert.equal(items[0]?.count, 1);
      assert.deepEqual(items[0]?.agents, [agent.agentId]);
      const other = await api('GET', '/api/v1/agents/versions', undefined, tokenOther);
      assert.deepEqual(other.body['items'], []);
    });

    test('upgrade: validated, tenant-scoped, queued as signed AgentUpgrade tasks', async () => {
      const both = await api('POST', '/api/v1/agents/upgrade', {
        version: '1.0.0',
        all: true,
        agentIds: [agent.agentId],
      });
      assert.equal(both.status, 400);
      assert.equal(both.body['code'], 'VALIDATION_FAILED');
      const unknown = await api('POST', '/api/v1/agents/upgrade', { version: '2.0.0', all: true });
      assert.equal(unknown.status, 404);
      const foreign = await api(
        'POST',
        '/api/v1/agents/upgrade',
        { version: '1.0.0', agentIds: [agent.agentId] },
        tokenOther,
      );
      assert.equal(foreign.status, 404);
      assert.equal(
        (await api('GET', `/api/v1/agents/${agent.agentId}/upgrades`, undefined, tokenOther)).status,
        404,
      );

      const ok = await api('POST', '/api/v1/agents/upgrade', {
        version: '1.0.0',
        agentIds: [agent.agentId],
        confirmTimeoutS: 30,
      });
      assert.equal(ok.status, 202);
      const [created] = ok.body['tasks'] as { agentId: string; taskId: string }[];
      assert.equal(created?.agentId, agent.agentId);
      const task = await api('GET', `/api/v1/tasks/${created?.taskId}`);
      assert.equal(task.body['kind'], 'upgrade');

      // Delivered over the agent's connection, signed, with the build's claim.
      const client = await TestAgentClient.connect(hub.wsUrl);
      await client.session(agent.key, agent.agentId);
      const env = await client.next((m) => m.body === 'task');
      const signed = env.task!;
      assert.ok(verifyPayload(agent.hubPublicKey, signed.signature!, SignPurpose.TASK, signed.task!));
      const up = watchpost.v1.Task.decode(signed.task!).upgrade!;
      client.close();
      assert.equal(up.version, '1.0.0');
      assert.equal(up.path, '/agent/builds/1.0.0/linux-x64');
      assert.equal(Number(up.sizeBytes), bytes.length);
      assert.equal(up.confirmTimeoutS, 30);
      assert.deepEqual(Buffer.from(up.sha256!), createHash('sha256').update(bytes).digest());
      assert.ok(
        verifyPayload(
          agent.hubPublicKey,
          up.buildSignature!,
          SignPurpose.BUILD,
          up.sha256!,
          Buffer.from('1.0.0'),
        ),
      );
      const history = await api('GET', `/api/v1/agents/${agent.agentId}/upgrades`);
      assert.equal(history.status, 200);
      assert.deepEqual(history.body['events'], []);
    });
  });
}
