// File operations of an upgrade: download next to the executable (same filesystem, so the final
// rename is atomic), keep the current one as `<exe>.prev`, swap, restore, restart.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createWriteStream, linkSync, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Downloaded {
  file: string;
  size: number;
  sha256: Buffer;
}

/** Streams `url` to `file`, hashing as it goes; stops past `maxBytes` (the announced size). */
export async function download(
  url: URL,
  file: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<Downloaded> {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) throw new Error(`GET ${url.pathname}: HTTP ${res.status}`);
  const hash = createHash('sha256');
  let size = 0;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) body.destroy(new Error(`download larger than the announced ${maxBytes} bytes`));
    else hash.update(chunk);
  });
  try {
    await pipeline(body, createWriteStream(file, { mode: 0o700 }));
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
  return { file, size, sha256: hash.digest() };
}

/** Runs `file --version`; the build must start and name the version it was signed as. */
export function reportedVersion(file: string): string {
  const r = spawnSync(file, ['--version'], {
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return r.stdout.trim();
}

export function prevPath(exe: string): string {
  return `${exe}.prev`;
}

/** exe → exe.prev (hard link, copy when links are not possible), then the new file over exe. */
export function swapIn(newFile: string, exe: string): void {
  chmodSync(newFile, 0o755);
  const prev = prevPath(exe);
  rmSync(prev, { force: true });
  try {
    linkSync(exe, prev);
  } catch {
    copyFileSync(exe, prev);
  }
  renameSync(newFile, exe);
}

/** Puts exe.prev back (atomic rename). */
export function restorePrev(exe: string): void {
  renameSync(prevPath(exe), exe);
}

/** Under systemd the unit restarts us (Restart=on-failure): exit with this code. */
export const RESTART_EXIT_CODE = 75;

export function underSystemd(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env['INVOCATION_ID']) || env['WATCHPOST_AGENT_SERVICE'] === 'systemd';
}

/**
 * Starts `exe` with this process's arguments, detached, sharing our stdout/stderr (so whoever
 * collected our logs keeps getting them). The caller exits right after.
 */
export function reexec(exe: string, args: readonly string[]): number | undefined {
  const child = spawn(exe, [...args], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  child.unref();
  return child.pid;
}
