import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RejectCode, toLong, watchpost } from '@watchpost/proto';
import { change, fileItem, snapshot } from '../baselines/testing-harness.js';
import { checkDriftReport } from './validation.js';

const at = new Date(Date.UTC(2026, 10, 1));
const { ChangeType } = watchpost.v1;

describe('checkDriftReport', () => {
  test('a snapshot chunk and a change pass', () => {
    assert.equal(checkDriftReport(snapshot('s1', at, [[fileItem('/etc/a', 'a')], []], 1)), null);
    assert.equal(
      checkDriftReport(change(fileItem('/etc/a', 'a'), fileItem('/etc/a', 'b'), at, '-a\n+b')),
      null,
    );
    assert.equal(checkDriftReport(change(undefined, fileItem('/etc/n', 'n'), at)), null);
  });

  test('broken snapshots are named', () => {
    const cases: [string, watchpost.v1.IDriftReport, string, RegExp][] = [
      ['no id', { ...snapshot('', at, [[]], 0) }, RejectCode.INVALID_MESSAGE, /snapshot_id/],
      ['chunk past count', { ...snapshot('s', at, [[]], 0), chunk: 1 }, RejectCode.INVALID_MESSAGE, /chunk/],
      [
        'no time',
        { ...snapshot('s', at, [[]], 0), takenAtMs: toLong(0, false) },
        RejectCode.INVALID_MESSAGE,
        /taken_at/,
      ],
      [
        'unknown kind',
        snapshot('s', at, [[{ ...fileItem('/a', 'a'), kind: 'registry' }]], 0),
        RejectCode.INVALID_MESSAGE,
        /kind/,
      ],
      [
        'bad digest',
        snapshot('s', at, [[{ ...fileItem('/a', 'a'), digest: 'x' }]], 0),
        RejectCode.INVALID_MESSAGE,
        /digest/,
      ],
      [
        'value not JSON',
        snapshot('s', at, [[{ ...fileItem('/a', 'a'), valueJson: '{' }]], 0),
        RejectCode.INVALID_MESSAGE,
        /JSON/,
      ],
      [
        'value too big',
        snapshot('s', at, [[{ ...fileItem('/a', 'a'), valueJson: JSON.stringify('x'.repeat(9000)) }]], 0),
        RejectCode.LIMIT_EXCEEDED,
        /value_json/,
      ],
      [
        'changes in a snapshot',
        { ...snapshot('s', at, [[]], 0), changes: change(undefined, fileItem('/a', 'a'), at).changes! },
        RejectCode.INVALID_MESSAGE,
        /items, not changes/,
      ],
    ];
    for (const [name, report, code, reason] of cases) {
      const rej = checkDriftReport(report);
      assert.equal(rej?.code, code, name);
      assert.match(rej?.reason ?? '', reason, name);
    }
  });

  test('broken changes are named', () => {
    const base = () => change(fileItem('/etc/a', 'a'), fileItem('/etc/a', 'b'), at);
    const mutations: [string, (c: watchpost.v1.IDriftChange) => void, RegExp][] = [
      ['removed with an after', (c) => (c.change = ChangeType.CHANGE_TYPE_REMOVED), /do not fit/],
      ['after names another key', (c) => (c.after = fileItem('/etc/b', 'b')), /another item/],
      ['coalesced 0', (c) => (c.coalesced = 0), /coalesced/],
      ['first after last', (c) => (c.firstSeenMs = toLong(at.getTime() + 1, false)), /first seen after/],
      ['NUL in diff', (c) => (c.diff = 'a\u0000'), /NUL/],
    ];
    for (const [name, mutate, reason] of mutations) {
      const r = base();
      mutate(r.changes![0]!);
      assert.match(checkDriftReport(r)?.reason ?? '', reason, name);
    }
  });
});
