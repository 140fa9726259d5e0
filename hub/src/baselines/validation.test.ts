import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RejectCode, toLong, watchpost } from '@watchpost/proto';
import { baselineReport } from './testing-harness.js';
import { driftKeyMatches, checkTargets, policySource } from './targets.js';
import { checkBaselineReport } from './validation.js';

const at = new Date(Date.UTC(2026, 10, 1));

describe('checkBaselineReport', () => {
  test('a consistent report passes', () => {
    assert.equal(
      checkBaselineReport(baselineReport('cis-debian12', at, { a: 'pass', b: 'fail', c: 'na' })),
      null,
    );
  });

  test('each broken field is named, with the right reject code', () => {
    const cases: [string, (r: watchpost.v1.IBaselineReport) => void, string, RegExp][] = [
      ['no run id', (r) => (r.runId = ''), RejectCode.INVALID_MESSAGE, /run_id/],
      ['policy id with upper case', (r) => (r.policyId = 'CIS'), RejectCode.INVALID_MESSAGE, /policy_id/],
      [
        'no start time',
        (r) => (r.startedAtMs = toLong(0, false)),
        RejectCode.INVALID_MESSAGE,
        /started_at_ms/,
      ],
      ['score over 100', (r) => (r.score = 101), RejectCode.INVALID_MESSAGE, /score/],
      ['counts that lie', (r) => (r.passed = 5), RejectCode.INVALID_MESSAGE, /passed \(5\)/],
      ['duplicate check', (r) => r.results?.push({ ...r.results[0] }), RejectCode.INVALID_MESSAGE, /twice/],
      ['status unspecified', (r) => (r.results![0]!.status = 0), RejectCode.INVALID_MESSAGE, /unspecified/],
      [
        'too many evidences',
        (r) => (r.results![0]!.evidence = Array.from({ length: 17 }, () => ({ rule: 'r' }))),
        RejectCode.LIMIT_EXCEEDED,
        /16 evidences/,
      ],
      ['NUL in a reason', (r) => (r.results![0]!.reason = 'a\u0000b'), RejectCode.INVALID_MESSAGE, /NUL/],
      [
        'NUL in evidence',
        (r) => (r.results![0]!.evidence = [{ rule: 'f:/etc/x', target: '/etc/x', found: 'a\u0000b' }]),
        RejectCode.INVALID_MESSAGE,
        /NUL/,
      ],
    ];
    for (const [name, mutate, code, reason] of cases) {
      const r = baselineReport('p', at, { a: 'pass', b: 'fail' });
      mutate(r);
      const rej = checkBaselineReport(r);
      assert.equal(rej?.code, code, name);
      assert.match(rej?.reason ?? '', reason, name);
    }
  });
});

describe('check targets and drift keys', () => {
  test('targets come from the rules and from the evidence', () => {
    const targets = checkTargets(
      {
        id: 'c',
        title: 't',
        rationale: '',
        remediation: '',
        severity: 'medium',
        compliance: {},
        condition: 'all',
        rules: [
          { kind: 'sysctl', key: 'net.ipv4.ip_forward', tests: [], negate: false },
          { kind: 'port', port: 22, protocol: 'tcp', negate: false },
          { kind: 'package', name: 'telnetd', negate: true },
        ],
      },
      ['/etc/ssh/sshd_config', ''],
    );
    assert.deepEqual(targets, ['net.ipv4.ip_forward', 'tcp/22', 'telnetd', '/etc/ssh/sshd_config']);
  });

  test('drift keys match their target, per kind', () => {
    assert.ok(driftKeyMatches('file', '/etc/ssh/sshd_config', ['/etc/ssh/sshd_config']));
    assert.ok(driftKeyMatches('file', '/etc/ssh/sshd_config', ['/etc/ssh/']));
    assert.ok(!driftKeyMatches('file', '/etc/ssh/sshd_config.bak', ['/etc/ssh/sshd_config']));
    assert.ok(driftKeyMatches('package', 'telnetd:amd64', ['telnetd']));
    assert.ok(driftKeyMatches('service', 'ssh.service', ['ssh']));
    assert.ok(driftKeyMatches('port', 'tcp/0.0.0.0:22', ['tcp/22']));
    assert.ok(!driftKeyMatches('port', 'udp/0.0.0.0:22', ['tcp/22']));
    assert.ok(driftKeyMatches('sysctl', 'net.ipv4.ip_forward', ['net.ipv4.ip_forward']));
    assert.ok(!driftKeyMatches('sysctl', 'net.ipv4.ip_forward', ['net.ipv6.conf.all.forwarding']));
  });

  test('the findings source fits 64 chars for any policy id', () => {
    assert.equal(policySource('cis-debian12'), 'baseline:cis-debian12');
    const long = policySource('x'.repeat(128));
    assert.ok(long.length <= 64 && long.startsWith('baseline:'));
  });
});
