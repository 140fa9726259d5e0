// The last snapshot, kept in the agent's LevelDB (sublevel `drift`): one record per item
// (digest + canonical value), the text of small configs under their own keys, and a meta
// record written last, so a snapshot interrupted half-way reads as "no state" → full again.
import { z } from 'zod';
import { jsonValue, type Store, type StoreOp } from '../state/store.js';
import type { ItemChange } from './compare.js';
import { itemId, stored, type Item, type StoredItem } from './types.js';

const ITEM = 'i:';
const CONTENT = 'c:';
const META = 'meta';

const storedItemSchema = z.object({
  kind: z.string(),
  key: z.string(),
  digest: z.string(),
  valueJson: z.string(),
  secret: z.boolean(),
});

const metaSchema = z.object({ snapshotId: z.string(), takenAtMs: z.number(), specDigest: z.string() });
export type DriftMeta = z.infer<typeof metaSchema>;

export class DriftState {
  constructor(private readonly store: Store) {}

  async meta(): Promise<DriftMeta | undefined> {
    const raw = await this.store.drift.get(META);
    if (raw === undefined) return undefined;
    const parsed = metaSchema.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  }

  async items(): Promise<Map<string, StoredItem>> {
    const out = new Map<string, StoredItem>();
    for await (const [, value] of this.store.drift.iterator({ gte: ITEM, lt: `${ITEM}\uffff` })) {
      const parsed = storedItemSchema.safeParse(JSON.parse(value.toString('utf8')));
      if (parsed.success) out.set(itemId(parsed.data.kind, parsed.data.key), parsed.data as StoredItem);
    }
    return out;
  }

  /** Stored items of these kinds whose key is one of `prefixes` or lies under it (a rescan's scope). */
  async itemsUnder(kinds: readonly string[], prefixes: readonly string[]): Promise<Map<string, StoredItem>> {
    const out = new Map<string, StoredItem>();
    for (const kind of kinds) {
      for (const prefix of prefixes) {
        const from = ITEM + itemId(kind, prefix);
        for await (const [, value] of this.store.drift.iterator({ gte: from, lt: `${from}\uffff` })) {
          const parsed = storedItemSchema.safeParse(JSON.parse(value.toString('utf8')));
          if (parsed.success) out.set(itemId(parsed.data.kind, parsed.data.key), parsed.data as StoredItem);
        }
      }
    }
    return out;
  }

  async content(path: string): Promise<string | undefined> {
    return (await this.store.drift.get(CONTENT + path))?.toString('utf8');
  }

  /** Forgets everything (meta first): the start of a new full snapshot. */
  async clear(): Promise<void> {
    await this.store.drift.del(META);
    await this.store.drift.clear();
  }

  putItemOps(items: readonly Item[]): StoreOp[] {
    const ops: StoreOp[] = [];
    for (const item of items) {
      ops.push({
        type: 'put',
        sub: this.store.drift,
        key: ITEM + itemId(item.kind, item.key),
        value: jsonValue(stored(item)),
      });
      if (item.kind === 'file' && item.content !== undefined)
        ops.push({
          type: 'put',
          sub: this.store.drift,
          key: CONTENT + item.key,
          value: Buffer.from(item.content, 'utf8'),
        });
    }
    return ops;
  }

  metaOp(meta: DriftMeta): StoreOp {
    return { type: 'put', sub: this.store.drift, key: META, value: jsonValue(meta) };
  }

  /** Moves the stored state to "after" for each change (content follows the file). */
  changeOps(changes: readonly ItemChange[]): StoreOp[] {
    const ops: StoreOp[] = [];
    for (const c of changes) {
      if (c.after) {
        ops.push(...this.putItemOps([c.after]));
        if (c.after.kind === 'file' && c.after.content === undefined)
          ops.push({ type: 'del', sub: this.store.drift, key: CONTENT + c.key });
      } else {
        ops.push({ type: 'del', sub: this.store.drift, key: ITEM + itemId(c.kind, c.key) });
        if (c.kind === 'file') ops.push({ type: 'del', sub: this.store.drift, key: CONTENT + c.key });
      }
    }
    return ops;
  }
}
