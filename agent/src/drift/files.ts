// Files and directories of the watch list: bounded recursive walk (no symlink following),
// streamed sha256, owner names from the root's own passwd/group, text kept for small configs.
import { lstat, readdir } from 'node:fs/promises';
import { mapLimit, readTextOrUndefined } from '../collectors/linux/procfs.js';
import { parseGroup, parsePasswd } from '../collectors/accounts/parse.js';
import { buildFileItem, probeSync } from './fileItem.js';
import type { SecretMatcher } from './redact.js';
import { MAX_KEY_CHARS, type Item } from './types.js';

export interface FileScanLimits {
  maxFiles: number;
  maxFileBytesForDiff: number;
}

export interface FileScanContext extends FileScanLimits {
  /** Host root prefix ('/' in production, a prepared directory in tests). */
  root: string;
  secrets: SecretMatcher;
  owners: OwnerNames;
  /** Bytes of file text this scan may still keep in memory (bounds a scan of many small files). */
  contentBudget: { left: number };
}

export interface OwnerNames {
  users: ReadonlyMap<number, string>;
  groups: ReadonlyMap<number, string>;
}

const MAX_DEPTH = 32;
/** Files probed synchronously between two yields to the event loop. */
const SYNC_BATCH = 64;
/** Large files hashed at once (each a stream of 256 KiB reads). */
const STREAM_CONCURRENCY = 4;

export async function readOwnerNames(root: string): Promise<OwnerNames> {
  const [passwd, group] = await Promise.all([
    readTextOrUndefined(hostPath(root, '/etc/passwd')),
    readTextOrUndefined(hostPath(root, '/etc/group')),
  ]);
  return {
    users: new Map(parsePasswd(passwd ?? '').map((u) => [u.uid, u.name] as const)),
    groups: new Map(parseGroup(group ?? '').map((g) => [g.gid, g.name] as const)),
  };
}

/** The real location of a logical path ('/etc/ssh') under the root prefix. */
export function hostPath(root: string, path: string): string {
  return root === '/' || root === '' ? path : `${root.replace(/\/+$/, '')}${path}`;
}

/** Normalised absolute logical path, or undefined for relative / parent-escaping paths. */
export function normalisePath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return undefined;
    parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

export interface FileScanResult {
  items: Item[];
  /** The walk stopped at maxFiles. */
  truncated: boolean;
}

/** Scans the given logical paths (each a file or a directory walked recursively). */
export async function scanPaths(paths: readonly string[], ctx: FileScanContext): Promise<FileScanResult> {
  const walked = await walkPaths(paths, ctx.root, ctx.maxFiles);
  return { items: await scanPathList(walked.paths, ctx), truncated: walked.truncated };
}

export interface WalkResult {
  /** Logical paths found (files, directories, symlinks), in walk order. */
  paths: string[];
  /** The walk stopped at maxFiles. */
  truncated: boolean;
}

/** Lists what the watch paths cover (readdir only: cheap, ordered, bounded by maxFiles). */
export async function walkPaths(
  roots: readonly string[],
  root: string,
  maxFiles: number,
): Promise<WalkResult> {
  const found: string[] = [];
  const seen = new Set<string>();
  let truncated = false;
  const add = (path: string): boolean => {
    if (seen.has(path) || path.length > MAX_KEY_CHARS) return false;
    if (found.length >= maxFiles) {
      truncated = true;
      return false;
    }
    seen.add(path);
    found.push(path);
    return true;
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth >= MAX_DEPTH) return;
    const entries = await readdir(hostPath(root, dir), { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const path = dir === '/' ? `/${e.name}` : `${dir}/${e.name}`;
      // Dirent types have lstat semantics: a symlink to a directory is not followed.
      if (add(path) && e.isDirectory()) subdirs.push(path);
    }
    for (const sub of subdirs) await walk(sub, depth + 1);
  };
  for (const p of roots) {
    const stats = await lstat(hostPath(root, p)).catch(() => undefined);
    // Absent or unreadable: no item (appearing later is an ADDED change).
    if (stats && add(p) && stats.isDirectory()) await walk(p, 0);
  }
  return { paths: found, truncated };
}

/**
 * Items of the given paths; vanished paths are skipped. Small files are stat'ed and read with
 * synchronous calls in batches (a thread-pool round trip per syscall would cost more than the
 * syscall), yielding to the event loop between batches; large files are hashed by streaming.
 */
export async function scanPathList(paths: readonly string[], ctx: FileScanContext): Promise<Item[]> {
  const out: Item[] = [];
  for (let i = 0; i < paths.length; i += SYNC_BATCH) {
    const probes = paths
      .slice(i, i + SYNC_BATCH)
      .map((p) => probeSync(p, hostPath(ctx.root, p), ctx.maxFileBytesForDiff));
    const items = await mapLimit(probes, STREAM_CONCURRENCY, (probe) =>
      probe ? buildFileItem(probe, hostPath(ctx.root, probe.path), ctx) : Promise.resolve(undefined),
    );
    for (const item of items) if (item) out.push(item);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/** One path's item now (undefined when it does not exist). */
export async function scanOne(path: string, ctx: FileScanContext): Promise<Item | undefined> {
  return (await scanPathList([path], ctx))[0];
}
