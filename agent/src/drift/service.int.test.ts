// DriftService against a temp directory used as the host root: real LevelDB, real outbox, real
// inotify. Covers the full snapshot, a coalesced burst, removal/addition, secrets, a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unlinkSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { toSafeNumber, watchpost } from '@watchpost/proto';
import {
  closeAgent,
  COALESCE_MS,
  newReports,
  openAgent,
  put,
  sha,
  waitForChanges,
} from './testing/harness.js';

const { ChangeType, DriftSource } = watchpost.v1;

function prepareRoot(root: string): void {
  put(root, '/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\napp:x:1001:1001::/home/app:/bin/sh\n');
  put(root, '/etc/group', 'root:x:0:\napp:x:1001:\n');
  put(root, '/etc/shadow', 'root:$6$abc$hash:19000:0:99999:7:::\n');
  put(
    root,
    '/etc/crontab',
    '# m h dom mon dow user command\n17 * * * * root cd / && run-parts /etc/cron.hourly\n',
  );
  put(root, '/etc/app/app.conf', 'listen = 80\npassword = hunter2\n');
  put(root, '/proc/sys/kernel/randomize_va_space', '2\n');
  put(root, '/proc/sys/net/ipv4/ip_forward', '0\n');
  put(root, '/proc/modules', 'ext4 1 0 - Live 0x0\nnf_tables 2 0 - Live 0x0\n');
}

