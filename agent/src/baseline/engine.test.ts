// Golden tests of the engine itself: SCA condition semantics with rules that cannot be
// evaluated, $variables, requirements and platforms, unreadable files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { combine } from './evaluate.js';
import { byId, evaluateTree, makeTree, policy, type FileRuleInput } from './testing/tree.js';
import { UNREADABLE_CHECK_IDS } from './testing/unreadable.js';
import type { PolicyOutcome, RuleVerdict } from './types.js';

const v = (state: RuleVerdict['state']): RuleVerdict =>
  state === 'invalid' ? { state, reason: 'why', evidence: [] } : { state, evidence: [] };

test('combine follows SCA: an unevaluable rule never passes a check', () => {
  const cases: Array<[Parameters<typeof combine>[0], RuleVerdict['state'][], string]> = [
    ['all', ['true', 'true'], 'pass'],
    ['all', ['invalid', 'false'], 'fail'],
    ['all', ['true', 'invalid'], 'not_applicable'],
    ['any', ['invalid', 'true'], 'pass'],
    ['any', ['false', 'invalid'], 'not_applicable'],
    ['any', ['false', 'false'], 'fail'],
    ['none', ['false', 'false'], 'pass'],
    ['none', ['invalid', 'true'], 'fail'],
    ['none', ['false', 'invalid'], 'not_applicable'],
  ];
  for (const [condition, states, expected] of cases)
    assert.equal(combine(condition, states.map(v)).status, expected, `${condition} ${states.join(',')}`);
  assert.equal(combine('all', [v('true'), v('invalid')]).reason, 'why');
});

describe('conditions, variables and requirements on a tree', () => {
  let tree: ReturnType<typeof makeTree>;
  let out: PolicyOutcome;
  before(async () => {
    tree = makeTree({
      '/etc/ssh/sshd_config': 'PermitRootLogin yes\n',
      '/etc/ssh/sshd_config.d/hardening.conf': 'PermitRootLogin no\n',
    });
    const root = (negate = false): FileRuleInput => ({
      kind: 'file',
      path: '$sshd_files',
      tests: [{ type: 'regex', pattern: '^PermitRootLogin\\s+$value' }],
      negate,
    });
    const doc = policy(
      [
        {
          id: 'all-fail-beats-na',
          condition: 'all',
          rules: [
            { kind: 'command', command: 'true' },
            { kind: 'file', path: '/etc/nope' },
          ],
        },
        {
          id: 'all-na',
          condition: 'all',
          rules: [
            { kind: 'file', path: '/etc/passwd' },
            { kind: 'command', command: 'true' },
          ],
        },
        {
          id: 'any-pass',
          condition: 'any',
          rules: [
            { kind: 'command', command: 'true' },
            { kind: 'file', path: '/etc/passwd' },
          ],
        },
        {
          id: 'none-pass',
          condition: 'none',
          rules: [
            { kind: 'file', path: '/etc/nope' },
            { kind: 'file', path: '/etc/passwd', tests: [{ type: 'regex', pattern: '^nobody:' }] },
          ],
        },
        // $sshd_files is a list: the rule holds when it holds for ANY file …
        { id: 'list-any', rules: [root()] },
        // … so its negation holds only when it holds for NONE (here one file says "yes").
        {
          id: 'list-negated',
          rules: [{ ...root(true), tests: [{ type: 'regex', pattern: '^PermitRootLogin\\s+yes' }] }],
        },
      ],
      {
        variables: {
          $sshd_files: ['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/hardening.conf'],
          value: 'no',
        },
      },
    );
    out = await evaluateTree(doc, tree.root);
  });
  after(() => tree.cleanup());

  test('statuses', () => {
    const get = byId(out);
    assert.equal(get('all-fail-beats-na').status, 'fail');
    assert.equal(get('all-na').status, 'not_applicable');
    assert.equal(get('all-na').reason, 'commands disabled on this agent');
    assert.equal(get('any-pass').status, 'pass');
    assert.equal(get('none-pass').status, 'pass');
    assert.equal(get('list-any').status, 'pass');
    assert.equal(get('list-any').evidence.at(-1)?.target, '/etc/ssh/sshd_config.d/hardening.conf');
    assert.equal(get('list-negated').status, 'fail');
    assert.equal(out.requirementsUnmet, false);
  });

  test('requirements not met: every check not_applicable with the reason', async () => {
    const doc = policy([{ id: 'c1', rules: [{ kind: 'file', path: '/etc/passwd' }] }], {
      requirements: {
        title: 'Red Hat Enterprise Linux 9',
        condition: 'any',
        rules: [{ kind: 'file', path: '/etc/redhat-release' }],
      },
    });
    const res = await evaluateTree(doc, tree.root);
    assert.equal(res.requirementsUnmet, true);
    assert.equal(res.requirementsReason, 'requirements not met: Red Hat Enterprise Linux 9');
    assert.deepEqual(
      res.results.map((r) => [r.status, r.reason]),
      [['not_applicable', 'requirements not met: Red Hat Enterprise Linux 9']],
    );
    assert.equal(res.score, 0);
  });

  test('platforms match os-release ID / ID_LIKE; linux always matches', async () => {
    const checks = [{ id: 'c1', rules: [{ kind: 'file' as const, path: '/etc/passwd' }] }];
    assert.equal((await evaluateTree(policy(checks, { platforms: ['debian'] }), tree.root)).passed, 1);
    assert.equal((await evaluateTree(policy(checks, { platforms: ['linux'] }), tree.root)).passed, 1);
    const rhel = await evaluateTree(policy(checks, { platforms: ['rhel', 'centos'] }), tree.root);
    assert.equal(rhel.requirementsUnmet, true);
    assert.equal(rhel.requirementsReason, 'requirements not met: platform debian is not one of rhel, centos');
  });
});

describe('unreadable files', () => {
  let tree: ReturnType<typeof makeTree>;
  before(() => {
    // Mode 000: unreadable by its owner too (root is handled below).
    tree = makeTree({ '/etc/ssh/sshd_config': { content: 'PermitRootLogin no\n', mode: 0o000 } });
    chmodSync(`${tree.root}/etc/shadow`, 0o000);
  });
  after(() => tree.cleanup());

  test('an unreadable file makes the rule not applicable, never a pass or a crash', () => {
    // root reads everything: evaluate in a child process without the capabilities that let it
    // ignore file modes (setpriv, util-linux). Still root, so it can read the repository even
    // where a checkout lives in a directory other users cannot enter.
    const helper = fileURLToPath(new URL('./testing/unreadable.ts', import.meta.url));
    const code = `import { printUnreadableResults } from ${JSON.stringify(helper)}; await printUnreadableResults(${JSON.stringify(tree.root)});`;
    const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', code];
    const argv =
      process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', ...node] : node;
    const stdout = execFileSync(argv[0] ?? '', argv.slice(1), {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      encoding: 'utf8',
    });
    const results = JSON.parse(stdout) as Record<string, { status: string; reason: string }>;
    assert.deepEqual(results['sshd'], { status: 'not_applicable', reason: 'file not readable: EACCES' });
    assert.deepEqual(results['empty-passwords'], {
      status: 'not_applicable',
      reason: 'file not readable: EACCES',
    });
    assert.equal(results['passwd']?.status, 'pass');
    assert.deepEqual(Object.keys(results), [...UNREADABLE_CHECK_IDS]);
  });
});
