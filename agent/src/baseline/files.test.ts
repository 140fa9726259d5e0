// Golden tests: file, directory and file_stat rules on hand-made trees.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { byId, evaluateTree, makeTree, policy, type RuleInput, type TestInput } from './testing/tree.js';
import type { PolicyOutcome } from './types.js';

const SSHD = [
  '# managed by hand',
  '#PermitRootLogin no',
  'PermitRootLogin No',
  'MaxAuthTries 6',
  'Protocol 2',
  'X11Forwarding no',
  'PermitEmptyPasswords no',
  '',
].join('\n');

describe('file rules', () => {
  let tree: ReturnType<typeof makeTree>;
  let out: PolicyOutcome;
  before(async () => {
    tree = makeTree({
      '/etc/ssh/sshd_config': SSHD,
      '/etc/app.conf': 'listen 8080\ndb_password = hunter2\n',
      '/etc/long.conf': `${'a'.repeat(70 * 1024)}NEEDLE\n`,
      '/etc/empty.conf': '',
    });
    const f = (path: string, tests?: TestInput[], negate = false): RuleInput => ({
      kind: 'file',
      path,
      negate,
      ...(tests ? { tests } : {}),
    });
    const r = (pattern: string, extra: { ignoreCase?: boolean; negate?: boolean } = {}): TestInput => ({
      type: 'regex',
      pattern,
      ...extra,
    });
    const doc = policy([
      { id: 'exists', rules: [f('/etc/ssh/sshd_config')] },
      { id: 'missing', rules: [f('/etc/nope.conf')] },
      { id: 'missing-negated', rules: [f('/etc/nope.conf', undefined, true)] },
      // Case trap: "No" is not "no" unless ignoreCase is set.
      { id: 'case-trap', rules: [f('/etc/ssh/sshd_config', [r('^PermitRootLogin\\s+no')])] },
      {
        id: 'case-ignored',
        rules: [f('/etc/ssh/sshd_config', [r('^PermitRootLogin\\s+no', { ignoreCase: true })])],
      },
      {
        id: 'numeric-le4',
        rules: [
          f('/etc/ssh/sshd_config', [
            { type: 'numeric', pattern: '^MaxAuthTries\\s+(\\d+)', op: 'le', value: 4 },
          ]),
        ],
      },
      {
        id: 'numeric-le6',
        rules: [
          f('/etc/ssh/sshd_config', [
            { type: 'numeric', pattern: '^MaxAuthTries\\s+(\\d+)', op: 'le', value: 6 },
          ]),
        ],
      },
      { id: 'literal', rules: [f('/etc/ssh/sshd_config', [{ type: 'literal', value: 'Protocol 2' }])] },
      // ONE line must satisfy ALL tests: these two hold on different lines only.
      { id: 'and-one-line', rules: [f('/etc/ssh/sshd_config', [r('^Protocol'), r('no$')])] },
      {
        id: 'test-negate',
        rules: [f('/etc/ssh/sshd_config', [r('^PermitRootLogin'), r('\\sno$', { negate: true })])],
      },
      { id: 'rule-negate', rules: [f('/etc/ssh/sshd_config', [r('^PermitEmptyPasswords\\s+yes')], true)] },
      { id: 'content-missing-file', rules: [f('/etc/nope.conf', [r('.')])] },
      { id: 'none-missing-file', condition: 'none', rules: [f('/etc/nope.conf', [r('.')])] },
      { id: 'shadow-redacted', rules: [f('/etc/shadow', [r('^root:')])] },
      { id: 'value-redacted', rules: [f('/etc/app.conf', [r('password')])] },
      { id: 'long-line-guard', rules: [f('/etc/long.conf', [r('NEEDLE')])] },
      { id: 'bad-regex', rules: [f('/etc/ssh/sshd_config', [r('([')])] },
      { id: 'empty-file-negated-test', rules: [f('/etc/empty.conf', [r('^#', { negate: true })])] },
    ]);
    out = await evaluateTree(doc, tree.root);
  });
  after(() => tree.cleanup());

  const expectStatus: Array<[string, string]> = [
    ['exists', 'pass'],
    ['missing', 'fail'],
    ['missing-negated', 'pass'],
    ['case-trap', 'fail'],
    ['case-ignored', 'pass'],
    ['numeric-le4', 'fail'],
    ['numeric-le6', 'pass'],
    ['literal', 'pass'],
    ['and-one-line', 'fail'],
    ['test-negate', 'pass'],
    ['rule-negate', 'pass'],
    ['content-missing-file', 'fail'],
    ['none-missing-file', 'pass'],
    ['shadow-redacted', 'pass'],
    ['value-redacted', 'pass'],
    ['long-line-guard', 'fail'],
    ['bad-regex', 'error'],
    ['empty-file-negated-test', 'fail'],
  ];
  for (const [id, status] of expectStatus)
    test(`${id} → ${status}`, () =>
      assert.equal(byId(out)(id).status, status, JSON.stringify(byId(out)(id))));

  test('evidence shows the line found, the missing line, and never secrets', () => {
    const get = byId(out);
    assert.equal(get('case-ignored').evidence[0]?.found, 'PermitRootLogin No');
    assert.equal(get('case-trap').evidence[0]?.found, 'no matching line');
    assert.equal(get('missing').evidence[0]?.found, 'file not found');
    assert.equal(get('shadow-redacted').evidence[0]?.found, '<redacted>');
    assert.equal(get('value-redacted').evidence[0]?.found, 'db_password = <redacted>');
    assert.match(get('bad-regex').reason, /^invalid regex "\(\["/);
    assert.ok(!JSON.stringify(out).includes('secrethash'));
    assert.ok(!JSON.stringify(out).includes('hunter2'));
  });

  test('summary counts and score', () => {
    assert.equal(out.passed + out.failed + out.notApplicable + out.errors, expectStatus.length);
    assert.equal(out.errors, 1);
    assert.equal(out.score, (out.passed / (out.passed + out.failed)) * 100);
  });
});

