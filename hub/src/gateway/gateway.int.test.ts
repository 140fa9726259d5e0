// The agent gateway against a real hub process: enrollment, sessions, every bad-input path (each
// closes only the offending connection with its documented code, the hub keeps serving, nothing
// is stored), exactly-once ingest of duplicates, and signed task delivery.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloseCode, SignPurpose, toLong, verifyPayload, watchpost } from '@watchpost/proto';
import {
  enrollAgent,
  newAgentKey,
  startHub,
  tempPgDatabase,
  testDatabaseUrl,
  TestAgentClient,
  type RunningHubProcess,
  type TempDatabase,
} from '../testing/index.js';
import { countRows, type RowCounts } from '../testing/store-counts.js';

const backends: { name: string; pg: boolean }[] = [{ name: 'sqlite', pg: false }];
if (testDatabaseUrl()) backends.push({ name: 'postgres', pg: true });
else console.log('# postgres gateway suite skipped: WATCHPOST_TEST_DATABASE_URL is not set');

for (const backend of backends) {
  describe(`gateway (${backend.name})`, () => {
    let hub: RunningHubProcess;
    let db: TempDatabase | undefined;
    let apiToken: string;
    let tokenA: string;

    const cli = (args: string[]) => hub.cli(args);
    const counts = (): Promise<RowCounts> => countRows(hub);
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(hub.url + path, {
        method,
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    /** A bad client is closed with `code`; then a fresh agent still enrolls and gets a Welcome. */
    const expectClosedAndHubServing = async (c: TestAgentClient, code: number) => {
      const closed = await c.closed;
      assert.equal(closed.code, code, `close code (reason: ${closed.reason})`);
      const good = await enrollAgent(hub.wsUrl, tokenA);
      const s = await TestAgentClient.connect(hub.wsUrl);
      await s.session(good.key, good.agentId);
      s.close();
    };

    before(async () => {
      if (backend.pg) db = await tempPgDatabase();
      hub = await startHub({
        ...(db ? { databaseUrl: db.url } : {}),
        env: {
          WATCHPOST_MAX_FRAME_BYTES: String(64 * 1024),
          WATCHPOST_REVOCATION_CHECK_MS: '500',
          WATCHPOST_HANDSHAKE_TIMEOUT_S: '2',
        },
      });
      await cli(['tenant', 'create', 'acme']);
      await cli(['tenant', 'create', 'other']);
      tokenA = String((await cli(['token', 'create', '--tenant', 'acme']))['token']);
      apiToken = String((await cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
    });
    after(async () => {
      const code = await hub?.kill('SIGTERM');
      assert.equal(code, 0, 'hub exits 0 on SIGTERM');
      await db?.drop();
    });

    test('enrollment, Hello and Welcome; the agent is listed online', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA, 'acme');
      assert.equal(a.hubPublicKey.length, 32);
      const c = await TestAgentClient.connect(hub.wsUrl);
      const w = await c.session(a.key, a.agentId);
      assert.equal(w.agentId, a.agentId);
      assert.equal(w.lastSeq.toString(), '0');
      assert.ok((w.limits?.maxFrameBytes ?? 0) > 0);
      const { status, body } = await api('GET', `/api/v1/agents/${a.agentId}`);
      assert.equal(status, 200);
      assert.equal(body['online'], true);
      c.close();
      await c.closed;
    });

    test('random bytes close 4400 and store nothing', async () => {
      const before = await counts();
      const c = await TestAgentClient.connect(hub.wsUrl);
      c.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]));
      await expectClosedAndHubServing(c, CloseCode.BAD_FRAME);
      const afterC = await counts();
      assert.equal(afterC.taskEvents, before.taskEvents);
      assert.equal(afterC.agentEvents, before.agentEvents);
    });

    test('a text frame closes 4400', async () => {
      const c = await TestAgentClient.connect(hub.wsUrl);
      c.ws.send('hello', { binary: false });
      await expectClosedAndHubServing(c, CloseCode.BAD_FRAME);
    });

    test('an oversized frame closes 1009', async () => {
      const c = await TestAgentClient.connect(hub.wsUrl);
      c.ws.send(Buffer.alloc(64 * 1024 + 1));
      await expectClosedAndHubServing(c, CloseCode.MESSAGE_TOO_BIG);
    });

    test('Hello signed by an unknown key closes 4401', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const c = await TestAgentClient.connect(hub.wsUrl);
      c.hello(newAgentKey(), a.agentId);
      await expectClosedAndHubServing(c, CloseCode.AUTH_FAILED);
      const c2 = await TestAgentClient.connect(hub.wsUrl);
      c2.hello(a.key, '00000000-0000-4000-8000-000000000000');
      await expectClosedAndHubServing(c2, CloseCode.AUTH_FAILED);
    });

    test('a replayed Hello from an earlier connection closes 4401', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const first = await TestAgentClient.connect(hub.wsUrl);
      const oldNonce = first.nonce;
      await first.session(a.key, a.agentId);
      first.close();
      await first.closed;
      const c = await TestAgentClient.connect(hub.wsUrl);
      c.hello(a.key, a.agentId, oldNonce);
      await expectClosedAndHubServing(c, CloseCode.AUTH_FAILED);
    });

    test('a revoked agent is closed 4403, live and on its next Hello', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const live = await TestAgentClient.connect(hub.wsUrl);
      await live.session(a.key, a.agentId);
      await cli(['agent', 'revoke', '--tenant', 'acme', a.agentId]); // another process: the sweep notices
      assert.equal((await live.closed).code, CloseCode.AGENT_REVOKED);
      const c = await TestAgentClient.connect(hub.wsUrl);
      c.hello(a.key, a.agentId);
      await expectClosedAndHubServing(c, CloseCode.AGENT_REVOKED);
    });

    test('enrollment refusals close 4402 and create no agent', async () => {
      const otherTok = String((await cli(['token', 'create', '--tenant', 'other']))['token']);
      const oneUse = String((await cli(['token', 'create', '--tenant', 'acme', '--uses', '1']))['token']);
      const shortLived = String(
        (await cli(['token', 'create', '--tenant', 'acme', '--expires', '1s']))['token'],
      );
      await enrollAgent(hub.wsUrl, oneUse); // takes the only use
      await sleep(1100); // let shortLived expire
      const before = await counts();
      const cases: [string, string][] = [
        [otherTok, 'acme'], // token of tenant "other", agent asked for "acme"
        [oneUse, ''], // used up
        [shortLived, ''], // expired
        ['wpe_doesnotexist', ''],
      ];
      for (const [token, tenant] of cases) {
        const c = await TestAgentClient.connect(hub.wsUrl);
        c.enroll(newAgentKey(), token, tenant);
        const rej = await c.next((m) => m.body === 'reject');
        assert.equal(rej.reject?.code, 'ENROLLMENT_REFUSED');
        await expectClosedAndHubServing(c, CloseCode.ENROLLMENT_REFUSED);
      }
      // expectClosedAndHubServing enrolls one good agent per case.
      assert.equal((await counts()).agents, before.agents + cases.length);
    });

    test('no Enroll/Hello in time closes 4408', { timeout: 30_000 }, async () => {
      const c = await TestAgentClient.connect(hub.wsUrl);
      await expectClosedAndHubServing(c, CloseCode.HANDSHAKE_TIMEOUT);
    });

    test('a seq gap closes 4409 and stores nothing', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const c = await TestAgentClient.connect(hub.wsUrl);
      await c.session(a.key, a.agentId);
      const before = await counts();
      c.sendSeq(1_000_000, { agentEvent: { code: 'OUTBOX_FULL', message: 'x' } });
      await expectClosedAndHubServing(c, CloseCode.SEQ_OUT_OF_ORDER);
      const afterC = await counts();
      assert.equal(afterC.agentEvents, before.agentEvents);
      assert.equal(afterC.lastSeqOf(a.agentId), 0);
    });

    test('duplicates are acked and stored once; Welcome resumes from last_seq', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      let c = await TestAgentClient.connect(hub.wsUrl);
      await c.session(a.key, a.agentId);
      for (let s = 1; s <= 5; s++) c.sendSeq(s, { agentEvent: { code: 'OUTBOX_RESUMED', message: `m${s}` } });
      await c.ackFor(5);
      c.sendSeq(3, { agentEvent: { code: 'OUTBOX_RESUMED', message: 'again' } });
      await c.ackFor(5);
      c.close();
      await c.closed;
      c = await TestAgentClient.connect(hub.wsUrl);
      const w = await c.session(a.key, a.agentId);
      assert.equal(w.lastSeq.toString(), '5');
      for (let s = 4; s <= 6; s++) c.sendSeq(s, { agentEvent: { code: 'OUTBOX_RESUMED', message: `r${s}` } });
      await c.ackFor(6);
      c.close();
      const n = await counts();
      assert.equal(n.agentEventsOf(a.agentId), 6);
      assert.equal(n.lastSeqOf(a.agentId), 6);
    });

    test('invalid content is rejected with its seq, recorded, and acked', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const c = await TestAgentClient.connect(hub.wsUrl);
      await c.session(a.key, a.agentId);
      c.sendSeq(1, { taskProgress: { taskId: '00000000-0000-4000-8000-000000000001', counter: toLong(1) } });
      c.sendSeq(2, { agentEvent: { code: 'not snake', message: '' } });
      const r1 = await c.next((m) => m.body === 'reject');
      const r2 = await c.next((m) => m.body === 'reject');
      assert.deepEqual(
        [String(r1.reject?.seq), r1.reject?.code, String(r2.reject?.seq), r2.reject?.code],
        ['1', 'UNKNOWN_TASK', '2', 'INVALID_MESSAGE'],
      );
      await c.ackFor(2);
      c.close();
      const n = await counts();
      assert.equal(n.rejectsOf(a.agentId), 2);
      assert.equal(n.lastSeqOf(a.agentId), 2);
    });

    test('tasks are delivered signed, verifiable with the hub key, and their progress is folded in', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const queued = await api('POST', `/api/v1/agents/${a.agentId}/tasks`, {
        kind: 'pipeline_probe',
        params: { count: 3, payloadBytes: 0 },
      });
      assert.equal(queued.status, 201);
      assert.equal(queued.body['state'], 'queued');
      const taskId = String(queued.body['id']);
      const c = await TestAgentClient.connect(hub.wsUrl);
      await c.session(a.key, a.agentId);
      const env = await c.next((m) => m.body === 'task');
      const signed = env.task!;
      assert.ok(
        verifyPayload(a.hubPublicKey, signed.signature!, SignPurpose.TASK, signed.task!),
        'signature verifies',
      );
      const tampered = Buffer.from(signed.task!);
      tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
      assert.equal(verifyPayload(a.hubPublicKey, signed.signature!, SignPurpose.TASK, tampered), false);
      const task = watchpost.v1.Task.decode(signed.task!);
      assert.equal(task.taskId, taskId);
      assert.equal(task.agentId, a.agentId);
      assert.equal(task.hubSeq.toString(), env.seq.toString());
      assert.equal(task.pipelineProbe?.count, 3);
      assert.equal((await api('GET', `/api/v1/tasks/${taskId}`)).body['state'], 'sent');

      c.sendSeq(1, { taskProgress: { taskId, state: watchpost.v1.TaskState.TASK_STATE_ACCEPTED } });
      for (let i = 1; i <= 3; i++) {
        c.sendSeq(i + 1, {
          taskProgress: {
            taskId,
            state: watchpost.v1.TaskState.TASK_STATE_RUNNING,
            counter: toLong(i),
            percent: i * 33,
          },
        });
      }
      c.sendSeq(5, {
        taskResult: {
          taskId,
          state: watchpost.v1.TaskState.TASK_STATE_SUCCEEDED,
          summaryJson: '{"received":3}',
        },
      });
      await c.ackFor(5);
      const done = (await api('GET', `/api/v1/tasks/${taskId}`)).body;
      assert.equal(done['state'], 'succeeded');
      assert.equal(done['progressCount'], 4);
      assert.deepEqual(done['result'], { errorCode: null, errorMessage: null, summary: { received: 3 } });
      const n = await counts();
      assert.equal(n.taskEventsOf(taskId), 5);

      // A task created while the agent is connected is pushed at once, with the next hub seq.
      const second = await api('POST', `/api/v1/agents/${a.agentId}/tasks`, {
        kind: 'collect_inventory',
        params: { full: true },
      });
      const env2 = await c.next((m) => m.body === 'task');
      assert.equal(watchpost.v1.Task.decode(env2.task!.task!).taskId, second.body['id']);
      assert.equal(BigInt(env2.seq.toString()), BigInt(env.seq.toString()) + 1n);
      c.close();
    });

    test('an inventory report is applied to the asset ledger in the batch transaction', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const c = await TestAgentClient.connect(hub.wsUrl);
      await c.session(a.key, a.agentId);
      c.sendSeq(1, {
        inventory: {
          collectedAtMs: toLong(Date.now(), false),
          sections: ['host', 'packages'],
          host: { hostname: 'inv-host', machineId: 'm-1', osPlatform: 'linux' },
          packages: [
            { name: 'openssl', version: '3.0.11-1', arch: 'amd64', manager: 'dpkg' },
            { name: 'bash', version: '5.2.15-2', arch: 'amd64', manager: 'dpkg' },
          ],
        },
      });
      await c.ackFor(1);
      c.close();
      const agent = (await api('GET', `/api/v1/agents/${a.agentId}`)).body;
      assert.equal(typeof agent['assetId'], 'string');
      const pk = await api('GET', `/api/v1/assets/${String(agent['assetId'])}/packages`);
      assert.equal(pk.status, 200);
      assert.equal(pk.body['total'], 2);
    });

    test('heartbeats store outbox backlog and applied policies on the agent', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const c = await TestAgentClient.connect(hub.wsUrl);
      await c.session(a.key, a.agentId);
      c.send({
        seq: toLong(0),
        heartbeat: {
          outboxMessages: toLong(42),
          outboxBytes: toLong(4096),
          outboxBudgetBytes: toLong(1 << 20),
          collectionPaused: true,
          appliedPolicies: [{ policyId: 'p1', version: 3, appliedAtMs: toLong(1000, false) }],
        },
      });
      let agent: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++) {
        agent = (await api('GET', `/api/v1/agents/${a.agentId}`)).body;
        if ((agent['outbox'] as { messages: number }).messages === 42) break;
        await sleep(50);
      }
      assert.deepEqual(agent['outbox'], {
        messages: 42,
        bytes: 4096,
        budgetBytes: 1 << 20,
        collectionPaused: true,
      });
      assert.deepEqual(agent['appliedPolicies'], [{ policyId: 'p1', version: 3, appliedAtMs: 1000 }]);
      c.close();
    });

    test('a newer connection supersedes the older with 4410', async () => {
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const c1 = await TestAgentClient.connect(hub.wsUrl);
      await c1.session(a.key, a.agentId);
      const c2 = await TestAgentClient.connect(hub.wsUrl);
      await c2.session(a.key, a.agentId);
      assert.equal((await c1.closed).code, CloseCode.SUPERSEDED);
      c2.close();
    });

    test('REST is tenant-scoped: a foreign agent id answers 404', async () => {
      const otherApi = String((await cli(['apitoken', 'create', '--tenant', 'other']))['token']);
      const a = await enrollAgent(hub.wsUrl, tokenA);
      const res = await fetch(`${hub.url}/api/v1/agents/${a.agentId}`, {
        headers: { authorization: `Bearer ${otherApi}` },
      });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { code: string }).code, 'NOT_FOUND');
    });
  });
}
