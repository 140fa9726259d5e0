// Scans against a real hub process, on SQLite and PostgreSQL: hub-side scope enforcement, the
// signed scan task a connected (protocol-level test) agent receives, ingest of its progress,
// DiscoveryReports and result, the weak_credential finding with a masked proof only,
// cancellation, the scan window, and tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RejectCode, SignPurpose, toLong, verifyPayload, watchpost } from '@watchpost/proto';
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
else console.log('# postgres scans suite skipped: WATCHPOST_TEST_DATABASE_URL is not set');

// What a default-credential check found; the agent sends only the masked form.
const CLEAR_PASSWORD = 'postgres-secret-pw';
const MASKED = 'p****************w';

type Json = Record<string, unknown>;
const { TaskState } = watchpost.v1;

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

for (const backend of backends) {
  describe(`scans (${backend.name})`, () => {
    let hub: RunningHubProcess;
    let db: TempDatabase | undefined;
    let tokenAcme: string;
    let tokenOther: string;
    let agent: EnrolledTestAgent;
    let client: TestAgentClient;
    let seq = 0;

    const api = async (method: string, path: string, body?: unknown, token = tokenAcme) => {
      const res = await fetch(hub.url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as Json, text };
    };
    const send = (body: Omit<watchpost.v1.AgentEnvelope.$Properties, 'seq'>) => {
      seq += 1;
      client.sendSeq(seq, body);
      return seq;
    };
    const nextTask = async () => {
      const env = await client.next((m) => m.body === 'task');
      const signed = env.task!;
      assert.equal(
        verifyPayload(agent.hubPublicKey, signed.signature!, SignPurpose.TASK, signed.task!),
        true,
        'task signed by the pinned hub key',
      );
      return watchpost.v1.Task.decode(signed.task!);
    };
    const scanBody = (extra: Json = {}) => ({
      agentId: agent.agentId,
      targets: ['127.0.0.1', '::1'],
      profile: 'service',
      ports: '5432,6379',
      maxRate: 100,
      timeoutS: 600,
      credentialChecks: true,
      ...extra,
    });

    before(async () => {
      if (backend.pg) db = await tempPgDatabase();
      hub = await startHub(db ? { databaseUrl: db.url } : {});
      await hub.cli(['tenant', 'create', 'acme']);
      await hub.cli(['tenant', 'create', 'other']);
      const enrollToken = String((await hub.cli(['token', 'create', '--tenant', 'acme']))['token']);
      tokenAcme = String((await hub.cli(['apitoken', 'create', '--tenant', 'acme']))['token']);
      tokenOther = String((await hub.cli(['apitoken', 'create', '--tenant', 'other']))['token']);
      agent = await enrollAgent(hub.wsUrl, enrollToken);
      client = await TestAgentClient.connect(hub.wsUrl);
      await client.session(agent.key, agent.agentId);
      // The agent's own inventory gives it an asset, which weak credential findings attach to.
      await client.ackFor(send({ inventory: inventoryReport(sampleParts(), ['host', 'interfaces']) }));
    });
    after(async () => {
      client?.close();
      const code = await hub?.kill('SIGTERM');
      assert.equal(code, 0, 'hub exits 0 on SIGTERM');
      await db?.drop();
    });

    test('the hub rejects targets outside the tenant scope (default 127.0.0.1/32)', async () => {
      const shown = await hub.cli(['tenant', 'scope', 'show', 'acme']);
      assert.deepEqual(shown['scope'], ['127.0.0.1/32']);
      for (const target of ['127.0.0.2', '::1', '127.0.0.1-127.0.0.2', '127.0.0.0/31']) {
        const r = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.1', target] }));
        assert.equal(r.status, 400, target);
        assert.equal(r.body['code'], 'SCOPE_VIOLATION');
        assert.match(String(r.body['message']), new RegExp(target.replace(/[.]/g, '\\.')));
      }
      const bad = await cliRaw(['tenant', 'scope', 'set', 'acme', '127.0.0.1/8'], hub.env);
      assert.equal(bad.code, 2, 'host bits set: refused');
      assert.match(bad.stderr, /VALIDATION_FAILED/);
      await hub.cli(['tenant', 'scope', 'set', 'acme', '127.0.0.0/25,127.0.0.128/25,::1/128']);
      const wider = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.0/23'] }));
      assert.equal(wider.status, 400, 'a /23 is not inside two /25s');
      assert.equal(wider.body['code'], 'SCOPE_VIOLATION');
    });

    test('invalid targets, ports and schedules are refused before anything is stored', async () => {
      for (const extra of [
        { targets: ['localhost'] },
        { targets: ['-oN/tmp/x'] },
        { targets: ['127.0.0.1 --script=x'] },
        { ports: '22;id' },
        { ports: '0-70000' },
        { schedule: '* * *' },
        { window: { start: '25:00', end: '01:00' } },
        { window: { start: '01:00', end: '02:00', timezone: 'Mars/Base' } },
      ]) {
        const r = await api('POST', '/api/v1/scans', scanBody(extra));
        assert.equal(r.status, 400, JSON.stringify(extra));
        assert.equal(r.body['code'], 'VALIDATION_FAILED');
      }
      const list = await api('GET', '/api/v1/scans');
      assert.equal(list.body['total'], 0);
      // The generic task route cannot bypass the scope check.
      const direct = await api('POST', `/api/v1/agents/${agent.agentId}/tasks`, {
        kind: 'scan',
        params: { targets: ['127.0.0.2'] },
      });
      assert.equal(direct.status, 400);
    });

    test('scan → signed scan task → progress, reports, result → scan view and finding', async () => {
      const created = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.1', '::1/128'] }));
      assert.equal(created.status, 201, created.text);
      const scanId = String(created.body['id']);
      assert.equal(created.body['state'], 'queued');

      const task = await nextTask();
      assert.equal(task.agentId, agent.agentId);
      assert.equal(task.params, 'scan');
      const scan = task.scan as watchpost.v1.ScanTask;
      assert.equal(scan.scanId, scanId);
      assert.deepEqual(scan.targets, ['127.0.0.1', '::1/128']);
      assert.equal(scan.profile, watchpost.v1.ScanProfile.SCAN_PROFILE_SERVICE);
      assert.equal(scan.ports, '5432,6379');
      assert.equal(scan.maxRate, 100);
      assert.equal(scan.timeoutS, 600);
      assert.equal(scan.credentialChecks, true);
      assert.equal(scan.windowEndMs.toString(), '0');

      send({ taskProgress: { taskId: task.taskId, state: TaskState.TASK_STATE_ACCEPTED } });
      const progressSeq = send({
        taskProgress: {
          taskId: task.taskId,
          state: TaskState.TASK_STATE_RUNNING,
          percent: 40,
          message: 'scanning',
          etaMs: toLong(90_000, false),
        },
      });
      const sentAtMs = Date.now();
      await client.ackFor(progressSeq);
      const ackedAtMs = Date.now();
      const running = await api('GET', `/api/v1/scans/${scanId}`);
      assert.equal(running.body['state'], 'running');
      const runningProgress = running.body['progress'] as Json;
      assert.equal(runningProgress['percent'], 40);
      // eta_ms is stored as an instant: the hub's receipt time + 90 s.
      const etaMs = Date.parse(String(runningProgress['etaAt']));
      assert.ok(
        etaMs >= sentAtMs + 90_000 - 1000 && etaMs <= ackedAtMs + 90_000,
        `etaAt ${runningProgress['etaAt']}`,
      );
      assert.equal((runningProgress['tasks'] as Json[])[0]!['etaAt'], runningProgress['etaAt']);
      assert.equal(
        (await api('GET', `/api/v1/tasks/${task.taskId}`)).body['etaAt'],
        runningProgress['etaAt'],
      );

      const observedAtMs = toLong(Date.UTC(2026, 10, 25, 23, 0, 0), false);
      send({
        discoveryReport: {
          taskId: task.taskId,
          scanId,
          observedAtMs,
          host: {
            status: 'up',
            statusReason: 'localhost-response',
            addresses: [{ addr: '127.0.0.1', type: 'ipv4' }],
            hostnames: ['localhost'],
            osMatches: [
              { name: 'Linux 5.0 - 6.2', accuracy: 100, cpes: ['cpe:/o:linux:linux_kernel:5'] },
              { name: 'Linux 4.15', accuracy: 90 },
            ],
            ports: [
              {
                protocol: 'tcp',
                port: 5432,
                state: 'open',
                service: 'postgresql',
                product: 'PostgreSQL DB',
                version: '15.1',
                cpes: ['cpe:/a:postgresql:postgresql:15'],
                scripts: [{ id: 'banner', output: 'x'.repeat(100) }],
              },
              {
                protocol: 'tcp',
                port: 6379,
                state: 'open',
                service: 'redis',
                product: 'Redis key-value store',
              },
            ],
            weakCredentials: [
              {
                service: 'postgresql',
                port: 5432,
                protocol: 'tcp',
                username: 'postgres',
                method: 'default_password',
                proof: MASKED,
              },
            ],
          },
        },
      });
      send({
        discoveryReport: {
          taskId: task.taskId,
          scanId,
          observedAtMs,
          host: { status: 'up', addresses: [{ addr: '::1', type: 'ipv6' }], ports: [] },
        },
      });
      const unknownSeq = send({
        discoveryReport: { taskId: '00000000-0000-4000-8000-000000000000', scanId, host: { status: 'up' } },
      });
      const oversizedSeq = send({
        discoveryReport: {
          taskId: task.taskId,
          host: { status: 'up', ports: [{ port: 1, scripts: [{ id: 'big', output: 'y'.repeat(9000) }] }] },
        },
      });
      const resultSeq = send({
        taskResult: {
          taskId: task.taskId,
          state: TaskState.TASK_STATE_SUCCEEDED,
          summaryJson: JSON.stringify({ hostsUp: 2, hostsDown: 0, openPorts: 2, weakCredentials: 1 }),
        },
      });
      const rejects = [
        await client.next((m) => m.body === 'reject' && m.reject?.seq?.toString() === String(unknownSeq)),
        await client.next((m) => m.body === 'reject' && m.reject?.seq?.toString() === String(oversizedSeq)),
      ];
      assert.equal(rejects[0]!.reject!.code, RejectCode.UNKNOWN_TASK);
      assert.equal(rejects[1]!.reject!.code, RejectCode.LIMIT_EXCEEDED);
      await client.ackFor(resultSeq);

      const done = await api('GET', `/api/v1/scans/${scanId}`);
      assert.equal(done.status, 200);
      assert.equal(done.body['state'], 'succeeded');
      assert.equal((done.body['progress'] as Json)['etaAt'], null, 'the ETA ends with the task');
      assert.deepEqual(done.body['counts'], {
        hostsUp: 2,
        hostsDown: 0,
        openPorts: 2,
        weakCredentials: 1,
        hostsSeen: 2,
      });
      const hosts = done.body['hosts'] as Json[];
      assert.deepEqual(
        hosts.map((h) => h['primaryIp']),
        ['127.0.0.1', '::1'],
      );
      assert.deepEqual(hosts[0]!['os'], { name: 'Linux 5.0 - 6.2', accuracy: 100 });
      assert.deepEqual(
        (hosts[0]!['openPorts'] as Json[]).map((p) => [p['port'], p['product']]),
        [
          [5432, 'PostgreSQL DB'],
          [6379, 'Redis key-value store'],
        ],
      );
      const listed = await api('GET', '/api/v1/scans');
      assert.equal(listed.body['total'], 1);

      const findings = await api('GET', '/api/v1/findings?type=weak_credential');
      assert.equal(findings.status, 200);
      const items = findings.body['items'] as Json[];
      assert.equal(items.length, 1);
      const detail = await api('GET', `/api/v1/findings/${String(items[0]!['id'])}`);
      assert.equal(detail.status, 200);
      assert.match(detail.text, new RegExp(MASKED.replace(/\*/g, '\\*')));
      assert.match(detail.text, /agent:scan/);
      for (const out of [done.text, listed.text, findings.text, detail.text]) {
        assert.equal(out.includes(CLEAR_PASSWORD), false, 'no clear password in API output');
      }
    });

    test('cancel sends a signed cancel task; the CANCELLED result ends the scan', async () => {
      const created = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.1'] }));
      assert.equal(created.status, 201, created.text);
      const scanId = String(created.body['id']);
      const task = await nextTask();
      await client.ackFor(
        send({ taskProgress: { taskId: task.taskId, state: TaskState.TASK_STATE_ACCEPTED } }),
      );

      const cancelled = await api('POST', `/api/v1/scans/${scanId}/cancel`);
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body['cancelRequested'], true);
      const cancel = await nextTask();
      assert.equal(cancel.params, 'cancel');
      assert.equal(cancel.cancel!.taskId, task.taskId);

      await client.ackFor(
        send({
          taskResult: { taskId: task.taskId, state: TaskState.TASK_STATE_CANCELLED, errorCode: 'CANCELLED' },
        }),
      );
      const after = await api('GET', `/api/v1/scans/${scanId}`);
      assert.equal(after.body['state'], 'cancelled');
    });

    test('live progress streams as server-sent events until the scan ends', async () => {
      const created = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.1'] }));
      assert.equal(created.status, 201, created.text);
      const scanId = String(created.body['id']);
      const task = await nextTask();
      const res = await fetch(`${hub.url}/api/v1/scans/${scanId}/events`, {
        headers: { authorization: `Bearer ${tokenAcme}` },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      const events: { event: string; data: Json }[] = [];
      const until = async (pred: (e: { event: string; data: Json }) => boolean) => {
        for (;;) {
          const found = events.find(pred);
          if (found) return found;
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended; got ${JSON.stringify(events.map((e) => e.event))}`);
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) as Json });
          }
        }
      };
      const first = await until((e) => e.event === 'scan');
      assert.equal(first.data['state'], 'queued');
      send({ taskProgress: { taskId: task.taskId, state: TaskState.TASK_STATE_RUNNING, percent: 25 } });
      await until((e) => e.event === 'scan' && (e.data['progress'] as Json)['percent'] === 25);
      send({ taskResult: { taskId: task.taskId, state: TaskState.TASK_STATE_SUCCEEDED } });
      await until((e) => e.event === 'scan' && e.data['state'] === 'succeeded');
      await until((e) => e.event === 'end');
      const missing = await fetch(`${hub.url}/api/v1/scans/00000000-0000-4000-8000-000000000000/events`, {
        headers: { authorization: `Bearer ${tokenAcme}` },
      });
      assert.equal(missing.status, 404);
    });

    test('a scan outside its window waits; inside it the task carries the window end', async () => {
      const now = new Date();
      const closed = {
        start: hhmm(new Date(now.getTime() + 2 * 3600_000)),
        end: hhmm(new Date(now.getTime() + 3 * 3600_000)),
        timezone: 'UTC',
      };
      const waiting = await api(
        'POST',
        '/api/v1/scans',
        scanBody({ targets: ['127.0.0.1'], window: closed }),
      );
      assert.equal(waiting.status, 201, waiting.text);
      assert.equal(waiting.body['state'], 'queued');
      assert.equal(waiting.body['pendingRun'], true);
      assert.equal(waiting.body['runCount'], 0);

      const open = {
        start: hhmm(new Date(now.getTime() - 3600_000)),
        end: hhmm(new Date(now.getTime() + 2 * 3600_000)),
        timezone: 'UTC',
      };
      const started = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.1'], window: open }));
      assert.equal(started.body['runCount'], 1);
      const task = await nextTask();
      assert.equal(task.scan!.scanId, started.body['id']);
      const end = Number((task.scan as watchpost.v1.ScanTask).windowEndMs.toString());
      assert.ok(end > now.getTime() && end <= now.getTime() + 2 * 3600_000, `window end ${end}`);
      assert.equal(end % 60_000, 0, 'the window ends on a minute');
    });

    test('tenant isolation: another tenant sees no scan and cannot use this agent', async () => {
      const mine = await api('GET', '/api/v1/scans');
      const first = (mine.body['items'] as Json[])[0]!;
      const foreign = await api('GET', `/api/v1/scans/${String(first['id'])}`, undefined, tokenOther);
      assert.equal(foreign.status, 404);
      const cancel = await api('POST', `/api/v1/scans/${String(first['id'])}/cancel`, undefined, tokenOther);
      assert.equal(cancel.status, 404);
      const list = await api('GET', '/api/v1/scans', undefined, tokenOther);
      assert.equal(list.body['total'], 0);
      const create = await api('POST', '/api/v1/scans', scanBody({ targets: ['127.0.0.1'] }), tokenOther);
      assert.equal(create.status, 404);
      const findings = await api('GET', '/api/v1/findings?type=weak_credential', undefined, tokenOther);
      assert.deepEqual(findings.body['items'], []);
    });
  });
}
