// DriftService over a tree larger than one report: chunk_count planned ahead, the periodic scan
// compared chunk by chunk, and a walk cut by drift.maxFiles that reports no removals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchpost } from '@watchpost/proto';
import { closeAgent, COALESCE_MS, newReports, openAgent, put } from './testing/harness.js';

const { ChangeType } = watchpost.v1;

test('drift: a tree of several chunks — planned chunk_count, chunked scan, maxFiles never reports removals', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wp-drift-root-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'wp-drift-data-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });
  for (let i = 0; i < 4500; i++) put(root, `/etc/app/d${Math.floor(i / 1000)}/f${i}.conf`, `n = ${i}\n`);
  let agent = await openAgent(root, dataDir, 0, 10_000);
  const full = await newReports(agent);
  const count = full[0]?.chunkCount ?? 0;
  assert.ok(
    count >= 3,
    `chunks ${count} reports ${full.length} items ${full.map((r) => r.items.length).join(',')}`,
  );
  assert.deepEqual(
    full.map((r) => r.chunk),
    Array.from({ length: count }, (_, i) => i),
  );
  assert.ok(full.every((r) => r.items.length <= 2000 && r.snapshotId === full[0]?.snapshotId));
  assert.equal(full.flatMap((r) => r.items).filter((i) => i.kind === 'file').length, 4500);
  assert.equal(full.flatMap((r) => r.items).filter((i) => i.kind === 'directory').length, 6);
  // The explicit task path: a second full snapshot, new id, same content.
  const again = await agent.drift.fullSnapshot();
  assert.notEqual(again.snapshotId, full[0]?.snapshotId);
  assert.equal(again.chunks, count);
  await newReports(agent);

  writeFileSync(join(root, '/etc/app/d4/f4499.conf'), 'n = changed\n');
  unlinkSync(join(root, '/etc/app/d0/f0.conf'));
  // Real-time events are also flowing; the scan and the flush share the stored state, so each
  // change is reported exactly once whoever sees it first.
  await agent.drift.scanNow();
  await sleep(COALESCE_MS * 3);
  const changes = (await newReports(agent)).flatMap((r) => r.changes);
  assert.deepEqual(changes.map((c) => [c.key, c.change]).sort(), [
    ['/etc/app/d0/f0.conf', ChangeType.CHANGE_TYPE_REMOVED],
    ['/etc/app/d4/f4499.conf', ChangeType.CHANGE_TYPE_MODIFIED],
  ]);

  // Restarted with maxFiles below the tree size: the walk is cut, and what it did not reach is
  // not declared removed.
  const seen = await closeAgent(agent);
  agent = await openAgent(root, dataDir, seen, 100);
  t.after(() => closeAgent(agent));
  assert.deepEqual(await newReports(agent), []);
  assert.equal(await agent.drift.scanNow(), 0);
});
