// The shared better-sqlite3 connection, serialised: overlapping transactions do not nest, and a
// statement outside a transaction is never swept into (or rolled back with) someone else's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntitySchema } from 'typeorm';
import { serializeSqlite } from './sqlite-serial.js';

interface Row {
  id: number;
  note: string;
}
const RowEntity = new EntitySchema<Row>({
  name: 'Row',
  tableName: 'rows',
  columns: { id: { type: 'integer', primary: true }, note: { type: 'varchar' } },
});

async function open(serialised: boolean): Promise<{ ds: DataSource; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-serial-'));
  const ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 't.db'), entities: [RowEntity] });
  await ds.initialize();
  await ds.query('CREATE TABLE rows (id integer PRIMARY KEY, note varchar NOT NULL)');
  if (serialised) serializeSqlite(ds);
  return {
    ds,
    close: async () => {
      await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const pause = () => new Promise((r) => setTimeout(r, 5));

/** Transaction A writes, waits, then fails; meanwhile B commits and a lone save lands. */
async function scenario(ds: DataSource): Promise<number[]> {
  const a = ds.transaction(async (em) => {
    await em.insert(RowEntity, { id: 1, note: 'a' });
    await pause();
    await pause();
    throw new Error('a fails');
  });
  const b = ds.transaction(async (em) => {
    await pause();
    await em.insert(RowEntity, { id: 2, note: 'b' });
  });
  const lone = (async () => {
    await pause();
    await ds.getRepository(RowEntity).save({ id: 3, note: 'lone' });
  })();
  const outcomes = await Promise.allSettled([a, b, lone]);
  assert.equal(outcomes[0].status, 'rejected');
  const rows = await ds.getRepository(RowEntity).find({ order: { id: 'ASC' } });
  return rows.map((r) => r.id);
}

test('serialised: a failing transaction rolls back only its own rows', async () => {
  const { ds, close } = await open(true);
  try {
    const ids = await scenario(ds);
    assert.deepEqual(ids, [2, 3]);
  } finally {
    await close();
  }
});

test('without serialisation the same interleaving corrupts (the reason this exists)', async () => {
  const { ds, close } = await open(false);
  try {
    let ids: number[] | undefined;
    let failed = false;
    try {
      ids = await scenario(ds);
    } catch {
      failed = true;
    }
    assert.ok(
      failed || JSON.stringify(ids) !== JSON.stringify([2, 3]),
      `unserialised gave ${JSON.stringify(ids)}`,
    );
  } finally {
    await close();
  }
});

test('serialised: many overlapping transactions all commit', async () => {
  const { ds, close } = await open(true);
  try {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ds.transaction(async (em) => {
          await pause();
          await em.insert(RowEntity, { id: 100 + i, note: `t${i}` });
          await pause();
        }),
      ),
    );
    assert.equal(await ds.getRepository(RowEntity).count(), 20);
  } finally {
    await close();
  }
});
