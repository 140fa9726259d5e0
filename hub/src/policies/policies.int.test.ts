// Policies against a real hub process, on SQLite and PostgreSQL: create over the API with
// line-numbered validation, assignment, the signed PolicyUpdate a connected (protocol-level)
// agent receives, deployment status from Heartbeat and rejection events, an agent connecting
// later, removal on delete, built-ins, tenant isolation and the CLI.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  parsePolicyDocument,
  POLICY_FORMAT,
  SignPurpose,
  toLong,
  verifyPayload,
  watchpost,
} from '@watchpost/proto';
import { inventoryReport, sampleParts } from '../assets/testing-reports.js';
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
else console.log('# postgres policies suite skipped: WATCHPOST_TEST_DATABASE_URL is not set');

type Json = Record<string, unknown>;

const POLICY = `id: ssh-min
title: SSH minimum
version: "1.0"
checks:
  - id: root-login
    title: Root login disabled
    rationale: Direct root logins cannot be attributed.
    remediation: Set PermitRootLogin no.
    rules:
      - kind: file
        path: /etc/ssh/sshd_config
        tests: [{ type: regex, pattern: '^PermitRootLogin\\s+no' }]
`;

for (const backend of backends) {
  describe(`policies (${backend.name})`, () => {
    let hub: RunningHubProcess;
    let db: TempDatabase | undefined;
    let tokenAcme: string;
    let tokenOther: string;
    let enrollAcme: string;
    let agentA: EnrolledTestAgent;
    let clientA: TestAgentClient;
    let policyId = '';

    const api = async (method: string, path: string, body?: unknown, token = tokenAcme) => {
      const res = await fetch(`${hub.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
    };
    /** Next PolicyUpdate for `agent`: signature verified with the key pinned at enrollment. */
    const nextUpdate = async (client: TestAgentClient, agent: EnrolledTestAgent) => {
      const env = await client.next((m) => m.body === 'policyUpdate');
      const signed = env.policyUpdate!;
      assert.equal(
        verifyPayload(agent.hubPublicKey, signed.signature!, SignPurpose.POLICY, signed.policy!),
        true,
        'policy signed by the pinned hub key',
      );
      assert.ok(BigInt(env.seq.toString()) > 0n, 'carries a hub seq');
      return { seq: BigInt(env.seq.toString()), update: watchpost.v1.PolicyUpdate.decode(signed.policy!) };
    };
    const heartbeat = (client: TestAgentClient, applied: { policyId: string; version: number }[]) =>
      client.send({
        seq: toLong(0),
        heartbeat: {
          agentTimeMs: toLong(Date.now(), false),
          appliedPolicies: applied.map((a) => ({ ...a, appliedAtMs: toLong(Date.now(), false) })),
        },
      });
    /** Deployment state of `agentId`, polled until it is `want` (heartbeats apply asynchronously). */
    const deploymentOf = async (agentId: string, want: string) => {
      let last: Json | undefined;
      for (let i = 0; i < 50; i++) {
        const r = await api('GET', `/policies/${policyId}/deployment`);
        assert.equal(r.status, 200);
        last = (r.body['agents'] as Json[]).find((a) => a['agentId'] === agentId);
        if (last?.['state'] === want) return { agent: last, all: r.body };
        await sleep(100);
      }
      assert.fail(`agent ${agentId} never became ${want}: ${JSON.stringify(last)}`);
    };

    before(async () => {
      if (backend.pg) db = await tempPgDatabase();
      hub = await startHub(db ? { databaseUrl: db.url } : {});
      await hub.cli(['tenant', 'create', 'acme']);
      await hub.cli(['tenant', 'create', 'other']);
      enrollAcme = String((await hub.cli(['token', 'create', '--tenant', 'acme', '--uses', '5']))['token']);
      tokenAcme = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
      tokenOther = String((await hub.cli(['apitoken', 'create', '--tenant', 'other']))['token']);
      agentA = await enrollAgent(hub.wsUrl, enrollAcme);
      clientA = await TestAgentClient.connect(hub.wsUrl);
      await clientA.session(agentA.key, agentA.agentId);
    });
    after(async () => {
      clientA?.close();
      const code = await hub?.kill('SIGTERM');
      assert.equal(code, 0, 'hub exits 0 on SIGTERM');
      await db?.drop();
    });

    test('invalid YAML is refused with POLICY_INVALID and line-numbered errors; nothing stored', async () => {
      const bad = await api('POST', '/policies', { yaml: POLICY.replace('kind: file', 'kind: fiel') });
      assert.equal(bad.status, 422);
      assert.equal(bad.body['code'], 'POLICY_INVALID');
      const errors = (bad.body['details'] as { errors: Json[] }).errors;
      assert.equal(errors[0]?.['line'], 10);
      assert.equal(errors[0]?.['path'], 'checks.0.rules.0.kind');
      const v = await api('POST', '/policies/validate', { yaml: POLICY });
      assert.deepEqual(v.body, { valid: true, errors: [], checks: 1 });
      const list = await api('GET', '/policies');
      assert.equal((list.body['items'] as Json[]).filter((p) => !p['builtin']).length, 0);
    });

    test('built-ins are in the library, read-only, and can be copied', async () => {
      const list = await api('GET', '/policies');
      const builtins = (list.body['items'] as Json[]).filter((p) => p['builtin'] === true);
      assert.deepEqual(builtins.map((b) => b['policyKey']).sort(), [
        'debian-server-baseline',
        'djcp-l3-linux',
      ]);
      const djcp = builtins.find((b) => b['policyKey'] === 'djcp-l3-linux')!;
      const put = await api('PUT', `/policies/${String(djcp['id'])}`, { yaml: POLICY });
      assert.equal(put.status, 403);
      const del = await api('DELETE', `/policies/${String(djcp['id'])}`);
      assert.equal(del.status, 403);
      const copy = await api('POST', `/policies/${String(djcp['id'])}/copy`, { id: 'djcp-acme' });
      assert.equal(copy.status, 201);
      assert.equal(copy.body['policyKey'], 'djcp-acme');
      assert.equal(copy.body['builtin'], false);
      assert.equal(copy.body['checks'], djcp['checks']);
      assert.equal((await api('DELETE', `/policies/${String(copy.body['id'])}`)).status, 204);
    });

    test('create + assign: the connected agent receives a correctly signed PolicyUpdate; Heartbeat → applied', async () => {
      const created = await api('POST', '/policies', { yaml: POLICY });
      assert.equal(created.status, 201);
      policyId = String(created.body['id']);
      assert.equal(created.body['revision'], 1);
      const dup = await api('POST', '/policies', { yaml: POLICY });
      assert.equal(dup.status, 409);

      const assigned = await api('PUT', `/policies/${policyId}/assignment`, { agentIds: [agentA.agentId] });
      assert.equal(assigned.status, 200);
      assert.equal(assigned.body['revision'], 2, 'an assignment is a new revision');
      const { update } = await nextUpdate(clientA, agentA);
      assert.equal(update.policyId, policyId);
      assert.equal(update.version, 2);
      assert.equal(update.agentId, agentA.agentId);
      assert.equal(update.format, POLICY_FORMAT);
      assert.equal(update.removed, false);
      const doc = parsePolicyDocument(update.document);
      assert.equal(doc.id, 'ssh-min');
      assert.equal(doc.checks[0]?.rules[0]?.kind, 'file');

      assert.equal((await deploymentOf(agentA.agentId, 'pending')).agent['appliedRevision'], null);
      heartbeat(clientA, [{ policyId, version: 2 }]);
      const { agent, all } = await deploymentOf(agentA.agentId, 'applied');
      assert.equal(agent['appliedRevision'], 2);
      assert.ok(agent['appliedAt']);
      assert.deepEqual(all['counts'], { pending: 0, applied: 1, rejected: 0, outdated: 0 });
    });

    test('PUT makes a new revision: delivered at once, the agent is outdated until it reports it', async () => {
      const r = await api('PUT', `/policies/${policyId}`, { yaml: POLICY.replace('"1.0"', '"1.1"') });
      assert.equal(r.status, 200);
      assert.equal(r.body['revision'], 3);
      const { update } = await nextUpdate(clientA, agentA);
      assert.equal(update.version, 3);
      assert.equal(parsePolicyDocument(update.document).version, '1.1');
      await deploymentOf(agentA.agentId, 'outdated');
      heartbeat(clientA, [{ policyId, version: 3 }]);
      await deploymentOf(agentA.agentId, 'applied');
    });

    test('an agent connecting later receives the current revision; a rejection shows with its reason', async () => {
      const agentB = await enrollAgent(hub.wsUrl, enrollAcme);
      const r = await api('PUT', `/policies/${policyId}/assignment`, { tenant: true });
      assert.equal(r.body['revision'], 4);
      assert.equal((await nextUpdate(clientA, agentA)).update.version, 4);
      await deploymentOf(agentB.agentId, 'pending');

      const clientB = await TestAgentClient.connect(hub.wsUrl);
      try {
        await clientB.session(agentB.key, agentB.agentId);
        const { update } = await nextUpdate(clientB, agentB);
        assert.equal(update.version, 4);
        assert.equal(update.agentId, agentB.agentId);
        clientB.sendSeq(1, {
          agentEvent: {
            code: 'POLICY_INVALID',
            severity: watchpost.v1.Severity.SEVERITY_HIGH,
            message: 'checks.0.rules.0: unknown rule kind',
            ref: policyId,
          },
        });
        await clientB.ackFor(1);
        const { agent } = await deploymentOf(agentB.agentId, 'rejected');
        assert.equal(agent['reasonCode'], 'POLICY_INVALID');
        assert.equal(agent['reason'], 'checks.0.rules.0: unknown rule kind');
      } finally {
        clientB.close();
      }
      // A reconnecting agent that already runs the revision gets nothing again.
      const again = await TestAgentClient.connect(hub.wsUrl);
      try {
        again.send({
          seq: toLong(0),
          hello: {
            agentId: agentA.agentId,
            version: '0.0.0-test',
            hostname: 'test-host',
            appliedPolicies: [{ policyId, version: 4, appliedAtMs: toLong(Date.now(), false) }],
            signature: (await import('@watchpost/proto')).signPayload(
              agentA.key.privateKey,
              SignPurpose.HELLO,
              again.nonce,
              Buffer.from(agentA.agentId, 'utf8'),
            ),
          },
        });
        await again.next((m) => m.body === 'welcome');
        await sleep(500);
        assert.equal(again.inbox.filter((m) => m.body === 'policyUpdate').length, 0);
      } finally {
        again.close();
        clientA.close();
      }
      clientA = await TestAgentClient.connect(hub.wsUrl);
      await clientA.session(agentA.key, agentA.agentId);
      // The plain test client reports nothing applied: it is sent the current revision again.
      assert.equal((await nextUpdate(clientA, agentA)).update.version, 4);
    });

    test('after a reconnect: POLICY_INVALID blocks re-sending the revision, a signature refusal does not', async () => {
      const refuseOnce = async (code: string) => {
        const agent = await enrollAgent(hub.wsUrl, enrollAcme);
        const client = await TestAgentClient.connect(hub.wsUrl);
        try {
          await client.session(agent.key, agent.agentId);
          assert.equal((await nextUpdate(client, agent)).update.version, 4);
          client.sendSeq(1, {
            agentEvent: { code, severity: watchpost.v1.Severity.SEVERITY_HIGH, message: 'no', ref: policyId },
          });
          await client.ackFor(1);
        } finally {
          client.close();
        }
        await deploymentOf(agent.agentId, 'rejected');
        const again = await TestAgentClient.connect(hub.wsUrl);
        try {
          await again.session(agent.key, agent.agentId);
          if (code === 'POLICY_SIGNATURE_INVALID') return [(await nextUpdate(again, agent)).update.version];
          await sleep(1000);
          return again.inbox.filter((m) => m.body === 'policyUpdate').map(() => 0);
        } finally {
          again.close();
        }
      };
      assert.deepEqual(await refuseOnce('POLICY_INVALID'), []);
      assert.deepEqual(await refuseOnce('POLICY_SIGNATURE_INVALID'), [4]);
    });

    test('foreign tenant ids answer 404', async () => {
      for (const [method, path, body] of [
        ['GET', `/policies/${policyId}`],
        ['GET', `/policies/${policyId}/deployment`],
        ['PUT', `/policies/${policyId}`, { yaml: POLICY }],
        ['PUT', `/policies/${policyId}/assignment`, { tenant: true }],
        ['DELETE', `/policies/${policyId}`],
        ['GET', '/policies/not-a-uuid'],
      ] as [string, string, unknown?][]) {
        const r = await api(method, path, body, tokenOther);
        assert.equal(r.status, 404, `${method} ${path}`);
      }
      // Assigning another tenant's agent is refused too.
      const mine = await api('POST', '/policies', { yaml: POLICY }, tokenOther);
      assert.equal(mine.status, 201, 'document ids are per tenant');
      const r = await api(
        'PUT',
        `/policies/${String(mine.body['id'])}/assignment`,
        { agentIds: [agentA.agentId] },
        tokenOther,
      );
      assert.equal(r.status, 404);
    });

    test('tag assignment targets agents whose asset carries the tag', async () => {
      const agentC = await enrollAgent(hub.wsUrl, enrollAcme);
      const clientC = await TestAgentClient.connect(hub.wsUrl);
      try {
        await clientC.session(agentC.key, agentC.agentId);
        clientC.sendSeq(1, { inventory: inventoryReport(sampleParts(), ['host', 'interfaces']) });
        await clientC.ackFor(1);
        const assetId = String((await api('GET', `/agents/${agentC.agentId}`)).body['assetId']);
        const patched = await api('PATCH', `/assets/${assetId}`, { tags: ['web', 'dmz'] });
        assert.equal(patched.status, 200, JSON.stringify(patched.body));
        const tagged = await api('POST', '/policies', {
          yaml: POLICY.replace('id: ssh-min', 'id: web-only'),
        });
        const taggedId = String(tagged.body['id']);
        const r = await api('PUT', `/policies/${taggedId}/assignment`, { tags: ['WEB'] });
        assert.deepEqual((r.body['assignment'] as Json)['tags'], ['web']);
        // C is in the tenant, so it also gets the tenant-wide policy; wait for the tagged one.
        let update = (await nextUpdate(clientC, agentC)).update;
        while (update.policyId !== taggedId) update = (await nextUpdate(clientC, agentC)).update;
        assert.equal(update.removed, false);
        const d = await api('GET', `/policies/${taggedId}/deployment`);
        assert.deepEqual(
          (d.body['agents'] as Json[]).map((a) => a['agentId']),
          [agentC.agentId],
          "only the tagged asset's agent is targeted",
        );
        assert.equal((await api('DELETE', `/policies/${taggedId}`)).status, 204);
      } finally {
        clientC.close();
      }
    });

    test('DELETE sends a signed removal with a newer version', async () => {
      heartbeat(clientA, [{ policyId, version: 4 }]);
      await deploymentOf(agentA.agentId, 'applied');
      assert.equal((await api('DELETE', `/policies/${policyId}`)).status, 204);
      const { update } = await nextUpdate(clientA, agentA);
      assert.equal(update.policyId, policyId);
      assert.equal(update.removed, true);
      assert.equal(update.version, 5);
      assert.equal(update.document.length, 0);
      assert.equal((await api('GET', `/policies/${policyId}`)).status, 404);
    });

    test('CLI: validate, import (YAML and SCA), list, assign', async () => {
      const file = join(hub.dataDir, 'p.yaml');
      writeFileSync(file, POLICY.replace('id: ssh-min', 'id: ssh-cli'));
      const v = await hub.cli(['policy', 'validate', file]);
      assert.equal(v['valid'], true);
      const created = await hub.cli(['policy', 'import', file, '--tenant', 'acme']);
      assert.equal(created['policyKey'], 'ssh-cli');
      const sca = join(hub.dataDir, 'sca.yml');
      writeFileSync(
        sca,
        'policy:\n  id: tiny\n  name: Tiny v1\nchecks:\n  - id: 1\n    title: t\n    rules: ["f:/etc/passwd", "r:HKLM\\\\X"]\n',
      );
      const imported = await hub.cli(['policy', 'import', sca, '--tenant', 'acme']);
      assert.deepEqual((imported as { stats: Json }).stats, {
        checks: 1,
        rules: 2,
        unsupportedRules: 1,
        checksWithUnsupported: 1,
      });
      const assigned = await hub.cli([
        'policy',
        'assign',
        String(created['id']),
        '--tenant',
        'acme',
        '--all',
      ]);
      assert.equal((assigned['assignment'] as Json)['tenant'], true);
      const listed = await hub.cli(['policy', 'list', '--tenant', 'acme']);
      const keys = (listed['items'] as Json[]).map((p) => p['policyKey']);
      for (const k of ['ssh-cli', 'tiny', 'debian-server-baseline']) assert.ok(keys.includes(k), k);
      // A CLI change reaches the connected agent through the hub's delivery sweep.
      const { update } = await nextUpdate(clientA, agentA);
      assert.equal(update.policyId, String(created['id']));
      const bad = await cliRaw(
        ['policy', 'import', sca.replace('sca.yml', 'p.yaml'), '--tenant', 'acme'],
        hub.env,
      );
      assert.equal(bad.code, 2, 'duplicate id: usage error');
      assert.match(bad.stderr, /CONFLICT/);
    });
  });
}