describe('directory and file_stat rules', () => {
  let tree: ReturnType<typeof makeTree>;
  let out: PolicyOutcome;
  before(async () => {
    tree = makeTree({
      '/etc/cron.d/backup': '0 3 * * * root /usr/local/bin/backup\n',
      '/etc/cron.d/.placeholder': '',
      '/etc/sudoers.d/README': 'nothing here\n',
      '/etc/sudoers.d/team/ops': 'ops ALL=(ALL) NOPASSWD: ALL\n',
      '/etc/passwd-link': { symlink: '/etc/passwd' },
      '/etc/secret.conf': { content: 'x\n', mode: 0o4755 },
      '/etc/big.log': 'x'.repeat(8 * 1024 * 1024 + 1),
      '/run/app/app.conf': 'mode strict\n',
    });
    // A FIFO nobody writes to: opening it would hang the run.
    execFileSync('mkfifo', [`${tree.root}/run/app/a-control`]);
    const d = (extra: object): RuleInput => ({ kind: 'directory', ...extra }) as RuleInput;
    const s = (path: string, extra: object): RuleInput =>
      ({ kind: 'file_stat', path, ...extra }) as RuleInput;
    const doc = policy([
      { id: 'dir-name', rules: [d({ path: '/etc/cron.d', name: { type: 'regex', pattern: '^backup$' } })] },
      {
        id: 'dir-content',
        rules: [d({ path: '/etc/cron.d', tests: [{ type: 'regex', pattern: 'backup$' }] })],
      },
      {
        id: 'dir-flat',
        rules: [d({ path: '/etc/sudoers.d', tests: [{ type: 'regex', pattern: 'NOPASSWD' }] })],
      },
      {
        id: 'dir-recursive',
        rules: [
          d({ path: '/etc/sudoers.d', recursive: true, tests: [{ type: 'regex', pattern: 'NOPASSWD' }] }),
        ],
      },
      { id: 'dir-missing', rules: [d({ path: '/etc/nope.d' })] },
      {
        id: 'stat-passwd',
        rules: [s('/etc/passwd', { maxMode: '0644', owner: 'root', group: 'root', type: 'file' })],
      },
      { id: 'stat-shadow-0600', rules: [s('/etc/shadow', { maxMode: '0600' })] },
      { id: 'stat-setuid', rules: [s('/etc/secret.conf', { maxMode: '0755' })] },
      { id: 'stat-owner', rules: [s('/etc/passwd', { owner: 'alice' })] },
      { id: 'stat-dir', rules: [s('/etc', { type: 'directory' })] },
      { id: 'stat-symlink', rules: [s('/etc/passwd-link', { type: 'symlink' })] },
      { id: 'stat-missing', rules: [s('/etc/nope', { maxMode: '0644' })] },
      {
        id: 'dir-with-fifo',
        rules: [d({ path: '/run/app', tests: [{ type: 'regex', pattern: '^mode strict$' }] })],
      },
      {
        id: 'fifo-content',
        rules: [{ kind: 'file', path: '/run/app/a-control', tests: [{ type: 'regex', pattern: '.' }] }],
      },
      {
        id: 'too-large',
        rules: [{ kind: 'file', path: '/etc/big.log', tests: [{ type: 'regex', pattern: 'y' }] }],
      },
    ]);
    out = await evaluateTree(doc, tree.root);
  });
  after(() => tree.cleanup());

  const expectStatus: Array<[string, string]> = [
    ['dir-name', 'pass'],
    ['dir-content', 'pass'],
    ['dir-flat', 'fail'],
    ['dir-recursive', 'pass'],
    ['dir-missing', 'fail'],
    ['stat-passwd', 'pass'],
    ['stat-shadow-0600', 'fail'],
    ['stat-setuid', 'fail'],
    ['stat-owner', 'fail'],
    ['stat-dir', 'pass'],
    ['stat-symlink', 'pass'],
    ['stat-missing', 'fail'],
    ['dir-with-fifo', 'pass'],
    ['fifo-content', 'fail'],
    ['too-large', 'not_applicable'],
  ];
  for (const [id, status] of expectStatus)
    test(`${id} → ${status}`, () =>
      assert.equal(byId(out)(id).status, status, JSON.stringify(byId(out)(id))));

  test('evidence carries the actual mode and owner, the recursive hit, the size reason', () => {
    const get = byId(out);
    assert.match(
      get('stat-shadow-0600').evidence[0]?.found ?? '',
      /^mode 0640 owner root group root type file \(mode more permissive than 0600\)$/,
    );
    assert.match(get('stat-setuid').evidence[0]?.found ?? '', /^mode 4755/);
    assert.equal(get('dir-recursive').evidence[0]?.target, '/etc/sudoers.d/team/ops');
    assert.equal(get('too-large').reason, 'file too large: 8388609 bytes (limit 8 MiB)');
  });
});
