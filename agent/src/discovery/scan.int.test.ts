// The scan task against the real nmap and real services on 127.0.0.1 (only the machine's service
// ports 1883,3306,4222,5432,5672,6379 and listeners these tests start), through a real outbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeAgentEnvelope,
  TaskErrorCode,
  toLong,
  toSafeNumber,
  watchpost,
  type AgentEnvelope,
} from '@watchpost/proto';
import { pino } from 'pino';
import { Outbox } from '../outbox/index.js';
import { openStore } from '../state/store.js';
import { runCredentialChecks } from '../credentials/index.js';
import { findNmap } from './nmap.js';
import { runScan, type ScanDeps } from './scanTask.js';

const { ScanProfile, TaskState } = watchpost.v1;
const SERVICE_PORTS = '1883,3306,4222,5432,5672,6379';
const log = pino({ level: 'silent' });

async function setup(t: { after: (fn: () => unknown) => void }, scope: string[] = ['127.0.0.1/32']) {
  const dir = mkdtempSync(join(tmpdir(), 'wp-scan-'));
  const store = await openStore(dir);
  const outbox = await Outbox.open(store, 64 * 1024 * 1024, log);
  t.after(async () => {
    outbox.close();
    await store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const pids: number[] = [];
  const deps: ScanDeps = { outbox, store, scope, log, onSpawn: (pid) => pid !== undefined && pids.push(pid) };
  const messages = async (): Promise<AgentEnvelope[]> =>
    (await outbox.readAfter(0, 100_000)).map((e) => decodeAgentEnvelope(e.frame));
  return { deps, pids, messages };
}

/** A listener that accepts and then never says anything: -sV waits on it probe after probe. */
async function silentListener(t: { after: (fn: () => unknown) => void }) {
  const sockets = new Set<Socket>();
  let connections = 0;
  const waiters: Array<() => void> = [];
  const server: Server = createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return {
    port: address.port,
    /** Resolves once nmap has connected `n` times (it is actively probing). */
    connected: (n: number) =>
      new Promise<void>((resolve) => {
        const check = (): void => (connections >= n ? resolve() : void waiters.push(check));
        check();
      }),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const resultOf = (msgs: AgentEnvelope[]) => msgs.find((m) => m.taskResult)?.taskResult;
const reportsOf = (msgs: AgentEnvelope[]) =>
  msgs.flatMap((m) => (m.discoveryReport ? [m.discoveryReport] : []));

test('nmap is installed (the scripts install it; there is no stub scanner)', async () => {
  assert.ok(await findNmap(), 'nmap on PATH');
  assert.equal(await findNmap('/nonexistent-dir'), undefined);
});

test('SERVICE scan of the machine services identifies them by product', async (t) => {
  const { deps, messages } = await setup(t);
  const end = await runScan(
    'scan-services',
    { scanId: 's1', targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: SERVICE_PORTS },
    deps,
    new AbortController().signal,
  );
  assert.equal(end, 'done');
  const msgs = await messages();
  const reports = reportsOf(msgs);
  assert.equal(reports.length, 1);
  const report = reports[0];
  assert.equal(report?.scanId, 's1');
  const host = report?.host;
  assert.equal(host?.status, 'up');
  assert.deepEqual([host?.addresses?.[0]?.addr, host?.addresses?.[0]?.type], ['127.0.0.1', 'ipv4']);
  const byPort = new Map((host?.ports ?? []).map((p) => [p.port ?? 0, p]));
  for (const p of host?.ports ?? [])
    console.log(
      `nmap reports 127.0.0.1:${p.port} ${p.state} service=${JSON.stringify(p.service)} product=${JSON.stringify(p.product)} version=${JSON.stringify(p.version)} cpes=${JSON.stringify(p.cpes)}`,
    );
  assert.deepEqual(
    [...byPort.keys()].sort((a, b) => a - b),
    [1883, 3306, 4222, 5432, 5672, 6379],
  );
  assert.ok([...byPort.values()].every((p) => p.state === 'open'));
  assert.equal(byPort.get(5432)?.service, 'postgresql');
  assert.equal(byPort.get(5432)?.product, 'PostgreSQL DB');
  assert.equal(byPort.get(3306)?.service, 'mysql');
  assert.match(`${byPort.get(3306)?.product} ${byPort.get(3306)?.version}`, /MySQL|MariaDB/);
  assert.equal(byPort.get(6379)?.service, 'redis');
  assert.match(byPort.get(6379)?.product ?? '', /Redis/);
  assert.ok(byPort.get(6379)?.cpes?.some((c) => c.startsWith('cpe:/a:redislabs:redis')));
  assert.equal(byPort.get(5672)?.service, 'amqp');
  assert.equal(byPort.get(5672)?.product, 'RabbitMQ');
  // nmap 7.93 names Mosquitto in the service field ("mosquitto version 2.0.11"); the agent moves it.
  assert.equal(byPort.get(1883)?.service, 'mqtt');
  assert.equal(byPort.get(1883)?.product, 'Eclipse Mosquitto');
  // nmap 7.93 does not know NATS (port-table guess); the agent names it from its INFO banner.
  assert.equal(byPort.get(4222)?.service, 'nats');
  assert.equal(byPort.get(4222)?.product, 'NATS Server');
  assert.match(byPort.get(4222)?.version ?? '', /^\d+\.\d+/);
  const result = resultOf(msgs);
  assert.equal(result?.state, TaskState.TASK_STATE_SUCCEEDED);
  assert.deepEqual(JSON.parse(result?.summaryJson ?? ''), {
    hostsUp: 1,
    hostsDown: 0,
    openPorts: 6,
    weakCredentials: 0,
  });
  // Sequenced: every progress and the report come before the result.
  assert.equal(msgs.at(-1)?.taskResult?.taskId, 'scan-services');
  for (const p of msgs.flatMap((m) => (m.taskProgress ? [m.taskProgress] : []))) {
    assert.ok((p.percent ?? 0) <= 100 && p.stage !== '', JSON.stringify(p));
    assert.ok(toSafeNumber(p.etaMs) >= 0);
  }
});

test('a listener the test starts is found open; a closed port is not reported open', async (t) => {
  const { deps, messages } = await setup(t);
  const listener = await silentListener(t);
  // A port that was just released: nothing listens there any more.
  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const closedPort = (gone.address() as { port: number }).port;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  // TOP_PORTS with an explicit list: no -sV, so the silent listener answers at once (SYN/connect).
  const end = await runScan(
    'scan-listener',
    {
      targets: ['127.0.0.1'],
      profile: ScanProfile.SCAN_PROFILE_TOP_PORTS,
      ports: `${listener.port},${closedPort}`,
    },
    deps,
    new AbortController().signal,
  );
  assert.equal(end, 'done');
  const host = reportsOf(await messages())[0]?.host;
  const found = host?.ports?.find((p) => p.port === listener.port);
  assert.equal(found?.state, 'open');
  assert.equal(found?.protocol, 'tcp');
  const notOpen = host?.ports?.find((p) => p.port === closedPort);
  assert.ok(
    notOpen?.state === 'closed' || (!notOpen && (host?.closedPorts ?? 0) >= 1),
    'the released port is listed or counted as closed',
  );
  assert.equal(resultOf(await messages())?.state, TaskState.TASK_STATE_SUCCEEDED);
});

test('IPv6: a scan of ::1 inside an IPv6 scope finds Redis', async (t) => {
  const { deps, messages } = await setup(t, ['::1/128']);
  await runScan(
    'scan-v6',
    { targets: ['::1'], profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: '6379' },
    deps,
    new AbortController().signal,
  );
  const host = reportsOf(await messages())[0]?.host;
  assert.equal(host?.addresses?.[0]?.type, 'ipv6');
  assert.equal(host?.addresses?.[0]?.addr, '::1');
  assert.equal(host?.ports?.[0]?.service, 'redis');
});

test('cancel stops nmap: the process is gone and the result is CANCELLED', async (t) => {
  const { deps, pids, messages } = await setup(t);
  const listener = await silentListener(t);
  const cancel = new AbortController();
  const running = runScan(
    'scan-cancel',
    { targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: String(listener.port) },
    deps,
    cancel.signal,
  );
  await listener.connected(2); // port scan done, version probes under way
  const pid = pids[0];
  assert.ok(pid !== undefined && isAlive(pid), 'nmap runs before the cancel');
  cancel.abort('CANCELLED');
  assert.equal(await running, 'done');
  assert.equal(isAlive(pid), false, 'nmap is gone after the cancel');
  const result = resultOf(await messages());
  assert.equal(result?.state, TaskState.TASK_STATE_CANCELLED);
  assert.equal(result?.errorCode, TaskErrorCode.CANCELLED);
  assert.deepEqual(reportsOf(await messages()), []);
});

test('window end stops the scan with WINDOW_ENDED; an already ended window spawns nothing', async (t) => {
  const { deps, pids, messages } = await setup(t);
  const listener = await silentListener(t);
  const scan = {
    targets: ['127.0.0.1'],
    profile: ScanProfile.SCAN_PROFILE_SERVICE,
    ports: String(listener.port),
  };
  let now = 1_000_000;
  await runScan(
    'scan-late',
    { ...scan, windowEndMs: toLong(999_999) },
    { ...deps, now: () => now },
    new AbortController().signal,
  );
  assert.deepEqual(pids, []);
  assert.equal(resultOf(await messages())?.errorCode, TaskErrorCode.WINDOW_ENDED);

  const second = await setup(t);
  now = Date.now();
  // The window closes 1.5 s from now; the silent listener keeps -sV busy far longer than that.
  const end = await runScan(
    'scan-window',
    { ...scan, windowEndMs: toLong(now + 1500) },
    { ...second.deps, now: Date.now },
    new AbortController().signal,
  );
  assert.equal(end, 'done');
  const pid = second.pids[0];
  assert.ok(pid !== undefined);
  assert.equal(isAlive(pid), false);
  const result = resultOf(await second.messages());
  assert.equal(result?.state, TaskState.TASK_STATE_CANCELLED);
  assert.equal(result?.errorCode, TaskErrorCode.WINDOW_ENDED);
});

test('a scan whose scope no longer admits its targets (resume after a config change) spawns nothing', async (t) => {
  const { deps, pids, messages } = await setup(t, ['127.0.0.2/32']);
  await runScan(
    'scan-scope',
    { targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_DISCOVERY },
    deps,
    new AbortController().signal,
  );
  assert.deepEqual(pids, []);
  const result = resultOf(await messages());
  assert.equal(result?.state, TaskState.TASK_STATE_REFUSED);
  assert.equal(result?.errorCode, TaskErrorCode.SCOPE_VIOLATION);
});

test('credential checks run on each finished host: Redis without auth and Mosquitto anonymous are attached', async (t) => {
  const { deps, messages } = await setup(t);
  await runScan(
    'scan-creds',
    {
      targets: ['127.0.0.1'],
      profile: ScanProfile.SCAN_PROFILE_SERVICE,
      ports: '1883,6379',
      credentialChecks: true,
    },
    { ...deps, checkCredentials: runCredentialChecks },
    new AbortController().signal,
  );
  const host = reportsOf(await messages())[0]?.host;
  const creds = host?.weakCredentials ?? [];
  for (const c of creds) console.log(`weak credential: ${JSON.stringify(c)}`);
  assert.ok(creds.some((c) => c.service === 'redis' && c.port === 6379 && c.method === 'no_auth'));
  assert.ok(creds.some((c) => c.service === 'mqtt' && c.port === 1883));
  const summary = JSON.parse(resultOf(await messages())?.summaryJson ?? '{}') as { weakCredentials: number };
  assert.equal(summary.weakCredentials, creds.length);
});

test('nmap dying on its own (killed from outside) is NMAP_FAILED naming the signal', async (t) => {
  const { deps, messages } = await setup(t);
  const listener = await silentListener(t);
  let nmapPid: number | undefined;
  const running = runScan(
    'scan-killed',
    { targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: String(listener.port) },
    { ...deps, onSpawn: (pid) => (nmapPid = pid) },
    new AbortController().signal,
  );
  await listener.connected(1);
  assert.ok(nmapPid !== undefined);
  process.kill(nmapPid, 'SIGKILL');
  assert.equal(await running, 'done');
  const result = resultOf(await messages());
  assert.equal(result?.state, TaskState.TASK_STATE_FAILED);
  assert.equal(result?.errorCode, TaskErrorCode.NMAP_FAILED);
  assert.match(result?.errorMessage ?? '', /SIGKILL/);
});
