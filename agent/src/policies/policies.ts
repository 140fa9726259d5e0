// Signed policy updates: verified with the pinned hub key, applied only when newer than the
// version already applied, stored durably. Evaluation lands with baselines (#4); for now the
// agent keeps the documents and reports what it applied in Hello/Heartbeat.
import { AgentEventCode, SignPurpose, toLong, verifyPayload, watchpost } from '@watchpost/proto';
import { z } from 'zod';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/index.js';
import { jsonValue, type Store } from '../state/store.js';

const appliedSchema = z.object({
  policyId: z.string(),
  version: z.number().int(),
  appliedAtMs: z.number().int(),
  removed: z.boolean(),
  format: z.string(),
  document: z.string(),
});
export type AppliedPolicyRecord = z.infer<typeof appliedSchema>;

export class PolicyStore {
  private readonly applied = new Map<string, AppliedPolicyRecord>();

  private constructor(
    private readonly deps: {
      store: Store;
      outbox: Outbox;
      agentId: string;
      hubPublicKey: Uint8Array;
      log: Logger;
    },
  ) {}

  static async open(deps: PolicyStore['deps']): Promise<PolicyStore> {
    const policies = new PolicyStore(deps);
    for await (const [, value] of deps.store.policies.iterator()) {
      const parsed = appliedSchema.safeParse(JSON.parse(value.toString('utf8')));
      if (parsed.success) policies.applied.set(parsed.data.policyId, parsed.data);
    }
    return policies;
  }

  /** Applied (not removed) policies, as reported in Hello and Heartbeat. */
  list(): watchpost.v1.IAppliedPolicy[] {
    return [...this.applied.values()]
      .filter((p) => !p.removed)
      .map((p) => ({ policyId: p.policyId, version: p.version, appliedAtMs: toLong(p.appliedAtMs, false) }));
  }

  summary(): Array<{ policyId: string; version: number }> {
    return this.list().map((p) => ({ policyId: p.policyId ?? '', version: p.version ?? 0 }));
  }

  handle(signed: watchpost.v1.ISignedPolicyUpdate): Promise<void> {
    return this.apply(signed).catch((err: unknown) =>
      this.deps.log.error({ err: errorMessage(err) }, 'policy handling failed'),
    );
  }

  private async apply(signed: watchpost.v1.ISignedPolicyUpdate): Promise<void> {
    const bytes = signed.policy ?? new Uint8Array();
    let update: watchpost.v1.PolicyUpdate | undefined;
    try {
      update = watchpost.v1.PolicyUpdate.decode(bytes);
    } catch {
      update = undefined;
    }
    if (
      !verifyPayload(
        this.deps.hubPublicKey,
        signed.signature ?? new Uint8Array(),
        SignPurpose.POLICY,
        bytes,
      ) ||
      !update
    ) {
      return this.refuse(
        AgentEventCode.POLICY_SIGNATURE_INVALID,
        'policy unsigned or wrongly signed',
        update?.policyId,
      );
    }
    if (update.agentId && update.agentId !== this.deps.agentId) {
      return this.refuse(
        AgentEventCode.POLICY_SIGNATURE_INVALID,
        `policy addressed to agent ${update.agentId}`,
        update.policyId,
      );
    }
    const current = this.applied.get(update.policyId);
    if (current && update.version <= current.version) {
      return this.refuse(
        AgentEventCode.POLICY_REPLAYED,
        `policy version ${update.version} is not newer than applied ${current.version}`,
        update.policyId,
      );
    }
    const record: AppliedPolicyRecord = {
      policyId: update.policyId,
      version: update.version,
      appliedAtMs: Date.now(),
      removed: update.removed,
      format: update.format,
      document: Buffer.from(update.document).toString('base64'),
    };
    // Removed policies stay as tombstones so an older version cannot be replayed afterwards.
    await this.deps.store.policies.put(record.policyId, jsonValue(record));
    this.applied.set(record.policyId, record);
    this.deps.log.info(
      { policyId: record.policyId, version: record.version, removed: record.removed },
      'policy applied',
    );
  }

  private async refuse(code: AgentEventCode, reason: string, policyId: string | undefined): Promise<void> {
    this.deps.log.warn({ code, reason, policyId }, 'policy refused');
    await this.deps.outbox.append([
      {
        agentEvent: {
          code,
          severity: watchpost.v1.Severity.SEVERITY_HIGH,
          message: reason,
          ref: policyId ?? '',
          details: {},
        },
      },
    ]);
  }
}
