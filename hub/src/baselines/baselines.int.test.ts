// Baseline results through the real gateway, on SQLite and PostgreSQL: run history with the
// policy's titles, `baseline` findings created / resolved / reopened, compliance over time,
// on-demand evaluation tasks, malformed reports rejected whole, and tenant isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RejectCode, watchpost } from '@watchpost/proto';
import { queryStore } from '../testing/index.js';
import { backends, baselineReport, startHarness, type Harness, type Json } from './testing-harness.js';

const POLICY = 'acme-ssh';
const POLICY_YAML = `
id: ${POLICY}
title: ACME SSH hardening
version: "1.0"
checks:
  - id: ssh-root
    title: SSH root login is disabled
    rationale: Direct root logins leave no trail of who acted.
    remediation: Set "PermitRootLogin no" in /etc/ssh/sshd_config and reload sshd.
    severity: high
    rules:
      - kind: file
        path: /etc/ssh/sshd_config
        tests:
          - { type: regex, pattern: '^\\s*PermitRootLogin\\s+no', ignoreCase: true }
  - id: ip-forward
    title: IP forwarding is off
    rationale: A host that is not a router must not route.
    remediation: sysctl -w net.ipv4.ip_forward=0
    severity: low
    rules:
      - kind: sysctl
        key: net.ipv4.ip_forward
        tests: [{ type: literal, value: "0" }]
`;
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, d, h));
const rootEvidence = [
  {
    rule: 'f:/etc/ssh/sshd_config -> r:^PermitRootLogin no',
    target: '/etc/ssh/sshd_config',
    found: 'PermitRootLogin yes',
    matched: false,
  },
];

