import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, writeOps } from '../state/store.js';
import { AcceptedTasks } from './acceptedTasks.js';

test('accepted task ids survive a restart; the oldest are pruned beyond the bound', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-accepted-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let store = await openStore(dir);
  let accepted = await AcceptedTasks.open(store);
  for (let i = 1; i <= 10; i++) await writeOps(store.db, accepted.acceptOps(`task-${i}`));
  await accepted.prune(6);
  assert.equal(accepted.size, 6);
  await store.db.close();

  store = await openStore(dir);
  t.after(() => store.db.close());
  accepted = await AcceptedTasks.open(store);
  assert.equal(accepted.size, 6);
  for (let i = 1; i <= 4; i++) assert.equal(accepted.has(`task-${i}`), false, `task-${i} pruned`);
  for (let i = 5; i <= 10; i++) assert.equal(accepted.has(`task-${i}`), true, `task-${i} kept`);
  // New acceptances continue after the stored order, so pruning keeps removing the oldest.
  await writeOps(store.db, accepted.acceptOps('task-11'));
  await accepted.prune(6);
  assert.equal(accepted.has('task-5'), false);
  assert.equal(accepted.has('task-11'), true);
});
