// Test helper: PolicyUpdates signed by a throw-away hub key, as the hub would send them.
import {
  generateEd25519,
  POLICY_FORMAT,
  privateKeyFromPem,
  SignPurpose,
  signPayload,
  watchpost,
} from '@watchpost/proto';

export const hubKeys = generateEd25519();

export function signedPolicy(
  version: number,
  document: unknown,
  opts: { format?: string; removed?: boolean; policyId?: string } = {},
): watchpost.v1.ISignedPolicyUpdate {
  const policy = watchpost.v1.PolicyUpdate.encode({
    policyId: opts.policyId ?? 'ssh-hardening',
    version,
    agentId: 'agent-1',
    format: opts.format ?? POLICY_FORMAT,
    document: Buffer.from(typeof document === 'string' ? document : JSON.stringify(document)),
    removed: opts.removed ?? false,
  }).finish();
  return {
    policy,
    signature: signPayload(privateKeyFromPem(hubKeys.privateKeyPem), SignPurpose.POLICY, policy),
  };
}

export const GOOD_DOC = {
  id: 'ssh-hardening',
  title: 'SSH hardening',
  version: '1.0',
  checks: [
    {
      id: 'ssh-1',
      title: 'root login disabled',
      rationale: 'r',
      remediation: 'm',
      rules: [{ kind: 'file', path: '/etc/passwd' }],
    },
  ],
};
