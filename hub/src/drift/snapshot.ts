// Full snapshots (pure): assembling the chunks of one snapshot, and comparing it with what the
// hub knows of the asset. A difference becomes a drift event only when the new value is neither
// the current known state (already reported, e.g. by the real-time watcher) nor the accepted
// baseline (a change back to the accepted value is not drift).
import { createHash } from 'node:crypto';
import type { ChangeName, ItemValue } from './entities.js';

export interface Item extends ItemValue {
  kind: string;
  key: string;
}

export const keyHashOf = (kind: string, key: string): string =>
  createHash('sha256').update(`${kind}\u0000${key}`).digest('hex');

export class SnapshotAssemblyError extends Error {}

/** Items of all chunks, in chunk order; throws when a chunk is missing or a key repeats. */
export function assembleSnapshot(
  chunkCount: number,
  chunks: readonly { chunk: number; items: readonly Item[] }[],
  maxItems: number,
): Map<string, Item> {
  const byIndex = new Map(chunks.map((c) => [c.chunk, c.items]));
  const out = new Map<string, Item>();
  for (let i = 0; i < chunkCount; i += 1) {
    const items = byIndex.get(i);
    if (!items) throw new SnapshotAssemblyError(`chunk ${i} of ${chunkCount} is missing`);
    for (const item of items) {
      const h = keyHashOf(item.kind, item.key);
      if (out.has(h)) throw new SnapshotAssemblyError(`${item.kind} ${item.key} appears twice`);
      out.set(h, item);
      if (out.size > maxItems) throw new SnapshotAssemblyError(`over ${maxItems} items`);
    }
  }
  return out;
}

export interface SnapshotChange {
  keyHash: string;
  kind: string;
  key: string;
  change: ChangeName;
  before: Item | undefined;
  after: Item | undefined;
}

export interface SnapshotComparison {
  /** New current state for these keys (undefined after = delete). */
  stateChanges: { keyHash: string; item: Item | undefined }[];
  /** The ones that are drift. */
  events: SnapshotChange[];
}

export function compareSnapshot(
  snapshot: ReadonlyMap<string, Item>,
  state: ReadonlyMap<string, Item>,
  baseline: ReadonlyMap<string, Item>,
): SnapshotComparison {
  const stateChanges: SnapshotComparison['stateChanges'] = [];
  const events: SnapshotChange[] = [];
  const keys = new Set([...snapshot.keys(), ...state.keys()]);
  for (const h of keys) {
    const now = snapshot.get(h);
    const known = state.get(h);
    if (now?.digest === known?.digest) continue;
    stateChanges.push({ keyHash: h, item: now });
    if (now?.digest === baseline.get(h)?.digest) continue;
    const any = (now ?? known) as Item;
    events.push({
      keyHash: h,
      kind: any.kind,
      key: any.key,
      change: !known ? 'added' : !now ? 'removed' : 'modified',
      before: known,
      after: now,
    });
  }
  events.sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
  return { stateChanges, events };
}
