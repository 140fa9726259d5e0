import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assembleSnapshot,
  compareSnapshot,
  keyHashOf,
  SnapshotAssemblyError,
  type Item,
} from './snapshot.js';

const item = (key: string, digest: string, kind = 'file'): Item => ({
  kind,
  key,
  digest: digest.repeat(64).slice(0, 64),
  valueJson: '{}',
  secret: false,
});
const mapOf = (...items: Item[]) => new Map(items.map((i) => [keyHashOf(i.kind, i.key), i]));

describe('snapshot assembly', () => {
  test('chunks arrive in any order and assemble in chunk order', () => {
    const got = assembleSnapshot(
      2,
      [
        { chunk: 1, items: [item('/etc/b', 'b')] },
        { chunk: 0, items: [item('/etc/a', 'a'), item('net.ipv4.ip_forward', 'c', 'sysctl')] },
      ],
      10,
    );
    assert.deepEqual(
      [...got.values()].map((i) => i.key),
      ['/etc/a', 'net.ipv4.ip_forward', '/etc/b'],
    );
  });

  test('a missing chunk, a repeated key or too many items is an error', () => {
    assert.throws(() => assembleSnapshot(2, [{ chunk: 0, items: [] }], 10), SnapshotAssemblyError);
    assert.throws(
      () =>
        assembleSnapshot(
          2,
          [
            { chunk: 0, items: [item('/etc/a', 'a')] },
            { chunk: 1, items: [item('/etc/a', 'b')] },
          ],
          10,
        ),
      /twice/,
    );
    assert.throws(
      () => assembleSnapshot(1, [{ chunk: 0, items: [item('/a', 'a'), item('/b', 'b')] }], 1),
      /over 1/,
    );
    // The same key under another kind is another thing.
    assert.equal(
      assembleSnapshot(1, [{ chunk: 0, items: [item('x', 'a'), item('x', 'a', 'user')] }], 5).size,
      2,
    );
  });
});

describe('snapshot comparison', () => {
  const baseline = mapOf(item('/etc/a', 'a'), item('/etc/b', 'b'), item('/etc/c', 'c'));

  test('identical to state: nothing to do', () => {
    const r = compareSnapshot(baseline, baseline, baseline);
    assert.deepEqual(r, { stateChanges: [], events: [] });
  });

  test('modified, added and removed keys become events with before/after', () => {
    const snap = mapOf(item('/etc/a', 'x'), item('/etc/b', 'b'), item('/etc/d', 'd'));
    const r = compareSnapshot(snap, baseline, baseline);
    assert.deepEqual(
      r.events.map((e) => [e.key, e.change, e.before?.digest[0], e.after?.digest[0]]),
      [
        ['/etc/a', 'modified', 'a', 'x'],
        ['/etc/c', 'removed', 'c', undefined],
        ['/etc/d', 'added', undefined, 'd'],
      ],
    );
    assert.equal(r.stateChanges.length, 3);
  });

  test('a change already known (state) raises nothing; a change back to the baseline only updates state', () => {
    const state = mapOf(item('/etc/a', 'x'), item('/etc/b', 'y'), item('/etc/c', 'c'));
    const snap = mapOf(item('/etc/a', 'x'), item('/etc/b', 'b'), item('/etc/c', 'c'));
    const r = compareSnapshot(snap, state, baseline);
    assert.deepEqual(r.events, []);
    assert.deepEqual(
      r.stateChanges.map((c) => c.item?.key),
      ['/etc/b'],
    );
  });
});
