// PolicyStore: a correctly signed document that fails the policy schema is refused with
// POLICY_INVALID (first zod issue in the details) and the last good version stays applied.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AgentEventCode, decodeAgentEnvelope, POLICY_FORMAT } from '@watchpost/proto';
import { pino } from 'pino';
import { Outbox } from '../outbox/index.js';
import { openStore } from '../state/store.js';
import { PolicyStore } from './policies.js';
import { GOOD_DOC, hubKeys as keys, signedPolicy } from './testing/signedPolicy.js';

const log = pino({ level: 'silent' });
test('invalid documents are refused with POLICY_INVALID and the last good version keeps running', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-policies-'));
  const store = await openStore(dir);
  t.after(async () => {
    await store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const outbox = await Outbox.open(store, 1 << 24, log);
  const deps = { store, outbox, agentId: 'agent-1', hubPublicKey: keys.publicKeyRaw, log };
  const policies = await PolicyStore.open(deps);
  const changes: Array<{ policyId: string; version: number; removed: boolean }> = [];
  policies.onChange((c) => changes.push(c));

  await policies.handle(signedPolicy(1, GOOD_DOC));
  const missingPath = { ...GOOD_DOC, checks: [{ ...GOOD_DOC.checks[0], rules: [{ kind: 'file' }] }] };
  await policies.handle(signedPolicy(2, missingPath));
  await policies.handle(signedPolicy(3, GOOD_DOC, { format: 'watchpost-policy/v1+yaml' }));
  await policies.handle(signedPolicy(4, '{not json'));

  assert.deepEqual(
    policies.active().map((p) => [p.policyId, p.version, p.document.title]),
    [['ssh-hardening', 1, 'SSH hardening']],
  );
  assert.deepEqual(changes, [{ policyId: 'ssh-hardening', version: 1, removed: false }]);
  const events = (await outbox.readAfter(0, 100))
    .map((e) => decodeAgentEnvelope(e.frame).agentEvent)
    .filter((e) => e?.code === AgentEventCode.POLICY_INVALID);
  assert.equal(events.length, 3);
  assert.deepEqual(
    events.map((e) => [e?.ref, e?.details?.['version'], e?.details?.['reason']]),
    [
      ['ssh-hardening', '2', 'checks.0.rules.0.path: Invalid input: expected string, received undefined'],
      ['ssh-hardening', '3', `format "watchpost-policy/v1+yaml" is not ${POLICY_FORMAT}`],
      ['ssh-hardening', '4', events[2]?.details?.['reason'] ?? ''],
    ],
  );
  assert.match(events[2]?.details?.['reason'] ?? '', /JSON/);

  // A valid newer version replaces the good one; removal drops it from evaluation.
  await policies.handle(signedPolicy(5, { ...GOOD_DOC, title: 'SSH hardening v2' }));
  assert.equal(policies.active()[0]?.document.title, 'SSH hardening v2');
  await policies.handle(signedPolicy(6, '', { removed: true }));
  assert.deepEqual(policies.active(), []);
  assert.deepEqual(
    changes.map((c) => [c.version, c.removed]),
    [
      [1, false],
      [5, false],
      [6, true],
    ],
  );

  // Reopened from the store: the same applied set, documents validated again.
  await policies.handle(signedPolicy(7, GOOD_DOC));
  const reopened = await PolicyStore.open(deps);
  assert.deepEqual(
    reopened.active().map((p) => p.version),
    [7],
  );
});

test('tampered, unsigned or replayed updates are refused and the applied version keeps running', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-policies-'));
  const store = await openStore(dir);
  t.after(async () => {
    await store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const outbox = await Outbox.open(store, 1 << 24, log);
  const policies = await PolicyStore.open({
    store,
    outbox,
    agentId: 'agent-1',
    hubPublicKey: keys.publicKeyRaw,
    log,
  });
  await policies.handle(signedPolicy(1, GOOD_DOC));

  const good = signedPolicy(2, { ...GOOD_DOC, title: 'evil' });
  const policy = Buffer.from(good.policy ?? new Uint8Array());
  const signature = good.signature ?? null;
  const tampered = Buffer.from(policy);
  tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
  await policies.handle({ policy: tampered, signature });
  await policies.handle({ policy, signature: new Uint8Array() });
  const longId = 'p'.repeat(10_000);
  await policies.handle({ policy: signedPolicy(3, GOOD_DOC, { policyId: longId }).policy ?? null });
  await policies.handle(signedPolicy(1, GOOD_DOC)); // replay of the applied version

  assert.deepEqual(
    policies.active().map((p) => [p.version, p.document.title]),
    [[1, 'SSH hardening']],
  );
  const events = (await outbox.readAfter(0, 100)).map((e) => decodeAgentEnvelope(e.frame).agentEvent);
  assert.deepEqual(
    events.map((e) => [e?.code, e?.ref]),
    [
      [AgentEventCode.POLICY_SIGNATURE_INVALID, 'ssh-hardening'],
      [AgentEventCode.POLICY_SIGNATURE_INVALID, 'ssh-hardening'],
      [AgentEventCode.POLICY_SIGNATURE_INVALID, 'p'.repeat(128)],
      [AgentEventCode.POLICY_REPLAYED, 'ssh-hardening'],
    ],
  );
});
