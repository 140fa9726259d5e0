// Content checks of a DriftReport before anything is stored (pure). Bounds every field; a
// report that fails is answered with Reject{code} and leaves no row behind.
import { RejectCode, toBigInt, watchpost } from '@watchpost/proto';
import { DRIFT_KINDS } from './entities.js';

export const DRIFT_LIMITS = {
  maxItemsPerChunk: 20_000,
  maxChunks: 1_000,
  maxSnapshotItems: 200_000,
  maxChangesPerReport: 5_000,
  maxKeyChars: 4096,
  maxValueJsonBytes: 8 * 1024,
  maxDiffBytes: 64 * 1024,
} as const;

export interface DriftRejection {
  code: RejectCode;
  reason: string;
}

const bad = (reason: string): DriftRejection => ({ code: RejectCode.INVALID_MESSAGE, reason });
const limit = (reason: string): DriftRejection => ({ code: RejectCode.LIMIT_EXCEEDED, reason });
const KINDS: ReadonlySet<string> = new Set(DRIFT_KINDS);
const DIGEST_RE = /^[0-9a-f]{64}$/;
const SNAPSHOT_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const { ChangeType } = watchpost.v1;

const isTime = (ms: unknown) => {
  const n = Number(toBigInt((ms ?? 0) as number));
  return n > 0 && n < 8.64e15;
};

function checkItem(i: watchpost.v1.IStateItem | null | undefined, where: string): DriftRejection | null {
  if (!i) return bad(`${where}: missing`);
  if (!KINDS.has(i.kind ?? '')) return bad(`${where}: unknown kind ${JSON.stringify(i.kind ?? '')}`);
  const key = i.key ?? '';
  if (key.length < 1 || key.length > DRIFT_LIMITS.maxKeyChars || key.includes('\u0000'))
    return bad(`${where}: key empty, over ${DRIFT_LIMITS.maxKeyChars} chars or with NUL`);
  if (!DIGEST_RE.test(i.digest ?? '')) return bad(`${where} ${key}: digest is not sha-256 hex`);
  const value = i.valueJson ?? '';
  if (Buffer.byteLength(value) > DRIFT_LIMITS.maxValueJsonBytes)
    return limit(`${where} ${key}: value_json over ${DRIFT_LIMITS.maxValueJsonBytes} bytes`);
  try {
    JSON.parse(value === '' ? 'null' : value);
  } catch {
    return bad(`${where} ${key}: value_json is not JSON`);
  }
  if (value.includes('\\u0000')) return bad(`${where} ${key}: value_json contains NUL`);
  return null;
}

export function checkDriftReport(r: watchpost.v1.IDriftReport): DriftRejection | null {
  if (!SNAPSHOT_ID_RE.test(r.snapshotId ?? '')) return bad('drift_report.snapshot_id empty or malformed');
  if (!isTime(r.takenAtMs)) return bad('drift_report.taken_at_ms is not a time');
  const items = r.items ?? [];
  const changes = r.changes ?? [];
  if (r.full) {
    if (changes.length > 0) return bad('a full snapshot carries items, not changes');
    const count = r.chunkCount ?? 0;
    if (count < 1 || count > DRIFT_LIMITS.maxChunks)
      return bad(`chunk_count not in 1..${DRIFT_LIMITS.maxChunks}`);
    if ((r.chunk ?? 0) >= count) return bad('chunk is not below chunk_count');
    if (items.length > DRIFT_LIMITS.maxItemsPerChunk)
      return limit(`over ${DRIFT_LIMITS.maxItemsPerChunk} items in one chunk`);
    for (const i of items) {
      const rej = checkItem(i, 'item');
      if (rej) return rej;
    }
    return null;
  }
  if (items.length > 0) return bad('an incremental report carries changes, not items');
  if (changes.length > DRIFT_LIMITS.maxChangesPerReport)
    return limit(`over ${DRIFT_LIMITS.maxChangesPerReport} changes in one report`);
  for (const c of changes) {
    const kind = c.kind ?? '';
    const key = c.key ?? '';
    const type = c.change ?? 0;
    if (type < ChangeType.CHANGE_TYPE_ADDED || type > ChangeType.CHANGE_TYPE_MODIFIED)
      return bad(`change ${key}: change type unspecified`);
    const needBefore = type !== ChangeType.CHANGE_TYPE_ADDED;
    const needAfter = type !== ChangeType.CHANGE_TYPE_REMOVED;
    if (needBefore !== !!c.before || needAfter !== !!c.after)
      return bad(`change ${key}: before/after do not fit the change type`);
    for (const [side, item] of [
      ['before', c.before],
      ['after', c.after],
    ] as const) {
      if (!item) continue;
      const rej = checkItem(item, `change.${side}`);
      if (rej) return rej;
      if (item.kind !== kind || item.key !== key) return bad(`change ${key}: ${side} names another item`);
    }
    if (Buffer.byteLength(c.diff ?? '') > DRIFT_LIMITS.maxDiffBytes)
      return limit(`change ${key}: diff over ${DRIFT_LIMITS.maxDiffBytes} bytes`);
    if ((c.diff ?? '').includes('\u0000')) return bad(`change ${key}: diff contains NUL`);
    if ((c.coalesced ?? 0) < 1) return bad(`change ${key}: coalesced must be at least 1`);
    if (!isTime(c.firstSeenMs) || !isTime(c.lastSeenMs))
      return bad(`change ${key}: first/last seen are not times`);
    if (Number(toBigInt(c.firstSeenMs ?? 0)) > Number(toBigInt(c.lastSeenMs ?? 0)))
      return bad(`change ${key}: first seen after last seen`);
  }
  return null;
}
