// DriftReport messages: pure. Reports are chunked by count (≤ 2,000 items or changes per
// message) and by approximate size, so no message comes near the hub's frame limit.
import { toLong, type watchpost } from '@watchpost/proto';
import type { StoredItem } from './types.js';

export const MAX_ITEMS_PER_CHUNK = 2000;
/** Stays well under the 4 MiB default frame limit (diffs are ≤ 32 KiB each). */
export const MAX_CHUNK_BYTES = 1024 * 1024;

export function chunkBy<T>(
  values: readonly T[],
  maxCount: number,
  maxBytes: number,
  sizeOf: (v: T) => number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const v of values) {
    const size = sizeOf(v);
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(v);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function stateItem(item: StoredItem): watchpost.v1.IStateItem {
  return {
    kind: item.kind,
    key: item.key,
    digest: item.digest,
    valueJson: item.valueJson,
    secret: item.secret,
  };
}

export interface ChunkPosition {
  snapshotId: string;
  chunk: number;
  chunkCount: number;
  takenAtMs: number;
}

export function fullReport(pos: ChunkPosition, items: readonly StoredItem[]): watchpost.v1.IDriftReport {
  return { ...header(pos), full: true, items: items.map(stateItem) };
}

export function changeReport(
  pos: ChunkPosition,
  changes: watchpost.v1.IDriftChange[],
): watchpost.v1.IDriftReport {
  return { ...header(pos), full: false, changes };
}

function header(pos: ChunkPosition): watchpost.v1.IDriftReport {
  return {
    snapshotId: pos.snapshotId,
    chunk: pos.chunk,
    chunkCount: pos.chunkCount,
    takenAtMs: toLong(pos.takenAtMs, false),
  };
}
