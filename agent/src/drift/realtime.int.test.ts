// Real-time watching of a single file: seen through its parent directory, so an editor's
// write-temp-then-rename save is caught, and other files in that directory are ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { policyDocumentSchema, watchpost } from '@watchpost/proto';
import { closeAgent, COALESCE_MS, newReports, openAgent, put, waitForChanges } from './testing/harness.js';

const { ChangeType, DriftSource } = watchpost.v1;

const sudoersPolicy = policyDocumentSchema.parse({
  id: 'sudoers-watch',
  title: 'sudoers',
  version: '1',
  checks: [
    {
      id: 'c',
      title: 't',
      rationale: 'r',
      remediation: 'm',
      rules: [{ kind: 'file', path: '/etc/sudoers' }],
    },
  ],
  watch: { realtime: ['/etc/sudoers'], state: [] },
});

test('drift: a watched file replaced by rename is one change; its neighbours are not watched', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wp-drift-root-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'wp-drift-data-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });
  put(root, '/etc/sudoers', 'root ALL=(ALL:ALL) ALL\n');
  put(root, '/etc/hosts', '127.0.0.1 localhost\n');
  const agent = await openAgent(root, dataDir, 0, 1000, [sudoersPolicy]);
  t.after(() => closeAgent(agent));
  const full = await newReports(agent);
  assert.deepEqual(
    full.flatMap((r) => r.items).map((i) => i.key),
    ['/etc/sudoers'],
  );

  // visudo-style save: write a temp file next to it, rename it over the original (new inode).
  writeFileSync(join(root, '/etc/.sudoers.tmp'), 'root ALL=(ALL:ALL) ALL\nmallory ALL=(ALL) NOPASSWD: ALL\n');
  renameSync(join(root, '/etc/.sudoers.tmp'), join(root, '/etc/sudoers'));
  const changes = await waitForChanges(agent);
  assert.deepEqual(
    changes.map((c) => [c.key, c.change, c.source]),
    [['/etc/sudoers', ChangeType.CHANGE_TYPE_MODIFIED, DriftSource.DRIFT_SOURCE_WATCH]],
  );
  assert.match(changes[0]?.diff ?? '', /^\+mallory ALL=\(ALL\) NOPASSWD: ALL$/m);

  // The watch on /etc survived the rename and still serves the new inode; /etc/hosts is not watched.
  writeFileSync(join(root, '/etc/hosts'), '127.0.0.2 other\n');
  writeFileSync(join(root, '/etc/sudoers'), 'root ALL=(ALL:ALL) ALL\n');
  const next = await waitForChanges(agent);
  assert.deepEqual(
    next.map((c) => c.key),
    ['/etc/sudoers'],
  );
  await sleep(COALESCE_MS * 2);
  assert.deepEqual(await newReports(agent), []);
});
