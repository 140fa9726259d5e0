import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchpost } from '@watchpost/proto';
import { foldTaskEvents, type TaskFoldState } from './fold.js';

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
