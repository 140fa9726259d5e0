// The built-in policies shipped in hub/policies: valid, complete, and mapped as promised.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBuiltinPolicies } from './builtins.js';

const builtins = loadBuiltinPolicies();
const byId = new Map(builtins.map((b) => [b.document.id, b.document]));

test('both built-ins load and validate', () => {
  assert.deepEqual([...byId.keys()].sort(), ['debian-server-baseline', 'djcp-l3-linux']);
});

test('every check has a rationale and a remediation, and ids are unique', () => {
  for (const doc of byId.values()) {
    const ids = new Set<string>();
    for (const c of doc.checks) {
      assert.ok(c.rationale.trim().length > 20, `${doc.id}/${c.id} rationale`);
      assert.ok(c.remediation.trim().length > 10, `${doc.id}/${c.id} remediation`);
      assert.ok(!ids.has(c.id), `${doc.id}/${c.id} unique`);
      ids.add(c.id);
    }
    assert.ok(doc.watch && doc.watch.paths.length > 10, `${doc.id} watch paths`);
    assert.ok(doc.watch.secrets.includes('/etc/shadow'), `${doc.id}: shadow is hashed only`);
  }
});

test('Debian baseline: 30–40 checks covering SSH, accounts, audit, sysctl, patching', () => {
  const doc = byId.get('debian-server-baseline');
  assert.ok(doc);
  assert.ok(doc.checks.length >= 30 && doc.checks.length <= 40, String(doc.checks.length));
  const kinds = new Set(doc.checks.flatMap((c) => c.rules.map((r) => r.kind)));
  for (const k of ['file', 'file_stat', 'accounts', 'package', 'service', 'sysctl', 'port', 'directory']) {
    assert.ok(kinds.has(k as never), `uses ${k}`);
  }
});

test('等保 level 3: 25–35 checks, each mapped to a GB/T 22239-2019 8.1.4.x clause, all four areas', () => {
  const doc = byId.get('djcp-l3-linux');
  assert.ok(doc);
  assert.ok(doc.checks.length >= 25 && doc.checks.length <= 35, String(doc.checks.length));
  const clauses = new Set<string>();
  for (const c of doc.checks) {
    const refs = c.compliance['djcp'] ?? [];
    assert.ok(refs.length > 0, `${c.id} has a djcp reference`);
    for (const ref of refs) {
      assert.match(ref, /^8\.1\.4\.[1-4] [a-g]\)$/, `${c.id}: ${ref}`);
      clauses.add(ref.slice(0, 7));
    }
  }
  assert.deepEqual([...clauses].sort(), ['8.1.4.1', '8.1.4.2', '8.1.4.3', '8.1.4.4']);
});
