// Writing drift reports through the durable outbox, each chunk in the same atomic batch as the
// stored-state update it reports, so a crash never leaves the hub and the agent disagreeing.
import { randomUUID } from 'node:crypto';
import { toLong, watchpost } from '@watchpost/proto';
import type { Outbox } from '../outbox/index.js';
import type { ItemChange } from './compare.js';
import { fileDiff } from './diff.js';
import { chunkBy, changeReport, fullReport, MAX_CHUNK_BYTES, MAX_ITEMS_PER_CHUNK } from './report.js';
import type { DriftState } from './stateStore.js';
import { stored, type Item } from './types.js';

export interface EmitDeps {
  state: DriftState;
  outbox: Outbox;
}

export interface ChangeTiming {
  coalesced: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

const CHANGE_TYPE: Record<ItemChange['change'], watchpost.v1.ChangeType> = {
  added: watchpost.v1.ChangeType.CHANGE_TYPE_ADDED,
  removed: watchpost.v1.ChangeType.CHANGE_TYPE_REMOVED,
  modified: watchpost.v1.ChangeType.CHANGE_TYPE_MODIFIED,
};

/**
 * Replaces the stored state with the snapshot's items and sends them as a full snapshot, one
 * outbox entry per chunk. `chunkCount` is planned ahead (chunk_count is in every report).
 */
export async function emitFull(
  deps: EmitDeps,
  meta: { snapshotId: string; takenAtMs: number; specDigest: string },
  chunkCount: number,
  chunks: AsyncIterable<Item[]> | Iterable<Item[]>,
): Promise<{ items: number; chunks: number }> {
  await deps.state.clear();
  const total = Math.max(chunkCount, 1);
  let index = 0;
  let items = 0;
  const write = async (chunk: readonly Item[]): Promise<void> => {
    const report = fullReport({ ...meta, chunk: index, chunkCount: total }, chunk.map(stored));
    const ops = deps.state.putItemOps(chunk);
    // The meta record goes with the last chunk: until then, a restart means "no state".
    if (index === total - 1) ops.push(deps.state.metaOp(meta));
    await deps.outbox.append([{ driftReport: report }], ops);
    index++;
    items += chunk.length;
  };
  for await (const chunk of chunks) await write(chunk);
  if (index === 0) await write([]); // nothing watched exists: still one (empty) full snapshot
  return { items, chunks: index };
}

/** Sends changes (with diffs for small text files) and moves the stored state to "after". */
export async function emitChanges(
  deps: EmitDeps,
  changes: readonly ItemChange[],
  source: watchpost.v1.DriftSource,
  timing: (c: ItemChange) => ChangeTiming,
  takenAtMs: number,
): Promise<number> {
  if (changes.length === 0) return 0;
  const wire: Array<{ change: ItemChange; message: watchpost.v1.IDriftChange }> = [];
  for (const c of changes) {
    const t = timing(c);
    const message: watchpost.v1.IDriftChange = {
      kind: c.kind,
      key: c.key,
      change: CHANGE_TYPE[c.change],
      diff: await diffOf(deps.state, c),
      coalesced: t.coalesced,
      firstSeenMs: toLong(t.firstSeenMs, false),
      lastSeenMs: toLong(t.lastSeenMs, false),
      source,
    };
    if (c.before) message.before = { ...c.before };
    if (c.after) message.after = stored(c.after);
    wire.push({ change: c, message });
  }
  const snapshotId = randomUUID();
  const chunks = chunkBy(wire, MAX_ITEMS_PER_CHUNK, MAX_CHUNK_BYTES, (w) => approxBytes(w.message));
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i] ?? [];
    const pos = { snapshotId, takenAtMs, chunk: i, chunkCount: chunks.length };
    const report = changeReport(
      pos,
      chunk.map((w) => w.message),
    );
    await deps.outbox.append([{ driftReport: report }], deps.state.changeOps(chunk.map((w) => w.change)));
  }
  return changes.length;
}

async function diffOf(state: DriftState, c: ItemChange): Promise<string> {
  if (c.kind !== 'file' || c.before?.secret || c.after?.secret) return '';
  const before = c.before ? await state.content(c.key) : undefined;
  return fileDiff(c.key, before, c.after?.content, {
    before: c.before !== undefined,
    after: c.after !== undefined,
  });
}

function approxBytes(m: watchpost.v1.IDriftChange): number {
  const item = (i: watchpost.v1.IStateItem | null | undefined): number =>
    i ? (i.key?.length ?? 0) + (i.valueJson?.length ?? 0) + 128 : 0;
  return (m.key?.length ?? 0) + item(m.before) + item(m.after) + (m.diff?.length ?? 0) * 3 + 64;
}
