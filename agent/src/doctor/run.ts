// The I/O of `doctor`: reads the machine and asks the hub, then hands each reading to checks.ts.
// The hub checks connect to the hub URL of the identity only (the agent talks to nobody else).
import { spawnSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { connect } from 'node:net';
import type { AgentConfig } from '../config/config.js';
import type { DataPaths } from '../config/dataDir.js';
import { errorMessage } from '../errors.js';
import { readIdentityFile } from '../identity/identity.js';
import { readStatus } from '../status/statusFile.js';
import { capabilitiesCheck, clockCheck, diskCheck, nmapCheck, type CheckResult } from './checks.js';

const TIMEOUT_MS = 5_000;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function nmapVersionOutput(): string | null {
  const r = spawnSync('nmap', ['--version'], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return r.error ? null : r.stdout;
}

function tcpReach(host: string, port: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, timeout: TIMEOUT_MS });
    s.once('connect', () => {
      s.destroy();
      resolve(Date.now() - started);
    });
    s.once('timeout', () => {
      s.destroy();
      reject(new Error(`no answer within ${TIMEOUT_MS} ms`));
    });
    s.once('error', reject);
  });
}

/** http(s) origin of a ws(s) hub URL. */
export function hubHttpOrigin(hubUrl: string): URL {
  const u = new URL(hubUrl);
  return new URL(`${u.protocol === 'wss:' || u.protocol === 'https:' ? 'https:' : 'http:'}//${u.host}`);
}

async function hubChecks(hubUrl: string): Promise<CheckResult[]> {
  const origin = hubHttpOrigin(hubUrl);
  const port = Number(origin.port || (origin.protocol === 'https:' ? 443 : 80));
  const host = origin.hostname.replace(/^\[|\]$/g, '');
  try {
    const ms = await tcpReach(host, port);
    const out: CheckResult[] = [
      { name: 'hub-tcp', status: 'ok', detail: `${host}:${port} accepts connections (${ms} ms)` },
    ];
    const before = Date.now();
    const res = await fetch(new URL('/api/v1/time', origin), {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'error',
    });
    const after = Date.now();
    const body = (await res.json().catch(() => null)) as { epochMs?: unknown } | null;
    const date = res.headers.get('date');
    const hubMs = typeof body?.epochMs === 'number' ? body.epochMs : date ? Date.parse(date) : NaN;
    out.push(
      res.ok
        ? {
            name: 'hub-http',
            status: 'ok',
            detail: `${origin.protocol === 'https:' ? 'TLS + ' : ''}HTTP ${res.status} from ${origin.origin}`,
          }
        : {
            name: 'hub-http',
            status: 'fail',
            detail: `HTTP ${res.status} from ${origin.origin}/api/v1/time`,
            hint: 'is this a Watchpost hub of a matching version?',
          },
    );
    if (Number.isFinite(hubMs)) out.push(clockCheck(before, after, hubMs));
    else out.push({ name: 'clock', status: 'warn', detail: 'the hub sent no time' });
    return out;
  } catch (err) {
    // fetch hides the reason (certificate, refused, timeout) in `cause`.
    const cause = (err as { cause?: unknown }).cause;
    const why = `${errorMessage(err)}${cause === undefined ? '' : ` (${errorMessage(cause)})`}`;
    const tls = /certificate|SSL|TLS/i.test(why);
    return [
      {
        name: tls ? 'hub-http' : 'hub-tcp',
        status: 'fail',
        detail: `${origin.origin}: ${why}`,
        hint: tls
          ? 'the hub certificate is not trusted by this host'
          : 'check the route/firewall to the hub (only the hub port is needed)',
      },
    ];
  }
}

export async function runDoctor(paths: DataPaths, config: AgentConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [
    nmapCheck(nmapVersionOutput()),
    capabilitiesCheck(process.getuid?.() ?? -1, readText('/proc/self/status')),
  ];
  try {
    const fs = statfsSync(paths.root);
    const outboxBytes = readStatus(paths.status)?.outboxBytes ?? 0;
    results.push(diskCheck(fs.bavail * fs.bsize, config.outboxBudgetBytes, outboxBytes));
  } catch (err) {
    results.push({
      name: 'disk',
      status: 'fail',
      detail: `${paths.root}: ${errorMessage(err)}`,
      hint: 'create the data dir or pass --data-dir',
    });
  }
  const identity = readIdentityFile(paths);
  if (!identity) {
    results.push({
      name: 'enrollment',
      status: 'fail',
      detail: `no identity in ${paths.root}`,
      hint: 'run "watchpost-agent enroll --hub URL --token T"',
    });
    return results;
  }
  results.push({
    name: 'enrollment',
    status: 'ok',
    detail: `agent ${identity.agentId} of ${identity.hubUrl}`,
  });
  results.push(...(await hubChecks(identity.hubUrl)));
  return results;
}
