import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentKey, diffSection } from './row-diff.js';

interface Pkg {
  name: string;
  version: string;
  tags: string[];
}
const fields = ['name', 'version', 'tags'] as const;
const key = (p: Pkg) => p.name;

describe('diffSection', () => {
  it('keeps equal rows, updates changed ones in place, inserts and removes the rest', () => {
    const stored = [
      { id: '1', name: 'a', version: '1', tags: ['x'] },
      { id: '2', name: 'b', version: '1', tags: [] },
      { id: '3', name: 'c', version: '1', tags: [] },
    ];
    const incoming = [
      { name: 'a', version: '1', tags: ['x'] },
      { name: 'b', version: '2', tags: [] },
      { name: 'd', version: '1', tags: [] },
    ];
    const d = diffSection<Pkg>(stored, incoming, key, fields);
    assert.equal(d.unchanged, 1);
    assert.deepEqual(d.update, [{ id: '2', row: incoming[1] }]);
    assert.deepEqual(d.insert, [incoming[2]]);
    assert.deepEqual(d.remove, ['3']);
  });

  it('compares arrays and dates by value', () => {
    const t = new Date(Date.UTC(2026, 0, 1));
    const stored = [{ id: '1', name: 'a', when: new Date(t.getTime()), tags: ['x', 'y'] }];
    const same = diffSection(
      stored,
      [{ name: 'a', when: new Date(t.getTime()), tags: ['x', 'y'] }],
      (r) => r.name,
      ['when', 'tags'],
    );
    assert.equal(same.unchanged, 1);
    const moved = diffSection(
      stored,
      [{ name: 'a', when: new Date(t.getTime() + 1), tags: ['x', 'y'] }],
      (r) => r.name,
      ['when', 'tags'],
    );
    assert.equal(moved.update.length, 1);
    const reordered = diffSection(stored, [{ name: 'a', when: t, tags: ['y', 'x'] }], (r) => r.name, [
      'when',
      'tags',
    ]);
    assert.equal(reordered.update.length, 1);
  });

  it('matches repeated keys one to one (rows without a natural key)', () => {
    const k = (r: { port: number }) => contentKey(r, ['port']);
    const stored = [
      { id: '1', port: 22 },
      { id: '2', port: 22 },
      { id: '3', port: 80 },
    ];
    const d = diffSection(stored, [{ port: 22 }, { port: 443 }], k, ['port']);
    assert.equal(d.unchanged, 1);
    assert.deepEqual(d.insert, [{ port: 443 }]);
    assert.deepEqual(d.remove.sort(), ['1', '3']);
  });

  it('empties a section when nothing comes in', () => {
    const d = diffSection<Pkg>([{ id: '1', name: 'a', version: '1', tags: [] }], [], key, fields);
    assert.deepEqual(d, { insert: [], update: [], remove: ['1'], unchanged: 0 });
  });
});
