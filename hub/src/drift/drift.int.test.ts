// Configuration drift through the real gateway, on SQLite and PostgreSQL: a chunked full
// snapshot becomes the accepted baseline, a change becomes one event with before/after on the
// asset's timeline, accepting moves the baseline, flagging raises a `drift` finding with rollback
// advice, a failing baseline check links the change, malformed reports are rejected whole, and
// other tenants get 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RejectCode, toLong, watchpost } from '@watchpost/proto';
import { queryStore } from '../testing/index.js';
import {
  backends,
  baselineReport,
  change,
  fileItem,
  snapshot,
  startHarness,
  type Harness,
  type Json,
} from '../baselines/testing-harness.js';

const at = (d: number, h = 10) => new Date(Date.UTC(2026, 10, d, h));
const SSHD = '/etc/ssh/sshd_config';
const sshdOld = 'Port 22\nPermitRootLogin no\nUsePAM yes\n';
const sshdNew = 'Port 22\nPermitRootLogin yes\nUsePAM yes\n';
const DIFF = `--- a${SSHD}\n+++ b${SSHD}\n@@ -1,3 +1,3 @@\n Port 22\n-PermitRootLogin no\n+PermitRootLogin yes\n UsePAM yes\n`;
const REVERSE = `--- b${SSHD}\n+++ a${SSHD}\n@@ -1,3 +1,3 @@\n Port 22\n-PermitRootLogin yes\n+PermitRootLogin no\n UsePAM yes\n`;
const chunks = [
  [fileItem(SSHD, sshdOld), fileItem('/etc/hosts', '127.0.0.1 localhost\n')],
  [
    fileItem('/etc/motd', 'welcome\n'),
    { kind: 'sysctl', key: 'net.ipv4.ip_forward', digest: 'a'.repeat(64), valueJson: '"0"' },
  ],
];

