// Discovery benchmark: the agent's scan of 127.0.0.1 (runScan, the code path of a `scan` task:
// scope check, argv, nmap spawn, incremental XML parsing, throttled TaskProgress, one
// DiscoveryReport per host and the TaskResult through a real level outbox in a temp dir) against
// the same nmap argv run raw (spawn, read stdout to the end), in the same run. Rounds alternate
// which side goes first. Only the machine's service ports are ever scanned. Prints median wall
// times, the ratio agent/raw and what each side found; exits 1 when hosts or ports disagree.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { decodeAgentEnvelope, watchpost } from '@watchpost/proto';
import { XMLParser } from 'fast-xml-parser';
import { pino } from 'pino';
import { findNmap } from '../../agent/src/discovery/nmap.js';
import { prepareScan } from '../../agent/src/discovery/prepare.js';
import { runScan } from '../../agent/src/discovery/scanTask.js';
import { Outbox } from '../../agent/src/outbox/index.js';
import { openStore } from '../../agent/src/state/store.js';
import { progressBar } from './lib/progress.js';

const { ScanProfile, TaskState } = watchpost.v1;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// The machine's services (issue #3): never any other port of 127.0.0.1.
const SERVICE_PORTS = '1883,3306,4222,5432,5672,6379';
const SCOPE = ['127.0.0.1/32'];
const privileged = process.getuid?.() === 0; // what runScan decides by default

// A port-list scan takes ~0.1 s, so it gets 10× the rounds (a median of 3 such runs is noise).
const profiles: Array<{ name: string; rounds: number; scan: watchpost.v1.IScanTask }> = [
  {
    name: 'service',
    rounds: ROUNDS,
    scan: { targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_SERVICE, ports: SERVICE_PORTS },
  },
  {
    name: 'top-ports (-p list)',
    rounds: ROUNDS * 10,
    scan: { targets: ['127.0.0.1'], profile: ScanProfile.SCAN_PROFILE_TOP_PORTS, ports: SERVICE_PORTS },
  },
];

/**
 * What a side found. `ports` ("addr status port/state …" per host) must agree between raw nmap
 * and the agent; `names` (service|product|version per port) may differ where the agent adds to
 * nmap's words (banner identification of ports -sV leaves unnamed), so it is printed, not required.
 */
interface Found {
  hostsUp: number;
  openPorts: number;
  ports: string[];
  names: Map<string, string>;
}

interface PortView {
  port: number;
  state: string;
  service: string;
  product: string;
  version: string;
}
function describe(hosts: Array<{ addr: string; status: string; ports: PortView[] }>): Found {
  const sorted = (ports: PortView[]) => [...ports].sort((a, b) => a.port - b.port);
  const names = new Map<string, string>();
  for (const h of hosts)
    for (const p of sorted(h.ports))
      names.set(`${h.addr}:${p.port}`, `${p.service}|${p.product}|${p.version}`);
  return {
    hostsUp: hosts.filter((h) => h.status === 'up').length,
    openPorts: hosts.reduce((n, h) => n + h.ports.filter((p) => p.state === 'open').length, 0),
    ports: hosts
      .map(
        (h) =>
          `${h.addr} ${h.status} ${sorted(h.ports)
            .map((p) => `${p.port}/${p.state}`)
            .join(' ')}`,
      )
      .sort(),
    names,
  };
}

/** Ports whose service|product|version differ between two readings (empty when all agree). */
function nameDiff(a: Found, b: Found): string[] {
  const keys = new Set([...a.names.keys(), ...b.names.keys()]);
  return [...keys].flatMap((k) =>
    a.names.get(k) === b.names.get(k) ? [] : [`${k} ${a.names.get(k) ?? '-'} → ${b.names.get(k) ?? '-'}`],
  );
}