for (const backend of backends('baselines')) {
  describe(`baselines (${backend.name})`, () => {
    let h: Harness;
    /** The id agents know the policy by (PolicyUpdate.policy_id): the policy row's id. */
    let wireId = '';
    const findingsOf = async () =>
      ((await h.api('GET', `/findings?type=baseline&assetId=${h.assetId}`)).body['items'] as Json[]) ?? [];

    before(async () => {
      h = await startHarness(backend.pg);
      const created = await h.api('POST', '/policies', { yaml: POLICY_YAML });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      wireId = String(created.body['id']);
    });
    after(async () => h?.stop());

    test('a failing check becomes a finding; the run keeps titles, severity and evidence', async () => {
      // Named by its wire id, as agents do; stored under the policy key.
      await h.send({
        baselineReport: baselineReport(
          wireId,
          day(1),
          { 'ssh-root': 'fail', 'ip-forward': 'pass' },
          { 'ssh-root': rootEvidence },
        ),
      });
      const runs = await h.api('GET', `/baselines/runs?asset=${h.assetId}&policy=${POLICY}`);
      assert.equal(runs.body['total'], 1);
      const run = (runs.body['items'] as Json[])[0] as Json;
      assert.equal(run['policyTitle'], 'ACME SSH hardening');
      assert.equal(run['score'], 50);
      const detail = await h.api('GET', `/baselines/runs/${String(run['id'])}`);
      const root = (detail.body['results'] as Json[]).find((r) => r['checkId'] === 'ssh-root') as Json;
      assert.equal(root['status'], 'fail');
      assert.equal(root['title'], 'SSH root login is disabled');
      assert.equal(root['severity'], 'high');
      assert.match(String(root['remediation']), /PermitRootLogin no/);
      assert.deepEqual(root['evidence'], rootEvidence);
      const [finding] = await findingsOf();
      assert.equal(finding?.['id'], root['findingId']);
      assert.equal(finding?.['status'], 'open');
      assert.equal(finding?.['severity'], 'high');
      assert.equal(finding?.['ruleId'], 'ssh-root');
      const full = await h.api('GET', `/findings/${String(finding?.['id'])}`);
      assert.match(String(full.body['description']), /Remediation: Set "PermitRootLogin no"/);
      const ev = (full.body['evidences'] as Json[])[0] as Json;
      assert.deepEqual((ev['details'] as Json)['evidence'], rootEvidence);
    });

    test('a later passing run resolves the finding; failing again reopens the same one', async () => {
      await h.send({
        baselineReport: baselineReport(POLICY, day(2), { 'ssh-root': 'pass', 'ip-forward': 'pass' }),
      });
      let [f] = await findingsOf();
      assert.equal(f?.['status'], 'resolved');
      // An error decides nothing: the resolved finding stays resolved, no new one appears.
      await h.send({
        baselineReport: baselineReport(POLICY, day(2, 12), { 'ssh-root': 'error', 'ip-forward': 'pass' }),
      });
      assert.equal((await findingsOf())[0]?.['status'], 'resolved');
      await h.send({
        baselineReport: baselineReport(POLICY, day(3), { 'ssh-root': 'fail', 'ip-forward': 'na' }),
      });
      const all = await findingsOf();
      assert.equal(all.length, 1, 'one finding per asset × policy × check');
      [f] = all;
      assert.equal(f?.['status'], 'reopened');
      assert.equal(f?.['recurrenceCount'], 1);
      const asset = await h.api('GET', `/assets/${h.assetId}/baseline`);
      const latest = (asset.body['policies'] as Json[])[0] as Json;
      assert.equal(latest['startedAt'], day(3).toISOString());
      assert.deepEqual(
        (latest['results'] as Json[]).map((r) => [r['checkId'], r['status']]),
        [
          ['ip-forward', 'not_applicable'],
          ['ssh-root', 'fail'],
        ],
      );
    });

    test('compliance % over time: the latest run per asset × policy in each day', async () => {
      const q = `from=${day(1, 0).toISOString()}&to=${day(4, 0).toISOString()}&bucket=day`;
      for (const by of ['tenant', 'asset', 'policy']) {
        const r = await h.api('GET', `/baselines/compliance?by=${by}&${q}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const [series] = r.body['series'] as { key: string; points: Json[] }[];
        assert.equal(series?.key, by === 'tenant' ? 'tenant' : by === 'asset' ? h.assetId : POLICY);
        // day 1: 1/2; day 2: the error run (12:00) is latest: 1 passed of 1 decided; day 3: 0/1.
        assert.deepEqual(
          series?.points.map((p) => p['compliance']),
          [50, 100, 0, 0],
        );
      }
      const bad = await h.api('GET', '/baselines/compliance?bucket=minute');
      assert.equal(bad.status, 400);
      assert.equal(bad.body['code'], 'VALIDATION_FAILED');
    });

    test('a malformed report is rejected whole: nothing half-stored', async () => {
      const target = { dataDir: h.hub.dataDir, databaseUrl: h.hub.databaseUrl };
      const count = async () =>
        Number((await queryStore(target, 'SELECT COUNT(*) AS n FROM baseline_runs'))[0]?.['n']);
      const before = await count();
      const lying = baselineReport(POLICY, day(4), { 'ssh-root': 'fail', 'ip-forward': 'pass' });
      lying.failed = 0; // the summary contradicts the results
      assert.equal(await h.sendRejected({ baselineReport: lying }), RejectCode.INVALID_MESSAGE);
      const huge = baselineReport(
        POLICY,
        day(4),
        { 'ssh-root': 'fail' },
        {
          'ssh-root': [{ rule: 'x', target: '/etc/x', found: 'y'.repeat(513), matched: false }],
        },
      );
      assert.equal(await h.sendRejected({ baselineReport: huge }), RejectCode.LIMIT_EXCEEDED);
      const badPolicy = baselineReport('Not A Policy', day(4), { 'ssh-root': 'pass' });
      assert.equal(await h.sendRejected({ baselineReport: badPolicy }), RejectCode.INVALID_MESSAGE);
      assert.equal(await count(), before);
      assert.equal((await findingsOf())[0]?.['lastSeenAt'], day(3).toISOString());
    });

    test('evaluate on demand: one signed BaselineEvaluate task per agent', async () => {
      const r = await h.api('POST', '/baselines/evaluate', {
        assetIds: [h.assetId],
        policyIds: [POLICY],
        snapshot: true,
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const [t] = r.body['tasks'] as Json[];
      assert.equal(t?.['agentId'], h.agent.agentId);
      const env = await h.client.next((m) => m.body === 'task');
      const task = watchpost.v1.Task.decode(env.task!.task!);
      assert.equal(task.taskId, t?.['taskId']);
      assert.deepEqual(task.baselineEvaluate?.policyIds, [wireId], 'agents know policies by wire id');
      assert.equal(task.baselineEvaluate?.snapshot, true);
      const none = await h.api('POST', '/baselines/evaluate', {});
      assert.equal(none.status, 400);
      const unknown = await h.api('POST', '/baselines/evaluate', {
        assetIds: [h.assetId],
        policyIds: ['nope'],
      });
      assert.equal(unknown.status, 404);
    });

    test('another tenant sees none of it (404 for foreign ids)', async () => {
      const runs = await h.api('GET', `/baselines/runs`);
      const id = String(((runs.body['items'] as Json[])[0] as Json)['id']);
      assert.equal((await h.api('GET', `/baselines/runs/${id}`, undefined, h.tokenOther)).status, 404);
      assert.equal(
        (await h.api('GET', `/assets/${h.assetId}/baseline`, undefined, h.tokenOther)).status,
        404,
      );
      assert.equal(
        (await h.api('GET', `/baselines/runs?asset=${h.assetId}`, undefined, h.tokenOther)).body['total'],
        0,
      );
      const other = await h.api('GET', '/baselines/compliance?by=tenant', undefined, h.tokenOther);
      assert.deepEqual(other.body['series'], []);
      const evalOther = await h.api(
        'POST',
        '/baselines/evaluate',
        { agentIds: [h.agent.agentId] },
        h.tokenOther,
      );
      assert.equal(evalOther.status, 404);
    });
  });
}
