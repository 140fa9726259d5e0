// PolicyUpdate as the hub signs it: encoded watchpost.v1.PolicyUpdate, Ed25519 over
// ("watchpost-policy-v1\0" || update) with the hub key (PROTOCOL.md "Tasks and policies").
import type { KeyObject } from 'node:crypto';
import { POLICY_FORMAT, SignPurpose, signPayload, toLong, watchpost } from '@watchpost/proto';

export interface PolicyUpdateToSign {
  policyId: string;
  version: number;
  agentId: string;
  issuedAt: Date;
  /** Compiled document JSON; empty for a removal. */
  document: string;
  removed: boolean;
}

export function encodePolicyUpdate(u: PolicyUpdateToSign): Uint8Array {
  return watchpost.v1.PolicyUpdate.encode({
    policyId: u.policyId,
    version: u.version,
    agentId: u.agentId,
    issuedAtMs: toLong(u.issuedAt.getTime(), false),
    format: POLICY_FORMAT,
    document: Buffer.from(u.removed ? '' : u.document, 'utf8'),
    removed: u.removed,
  }).finish();
}

export function signPolicyUpdate(hubKey: KeyObject, u: PolicyUpdateToSign): watchpost.v1.ISignedPolicyUpdate {
  const policy = encodePolicyUpdate(u);
  return { policy, signature: signPayload(hubKey, SignPurpose.POLICY, policy) };
}
