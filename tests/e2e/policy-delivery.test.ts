// A real hub and a real agent process on 127.0.0.1: a policy created through the API reaches the
// agent, which applies it and reports it, so the deployment shows it applied, and evaluates it, so
// a run with per-check results is visible through /api/v1/baselines/runs. Then a tampered
// update (signed by another key) and an unsigned one are injected on the agent's live connection
// by a relay in this test (standing in for a compromised path between hub and agent): the agent
// refuses both, tells the hub why, and keeps running the previous revision (an on-demand
// evaluation still runs the old checks at the old revision).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { WebSocket, WebSocketServer } from 'ws';
import {
  encodeHubEnvelope,
  generateEd25519,
  privateKeyFromPem,
  SignPurpose,
  signPayload,
  toLong,
} from '@watchpost/proto';
import { encodePolicyUpdate } from '../../hub/src/policies/index.js';
import { agentCli, createTenant, freePort, startAgent, startHub, tempDir, waitFor } from './lib/harness.js';
import { skipReason, storeCases } from './lib/stores.js';

const POLICY = `id: e2e-ssh
title: E2E SSH policy
version: "1.0"
checks:
  - id: passwd-exists
    title: /etc/passwd exists
    rationale: Every Linux host has an account database.
    remediation: Restore /etc/passwd from backup.
    rules:
      - { kind: file, path: /etc/passwd }
`;