// Raw side's result is read with fast-xml-parser directly, not with the agent's parser, so that
// the agreement check compares two independent readings of nmap's output (after the timer).
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['host', 'address', 'port'].includes(name),
});
const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function rawFound(stdout: string): Found {
  const run = rec(rec(xml.parse(stdout))['nmaprun']);
  return describe(
    arr(run['host']).map((hv) => {
      const h = rec(hv);
      const addr = arr(h['address'])
        .map(rec)
        .find((a) => a['addrtype'] === 'ipv4' || a['addrtype'] === 'ipv6');
      return {
        addr: str(addr?.['addr']),
        status: str(rec(h['status'])['state']),
        ports: arr(rec(h['ports'])['port']).map((pv) => {
          const p = rec(pv);
          const svc = rec(p['service']);
          return {
            port: Number(p['portid']),
            state: str(rec(p['state'])['state']),
            service: str(svc['name']),
            product: str(svc['product']),
            version: str(svc['version']),
          };
        }),
      };
    }),
  );
}

async function runRaw(nmapPath: string, argv: readonly string[]): Promise<{ seconds: number; found: Found }> {
  const t0 = performance.now();
  // The same spawn as the agent's runNmap: fixed argv, no shell, stdin closed, PATH and LANG=C.
  const child = spawn(nmapPath, [...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    env: { PATH: process.env['PATH'] ?? '', LANG: 'C' },
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  child.stderr.resume();
  let stdout = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) stdout += chunk;
  const code = await closed;
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`raw nmap exited with ${String(code)}`);
  return { seconds, found: rawFound(stdout) };
}

