// Test helper: runs the real hub (`watchpost-hub serve --listen 127.0.0.1:0`) as a child process
// and its CLI against the same store. Used by the hub's and the lead's integration tests.
//
//   const hub = await startHub();                 // SQLite in a fresh temp data dir
//   const hub = await startHub({ databaseUrl });  // PostgreSQL (see withTempPostgres)
//   const { token } = await hub.cli(['token', 'create', '--tenant', 'acme']);
//   await hub.kill('SIGTERM');                    // resolves with the exit code
//
// The built bin (hub/dist) is used when it is newer than hub/src; otherwise the CLI runs from
// source through tsx, so a stale build never hides a change.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const hubRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRoot = resolve(hubRoot, '..');

export interface StartHubOptions {
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Extra args after `serve` (default `--listen 127.0.0.1:0`). */
  args?: string[];
  /** Node flags for the hub process, e.g. `['--cpu-prof']`. */
  nodeArgs?: string[];
}

export interface RunningHubProcess {
  url: string;
  wsUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  process: ChildProcess;
  /** pino log lines the hub wrote to stderr so far (parsed JSON). */
  logs: Record<string, unknown>[];
  /** Sends the signal and resolves with the exit code (or the signal name). */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
  /** Runs `watchpost-hub <args> --json` against the same store; resolves with the parsed JSON. */
  cli(args: string[]): Promise<Record<string, unknown>>;
  /** The env the hub runs with (for cliRaw). */
  env: NodeJS.ProcessEnv;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let cachedCommand: string[] | undefined;
/** node argv prefix that runs the hub CLI. */
export function hubCommand(): string[] {
  if (cachedCommand) return cachedCommand;
  const built = join(hubRoot, 'dist', 'cli.js');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(hubRoot, 'src'));
  cachedCommand = fresh
    ? [join(hubRoot, 'bin', 'watchpost-hub.js')]
    : ['--import', 'tsx', join(hubRoot, 'src', 'cli.ts')];
  return cachedCommand;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the hub CLI and returns exit code and output, without interpreting them. */
export function cliRaw(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...hubCommand(), ...args], {
      env,
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

export function hubEnv(
  dataDir: string,
  databaseUrl?: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WATCHPOST_DATA_DIR: dataDir,
    WATCHPOST_LOG_LEVEL: 'info',
    ...extra,
  };
  if (databaseUrl === undefined) delete env['WATCHPOST_DATABASE_URL'];
  else env['WATCHPOST_DATABASE_URL'] = databaseUrl;
  return env;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const r = await cliRaw([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`watchpost-hub ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

export async function startHub(opts: StartHubOptions = {}): Promise<RunningHubProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'wp-hub-'));
  const env = hubEnv(dataDir, opts.databaseUrl, opts.env);
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), ...hubCommand(), 'serve', ...(opts.args ?? ['--listen', '127.0.0.1:0'])],
    {
      env,
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 50) stderrTail.shift();
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* not a log line */
    }
  });
  const exited = new Promise<number | string>((res) =>
    child.on('exit', (code, sig) => res(code ?? sig ?? -1)),
  );
  const listening = await new Promise<{ url: string; wsUrl: string }>((res, rej) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: string; url?: string; wsUrl?: string };
        if (m.event === 'listening' && m.url && m.wsUrl) res({ url: m.url, wsUrl: m.wsUrl });
      } catch {
        /* ignore */
      }
    });
    void exited.then((c) => rej(new Error(`hub exited (${c}) before listening:\n${stderrTail.join('\n')}`)));
  });
  return {
    ...listening,
    dataDir,
    databaseUrl: opts.databaseUrl,
    process: child,
    logs,
    env,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    cli: (args) => runCli(args, env),
  };
}
