// Multi-host discovery end to end: three hosts in network namespaces, each with its own TCP
// listeners, scanned by two real agents through a real hub. The ledger must hold exactly one
// shadow asset per lab host (the second agent's sightings merge on MAC/IP instead of duplicating),
// with that host's ports and timeline. Only the lab addresses and 127.0.0.1 are contacted: the
// agents run in a private mount namespace whose /etc/resolv.conf names 127.0.0.1, where the test
// answers nmap's reverse-DNS (PTR) questions itself — lab names for lab addresses, NXDOMAIN for
// anything else — so no lookup leaves the machine and the ledger gets real hostnames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createLab, labUnavailable, type LabHost } from '../lib/netns.js';
import {
  agentCli,
  createTenant,
  freePort,
  hubCli,
  repoRoot,
  startHub,
  tempDir,
  waitFor,
  type Api,
} from './lib/harness.js';

const run = promisify(execFile);
const agentBin = join(repoRoot, 'agent', 'bin', 'watchpost-agent.js');

/** Listener ports per lab host: different on each, and the only ports any scan asks for. */
const HOST_PORTS = [[8081, 8082], [8083], [8084, 8085]] as const;
const SCAN_PORTS = HOST_PORTS.flat().join(',');

interface ScanView {
  state: string;
  progress: { tasks: { state: string; errorCode: string | null; message: string }[] };
  hosts?: {
    primaryIp: string | null;
    status: string;
    hostnames: string[];
    macs: { addr: string; vendor: string }[];
    openPorts: { port: number; protocol: string }[];
  }[];
}
interface AssetItem {
  id: string;
  name: string;
  agentId: string | null;
}
interface ServiceItem {
  protocol: string;
  port: number;
  state: string;
}
interface TimelineItem {
  kind: string;
  detail: { port?: string };
}

async function nmapMissing(): Promise<string | undefined> {
  try {
    await run('nmap', ['--version']);
    return undefined;
  } catch (err) {
    return `nmap is not installed: ${String(err)}`;
  }
}

function banner(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, timeout: 5000 });
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (data += d));
    sock.on('end', () => resolve(data));
    sock.on('timeout', () => sock.destroy(new Error('timeout')));
    sock.on('error', reject);
  });
}

