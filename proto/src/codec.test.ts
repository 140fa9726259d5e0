import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Long from 'long';
import {
  DecodeError,
  SignPurpose,
  decodeAgentEnvelope,
  decodeHubEnvelope,
  encodeAgentEnvelope,
  encodeHubEnvelope,
  generateEd25519,
  privateKeyFromPem,
  rawPublicKey,
  signPayload,
  toBigInt,
  toLong,
  toSafeNumber,
  verifyPayload,
  watchpost,
} from './index.js';

const v1 = watchpost.v1;

test('agent envelope round trip keeps every body and 64-bit seq exactly', () => {
  const bigSeq = 2n ** 60n + 7n;
  const inv = encodeAgentEnvelope({
    seq: toLong(bigSeq),
    messageId: '6f1c0a52-0000-4000-8000-000000000001',
    createdAtMs: toLong(1_764_000_000_000, false),
    inventory: {
      collectedAtMs: toLong(1_764_000_000_000, false),
      sections: ['packages', 'host'],
      unchangedSections: ['processes'],
      digests: { packages: 'ab'.repeat(32) },
      host: { hostname: 'web-01', osId: 'debian', osVersion: '12', memoryBytes: toLong(2n ** 40n) },
      packages: [
        {
          name: 'openssl',
          version: '3.0.15-1~deb12u1',
          arch: 'amd64',
          manager: 'dpkg',
          sourceName: '',
          sourceVersion: '',
        },
      ],
    },
  });
  const back = decodeAgentEnvelope(inv);
  assert.equal(back.body, 'inventory');
  assert.equal(toBigInt(back.seq), bigSeq);
  assert.equal(back.inventory?.packages?.[0]?.version, '3.0.15-1~deb12u1');
  assert.equal(toBigInt(back.inventory?.host?.memoryBytes), 2n ** 40n);
  assert.deepEqual(back.inventory?.unchangedSections, ['processes']);
  assert.equal(back.inventory?.digests?.packages, 'ab'.repeat(32));

  for (const body of [
    { heartbeat: { outboxMessages: toLong(12), collectionPaused: true } },
    {
      taskProgress: { taskId: 't1', state: v1.TaskState.TASK_STATE_RUNNING, counter: toLong(9), percent: 50 },
    },
    { taskResult: { taskId: 't1', state: v1.TaskState.TASK_STATE_SUCCEEDED, summaryJson: '{"count":1}' } },
    { agentEvent: { code: 'OUTBOX_FULL', severity: v1.Severity.SEVERITY_HIGH, details: { bytes: '1' } } },
    { hello: { agentId: 'a', signature: randomBytes(64), appliedPolicies: [{ policyId: 'p', version: 3 }] } },
    { enroll: { token: 'wpe_x', publicKey: randomBytes(32), signature: randomBytes(64) } },
  ]) {
    const env = decodeAgentEnvelope(encodeAgentEnvelope({ seq: toLong(1), messageId: 'm', ...body }));
    assert.equal(env.body, Object.keys(body)[0]);
  }
});

test('hub envelope round trip: ack, reject, signed task', () => {
  const ack = decodeHubEnvelope(encodeHubEnvelope({ ack: { upToSeq: toLong(2n ** 53n + 1n) } }));
  assert.equal(ack.body, 'ack');
  assert.equal(toBigInt(ack.ack?.upToSeq), 2n ** 53n + 1n);
  const task = v1.Task.encode({
    taskId: 't',
    agentId: 'a',
    hubSeq: toLong(4),
    pipelineProbe: { count: 10 },
  }).finish();
  const env = decodeHubEnvelope(
    encodeHubEnvelope({ seq: toLong(4), task: { task, signature: randomBytes(64) } }),
  );
  const decoded = v1.Task.decode(env.task!.task!);
  assert.equal(decoded.params, 'pipelineProbe');
  assert.equal(decoded.pipelineProbe?.count, 10);
  const rej = decodeHubEnvelope(
    encodeHubEnvelope({ reject: { seq: toLong(0), code: 'AUTH_FAILED', reason: 'x' } }),
  );
  assert.equal(rej.reject?.code, 'AUTH_FAILED');
});

test('garbage decodes to a DecodeError with code BAD_FRAME, never a crash', () => {
  let failures = 0;
  for (let i = 0; i < 500; i++) {
    try {
      decodeAgentEnvelope(randomBytes(1 + (i % 64)));
    } catch (err) {
      assert.ok(err instanceof DecodeError);
      assert.equal(err.code, 'BAD_FRAME');
      failures++;
    }
  }
  assert.ok(failures > 0, 'random bytes are mostly undecodable');
  assert.throws(() => decodeHubEnvelope(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), DecodeError);
});

test('integer helpers refuse silent precision loss', () => {
  assert.equal(toSafeNumber(Long.fromNumber(42)), 42);
  assert.throws(() => toSafeNumber(toLong(2n ** 60n)), RangeError);
  assert.equal(toBigInt(undefined), 0n);
  assert.equal(toBigInt('18446744073709551615'), 2n ** 64n - 1n);
});

test('signatures are bound to their purpose, key and bytes', () => {
  const keys = generateEd25519();
  const key = privateKeyFromPem(keys.privateKeyPem);
  assert.deepEqual(rawPublicKey(key), keys.publicKeyRaw);
  const data = Buffer.from('task bytes');
  const sig = signPayload(key, SignPurpose.TASK, data);
  assert.equal(verifyPayload(keys.publicKeyRaw, sig, SignPurpose.TASK, data), true);
  assert.equal(verifyPayload(keys.publicKeyRaw, sig, SignPurpose.POLICY, data), false, 'other purpose');
  assert.equal(
    verifyPayload(keys.publicKeyRaw, sig, SignPurpose.TASK, Buffer.from('task bytez')),
    false,
    'other bytes',
  );
  assert.equal(
    verifyPayload(generateEd25519().publicKeyRaw, sig, SignPurpose.TASK, data),
    false,
    'other key',
  );
  assert.equal(verifyPayload(keys.publicKeyRaw, sig.subarray(1), SignPurpose.TASK, data), false, 'truncated');
  assert.equal(verifyPayload(Buffer.alloc(3), sig, SignPurpose.TASK, data), false, 'malformed key');
});
