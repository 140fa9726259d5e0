// Real processes for end-to-end tests: the built hub and agent CLIs, on 127.0.0.1 only.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const hubBin = join(repoRoot, 'hub', 'bin', 'watchpost-hub.js');
const agentBin = join(repoRoot, 'agent', 'bin', 'watchpost-agent.js');
const run = promisify(execFile);

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface HubOptions {
  dataDir: string;
  port: number;
  databaseUrl?: string | undefined;
}

export interface RunningProcess {
  child: ChildProcess;
  stderr: string[];
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

function track(child: ChildProcess): RunningProcess {
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr.push(d);
    if (stderr.length > 400) stderr.splice(0, stderr.length - 400);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

function hubEnv(opts: HubOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WATCHPOST_DATA_DIR: opts.dataDir,
    WATCHPOST_LOG_LEVEL: 'warn',
  };
  delete env.WATCHPOST_DATABASE_URL;
  if (opts.databaseUrl) env.WATCHPOST_DATABASE_URL = opts.databaseUrl;
  return env;
}

export interface Hub extends RunningProcess {
  url: string;
  wsUrl: string;
}

/** Starts `watchpost-hub serve` and resolves once it prints its listening line. */
export async function startHub(opts: HubOptions): Promise<Hub> {
  const child = spawn(
    process.execPath,
    [hubBin, 'serve', '--listen', `127.0.0.1:${opts.port}`, '--data-dir', opts.dataDir],
    {
      env: hubEnv(opts),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const proc = track(child);
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<{ url: string; wsUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${proc.stderr.join('')}`)), 60_000);
    lines.on('line', (line) => {
      try {
        const ev = JSON.parse(line) as { event?: string; url?: string; wsUrl?: string };
        if (ev.event === 'listening' && ev.url && ev.wsUrl) {
          clearTimeout(timer);
          resolve({ url: ev.url, wsUrl: ev.wsUrl });
        }
      } catch {
        /* not the listening line */
      }
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before listening:\n${proc.stderr.join('')}`));
    });
  });
  return { ...proc, ...listening };
}

/** Runs a hub CLI command with --json against the same store and returns its JSON output. */
export async function hubCli<T = Record<string, unknown>>(opts: HubOptions, args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, [hubBin, ...args, '--data-dir', opts.dataDir, '--json'], {
    env: hubEnv(opts),
  });
  return JSON.parse(stdout) as T;
}

export interface AgentOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

function agentEnv(opts: AgentOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WATCHPOST_AGENT_LOG_LEVEL: 'warn',
    WATCHPOST_AGENT_BACKOFF_MAX_MS: '1000',
    ...opts.env,
  };
}

export async function agentCli(
  opts: AgentOptions,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [agentBin, ...args, '--data-dir', opts.dataDir], { env: agentEnv(opts) });
}

export function startAgent(opts: AgentOptions): RunningProcess {
  return track(
    spawn(process.execPath, [agentBin, 'run', '--data-dir', opts.dataDir], {
      env: agentEnv(opts),
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
}

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async get<T>(path: string): Promise<T> {
    const res = await this.request<T>('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Tenant {
  tenant: { id: string; name: string };
  enrollToken: string;
  api: Api;
}

/** Creates a tenant with an enrollment token and an API token through the hub CLI. */
export async function createTenant(opts: HubOptions, hubUrl: string, name: string): Promise<Tenant> {
  const tenant = await hubCli<{ id: string; name: string }>(opts, ['tenant', 'create', name]);
  const enroll = await hubCli<{ token: string }>(opts, ['token', 'create', '--tenant', name]);
  const api = await hubCli<{ token: string }>(opts, ['apitoken', 'create', '--tenant', name]);
  return { tenant, enrollToken: enroll.token, api: new Api(hubUrl, api.token) };
}
