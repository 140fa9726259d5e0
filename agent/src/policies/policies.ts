// Signed policy updates: verified with the pinned hub key, applied only when newer than the
// version already applied, validated against the policy schema, stored durably. A document that
// fails validation is refused (AgentEvent POLICY_INVALID) and the last good version keeps
// running. Applied documents feed the baseline evaluator (onChange → POLICY_CHANGE run).
import {
  AgentEventCode,
  parsePolicyDocument,
  POLICY_FORMAT,
  SignPurpose,
  toLong,
  verifyPayload,
  watchpost,
  type PolicyDocument,
} from '@watchpost/proto';
import { z, ZodError } from 'zod';
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

/** A policy in force: the hub revision and its validated document. */
export interface AppliedPolicy {
  policyId: string;
  version: number;
  document: PolicyDocument;
}

export type PolicyChangeListener = (change: { policyId: string; version: number; removed: boolean }) => void;

/** The validated document, or why it is not acceptable (the first zod issue as "path: message"). */
export function policyDocumentProblem(
  format: string,
  bytes: Uint8Array,
): { problem: string } | { document: PolicyDocument } {
  if (format !== POLICY_FORMAT) return { problem: `format "${format}" is not ${POLICY_FORMAT}` };
  try {
    return { document: parsePolicyDocument(bytes) };
  } catch (err) {
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      const path = issue?.path.map((p) => String(p)).join('.') || '(root)';
      return { problem: `${path}: ${issue?.message ?? 'invalid'}` };
    }
    return { problem: errorMessage(err) };
  }
}

export class PolicyStore {
  private readonly applied = new Map<string, AppliedPolicyRecord>();
  private readonly documents = new Map<string, PolicyDocument>();
  private readonly listeners: PolicyChangeListener[] = [];

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
      if (!parsed.success) continue;
      policies.applied.set(parsed.data.policyId, parsed.data);
      if (parsed.data.removed) continue;
      // Records stored before validation existed are re-checked; a bad one is kept for replay
      // protection but never evaluated.
      const doc = policyDocumentProblem(parsed.data.format, Buffer.from(parsed.data.document, 'base64'));
      if ('document' in doc) policies.documents.set(parsed.data.policyId, doc.document);
      else deps.log.warn({ policyId: parsed.data.policyId, problem: doc.problem }, 'stored policy invalid');
    }
    return policies;
  }

  /** Called after a policy was newly applied or removed (not for refused updates). */
  onChange(listener: PolicyChangeListener): void {
    this.listeners.push(listener);
  }

  /** Applied, valid policies with their documents, for the evaluator. */
  active(): AppliedPolicy[] {
    const out: AppliedPolicy[] = [];
    for (const [policyId, document] of this.documents) {
      const record = this.applied.get(policyId);
      if (record && !record.removed) out.push({ policyId, version: record.version, document });
    }
    return out;
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
    let document: PolicyDocument | undefined;
    if (!update.removed) {
      const checked = policyDocumentProblem(update.format, update.document);
      if ('problem' in checked)
        return this.refuse(
          AgentEventCode.POLICY_INVALID,
          `policy ${update.policyId} version ${update.version} is invalid: ${checked.problem}`,
          update.policyId,
          { version: String(update.version), reason: checked.problem.slice(0, 1000) },
        );
      document = checked.document;
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
    if (document) this.documents.set(record.policyId, document);
    else this.documents.delete(record.policyId);
    this.deps.log.info(
      { policyId: record.policyId, version: record.version, removed: record.removed },
      'policy applied',
    );
    for (const listener of this.listeners)
      listener({ policyId: record.policyId, version: record.version, removed: record.removed });
  }

  private async refuse(
    code: AgentEventCode,
    reason: string,
    policyId: string | undefined,
    details: Record<string, string> = {},
  ): Promise<void> {
    this.deps.log.warn({ code, reason, policyId }, 'policy refused');
    await this.deps.outbox.append([
      {
        agentEvent: {
          code,
          severity: watchpost.v1.Severity.SEVERITY_HIGH,
          message: reason,
          // Unverified bytes may name the policy (signature refusals): keep the echo bounded.
          ref: (policyId ?? '').slice(0, 128),
          details,
        },
      },
    ]);
  }
}
