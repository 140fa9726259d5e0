// Taking a snapshot of everything a WatchSpec covers, chunk by chunk: the walk lists paths
// first (cheap), the chunks are planned from the paths (so chunk_count is known before the first
// report is written), then each chunk is stat'ed and hashed only when it is consumed. Memory is
// one chunk of items plus the path list, whatever the number of files.
import type { Logger } from '../log.js';
import {
  readOwnerNames,
  scanPathList,
  walkPaths,
  type FileScanContext,
  type FileScanLimits,
} from './files.js';
import { SecretMatcher } from './redact.js';
import { chunkBy, MAX_CHUNK_BYTES, MAX_ITEMS_PER_CHUNK } from './report.js';
import { collectState } from './state.js';
import type { Item, ItemKind } from './types.js';
import type { WatchSpec } from './watchSpec.js';

/** File text held in memory per chunk of ≤ 2,000 files (beyond it: digests without diffs). */
export const MAX_CONTENT_BYTES_PER_CHUNK = 32 * 1024 * 1024;

export interface SnapshotContext {
  root: string;
  limits: FileScanLimits;
  log: Logger;
  now: () => number;
}

export interface SnapshotPlan {
  files: FileScanContext;
  pathChunks: string[][];
  stateChunks: Item[][];
  /** Kinds whose absence means "removed" (collected completely this time). */
  covered: Set<ItemKind>;
  /** The walk stopped at drift.maxFiles. */
  truncated: boolean;
  takenAtMs: number;
  chunkCount: number;
}

export async function fileScanContext(spec: WatchSpec, ctx: SnapshotContext): Promise<FileScanContext> {
  return {
    root: ctx.root,
    ...ctx.limits,
    secrets: new SecretMatcher(spec.secrets),
    owners: await readOwnerNames(ctx.root),
    contentBudget: { left: MAX_CONTENT_BYTES_PER_CHUNK },
  };
}

/** A file item's wire size is its path (twice: key, nothing else grows with it) plus ~300 bytes. */
const estimatedFileItemBytes = (path: string): number => path.length * 2 + 360;

export async function planSnapshot(spec: WatchSpec, ctx: SnapshotContext): Promise<SnapshotPlan> {
  const takenAtMs = ctx.now();
  const files = await fileScanContext(spec, ctx);
  const walked = await walkPaths(spec.paths, ctx.root, ctx.limits.maxFiles);
  if (walked.truncated)
    ctx.log.warn(
      { maxFiles: ctx.limits.maxFiles },
      'drift: watch list larger than drift.maxFiles; the rest is not watched',
    );
  const state = await collectState(spec.state, { root: ctx.root, sysctlKeys: spec.sysctlKeys, log: ctx.log });
  const pathChunks = chunkBy(walked.paths, MAX_ITEMS_PER_CHUNK, MAX_CHUNK_BYTES, estimatedFileItemBytes);
  const stateChunks = chunkBy(
    state.items,
    MAX_ITEMS_PER_CHUNK,
    MAX_CHUNK_BYTES,
    (i) => i.key.length * 2 + i.valueJson.length + 160,
  );
  const covered = new Set<ItemKind>(state.covered);
  if (!walked.truncated) {
    covered.add('file');
    covered.add('directory');
  }
  return {
    files,
    pathChunks,
    stateChunks,
    covered,
    truncated: walked.truncated,
    takenAtMs,
    chunkCount: pathChunks.length + stateChunks.length,
  };
}

/**
 * The plan's items, one chunk at a time. The next file chunk is read while the consumer writes
 * the current one (so disk reads and LevelDB writes overlap): at most two chunks in memory.
 */
export async function* snapshotChunks(plan: SnapshotPlan): AsyncGenerator<Item[]> {
  const read = (i: number): Promise<Item[]> | undefined => {
    const paths = plan.pathChunks[i];
    if (!paths) return undefined;
    const p = scanPathList(paths, { ...plan.files, contentBudget: { left: MAX_CONTENT_BYTES_PER_CHUNK } });
    p.catch(() => undefined); // awaited below; this only keeps an abandoned prefetch from being "unhandled"
    return p;
  };
  let next = read(0);
  for (let i = 0; next; i++) {
    const current = await next;
    next = read(i + 1);
    yield current;
  }
  for (const items of plan.stateChunks) yield items;
}
