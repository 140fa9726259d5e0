import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchpost } from '@watchpost/proto';
import type { Sections } from '../collectors/index.js';
import { canonicalJson, sectionDigest } from './digest.js';
import { buildReport } from './report.js';

const sections: Sections = {
  packages: [
    { name: 'bash', version: '5.2', arch: 'amd64', manager: 'dpkg', sourceName: '', sourceVersion: '' },
    {
      name: 'libc6',
      version: '2.36',
      arch: 'amd64',
      manager: 'dpkg',
      sourceName: 'glibc',
      sourceVersion: '',
    },
  ],
  groups: [{ name: 'root', gid: 0, members: [] }],
};

test('digests do not depend on list order or key order', () => {
  assert.equal(sectionDigest([{ a: 1, b: 2 }, { a: 3 }]), sectionDigest([{ a: 3 }, { b: 2, a: 1 }]));
  assert.notEqual(sectionDigest([{ a: 1 }]), sectionDigest([{ a: 2 }]));
  assert.equal(canonicalJson({ b: [2, 1], a: null }), '{"a":null,"b":[1,2]}');
});

test('first report is full; unchanged sections are listed, not sent; missing sections are neither', () => {
  const first = buildReport(sections, {}, true, 1);
  assert.deepEqual(first.sent, ['groups', 'packages']);
  assert.deepEqual(first.missing, ['host', 'interfaces', 'processes', 'services', 'accounts', 'listeners']);
  assert.equal(first.report.packages?.length, 2);
  const changed: Sections = { ...sections, groups: [{ name: 'root', gid: 0, members: ['alice'] }] };
  const second = buildReport(changed, first.digests, false, 2);
  assert.deepEqual(second.sent, ['groups']);
  assert.deepEqual(second.unchanged, ['packages']);
  assert.equal(second.report.packages, undefined);
  assert.equal(second.report.digests?.['packages'], first.digests['packages']);
  const forcedFull = buildReport(changed, first.digests, true, 3);
  assert.deepEqual(forcedFull.unchanged, []);
  // The report encodes on the wire as-is.
  const bytes = watchpost.v1.InventoryReport.encode(second.report).finish();
  assert.deepEqual(watchpost.v1.InventoryReport.decode(bytes).unchangedSections, ['packages']);
});
