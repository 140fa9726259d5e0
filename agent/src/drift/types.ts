// The agent's view of one watched thing. Mirrors StateItem (baseline.proto) plus what only the
// agent keeps: the text of small configs, so the next change can carry a diff.
import { createHash } from 'node:crypto';

export const STATE_KINDS = [
  'ports',
  'processes',
  'users',
  'groups',
  'packages',
  'services',
  'cron',
  'sysctl',
  'kernel_modules',
] as const;
export type StateKind = (typeof STATE_KINDS)[number];

/** StateItem.kind values (the proto's vocabulary). */
export type ItemKind =
  | 'file'
  | 'directory'
  | 'port'
  | 'process'
  | 'user'
  | 'group'
  | 'package'
  | 'service'
  | 'cron'
  | 'sysctl'
  | 'kernel_module';

/** Longest key the hub accepts (PATH_MAX); an item with a longer key is left out. */
export const MAX_KEY_CHARS = 4096;

export interface Item {
  kind: ItemKind;
  key: string;
  /** sha256 hex of the canonical value minus volatile fields (a file's mtime). */
  digest: string;
  /** Canonical JSON of the value (keys sorted); small. */
  valueJson: string;
  secret: boolean;
  /** Text of a small non-secret text file; kept locally, never sent as such. */
  content?: string;
}

/** The stored form of an item (no content: that is stored under its own key). */
export type StoredItem = Omit<Item, 'content'>;

export function itemId(kind: string, key: string): string {
  return `${kind}\u0000${key}`;
}

export function canonicalJson(value: unknown): string {
  if (isFlatRecord(value)) return JSON.stringify(value, Object.keys(value).sort()); // fast path
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** An object whose values hold no nested objects (arrays of primitives allowed). */
function isFlatRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const v of Object.values(value as Record<string, unknown>)) {
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v) || v.some((e) => e !== null && typeof e === 'object')) return false;
  }
  return true;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Builds an item. `volatile` names value fields shown to the hub but left out of the digest,
 * so touching a file (mtime only) is not drift.
 */
export function makeItem(
  kind: ItemKind,
  key: string,
  value: Record<string, unknown>,
  opts: { secret?: boolean; content?: string; volatile?: readonly string[] } = {},
): Item {
  const volatile = new Set(opts.volatile ?? []);
  const stable = Object.fromEntries(Object.entries(value).filter(([k]) => !volatile.has(k)));
  const item: Item = {
    kind,
    key,
    digest: sha256Hex(`${kind}\u0000${canonicalJson(stable)}`),
    valueJson: canonicalJson(value),
    secret: opts.secret ?? false,
  };
  if (opts.content !== undefined) item.content = opts.content;
  return item;
}

export function stored(item: Item): StoredItem {
  return {
    kind: item.kind,
    key: item.key,
    digest: item.digest,
    valueJson: item.valueJson,
    secret: item.secret,
  };
}
