// Line-numbered validation of policy YAML on hand-made bad documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePolicyYaml, type PolicyValidationError } from './validate-yaml.js';

const GOOD = `id: demo
title: Demo
version: "1"
checks:
  - id: c1
    title: Root login off
    rationale: r
    remediation: m
    rules:
      - kind: file
        path: /etc/ssh/sshd_config
        tests:
          - { type: regex, pattern: '^PermitRootLogin\\s+no' }
`;

function errorsOf(yaml: string): PolicyValidationError[] {
  const r = validatePolicyYaml(yaml);
  assert.equal(r.ok, false, 'expected the document to be invalid');
  return r.ok ? [] : r.errors;
}

test('a good document validates and gets the schema defaults', () => {
  const r = validatePolicyYaml(GOOD);
  assert.ok(r.ok);
  assert.equal(r.document.checks[0]?.severity, 'medium');
  assert.deepEqual(r.document.platforms, ['linux']);
});

test('a YAML syntax error reports its line', () => {
  const [e] = errorsOf(GOOD.replace('    title: Root login off', '    title: [unclosed'));
  assert.ok(e);
  assert.equal(e.path, '');
  assert.ok(e.line >= 6 && e.line <= 9, `line ${e.line}`);
});

test('a wrong value reports the line of that value', () => {
  const errs = errorsOf(GOOD.replace('      - kind: file', '      - kind: fiel'));
  assert.equal(errs[0]?.line, 10);
  assert.equal(errs[0]?.path, 'checks.0.rules.0.kind');
});

test('a missing key reports the line of the map that lacks it', () => {
  const errs = errorsOf(GOOD.replace('    rationale: r\n', ''));
  const e = errs.find((x) => x.path === 'checks.0.rationale');
  assert.ok(e, JSON.stringify(errs));
  assert.equal(e.line, 5, 'the check starts on line 5');
  assert.equal(e.column, 5);
});

test('a regex JavaScript cannot compile reports its own line', () => {
  const errs = errorsOf(GOOD.replace("'^PermitRootLogin\\s+no'", "'^(PermitRootLogin'"));
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.line, 13);
  assert.equal(errs[0]?.path, 'checks.0.rules.0.tests.0.pattern');
  assert.match(errs[0]?.message ?? '', /invalid regular expression/);
});

test('a numeric test without a capture group is refused', () => {
  const yaml = GOOD.replace(
    "{ type: regex, pattern: '^PermitRootLogin\\s+no' }",
    "{ type: numeric, pattern: 'MaxAuthTries \\d+', op: le, value: 4 }",
  );
  const errs = errorsOf(yaml);
  assert.equal(errs[0]?.line, 13);
  assert.match(errs[0]?.message ?? '', /capture group/);
});

test('several errors come back sorted by line; duplicate check ids are caught', () => {
  const second = GOOD.slice(GOOD.indexOf('  - id: c1'));
  const errs = errorsOf(`${GOOD}${second}`.replace('id: demo', 'id: Demo!'));
  assert.equal(errs[0]?.line, 1);
  assert.equal(errs[0]?.path, 'id');
  const dup = validatePolicyYaml(`${GOOD}${second}`);
  assert.ok(!dup.ok);
  assert.ok(
    !dup.ok &&
      dup.errors.some((e) => e.path === 'checks.1.id' && e.line === 14 && /duplicate/.test(e.message)),
  );
});

test('duplicate keys are a syntax error, not a silent overwrite', () => {
  const errs = errorsOf(GOOD.replace('title: Demo\n', 'title: Demo\ntitle: Other\n'));
  assert.equal(errs[0]?.line, 3);
});