for (const backend of backends('drift')) {
  describe(`drift (${backend.name})`, () => {
    let h: Harness;
    let eventId = '';
    let driftFindingId = '';
    const findingStatus = async (id: string) => (await h.api('GET', `/findings/${id}`)).body['status'];
    const events = async (q = '') =>
      (await h.api('GET', `/drift/events?asset=${h.assetId}${q}`)).body as { items: Json[]; total: number };
    const baselineItems = async () =>
      ((await h.api('GET', `/assets/${h.assetId}/drift-baseline`)).body['items'] as Json[]) ?? [];

    before(async () => {
      h = await startHarness(backend.pg);
    });
    after(async () => h?.stop());

    test('a full snapshot in chunks becomes the accepted baseline once complete; replays change nothing', async () => {
      await h.send({ driftReport: snapshot('snap-1', at(1), chunks, 1) });
      assert.deepEqual(await baselineItems(), [], 'half a snapshot establishes nothing');
      await h.send({ driftReport: snapshot('snap-1', at(1), chunks, 0) });
      const items = await baselineItems();
      assert.deepEqual(
        items.map((i) => [i['kind'], i['key'], i['acceptedBy']]),
        [
          ['file', '/etc/hosts', 'first-snapshot'],
          ['file', '/etc/motd', 'first-snapshot'],
          ['file', SSHD, 'first-snapshot'],
          ['sysctl', 'net.ipv4.ip_forward', 'first-snapshot'],
        ],
      );
      await h.send({ driftReport: snapshot('snap-1', at(1), chunks, 0) });
      assert.equal((await baselineItems()).length, 4);
      assert.equal((await events()).total, 0, 'the first snapshot is not drift');
    });

    test('a change becomes one event with before/after and diff, on the asset timeline', async () => {
      const afterItem = fileItem(SSHD, sshdNew, 0o600);
      await h.send({ driftReport: change(fileItem(SSHD, sshdOld), afterItem, at(2), DIFF) });
      // The periodic scan reporting the same change again adds nothing.
      await h.send({
        driftReport: change(
          fileItem(SSHD, sshdOld),
          afterItem,
          at(2, 11),
          '',
          watchpost.v1.DriftSource.DRIFT_SOURCE_SCAN,
        ),
      });
      const list = await events();
      assert.equal(list.total, 1);
      const e = list.items[0] as Json;
      eventId = String(e['id']);
      assert.equal(e['change'], 'modified');
      assert.equal(e['source'], 'watch');
      assert.equal(e['status'], 'open');
      assert.equal(e['coalesced'], 3);
      assert.equal(e['diff'], DIFF);
      assert.equal(((e['before'] as Json)['value'] as Json)['mode'], 0o644);
      assert.equal(((e['after'] as Json)['value'] as Json)['mode'], 0o600);
      assert.equal((e['after'] as Json)['digest'], afterItem.digest);
      const timeline = (await h.api('GET', `/assets/${h.assetId}/timeline`)).body['items'] as Json[];
      const entry = timeline.find((t) => t['kind'] === 'drift') as Json;
      assert.deepEqual(entry['detail'], { eventId, kind: 'file', key: SSHD, change: 'modified' });
    });

    test('the change links to the baseline check it made fail, in both directions', async () => {
      const evidence = {
        'ssh-root': [{ rule: 'file', target: SSHD, found: 'PermitRootLogin yes', matched: false }],
      };
      await h.send({
        baselineReport: baselineReport('acme-ssh', at(2, 12), { 'ssh-root': 'fail' }, evidence),
      });
      const e = (await h.api('GET', `/drift/events/${eventId}`)).body;
      const [finding] = (await h.api('GET', `/findings?type=baseline&assetId=${h.assetId}`)).body[
        'items'
      ] as Json[];
      assert.equal(e['linkedFindingId'], finding?.['id']);
      assert.equal(e['linkedCheckId'], 'ssh-root');
      const byFinding = await events(`&finding=${String(finding?.['id'])}`);
      assert.deepEqual(
        byFinding.items.map((x) => x['id']),
        [eventId],
      );
      const run = (await h.api('GET', `/assets/${h.assetId}/baseline`)).body['policies'] as Json[];
      const check = ((run[0] as Json)['results'] as Json[])[0] as Json;
      assert.deepEqual(check['linkedDriftEventIds'], [eventId]);
    });

    test('flagging raises a drift finding with rollback advice (previous value, reverse diff)', async () => {
      const r = await h.api('POST', `/drift/events/${eventId}/flag`, {
        reason: 'nobody asked for root logins',
        severity: 'high',
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal((r.body['event'] as Json)['status'], 'violation');
      assert.equal((r.body['rollback'] as Json)['reverseDiff'], REVERSE);
      driftFindingId = String(r.body['findingId']);
      const f = (await h.api('GET', `/findings/${driftFindingId}`)).body;
      assert.equal(f['status'], 'open');
      assert.equal(f['type'], 'drift');
      assert.equal(f['severity'], 'high');
      assert.equal(f['component'], `file:${SSHD}`);
      assert.match(String(f['description']), /Rollback: restore the previous value/);
      assert.ok(String(f['description']).includes(REVERSE), 'the reverse diff is in the advice');
      const details = ((f['evidences'] as Json[])[0] as Json)['details'] as Json;
      assert.equal(details['reverseDiff'], REVERSE);
      assert.equal(((details['before'] as Json)['value'] as Json)['mode'], 0o644);
    });

    test('accepting moves the baseline (who, why); a later snapshot with that value raises nothing', async () => {
      const r = await h.api('POST', `/drift/events/${eventId}/accept`, { reason: 'change ticket CHG-42' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body['status'], 'accepted');
      assert.match(String(r.body['decidedBy']), /^token:/);
      const sshd = (await baselineItems()).find((i) => i['key'] === SSHD) as Json;
      assert.equal(sshd['digest'], fileItem(SSHD, sshdNew, 0o600).digest);
      assert.equal(sshd['reason'], 'change ticket CHG-42');
      assert.equal(sshd['acceptedBy'], r.body['decidedBy']);
      assert.equal((await h.api('POST', `/drift/events/${eventId}/accept`, { reason: 'again' })).status, 409);
      assert.equal(await findingStatus(driftFindingId), 'resolved', 'accepted: no longer a violation');
      const later = [
        [fileItem(SSHD, sshdNew, 0o600), fileItem('/etc/hosts', '127.0.0.1 localhost\n')],
        chunks[1]!,
      ];
      // A snapshot the agent abandoned half-way is dropped once a later one completes.
      await h.send({ driftReport: snapshot('snap-abandoned', at(3), later, 0) });
      await h.send({ driftReport: snapshot('snap-2', at(3), later, 0) });
      await h.send({ driftReport: snapshot('snap-2', at(3), later, 1) });
      const target = { dataDir: h.hub.dataDir, databaseUrl: h.hub.databaseUrl };
      const leftovers = await queryStore(
        target,
        "SELECT (SELECT COUNT(*) FROM drift_snapshot_chunks) AS chunks, (SELECT COUNT(*) FROM drift_snapshots WHERE state = 'assembling') AS assembling",
      );
      assert.deepEqual(
        leftovers.map((r) => [Number(r['chunks']), Number(r['assembling'])]),
        [[0, 0]],
      );
      assert.equal((await events()).total, 1, 'no event for the accepted value');
      // A snapshot that differs from the accepted baseline raises one event per difference.
      const tampered = [[fileItem(SSHD, sshdNew, 0o600)], chunks[1]!];
      await h.send({ driftReport: snapshot('snap-3', at(4), tampered, 0) });
      await h.send({ driftReport: snapshot('snap-3', at(4), tampered, 1) });
      const open = await events('&status=open');
      assert.deepEqual(
        open.items.map((x) => [x['key'], x['change'], x['source']]),
        [['/etc/hosts', 'removed', 'snapshot']],
      );
    });

    test('a flagged change rolled back to the accepted value resolves its drift finding', async () => {
      const removal = String((await events('&status=open')).items[0]?.['id']);
      const flagged = await h.api('POST', `/drift/events/${removal}/flag`, { reason: 'hosts file deleted' });
      const findingId = String(flagged.body['findingId']);
      assert.equal(await findingStatus(findingId), 'open');
      assert.equal((flagged.body['rollback'] as Json)['reverseDiff'], '', 'no diff for a removal');
      assert.match(
        String((await h.api('GET', `/findings/${findingId}`)).body['description']),
        /restore the previous value/,
      );
      // Restored with the accepted content: the state matches the baseline again.
      await h.send({
        driftReport: change(undefined, fileItem('/etc/hosts', '127.0.0.1 localhost\n'), at(4, 12)),
      });
      assert.equal(await findingStatus(findingId), 'resolved');
      // Flagging again after the resolution reopens the same finding.
      const again = await h.api('POST', `/drift/events/${removal}/flag`, { reason: 'still wrong' });
      assert.equal(again.body['findingId'], findingId);
      assert.equal(await findingStatus(findingId), 'reopened');
    });

    test('malformed drift reports are rejected whole', async () => {
      const target = { dataDir: h.hub.dataDir, databaseUrl: h.hub.databaseUrl };
      const count = async () =>
        Number((await queryStore(target, 'SELECT COUNT(*) AS n FROM drift_events'))[0]?.['n']);
      const before = await count();
      const good = change(fileItem('/etc/a', 'a'), fileItem('/etc/a', 'b'), at(5));
      const twoChanges = {
        ...good,
        changes: [
          ...good.changes!,
          { ...good.changes![0]!, key: '/etc/b', after: { ...fileItem('/etc/b', 'x'), digest: 'nothex' } },
        ],
      };
      assert.equal(await h.sendRejected({ driftReport: twoChanges }), RejectCode.INVALID_MESSAGE);
      const noBefore = change(undefined, fileItem('/etc/c', 'c'), at(5));
      noBefore.changes![0]!.change = watchpost.v1.ChangeType.CHANGE_TYPE_MODIFIED;
      assert.equal(await h.sendRejected({ driftReport: noBefore }), RejectCode.INVALID_MESSAGE);
      const bigDiff = change(fileItem('/etc/d', 'a'), fileItem('/etc/d', 'b'), at(5), 'x'.repeat(65 * 1024));
      assert.equal(await h.sendRejected({ driftReport: bigDiff }), RejectCode.LIMIT_EXCEEDED);
      const badChunk = { ...snapshot('snap-x', at(5), chunks, 0), chunk: 5 };
      assert.equal(await h.sendRejected({ driftReport: badChunk }), RejectCode.INVALID_MESSAGE);
      const unknownKind = {
        ...snapshot('snap-y', at(5), [[{ ...fileItem('/x', 'x'), kind: 'registry' }]], 0),
        takenAtMs: toLong(at(5).getTime(), false),
      };
      assert.equal(await h.sendRejected({ driftReport: unknownKind }), RejectCode.INVALID_MESSAGE);
      assert.equal(await count(), before);
    });

    test('another tenant gets 404 for every drift id', async () => {
      const o = h.tokenOther;
      assert.equal((await h.api('GET', `/drift/events/${eventId}`, undefined, o)).status, 404);
      assert.equal((await h.api('POST', `/drift/events/${eventId}/accept`, { reason: 'x' }, o)).status, 404);
      assert.equal((await h.api('POST', `/drift/events/${eventId}/flag`, { reason: 'x' }, o)).status, 404);
      assert.equal((await h.api('GET', `/assets/${h.assetId}/drift-baseline`, undefined, o)).status, 404);
      assert.equal((await h.api('GET', `/drift/events?asset=${h.assetId}`, undefined, o)).body['total'], 0);
      assert.equal(
        (await h.api('POST', `/drift/events/${eventId}/accept`, {})).status,
        400,
        'a reason is required',
      );
    });
  });
}
