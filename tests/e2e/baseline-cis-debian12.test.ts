// The Wazuh CIS Debian 12 SCA policy, imported by the hub's converter and shipped the way a
// PolicyUpdate carries it (JSON, validated by the agent's schema), runs on THIS machine: every
// check ends pass / fail / not_applicable — not_applicable always with a reason — and none
// ends in `error` (a crash of the evaluator or a broken translation).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePolicyDocument } from '@watchpost/proto';
import { evaluatePolicy, createLinuxHost, REASONS } from '../../agent/src/baseline/index.js';
import { importScaPolicy } from '../../hub/src/policies/index.js';
import { repoRoot } from './lib/harness.js';

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? join(repoRoot, '..', 'shared', 'fixtures');
const policyPath = join(fixtures, 'sca', 'wazuh-cis_debian12.yml');
const isDebian12 =
  existsSync('/etc/debian_version') && readFileSync('/etc/debian_version', 'utf8').startsWith('12');

test('CIS Debian 12 (Wazuh SCA) evaluates on the real machine without a single error', async (t) => {
  if (!existsSync(policyPath)) {
    console.log(`skipped: ${policyPath} not present (set WATCHPOST_FIXTURES)`);
    t.skip('SCA fixture absent');
    return;
  }
  const imported = importScaPolicy(readFileSync(policyPath, 'utf8'));
  const document = parsePolicyDocument(Buffer.from(JSON.stringify(imported.document)));
  assert.ok(document.checks.length > 150, `only ${document.checks.length} checks imported`);

  for (const allowCommands of [false, true]) {
    const host = createLinuxHost({ root: '/', commandTimeoutMs: 30_000 });
    const out = await evaluatePolicy(document, host, { allowCommands });
    const label = `allowCommands=${allowCommands}`;
    assert.equal(out.results.length, document.checks.length, label);
    assert.equal(out.requirementsUnmet, !isDebian12, `${label}: ${out.requirementsReason}`);
    const errors = out.results.filter((r) => r.status === 'error');
    assert.deepEqual(errors, [], `${label}: checks ended in error`);
    for (const r of out.results) {
      assert.ok(['pass', 'fail', 'not_applicable'].includes(r.status), `${label} ${r.checkId}: ${r.status}`);
      if (r.status === 'not_applicable')
        assert.ok(r.reason.length > 0, `${label} ${r.checkId}: NA without reason`);
      assert.ok(r.evidence.length <= 16, `${label} ${r.checkId}: ${r.evidence.length} evidences`);
      for (const e of r.evidence) assert.ok(e.found.length <= 512);
    }
    assert.equal(out.passed + out.failed + out.notApplicable, document.checks.length);
    if (isDebian12) assert.ok(out.passed + out.failed > 0, `${label}: nothing was decided`);
    const byReason = new Map<string, number>();
    for (const r of out.results.filter((x) => x.status === 'not_applicable'))
      byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    if (!allowCommands && isDebian12) assert.ok((byReason.get(REASONS.commandsDisabled) ?? 0) > 0, label);
    if (allowCommands) assert.equal(byReason.get(REASONS.commandsDisabled), undefined, label);
    console.log(
      `${label}: pass ${out.passed} fail ${out.failed} n/a ${out.notApplicable} in ${out.durationMs} ms; ` +
        `n/a reasons: ${JSON.stringify([...byReason].sort((a, b) => b[1] - a[1]).slice(0, 6))}`,
    );
  }
});