async function runAgent(
  scan: watchpost.v1.IScanTask,
  round: number,
): Promise<{ seconds: number; found: Found; argv: unknown; messages: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-discovery-'));
  // The agent logs the argv it spawned ("scan starting"): captured to prove both sides ran the same.
  let argv: unknown;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        const event = rec(JSON.parse(line));
        if (event['msg'] === 'scan starting') argv = event['argv'];
      }
      cb();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const store = await openStore(dir);
  const outbox = await Outbox.open(store, 64 * 1024 * 1024, log);
  try {
    const t0 = performance.now();
    const end = await runScan(
      `bench-${round}`,
      { ...scan, scanId: `bench-${round}` },
      { outbox, store, scope: SCOPE, log },
      new AbortController().signal,
    );
    const seconds = (performance.now() - t0) / 1000;
    const msgs = (await outbox.readAfter(0, 100_000)).map((e) => decodeAgentEnvelope(e.frame));
    const result = msgs.find((m) => m.taskResult)?.taskResult;
    if (end !== 'done' || result?.state !== TaskState.TASK_STATE_SUCCEEDED)
      throw new Error(
        `agent scan did not succeed: ${result?.errorCode ?? end} ${result?.errorMessage ?? ''}`,
      );
    const hosts = msgs.flatMap((m) => (m.discoveryReport?.host ? [m.discoveryReport.host] : []));
    const found = describe(
      hosts.map((h) => ({
        addr: (h.addresses ?? []).find((a) => a.type === 'ipv4' || a.type === 'ipv6')?.addr ?? '',
        status: h.status ?? '',
        ports: (h.ports ?? []).map((p) => ({
          port: p.port ?? 0,
          state: p.state ?? '',
          service: p.service ?? '',
          product: p.product ?? '',
          version: p.version ?? '',
        })),
      })),
    );
    return { seconds, found, argv, messages: msgs.length };
  } finally {
    outbox.close();
    await store.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

async function main(): Promise<void> {
  const nmapPath = await findNmap();
  if (!nmapPath) throw new Error('nmap is not on PATH (the scripts install it)');
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('BENCH_ROUNDS must be a positive integer');
  console.log(
    `discovery: 127.0.0.1 ports ${SERVICE_PORTS}, rounds: ${profiles.map((p) => `${p.name} ${p.rounds}`).join(', ')}, ${privileged ? 'root (SYN scan)' : 'unprivileged (-sT)'}, ${nmapPath}`,
  );
  const bar = progressBar(
    'discovery',
    profiles.reduce((n, p) => n + (p.rounds + 1) * 2, 0),
  );
  const rows: string[] = [];
  const details: string[] = [];
  let disagree = false;
  for (const { name, rounds, scan } of profiles) {
    const prepared = prepareScan(scan, SCOPE, { privileged });
    if (!prepared.ok) throw new Error(`${name}: ${prepared.reason}`);
    const raw: Array<{ seconds: number; found: Found }> = [];
    const agent: Array<Awaited<ReturnType<typeof runAgent>>> = [];
    // One uncounted round each first: the agent's first run loads modules lazily, nmap warms caches.
    await runRaw(nmapPath, prepared.argv);
    await runAgent(scan, -1);
    bar.tick(2);
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first so a warm cache or a neighbour's load does not favour one side.
      const sides = [
        async () => raw.push(await runRaw(nmapPath, prepared.argv)),
        async () => agent.push(await runAgent(scan, round)),
      ];
      if (round % 2 === 1) sides.reverse();
      for (const side of sides) {
        await side();
        bar.tick();
      }
    }
    for (const a of agent) {
      if (JSON.stringify(a.argv) !== JSON.stringify(prepared.argv))
        throw new Error(
          `${name}: the agent ran ${JSON.stringify(a.argv)}, raw ran ${JSON.stringify(prepared.argv)}`,
        );
    }
    const rawS = median(raw.map((r) => r.seconds));
    const agentS = median(agent.map((r) => r.seconds));
    const rf = raw[0]?.found;
    const af = agent[0]?.found;
    if (!rf || !af) throw new Error('no rounds ran');
    const portsAgree = [...raw, ...agent].every(
      (r) => JSON.stringify(r.found.ports) === JSON.stringify(rf.ports),
    );
    disagree ||= !portsAgree;
    // Names: raw vs agent per round, and whether either side's names changed between rounds.
    const agentAdds = [...new Set(raw.flatMap((r, i) => nameDiff(r.found, agent[i]?.found ?? r.found)))];
    const unstable = [
      ...raw.slice(1).flatMap((r) => nameDiff(rf, r.found)),
      ...agent.slice(1).flatMap((r) => nameDiff(af, r.found)),
    ];
    rows.push(
      `| ${name} | ${rawS.toFixed(2)} | ${agentS.toFixed(2)} | ${(agentS / rawS).toFixed(3)} | ${rf.hostsUp} / ${rf.openPorts} | ${af.hostsUp} / ${af.openPorts} | ${portsAgree ? 'yes' : 'NO'} | ${agentAdds.length === 0 ? 'same' : agentAdds.join('; ')} |`,
    );
    details.push(
      `${name}: nmap ${prepared.argv.join(' ')}`,
      `  raw   s: ${raw.map((r) => r.seconds.toFixed(2)).join(' ')}`,
      `  agent s: ${agent.map((r) => r.seconds.toFixed(2)).join(' ')} (${agent[0]?.messages ?? 0} outbox messages in round 1)`,
      `  agent / raw per round (same round, order alternating): ${raw.map((r, i) => ((agent[i]?.seconds ?? NaN) / r.seconds).toFixed(3)).join(' ')}`,
      `  raw   s median ${rawS.toFixed(3)}, min ${Math.min(...raw.map((r) => r.seconds)).toFixed(3)}; agent s median ${agentS.toFixed(3)}, min ${Math.min(...agent.map((r) => r.seconds)).toFixed(3)}`,
      ...rf.ports.map((l) => `  raw   found ${l}`),
      ...af.ports.map((l) => `  agent found ${l}`),
      ...[...rf.names].map(([k, v]) => `  raw   names ${k} ${v}`),
      ...[...af.names].map(([k, v]) => `  agent names ${k} ${v}`),
      ...(unstable.length > 0
        ? [`  names that changed between rounds: ${[...new Set(unstable)].join('; ')}`]
        : []),
    );
  }
  bar.done();
  console.log(
    '| profile | raw nmap s (median) | agent s (median) | agent / raw | raw hosts up / open ports | agent hosts up / open ports | hosts+ports agree, every round | service names raw → agent |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  for (const d of details) console.log(d);
  if (disagree) {
    console.error('raw nmap and the agent disagree on hosts or ports (see above)');
    process.exitCode = 1;
  }
}

await main();