/** Relays agent ⇄ hub WebSocket frames unchanged and can push extra frames to the agent. */
async function startRelay(hubWsUrl: string) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let agentSide: WebSocket | undefined;
  wss.on('connection', (down) => {
    const up = new WebSocket(hubWsUrl, { perMessageDeflate: false });
    const queued: Buffer[] = [];
    down.on('message', (d: Buffer) => (up.readyState === WebSocket.OPEN ? up.send(d) : queued.push(d)));
    up.on('open', () => queued.splice(0).forEach((d) => up.send(d)));
    up.on('message', (d: Buffer) => down.readyState === WebSocket.OPEN && down.send(d));
    up.on('close', (code) => down.close(code >= 1000 && code < 5000 && code !== 1005 ? code : 1000));
    down.on('close', () => up.close());
    up.on('error', () => down.terminate());
    down.on('error', () => up.terminate());
    agentSide = down;
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/agent/v1`,
    inject(frame: Uint8Array) {
      assert.ok(agentSide && agentSide.readyState === WebSocket.OPEN, 'agent connected through the relay');
      agentSide.send(frame);
    },
    close: () => new Promise<void>((r) => wss.close(() => r())),
  };
}

async function agentEvents(dataDir: string, databaseUrl: string | undefined, ref: string) {
  const sql = 'SELECT code, message FROM agent_events WHERE ref = $1 ORDER BY created_at';
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      return (await c.query<{ code: string; message: string }>(sql, [ref])).rows;
    } finally {
      await c.end();
    }
  }
  const db = new Database(join(dataDir, 'watchpost.db'), { readonly: true });
  try {
    return db.prepare(sql.replace('$1', '?')).all(ref) as { code: string; message: string }[];
  } finally {
    db.close();
  }
}

interface RunSummary {
  id: string;
  policyKey: string;
  policyRevision: number;
  trigger: string;
  passed: number;
  failed: number;
}
interface RunDetail extends RunSummary {
  results: { checkId: string; status: string; evidence: { target: string; matched: boolean }[] }[];
}

interface Deployment {
  revision: number;
  agents: { agentId: string; state: string; appliedRevision: number | null }[];
}

for (const store of storeCases) {
  test(
    `policy delivery to a real agent, tampered updates refused (${store.name})`,
    { skip: skipReason(store) ?? false },
    async (t) => {
      const db = await store.create();
      const dir = tempDir('wp-e2e-policy-');
      // Heartbeats carry the applied list; a short interval keeps the test quick.
      const savedHb = process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'];
      process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'] = '1';
      t.after(async () => {
        if (savedHb === undefined) delete process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'];
        else process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'] = savedHb;
        await db.drop();
        dir.remove();
      });
      const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort(), databaseUrl: db.databaseUrl };
      const hub = await startHub(hubOpts);
      t.after(() => hub.kill());
      const relay = await startRelay(hub.wsUrl);
      t.after(() => relay.close());
      const acme = await createTenant(hubOpts, hub.url, 'acme');

      const agentOpts = { dataDir: join(dir.path, 'agent') };
      const enrolled = await agentCli(agentOpts, [
        'enroll',
        '--hub',
        relay.url,
        '--token',
        acme.enrollToken,
        '--json',
      ]);
      const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };
      const agent = startAgent(agentOpts);
      t.after(() => agent.kill());
      // Runs are stored against the agent's asset: wait for its first inventory.
      const { assetId } = await waitFor('agent online with an asset', async () => {
        const a = await acme.api.get<{ online: boolean; assetId: string | null }>(
          `/api/v1/agents/${agentId}`,
        );
        return a.online && a.assetId ? { assetId: a.assetId } : undefined;
      });

      const created = await acme.api.request<{ id: string }>('POST', '/api/v1/policies', { yaml: POLICY });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const policyId = created.body.id;
      const assigned = await acme.api.request<{ revision: number }>(
        'PUT',
        `/api/v1/policies/${policyId}/assignment`,
        {
          agentIds: [agentId],
        },
      );
      assert.equal(assigned.status, 200);
      const revision = assigned.body.revision;

      const deployment = () => acme.api.get<Deployment>(`/api/v1/policies/${policyId}/deployment`);
      const applied = await waitFor('deployment applied', async () => {
        const d = await deployment();
        const a = d.agents.find((x) => x.agentId === agentId);
        return a?.state === 'applied' ? a : undefined;
      });
      assert.equal(applied.appliedRevision, revision);

      // Results come back: applying the policy triggers a run, stored with its per-check results.
      const runsOf = () =>
        acme.api.get<{ items: RunSummary[]; total: number }>(
          `/api/v1/baselines/runs?asset=${assetId}&policy=e2e-ssh`,
        );
      const firstRun = await waitFor('a baseline run stored', async () => {
        const r = await runsOf();
        return r.items.find((x) => x.policyRevision === revision);
      });
      assert.equal(firstRun.policyKey, 'e2e-ssh');
      assert.equal(firstRun.passed, 1);
      assert.equal(firstRun.failed, 0);
      const detail = await acme.api.get<RunDetail>(`/api/v1/baselines/runs/${firstRun.id}`);
      assert.deepEqual(
        detail.results.map((r) => [r.checkId, r.status]),
        [['passwd-exists', 'pass']],
      );
      assert.ok(
        detail.results[0]?.evidence.some((e) => e.target === '/etc/passwd'),
        JSON.stringify(detail.results),
      );

      // Tampered: a valid, newer document for this agent, signed by a key that is not the hub's.
      const policy = encodePolicyUpdate({
        policyId,
        version: revision + 1,
        agentId,
        issuedAt: new Date(),
        document: JSON.stringify({
          id: 'e2e-ssh',
          title: 'evil',
          version: '9',
          checks: [
            { id: 'x', title: 'x', rationale: '', remediation: '', rules: [{ kind: 'file', path: '/' }] },
          ],
        }),
        removed: false,
      });
      const rogue = privateKeyFromPem(generateEd25519().privateKeyPem);
      const frame = (signature: Uint8Array) =>
        encodeHubEnvelope({
          seq: toLong(1_000_000),
          messageId: randomUUID(),
          createdAtMs: toLong(Date.now(), false),
          policyUpdate: { policy, signature },
        });
      relay.inject(frame(signPayload(rogue, SignPurpose.POLICY, policy)));
      relay.inject(frame(new Uint8Array()));

      const refusals = await waitFor('both refusals reach the hub', async () => {
        const rows = await agentEvents(hubOpts.dataDir, db.databaseUrl, policyId);
        return rows.length >= 2 ? rows : undefined;
      });
      assert.deepEqual(
        refusals.map((r) => r.code),
        ['POLICY_SIGNATURE_INVALID', 'POLICY_SIGNATURE_INVALID'],
      );
      // The agent keeps the previous revision: it still reports it, and the hub still shows it applied.
      await new Promise((r) => setTimeout(r, 2500));
      const after = (await deployment()).agents.find((x) => x.agentId === agentId);
      assert.equal(after?.state, 'applied');
      assert.equal(after?.appliedRevision, revision);
      // ... and evaluates it: an on-demand run still has the old revision's checks, not the rogue one's.
      const evaluated = await acme.api.request<{ tasks: { taskId: string }[] }>(
        'POST',
        '/api/v1/baselines/evaluate',
        { agentIds: [agentId], policyIds: ['e2e-ssh'] },
      );
      assert.equal(evaluated.status, 202, JSON.stringify(evaluated.body));
      const taskRun = await waitFor('the on-demand run', async () => {
        const r = await runsOf();
        return r.items.find((x) => x.trigger === 'task');
      });
      assert.equal(taskRun.policyRevision, revision);
      const taskDetail = await acme.api.get<RunDetail>(`/api/v1/baselines/runs/${taskRun.id}`);
      assert.deepEqual(
        taskDetail.results.map((r) => [r.checkId, r.status]),
        [['passwd-exists', 'pass']],
      );

      // A genuine change still goes through afterwards.
      const replaced = await acme.api.request<{ revision: number }>('PUT', `/api/v1/policies/${policyId}`, {
        yaml: POLICY.replace('"1.0"', '"1.1"'),
      });
      assert.equal(replaced.status, 200);
      await waitFor('new revision applied', async () => {
        const a = (await deployment()).agents.find((x) => x.agentId === agentId);
        return a?.state === 'applied' && a.appliedRevision === replaced.body.revision ? a : undefined;
      });
    },
  );
}
