// A real hub and a real agent on 127.0.0.1, the agent's host root pointed at a temp dir: a policy
// whose `watch` covers /etc/app reaches the agent; its first full snapshot becomes the accepted
// baseline; a file changed several times in a burst produces ONE drift event with the right
// before/after (and a diff); accepting it moves the baseline, and a full snapshot taken afterwards
// raises nothing new.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentCli, createTenant, freePort, startAgent, startHub, tempDir, waitFor } from './lib/harness.js';
import { skipReason, storeCases } from './lib/stores.js';
import { queryStore } from '../../hub/src/testing/index.js';

const CONF = '/etc/app/app.conf';
const before = 'listen = 127.0.0.1\nsecure = yes\n';
const bursts = [
  'listen = 0.0.0.0\nsecure = yes\n',
  'listen = 0.0.0.0\nsecure = maybe\n',
  'listen = 0.0.0.0\nsecure = no\n',
];
const finalText = bursts.at(-1) as string;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const POLICY = `id: e2e-drift
title: E2E drift policy
version: "1.0"
checks:
  - id: app-secure
    title: The app runs in secure mode
    rationale: Insecure mode disables authentication.
    remediation: Set "secure = yes" in ${CONF}.
    severity: high
    rules:
      - kind: file
        path: ${CONF}
        tests: [{ type: regex, pattern: '^secure\\s*=\\s*yes' }]
watch:
  paths: [/etc/app]
  realtime: [/etc/app]
  state: []
  intervalS: 3600
`;

interface DriftEvent {
  id: string;
  kind: string;
  key: string;
  change: string;
  status: string;
  diff: string;
  coalesced: number;
  before: { digest: string; value: { sha256?: string } } | null;
  after: { digest: string; value: { sha256?: string } } | null;
}
interface BaselineItem {
  kind: string;
  key: string;
  digest: string;
  acceptedBy: string;
  reason: string;
}

for (const store of storeCases) {
  test(
    `drift with a real agent: one event per burst, accept moves the baseline (${store.name})`,
    { skip: skipReason(store) ?? false },
    async (t) => {
      const db = await store.create();
      const dir = tempDir('wp-e2e-drift-');
      t.after(async () => {
        await db.drop();
        dir.remove();
      });
      const root = join(dir.path, 'host');
      mkdirSync(join(root, 'etc/app'), { recursive: true });
      writeFileSync(join(root, CONF), before);

      const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort(), databaseUrl: db.databaseUrl };
      const hub = await startHub(hubOpts);
      t.after(() => hub.kill());
      const acme = await createTenant(hubOpts, hub.url, 'acme');
      const agentOpts = { dataDir: join(dir.path, 'agent') };
      mkdirSync(agentOpts.dataDir, { recursive: true });
      writeFileSync(
        join(agentOpts.dataDir, 'agent.json'),
        JSON.stringify({ baseline: { root }, drift: { coalesceMs: 500 }, inventoryIntervalS: 3600 }),
      );
      const enrolled = await agentCli(agentOpts, [
        'enroll',
        '--hub',
        hub.wsUrl,
        '--token',
        acme.enrollToken,
        '--json',
      ]);
      const { agentId } = JSON.parse(enrolled.stdout) as { agentId: string };
      const agent = startAgent(agentOpts);
      t.after(() => agent.kill());
      const { assetId } = await waitFor('agent online with an asset', async () => {
        const a = await acme.api.get<{ online: boolean; assetId: string | null }>(
          `/api/v1/agents/${agentId}`,
        );
        return a.online && a.assetId ? { assetId: a.assetId } : undefined;
      });

      const created = await acme.api.request<{ id: string }>('POST', '/api/v1/policies', { yaml: POLICY });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const assigned = await acme.api.request('PUT', `/api/v1/policies/${created.body.id}/assignment`, {
        agentIds: [agentId],
      });
      assert.equal(assigned.status, 200, JSON.stringify(assigned.body));

      const baseline = () =>
        acme.api.get<{ items: BaselineItem[] }>(`/api/v1/assets/${assetId}/drift-baseline`);
      const confItem = async () => (await baseline()).items.find((i) => i.kind === 'file' && i.key === CONF);
      const first = await waitFor('the first full snapshot becomes the accepted baseline', confItem);
      assert.equal(first.acceptedBy, 'first-snapshot');

      // A burst of writes to a watched file: the agent coalesces them into one change.
      for (const text of bursts) {
        writeFileSync(join(root, CONF), text);
        await new Promise((r) => setTimeout(r, 50));
      }
      const events = () =>
        acme.api.get<{ items: DriftEvent[]; total: number }>(`/api/v1/drift/events?asset=${assetId}`);
      const [event] = await waitFor('the drift event', async () => {
        const e = await events();
        return e.total > 0 ? e.items : undefined;
      });
      // Nothing more arrives for the same burst (coalescing window + ingest).
      await new Promise((r) => setTimeout(r, 3000));
      const all = await events();
      assert.equal(all.total, 1, JSON.stringify(all.items.map((e) => [e.kind, e.key, e.change])));
      assert.ok(event);
      assert.equal(event.kind, 'file');
      assert.equal(event.key, CONF);
      assert.equal(event.change, 'modified');
      assert.equal(event.status, 'open');
      assert.equal(event.before?.value.sha256, sha(before));
      assert.equal(event.after?.value.sha256, sha(finalText));
      assert.equal(event.before?.digest, first.digest);
      assert.match(event.diff, /^-listen = 127\.0\.0\.1$/m);
      assert.match(event.diff, /^\+secure = no$/m);

      const accepted = await acme.api.request<{ status: string; decidedBy: string }>(
        'POST',
        `/api/v1/drift/events/${event.id}/accept`,
        { reason: 'approved in CHG-7' },
      );
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      const moved = await confItem();
      assert.equal(moved?.digest, event.after?.digest);
      assert.equal(moved?.reason, 'approved in CHG-7');
      assert.equal(moved?.acceptedBy, accepted.body.decidedBy);

      // A full snapshot now (BaselineEvaluate{snapshot}) sees the accepted value: no new event.
      const evaluated = await acme.api.request<{ tasks: { taskId: string }[] }>(
        'POST',
        '/api/v1/baselines/evaluate',
        {
          agentIds: [agentId],
          snapshot: true,
        },
      );
      assert.equal(evaluated.status, 202, JSON.stringify(evaluated.body));
      const taskId = evaluated.body.tasks[0]?.taskId ?? '';
      const done = await waitFor('evaluation task finished', async () => {
        const task = await acme.api.get<{ state: string }>(`/api/v1/tasks/${taskId}`);
        return ['succeeded', 'failed', 'refused'].includes(task.state) ? task : undefined;
      });
      assert.equal(done.state, 'succeeded');
      assert.equal((await events()).total, 1, 'the accepted value is not drift');
      // The evaluation's run is stored: the check fails on the accepted (insecure) value.
      const runs = await acme.api.get<{
        items: { id: string; failed: number; trigger: string; policyKey: string }[];
      }>(`/api/v1/baselines/runs?asset=${assetId}`);
      const rejects = await queryStore(hubOpts, 'SELECT body_kind, code, reason FROM ingest_rejects');
      assert.deepEqual(rejects, [], 'the agent sent nothing the hub refused');
      assert.ok(
        runs.items.some((r) => r.trigger === 'task' && r.failed === 1 && r.policyKey === 'e2e-drift'),
        JSON.stringify(runs.items),
      );
    },
  );
}
