// Diffing two snapshots: pure. A kind the new scan did not cover (its collector failed, or the
// file walk hit maxFiles) keeps its stored items: absence of evidence is not a removal.
import type { Item, ItemKind, StoredItem } from './types.js';
import { itemId } from './types.js';

export type ChangeKind = 'added' | 'removed' | 'modified';

export interface ItemChange {
  change: ChangeKind;
  kind: string;
  key: string;
  before?: StoredItem;
  after?: Item;
}

export interface Coverage {
  /** Kinds fully covered by the new scan. */
  kinds: ReadonlySet<string>;
  /** When set, only keys under these prefixes are covered (a partial rescan of some paths). */
  keyPrefixes?: readonly string[];
}

export function compareSnapshots(
  before: ReadonlyMap<string, StoredItem>,
  after: ReadonlyMap<string, Item>,
  coverage: Coverage,
): ItemChange[] {
  const compare = new StreamingCompare(before, coverage);
  const changes = compare.add(after.values());
  return sortChanges([...changes, ...compare.removed()]);
}

/**
 * The same diff fed in pieces (a scan compares chunk by chunk, so only changed items — with
 * their file text — are ever held): `add` answers added/modified at once, `removed` at the end.
 */
export class StreamingCompare {
  private readonly seen = new Set<string>();

  constructor(
    private readonly before: ReadonlyMap<string, StoredItem>,
    private readonly coverage: Coverage,
  ) {}

  add(items: Iterable<Item>): ItemChange[] {
    const changes: ItemChange[] = [];
    for (const now of items) {
      const id = itemId(now.kind, now.key);
      this.seen.add(id);
      const was = this.before.get(id);
      if (!was) changes.push({ change: 'added', kind: now.kind, key: now.key, after: now });
      else if (was.digest !== now.digest || was.secret !== now.secret)
        changes.push({ change: 'modified', kind: now.kind, key: now.key, before: was, after: now });
    }
    return changes;
  }

  removed(): ItemChange[] {
    const changes: ItemChange[] = [];
    for (const [id, was] of this.before) {
      if (this.seen.has(id) || !covers(this.coverage, was.kind, was.key)) continue;
      changes.push({ change: 'removed', kind: was.kind, key: was.key, before: was });
    }
    return sortChanges(changes);
  }
}

function sortChanges(changes: ItemChange[]): ItemChange[] {
  return changes.sort((a, b) => (itemId(a.kind, a.key) < itemId(b.kind, b.key) ? -1 : 1));
}

export function covers(coverage: Coverage, kind: string, key: string): boolean {
  if (!coverage.kinds.has(kind)) return false;
  if (!coverage.keyPrefixes) return true;
  return coverage.keyPrefixes.some((p) => key === p || key.startsWith(p === '/' ? '/' : `${p}/`));
}

export const FILE_KINDS: readonly ItemKind[] = ['file', 'directory'];
