// The SCA importer on a hand-made policy (every rule form, variables, compliance, traps) and on
// the real Wazuh policies in $WATCHPOST_FIXTURES/sca (skipped with a reason when absent).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PolicyCheck, PolicyRule } from '@watchpost/proto';
import { importScaPolicy, ScaImportError } from './import.js';

const handmade = readFileSync(new URL('./testdata/handmade-sca.yml', import.meta.url), 'utf8');
const r = importScaPolicy(handmade);
const check = (id: string): PolicyCheck => {
  const c = r.document.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id}`);
  return c;
};
const rule = (id: string, i: number): PolicyRule => {
  const x = check(id).rules[i];
  assert.ok(x, `rule ${i} of ${id}`);
  return x;
};

test('policy header: id normalised, version from the name, requirements kept', () => {
  assert.equal(r.document.id, 'handmade_sca');
  assert.equal(r.document.version, '2.3');
  assert.equal(r.document.requirements?.condition, 'any');
  assert.deepEqual(r.document.requirements?.rules[0], {
    kind: 'file',
    path: '/proc/sys/kernel/ostype',
    tests: [{ type: 'regex', pattern: 'Linux', ignoreCase: true, negate: false }],
    negate: false,
  });
  assert.deepEqual(r.stats, { checks: 5, rules: 16, unsupportedRules: 2, checksWithUnsupported: 2 });
});

test('numeric SCA ids become strings; compliance lists merge; the CIS id comes from the comment', () => {
  const c = check('1001');
  assert.deepEqual(c.compliance, { pci_dss: ['2.2.4'], nist_800_53: ['CM.1'], cis: ['5.2.4'] });
  assert.match(c.description ?? '', /References: https:\/\/example\.invalid\/ref/);
  assert.deepEqual(check('1002').compliance, { cis: ['1.2.3', '4.5'], 'mitre.technique': ['T1110'] });
});

test('variables are substituted; `!r:` negates one minterm, `&&` keeps all on one line, `not` negates the rule', () => {
  assert.deepEqual(rule('1001', 0), {
    kind: 'file',
    path: '/etc/ssh/sshd_config',
    tests: [
      { type: 'regex', pattern: '^#', ignoreCase: true, negate: true },
      { type: 'regex', pattern: 'PermitRootLogin +no', ignoreCase: true, negate: false },
    ],
    negate: false,
  });
  const notRule = rule('1001', 1);
  assert.equal(notRule.kind === 'file' && notRule.negate, true);
});

test('n: becomes a numeric test on the FIRST capture (later groups non-capturing)', () => {
  assert.deepEqual(rule('1002', 0), {
    kind: 'file',
    path: '/etc/ssh/sshd_config',
    tests: [
      {
        type: 'numeric',
        pattern: '^MaxAuthTries +([0-9]+)',
        op: 'le',
        value: 4,
        ignoreCase: true,
        negate: false,
      },
    ],
    negate: false,
  });
  const cmd = rule('1002', 1);
  assert.equal(cmd.kind, 'command');
  const t = cmd.kind === 'command' ? cmd.tests?.[0] : undefined;
  assert.equal(t?.type === 'numeric' && t.op, 'ne');
  assert.equal(t?.type === 'numeric' && new RegExp(t.pattern, 'i').exec('XMaxAuthTries 3')?.length, 2);
});

test('d: chains: directory → entry name (regex or exact) → content', () => {
  assert.deepEqual(rule('1003', 0), {
    kind: 'directory',
    path: '/etc/ssh',
    recursive: true,
    name: { type: 'regex', pattern: '^sshd_config$', ignoreCase: true, negate: false },
    tests: [
      { type: 'regex', pattern: '^Ciphers', ignoreCase: true, negate: false },
      { type: 'regex', pattern: 'cbc', ignoreCase: true, negate: false },
    ],
    negate: false,
  });
  const exact = rule('1003', 1);
  assert.deepEqual(exact.kind === 'directory' && exact.name, {
    type: 'literal',
    value: 'cron-file',
    negate: false,
  });
  assert.equal(check('1003').condition, 'none');
});

test('p:, c:, bare literals (whole line, case-insensitive) and r: registry → unsupported', () => {
  assert.deepEqual(rule('1004', 0), {
    kind: 'process',
    tests: [{ type: 'regex', pattern: '^avahi-daemon$', ignoreCase: true, negate: false }],
    negate: false,
  });
  assert.equal(rule('1004', 1).kind === 'process' && (rule('1004', 1) as { negate: boolean }).negate, true);
  const literal = rule('1004', 2);
  const lt = literal.kind === 'command' ? literal.tests?.[0] : undefined;
  assert.ok(lt?.type === 'regex' && new RegExp(lt.pattern, 'i').test('ENABLED'));
  assert.ok(lt?.type === 'regex' && !new RegExp(lt.pattern, 'i').test('enabled-runtime'));
  const reg = rule('1004', 3);
  assert.equal(reg.kind, 'unsupported');
  assert.match(reg.kind === 'unsupported' ? reg.reason : '', /registry/);
  const bare = rule('1004', 4);
  assert.ok(bare.kind === 'command' && bare.command === 'id' && bare.tests === undefined && !bare.negate);
});

test('traps: `$name` that is no variable stays literal; PCRE-looking `.+` is literal and warned about', () => {
  const nginx = rule('1005', 0);
  const t = nginx.kind === 'file' ? nginx.tests?.[0] : undefined;
  assert.ok(t?.type === 'regex');
  assert.equal(new RegExp(t.pattern, 'i').test('log_format main $remote_addr'), false);
  assert.ok(r.warnings.some((w) => w.checkId === '1005' && /reads literally/.test(w.message)));
  const bad = rule('1005', 2);
  assert.equal(bad.kind, 'unsupported');
  assert.ok(r.warnings.some((w) => w.rule === 'f:/etc/issue -> r:\\v' && /unsupported/.test(w.message)));
});

test('not an SCA policy / broken YAML → ScaImportError with a line when known', () => {
  assert.throws(() => importScaPolicy('checks: []\n'), ScaImportError);
  assert.throws(
    () => importScaPolicy('policy:\n  id: x\nchecks:\n  - id: 1\n    rules: [\n'),
    (e: unknown) => e instanceof ScaImportError && e.line !== null,
  );
  assert.throws(
    () => importScaPolicy('policy: {id: x, regex_type: pcre2}\nchecks: [{id: 1, rules: ["f:/x"]}]\n'),
    /pcre2/,
  );
  // An alias bomb is refused as bad input (not a thrown ReferenceError → 500).
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 6; i++)
    bomb.push(
      `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
        .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
        .join(', ')}]`,
    );
  assert.throws(() => importScaPolicy(`${bomb.join('\n')}\n`), ScaImportError);
});

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? '/work/shared/fixtures';
const real = [
  { file: 'wazuh-cis_debian12.yml', id: 'cis_debian12', checks: 207 },
  { file: 'wazuh-cis_nginx_1.yml', id: 'cis_nginx1', checks: 48 },
  { file: 'wazuh-sca_distro_independent_linux.yml', id: 'sca_distro_independent_linux', checks: 190 },
];
for (const f of real) {
  const path = join(fixtures, 'sca', f.file);
  test(
    `real SCA policy ${f.file} imports`,
    { skip: existsSync(path) ? false : `fixture ${path} absent` },
    () => {
      const out = importScaPolicy(readFileSync(path, 'utf8'));
      console.log(`# ${f.file}: ${JSON.stringify(out.stats)}, ${out.warnings.length} warnings`);
      assert.equal(out.document.id, f.id);
      assert.equal(out.stats.checks, f.checks);
      assert.equal(out.document.checks.length, f.checks);
      const unsupported = out.document.checks.flatMap((c) => c.rules.filter((x) => x.kind === 'unsupported'));
      assert.equal(unsupported.length, out.stats.unsupportedRules);
      // Registry rules never occur on these Linux policies; what is unsupported says why.
      for (const u of unsupported)
        assert.ok(u.kind === 'unsupported' && u.reason.length > 20, JSON.stringify(u));
      assert.ok(out.stats.unsupportedRules < out.stats.rules / 20, 'nearly every rule translates');
    },
  );
}
