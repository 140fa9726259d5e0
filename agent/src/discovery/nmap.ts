// Thin I/O: finds and spawns nmap (fixed argv, no shell), streams its stdout through the
// incremental parser with back-pressure (the next chunk is read only after the handler for the
// previous events has finished), and stops it on abort: SIGTERM, then SIGKILL after a grace.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { SCAN_LIMITS } from './spec.js';
import { NmapStreamParser, type NmapStreamEvent } from './stream.js';

/** The nmap executable on PATH, or undefined when nmap is not installed. */
export async function findNmap(pathEnv: string = process.env['PATH'] ?? ''): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'nmap');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

export interface NmapExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The first SCAN_LIMITS.maxStderrBytes of stderr. */
  stderr: string;
  pid: number | undefined;
}

export interface RunNmapOptions {
  nmapPath: string;
  argv: readonly string[];
  signal: AbortSignal;
  onEvent: (event: NmapStreamEvent) => Promise<void>;
  onSpawn?: (pid: number | undefined) => void;
  killGraceMs?: number;
}

export async function runNmap(opts: RunNmapOptions): Promise<NmapExit> {
  const child = spawn(opts.nmapPath, [...opts.argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    env: { PATH: process.env['PATH'] ?? '', LANG: 'C' },
  });
  opts.onSpawn?.(child.pid);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < SCAN_LIMITS.maxStderrBytes)
      stderr = (stderr + chunk).slice(0, SCAN_LIMITS.maxStderrBytes);
  });

  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? SCAN_LIMITS.killGraceMs);
  };
  if (opts.signal.aborted) stop();
  else opts.signal.addEventListener('abort', stop, { once: true });

  try {
    const parser = new NmapStreamParser();
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      for (const event of parser.push(chunk)) await opts.onEvent(event);
      // After an abort, only drain: the process is being stopped.
      if (opts.signal.aborted) break;
    }
    if (opts.signal.aborted) child.stdout.resume();
    const { code, signal } = await closed;
    return { code, signal, stderr, pid: child.pid };
  } catch (err) {
    stop();
    await closed.catch(() => undefined);
    throw err;
  } finally {
    opts.signal.removeEventListener('abort', stop);
    if (killTimer) clearTimeout(killTimer);
  }
}