test('drift: full snapshot, coalesced burst, add/remove, secrets, restart', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wp-drift-root-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'wp-drift-data-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });
  prepareRoot(root);
  let agent = await openAgent(root, dataDir);

  // 1. First run: one full snapshot (files in one chunk, host state in the next).
  const full = await newReports(agent);
  assert.equal(full.length, 2);
  assert.deepEqual(
    full.map((r) => [r.full, r.snapshotId, r.chunk, r.chunkCount]),
    [
      [true, full[0]?.snapshotId, 0, 2],
      [true, full[0]?.snapshotId, 1, 2],
    ],
  );
  const items = full.flatMap((r) => r.items);
  const item = (kind: string, key: string): watchpost.v1.IStateItem | undefined =>
    items.find((i) => i.kind === kind && i.key === key);
  const conf = item('file', '/etc/app/app.conf');
  assert.ok(conf);
  const confValue = JSON.parse(conf.valueJson ?? '{}') as Record<string, unknown>;
  assert.equal(confValue.sha256, sha('listen = 80\npassword = hunter2\n'));
  assert.equal(
    confValue.owner,
    typeof process.getuid === 'function' && process.getuid() === 0 ? 'root' : confValue.owner,
  );
  assert.ok(item('directory', '/etc/app'));
  const shadow = item('file', '/etc/shadow');
  assert.equal(shadow?.secret, true);
  assert.ok(!(shadow?.valueJson ?? '').includes('$6$'));
  assert.ok(item('cron', '/etc/crontab:17 * * * * root cd / && run-parts /etc/cron.hourly'));
  assert.equal(items.filter((i) => i.kind === 'cron').length, 1, 'comments are not cron entries');
  assert.equal(JSON.parse(item('sysctl', 'kernel.randomize_va_space')?.valueJson ?? '{}').value, '2');
  assert.ok(item('sysctl', 'net.ipv4.ip_forward'), 'keys of the policy sysctl rules are snapshotted');
  assert.ok(item('kernel_module', 'nf_tables'));
  assert.ok(item('user', 'app'));
  assert.ok(item('group', 'app'));
  assert.ok(agent.drift.watchedDirectories() >= 1);

  // 2. A burst of 20 writes → exactly one MODIFIED change with the burst's before and after.
  for (let i = 1; i <= 20; i++) {
    await writeFile(join(root, '/etc/app/app.conf'), `listen = ${8000 + i}\npassword = s3cret-${i}\n`);
    await sleep(15);
  }
  const burst = await waitForChanges(agent);
  assert.equal(burst.length, 1, JSON.stringify(burst.map((c) => [c.key, c.change])));
  const change = burst[0] as watchpost.v1.IDriftChange;
  assert.equal(change.key, '/etc/app/app.conf');
  assert.equal(change.change, ChangeType.CHANGE_TYPE_MODIFIED);
  assert.equal(change.source, DriftSource.DRIFT_SOURCE_WATCH);
  assert.equal(change.before?.digest, conf.digest);
  assert.equal(
    JSON.parse(change.after?.valueJson ?? '{}').sha256,
    sha('listen = 8020\npassword = s3cret-20\n'),
  );
  t.diagnostic(`burst of 20 writes coalesced into one change (coalesced=${change.coalesced})`);
  assert.ok((change.coalesced ?? 0) >= 15 && (change.coalesced ?? 0) <= 30, `coalesced ${change.coalesced}`);
  assert.ok(toSafeNumber(change.lastSeenMs ?? 0) > toSafeNumber(change.firstSeenMs ?? 0));
  assert.match(change.diff ?? '', /^-listen = 80$/m);
  assert.match(change.diff ?? '', /^\+listen = 8020$/m);
  assert.match(change.diff ?? '', /^\+password = <redacted>$/m);
  assert.doesNotMatch(change.diff ?? '', /hunter2|s3cret/);

  // 3. A change reverted within the burst produces nothing.
  await writeFile(join(root, '/etc/app/app.conf'), 'listen = 1\n');
  await sleep(30);
  await writeFile(join(root, '/etc/app/app.conf'), 'listen = 8020\npassword = s3cret-20\n');
  await sleep(COALESCE_MS * 3);
  assert.deepEqual(await newReports(agent), []);

  // 4. New file → ADDED (with a diff from /dev/null); private key → hash only; delete → REMOVED.
  writeFileSync(join(root, '/etc/app/extra.conf'), 'mode = strict\n');
  writeFileSync(
    join(root, '/etc/app/server.key'),
    '-----BEGIN PRIVATE KEY-----\nMIIBVQ\n-----END PRIVATE KEY-----\n',
  );
  const added = await waitForChanges(agent);
  const extra = added.find((c) => c.key === '/etc/app/extra.conf');
  assert.equal(extra?.change, ChangeType.CHANGE_TYPE_ADDED);
  assert.equal(extra?.before, null);
  assert.match(extra?.diff ?? '', /^\+mode = strict$/m);
  const key = added.find((c) => c.key === '/etc/app/server.key');
  assert.equal(key?.after?.secret, true);
  assert.equal(key?.diff, '');
  unlinkSync(join(root, '/etc/app/extra.conf'));
  const removed = await waitForChanges(agent);
  assert.deepEqual(
    removed.map((c) => [c.key, c.change]),
    [['/etc/app/extra.conf', ChangeType.CHANGE_TYPE_REMOVED]],
  );
  assert.equal(removed[0]?.after, null);

  // 5. Secret file outside the real-time set: the periodic scan sees it, hash only, no diff.
  writeFileSync(join(root, '/etc/shadow'), 'root:$6$new$otherhash:19001:0:99999:7:::\n');
  await agent.drift.scanNow();
  const scanned = (await newReports(agent)).flatMap((r) => r.changes);
  // The shadow "last changed" day moved too: the user's password-change date is drift of its own.
  assert.deepEqual(
    scanned.map((c) => [c.kind, c.key, c.change]),
    [
      ['file', '/etc/shadow', ChangeType.CHANGE_TYPE_MODIFIED],
      ['user', 'root', ChangeType.CHANGE_TYPE_MODIFIED],
    ],
  );
  const [shadowChange] = scanned;
  assert.equal(shadowChange?.source, DriftSource.DRIFT_SOURCE_SCAN);
  assert.equal(shadowChange?.after?.secret, true);
  assert.equal(shadowChange?.diff, '');
  assert.doesNotMatch(JSON.stringify(shadowChange), /otherhash|\$6\$/);

  // 6. Restart: no second full snapshot; what changed while down comes as changes.
  const seen = await closeAgent(agent);
  writeFileSync(
    join(root, '/etc/crontab'),
    '17 * * * * root cd / && run-parts /etc/cron.hourly\n*/5 * * * * root /usr/local/bin/beacon\n',
  );
  agent = await openAgent(root, dataDir, seen);
  t.after(() => closeAgent(agent));
  const afterRestart = await newReports(agent);
  assert.ok(
    afterRestart.every((r) => !r.full),
    'no duplicate full snapshot',
  );
  assert.deepEqual(
    afterRestart.flatMap((r) => r.changes).map((c) => [c.kind, c.key, c.change]),
    [
      ['file', '/etc/crontab', ChangeType.CHANGE_TYPE_MODIFIED],
      ['cron', '/etc/crontab:*/5 * * * * root /usr/local/bin/beacon', ChangeType.CHANGE_TYPE_ADDED],
    ],
  );
  assert.equal(await agent.drift.scanNow(), 0);
});
