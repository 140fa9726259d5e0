// One path's item: metadata from lstat, sha256 of the content (read whole when small, streamed
// when large), the text of small non-secret text files kept so a later change carries a diff.
import { closeSync, createReadStream, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { FileScanContext } from './files.js';
import { looksLikePrivateKey } from './redact.js';
import { makeItem, type Item } from './types.js';

export interface Probe {
  path: string;
  stats: Stats;
  /** Content of a small regular file; undefined when large (or it grew past lstat's size). */
  bytes?: Buffer;
  /** Could not be read (permissions, vanished): metadata only. */
  unreadable?: boolean;
}

/** lstat + (for a small regular file) one read; undefined when the path does not exist. */
export function probeSync(path: string, real: string, maxBytes: number): Probe | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(real);
  } catch {
    return undefined;
  }
  if (!stats.isFile() || stats.size > maxBytes) return { path, stats };
  try {
    const bytes = readSmallSync(real, stats.size);
    return bytes ? { path, stats, bytes } : { path, stats };
  } catch {
    return { path, stats, unreadable: true };
  }
}

/** One read; a short read is EOF for a regular file, a full buffer means it grew meanwhile. */
function readSmallSync(path: string, expected: number): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(expected + 1);
    const bytesRead = readSync(fd, buf, 0, buf.length, 0);
    return bytesRead > expected ? undefined : buf.subarray(0, bytesRead);
  } finally {
    closeSync(fd);
  }
}

export async function buildFileItem(probe: Probe, real: string, ctx: FileScanContext): Promise<Item> {
  const { path, stats } = probe;
  const meta = {
    mode: `0${(stats.mode & 0o7777).toString(8)}`,
    uid: stats.uid,
    gid: stats.gid,
    owner: ctx.owners.users.get(stats.uid) ?? String(stats.uid),
    group: ctx.owners.groups.get(stats.gid) ?? String(stats.gid),
    mtimeMs: Math.trunc(stats.mtimeMs),
  };
  const volatile = ['mtimeMs'];
  if (stats.isDirectory()) return makeItem('directory', path, meta, { volatile });
  if (stats.isSymbolicLink()) {
    const target = await readlink(real).catch(() => '');
    return makeItem('file', path, { ...meta, type: 'symlink', target }, { volatile });
  }
  if (!stats.isFile()) return makeItem('file', path, { ...meta, type: 'special' }, { volatile });
  let secret = ctx.secrets.isSecretPath(path);
  const unreadable = (): Item =>
    makeItem('file', path, { ...meta, size: stats.size, unreadable: true }, { secret, volatile });
  if (probe.unreadable) return unreadable();
  const bytes = probe.bytes;
  if (!bytes) {
    try {
      const { sha256, size } = await hashStream(real);
      return makeItem('file', path, { ...meta, sha256, size }, { secret, volatile });
    } catch {
      return unreadable();
    }
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let content: string | undefined;
  const text = secret ? undefined : textOf(bytes);
  if (text !== undefined && looksLikePrivateKey(text)) secret = true;
  else if (text !== undefined && ctx.contentBudget.left >= bytes.length) {
    ctx.contentBudget.left -= bytes.length;
    content = text;
  }
  return makeItem(
    'file',
    path,
    { ...meta, sha256, size: bytes.length },
    {
      secret,
      volatile,
      ...(content === undefined ? {} : { content }),
    },
  );
}

export async function hashStream(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** UTF-8 text without NUL bytes, else undefined (binary). */
export function textOf(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes) ? undefined : text;
}
