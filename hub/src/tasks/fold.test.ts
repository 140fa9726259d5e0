import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchpost } from '@watchpost/proto';
import { etaFromProgress, foldTaskEvents, type TaskFoldState } from './fold.js';

const S = watchpost.v1.TaskState;
const start: TaskFoldState = {
  state: 'sent',
  percent: 0,
  progressCount: '0',
  lastMessage: '',
  errorCode: null,
  errorMessage: null,
  summary: null,
  hasResult: false,
  etaAt: null,
};
const progress = (state: watchpost.v1.TaskState, percent = 0, message = '') =>
  ({ kind: 'progress', state, percent, message }) as const;

test('progress moves the state forward and counts events', () => {
  const t = foldTaskEvents(start, [
    progress(S.TASK_STATE_ACCEPTED),
    progress(S.TASK_STATE_RUNNING, 40, 'half'),
  ]);
  assert.deepEqual([t.state, t.percent, t.progressCount, t.lastMessage], ['running', 40, '2', 'half']);
  // A late ACCEPTED does not move a running task back.
  assert.equal(foldTaskEvents(t, [progress(S.TASK_STATE_ACCEPTED)]).state, 'running');
});

test('the first result wins; later events only count', () => {
  const done = foldTaskEvents(start, [
    { kind: 'result', state: S.TASK_STATE_FAILED, errorCode: 'E', errorMessage: 'boom', summary: '' },
  ]);
  assert.deepEqual([done.state, done.errorCode, done.hasResult], ['failed', 'E', true]);
  const again = foldTaskEvents(done, [
    { kind: 'result', state: S.TASK_STATE_SUCCEEDED, errorCode: '', errorMessage: '', summary: '{}' },
    progress(S.TASK_STATE_RUNNING, 99),
  ]);
  assert.deepEqual([again.state, again.progressCount], ['failed', '1']);
});

test('a refusal marks an unaccepted task refused, but never an accepted one (re-delivery replay)', () => {
  const refused = foldTaskEvents(start, [{ kind: 'refusal', code: 'TASK_EXPIRED', message: 'late' }]);
  assert.deepEqual([refused.state, refused.errorCode], ['refused', 'TASK_EXPIRED']);
  const accepted = foldTaskEvents(start, [progress(S.TASK_STATE_ACCEPTED)]);
  assert.equal(
    foldTaskEvents(accepted, [{ kind: 'refusal', code: 'TASK_EXPIRED', message: '' }]).state,
    'accepted',
  );
  const replayResult = {
    kind: 'result',
    state: S.TASK_STATE_REFUSED,
    errorCode: 'TASK_REPLAYED',
    errorMessage: '',
    summary: '',
  } as const;
  assert.equal(foldTaskEvents(accepted, [replayResult]).state, 'accepted');
  assert.equal(foldTaskEvents(start, [replayResult]).state, 'refused');
});

test('the latest progress sets the ETA; the end of the task clears it', () => {
  const at = new Date('2026-11-25T10:00:00Z');
  const eta = (ms: bigint) => etaFromProgress(ms, at);
  assert.equal(eta(90_000n)?.toISOString(), '2026-11-25T10:01:30.000Z');
  assert.equal(eta(0n), null, '0 = unknown');
  assert.equal(eta(-5n), null);
  assert.equal(eta(10n ** 15n), null, 'absurd ETAs are not stored');

  const running = foldTaskEvents(start, [
    { ...progress(S.TASK_STATE_RUNNING, 10), etaAt: eta(120_000n) },
    { ...progress(S.TASK_STATE_RUNNING, 50), etaAt: eta(60_000n) },
  ]);
  assert.equal(running.etaAt?.toISOString(), '2026-11-25T10:01:00.000Z', 'latest wins');
  assert.equal(foldTaskEvents(running, [progress(S.TASK_STATE_RUNNING, 60)]).etaAt, running.etaAt);
  assert.equal(foldTaskEvents(running, [{ ...progress(S.TASK_STATE_RUNNING, 70), etaAt: null }]).etaAt, null);

  const done = foldTaskEvents(running, [
    { kind: 'result', state: S.TASK_STATE_SUCCEEDED, errorCode: '', errorMessage: '', summary: '' },
  ]);
  assert.equal(done.etaAt, null, 'cleared when the task ends');
  assert.equal(
    foldTaskEvents(done, [{ ...progress(S.TASK_STATE_RUNNING, 80), etaAt: eta(1000n) }]).etaAt,
    null,
  );
  const refused = foldTaskEvents({ ...start, etaAt: eta(1000n) }, [
    { kind: 'refusal', code: 'X', message: '' },
  ]);
  assert.equal(refused.etaAt, null);
});