/** A Node TCP server inside the host's namespace, answering a banner on each port. */
async function startListener(host: LabHost, ports: readonly number[]): Promise<ChildProcess> {
  const script = `const net = require('net'); let up = 0;
for (const port of ${JSON.stringify(ports)}) {
  net.createServer((s) => s.end('watchpost-lab ${host.name} ' + port + '\\r\\n'))
    .listen(port, ${JSON.stringify(host.address)}, () => { if (++up === ${ports.length}) console.log('up'); });
}`;
  const child = spawn('ip', ['netns', 'exec', host.name, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`listener in ${host.name} exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** `watchpost-agent run` in a private mount namespace whose resolver is 127.0.0.1 (see top). */
function startIsolatedAgent(dataDir: string, resolvConf: string): { child: ChildProcess; stderr: string[] } {
  const child = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      'mount --bind "$0" /etc/resolv.conf && exec "$@"',
      resolvConf,
      process.execPath,
      agentBin,
      'run',
      '--data-dir',
      dataDir,
    ],
    {
      env: { ...process.env, WATCHPOST_AGENT_LOG_LEVEL: 'warn', WATCHPOST_AGENT_BACKOFF_MAX_MS: '1000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => stderr.push(d));
  return { child, stderr };
}

/** The PTR name the test's resolver gives a lab host. */
const labName = (i: number): string => `lab-${i}.watchpost.test`;

/** The first question of a DNS query: its name and where the question section ends. */
function dnsQuestion(msg: Buffer): { name: string; end: number } | undefined {
  const labels: string[] = [];
  let at = 12;
  while (at < msg.length) {
    const len = msg[at] ?? 0;
    if (len === 0)
      return msg.length >= at + 5 ? { name: labels.join('.').toLowerCase(), end: at + 5 } : undefined;
    if (len > 63) return undefined; // compression never appears in a question we accept
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  return undefined;
}

/** The machine's resolver as the agents see it: PTR answers for lab addresses, NXDOMAIN else. */
async function startLabResolver(
  names: Map<string, string>,
): Promise<{ asked: string[]; close(): Promise<void> }> {
  const sock = createSocket('udp4');
  const asked: string[] = [];
  sock.on('message', (msg, from) => {
    const q = dnsQuestion(msg);
    if (!q || msg.length < 12) return;
    asked.push(q.name);
    const qtype = msg.readUInt16BE(q.end - 4);
    const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(q.name)?.slice(1).reverse().join('.');
    const answer = qtype === 12 && ip !== undefined ? names.get(ip) : undefined;
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180 | (msg.readUInt16BE(2) & 0x0100) | (answer ? 0 : 3), 2); // QR RA [RD] rcode
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts = [header, msg.subarray(12, q.end)];
    if (answer) {
      const rdata = Buffer.concat([
        ...answer.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
        Buffer.from([0]),
      ]);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the question's name
      rr.writeUInt16BE(12, 2); // PTR
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      parts.push(rr, rdata);
    }
    sock.send(Buffer.concat(parts), from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', (err) => reject(new Error(`cannot answer DNS on 127.0.0.1:53: ${String(err)}`)));
    sock.bind(53, '127.0.0.1', () => resolve());
  });
  return { asked, close: () => new Promise((resolve) => sock.close(() => resolve())) };
}

/** Creates a scan of the lab hosts' listener ports from one agent and waits for its end. */
async function scanLab(api: Api, agentId: string, targets: string[]): Promise<ScanView> {
  const created = await api.request<{ id: string }>('POST', '/api/v1/scans', {
    agentId,
    targets,
    profile: 'top-ports',
    ports: SCAN_PORTS,
    timeoutS: 60,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return waitFor(
    `scan ${created.body.id} to end`,
    async () => {
      const scan = await api.get<ScanView>(`/api/v1/scans/${created.body.id}`);
      return ['succeeded', 'failed', 'cancelled', 'partial'].includes(scan.state) ? scan : undefined;
    },
    90_000,
  );
}

/** The ledger's identity keys of one asset, read from the hub's SQLite store. */
function identities(dataDir: string, assetId: string): { kind: string; value: string }[] {
  const db = new Database(join(dataDir, 'watchpost.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db
      .prepare('SELECT kind, value FROM asset_identities WHERE asset_id = ? ORDER BY kind, value')
      .all(assetId) as { kind: string; value: string }[];
  } finally {
    db.close();
  }
}

test('three lab hosts scanned by two agents: one shadow asset per host (keyed by its MAC), own ports, opens and closes', async (t) => {
  const why = (await labUnavailable()) ?? (await nmapMissing());
  if (why) return t.skip(why);

  // Undone in reverse: agents and hub, then listeners, then the lab, then the files.
  const cleanup: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    const failures: unknown[] = [];
    for (const undo of cleanup.reverse()) await undo().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, 'lab cleanup failed');
  });
  const dir = tempDir('wp-lab-');
  cleanup.push(async () => dir.remove());
  const lab = await createLab(3);
  cleanup.push(() => lab.destroy());
  const listeners: ChildProcess[] = [];
  cleanup.push(async () => {
    for (const l of listeners) await stop(l);
  });
  for (const [i, host] of lab.hosts.entries()) {
    const ports = HOST_PORTS[i] ?? [];
    listeners.push(await startListener(host, ports));
    for (const port of ports)
      assert.equal(await banner(host.address, port), `watchpost-lab ${host.name} ${port}\r\n`);
  }
  const targets = lab.hosts.map((h) => h.address);
  const labCidr = lab.scope[0];
  assert.ok(labCidr);

  const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
  const hub = await startHub(hubOpts);
  cleanup.push(() => hub.kill());
  const acme = await createTenant(hubOpts, hub.url, 'acme');
  const scope = await hubCli<{ scope: string[] }>(hubOpts, [
    'tenant',
    'scope',
    'set',
    'acme',
    `${labCidr},127.0.0.1/32`,
  ]);
  assert.deepEqual([...scope.scope].sort(), [labCidr, '127.0.0.1/32'].sort());

  const resolver = await startLabResolver(new Map(lab.hosts.map((h, i) => [h.address, labName(i)])));
  cleanup.push(() => resolver.close());
  const resolvConf = join(dir.path, 'resolv.conf');
  writeFileSync(resolvConf, 'nameserver 127.0.0.1\n');
  const agentIds: string[] = [];
  for (const name of ['agent-1', 'agent-2']) {
    const dataDir = join(dir.path, name);
    const enrolled = await agentCli({ dataDir }, [
      'enroll',
      '--hub',
      hub.wsUrl,
      '--token',
      acme.enrollToken,
      '--json',
    ]);
    const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };
    writeFileSync(join(dataDir, 'agent.json'), JSON.stringify({ scope: [labCidr, '127.0.0.1/32'] }));
    const agent = startIsolatedAgent(dataDir, resolvConf);
    cleanup.push(() => stop(agent.child));
    agentIds.push(agentId);
    await waitFor(`${name} online with its inventory`, async () => {
      if (agent.child.exitCode !== null) throw new Error(`${name} exited: ${agent.stderr.join('')}`);
      const { items } = await acme.api.get<{
        items: { id: string; online: boolean; assetId: string | null }[];
      }>('/api/v1/agents');
      const row = items.find((a) => a.id === agentId);
      return row?.online && row.assetId ? row : undefined;
    });
  }
  const [agent1, agent2] = agentIds;
  assert.ok(agent1 && agent2);

  // The hub refuses targets outside the tenant's scope before any agent is asked.
  const neighbour = labCidr.replace(
    /^(\d+\.\d+)\.(\d+)\.0\/24$/,
    (_m, ab: string, c: string) => `${ab}.${(Number(c) + 1) % 256}.2`,
  );
  assert.match(neighbour, /^\d+\.\d+\.\d+\.2$/);
  for (const outside of [neighbour, '::1']) {
    const refused: { status: number; body: { code: string } } = await acme.api.request(
      'POST',
      '/api/v1/scans',
      {
        agentId: agent1,
        targets: [outside],
        profile: 'top-ports',
        ports: SCAN_PORTS,
      },
    );
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'SCOPE_VIOLATION');
  }

  for (const agentId of [agent1, agent2]) {
    const scan = await scanLab(acme.api, agentId, targets);
    assert.equal(scan.state, 'succeeded', JSON.stringify(scan.progress));
    // nmap as root sees each host's MAC on its veth link, and exactly that host's listeners.
    const hosts = scan.hosts ?? [];
    assert.equal(hosts.length, 3, JSON.stringify(hosts));
    for (const [i, host] of lab.hosts.entries()) {
      const seen = hosts.find((h) => h.primaryIp === host.address);
      assert.ok(seen, `scan saw ${host.address}`);
      assert.equal(seen.status, 'up');
      assert.deepEqual(seen.hostnames, [labName(i)]);
      assert.deepEqual(
        seen.macs.map((m) => m.addr.toLowerCase()),
        [host.mac],
      );
      assert.deepEqual(
        seen.openPorts.map((p) => p.port).sort((a, b) => a - b),
        [...(HOST_PORTS[i] ?? [])],
      );
    }
  }

  // nmap's name lookups came to the test's resolver (the agents' only one).
  for (const host of lab.hosts) {
    const ptr = `${host.address.split('.').reverse().join('.')}.in-addr.arpa`;
    assert.ok(resolver.asked.includes(ptr), `PTR ${ptr} asked: ${JSON.stringify(resolver.asked)}`);
  }

  // One shadow asset per lab host, whichever agent saw it.
  const shadow = await acme.api.get<{ items: AssetItem[]; total: number }>(
    '/api/v1/assets?shadow=true&limit=500',
  );
  assert.equal(shadow.total, 3, JSON.stringify(shadow.items));
  const assetOf = new Map<string, string>();
  for (const a of shadow.items) {
    assert.equal(a.agentId, null);
    const keys = identities(hubOpts.dataDir, a.id);
    const ip = keys.filter((k) => k.kind === 'ip').map((k) => k.value);
    const mac = keys.filter((k) => k.kind === 'mac').map((k) => k.value);
    const host = lab.hosts.find((h) => ip.includes(h.address));
    assert.ok(host, `shadow asset ${a.id} is a lab host: ${JSON.stringify(keys)}`);
    assert.deepEqual(ip, [host.address]);
    assert.deepEqual(mac, [host.mac]);
    assert.equal(a.name, labName(lab.hosts.indexOf(host)));
    assert.ok(!assetOf.has(host.address), `${host.address} has one asset`);
    assetOf.set(host.address, a.id);
  }

  for (const [i, host] of lab.hosts.entries()) {
    const id = assetOf.get(host.address);
    assert.ok(id);
    const services = await acme.api.get<{ items: ServiceItem[] }>(`/api/v1/assets/${id}/services`);
    assert.deepEqual(
      services.items.map((s) => `${s.protocol}/${s.port}/${s.state}`),
      (HOST_PORTS[i] ?? []).map((p) => `tcp/${p}/open`),
    );
    const timeline = await acme.api.get<{ items: TimelineItem[] }>(`/api/v1/assets/${id}/timeline`);
    const opened = timeline.items.filter((e) => e.kind === 'port_opened').map((e) => e.detail.port);
    // Opened once each: the second agent's sighting updated the ports, it did not re-open them.
    assert.deepEqual(
      opened.sort(),
      (HOST_PORTS[i] ?? []).map((p) => `tcp/${p}`),
    );
    assert.equal(timeline.items.filter((e) => e.kind === 'created').length, 1);
  }

  // Host 0's listener stops; agent 1 scans the same ports again.
  const [first] = lab.hosts;
  const firstListener = listeners[0];
  assert.ok(first && firstListener);
  await stop(firstListener);
  await assert.rejects(banner(first.address, HOST_PORTS[0][0]), 'the listener is gone');
  const rescan = await scanLab(acme.api, agent1, targets);
  assert.equal(rescan.state, 'succeeded', JSON.stringify(rescan.progress));
  const again = rescan.hosts?.find((h) => h.primaryIp === first.address);
  assert.ok(again, 'host 0 is still up (it answers ARP)');
  assert.deepEqual(again.openPorts, []);
  const stillThree = await acme.api.get<{ total: number }>('/api/v1/assets?shadow=true&limit=500');
  assert.equal(stillThree.total, 3);

  // The scan covered those ports and did not see them open: the ledger closes them on host 0
  // only, and the other hosts keep theirs.
  for (const [i, host] of lab.hosts.entries()) {
    const id = assetOf.get(host.address);
    assert.ok(id);
    const ports = HOST_PORTS[i] ?? [];
    const state = i === 0 ? 'closed' : 'open';
    const services = await acme.api.get<{ items: ServiceItem[] }>(`/api/v1/assets/${id}/services`);
    assert.deepEqual(
      services.items.map((s) => `${s.protocol}/${s.port}/${s.state}`),
      ports.map((p) => `tcp/${p}/${state}`),
    );
    const timeline = await acme.api.get<{ items: TimelineItem[] }>(`/api/v1/assets/${id}/timeline`);
    const closed = timeline.items.filter((e) => e.kind === 'port_closed').map((e) => e.detail.port);
    assert.deepEqual(closed.sort(), i === 0 ? ports.map((p) => `tcp/${p}`) : []);
  }
});
