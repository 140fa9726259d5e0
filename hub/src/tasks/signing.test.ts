import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { rawPublicKey, SignPurpose, verifyPayload, watchpost } from '@watchpost/proto';
import { signTask } from './signing.js';

test('a signed task verifies with the hub public key and round-trips its fields', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signed = signTask(privateKey, {
    taskId: 't1',
    agentId: 'a1',
    hubSeq: 7n,
    issuedAt: new Date(1000),
    expiresAt: new Date(2000),
    kind: 'pipeline_probe',
    params: { count: 10, payloadBytes: 16 },
  });
  const pub = rawPublicKey(publicKey);
  assert.ok(verifyPayload(pub, signed.signature!, SignPurpose.TASK, signed.task!));
  // Domain separation: the same bytes do not verify as a policy.
  assert.equal(verifyPayload(pub, signed.signature!, SignPurpose.POLICY, signed.task!), false);
  const t = watchpost.v1.Task.decode(signed.task!);
  assert.equal(t.hubSeq.toString(), '7');
  assert.equal(t.expiresAtMs.toString(), '2000');
  assert.deepEqual([t.pipelineProbe?.count, t.pipelineProbe?.payloadBytes], [10, 16]);
  assert.equal(t.params, 'pipelineProbe');
});

test('collect_inventory carries full; an unknown kind is refused', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const base = { taskId: 't', agentId: 'a', hubSeq: 1n, issuedAt: new Date(0), expiresAt: new Date(1) };
  const t = watchpost.v1.Task.decode(
    signTask(privateKey, { ...base, kind: 'collect_inventory', params: { full: true } }).task!,
  );
  assert.equal(t.collectInventory?.full, true);
  assert.throws(() => signTask(privateKey, { ...base, kind: 'rm_rf', params: {} }), /unknown task kind/);
});

test('scan and cancel tasks carry their params; an unknown scan profile is refused', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const base = { taskId: 't', agentId: 'a', hubSeq: 1n, issuedAt: new Date(0), expiresAt: new Date(1) };
  const scanParams = {
    scanId: 's1',
    targets: ['127.0.0.1', '::1/128'],
    profile: 'top-ports',
    ports: '',
    topPorts: 200,
    maxRate: 50,
    timeoutS: 300,
    credentialChecks: true,
    windowEndMs: 1_800_000_000_000,
  };
  const scan = watchpost.v1.Task.decode(
    signTask(privateKey, { ...base, kind: 'scan', params: scanParams }).task!,
  );
  assert.equal(scan.params, 'scan');
  assert.equal(scan.scan?.scanId, 's1');
  assert.deepEqual(scan.scan?.targets, ['127.0.0.1', '::1/128']);
  assert.equal(scan.scan?.profile, watchpost.v1.ScanProfile.SCAN_PROFILE_TOP_PORTS);
  assert.deepEqual(
    [scan.scan?.topPorts, scan.scan?.maxRate, scan.scan?.timeoutS, scan.scan?.credentialChecks],
    [200, 50, 300, true],
  );
  assert.equal(scan.scan?.windowEndMs?.toString(), '1800000000000');
  const cancel = watchpost.v1.Task.decode(
    signTask(privateKey, { ...base, kind: 'cancel', params: { taskId: 'victim' } }).task!,
  );
  assert.equal(cancel.cancel?.taskId, 'victim');
  assert.throws(
    () => signTask(privateKey, { ...base, kind: 'scan', params: { ...scanParams, profile: 'udp-all' } }),
    /unknown scan profile/,
  );
});
