// Adapts the policies domain's repository to what baselines need: the policy key, the id the
// agent knows it by (PolicyUpdate.policy_id = the policy row id), the title and the compiled
// document (check titles, severities, remediation, rule targets). Reports may name a policy by
// either id; a compiled document that no longer validates counts as absent.
import type { EntityManager } from 'typeorm';
import { policyDocumentSchema } from '@watchpost/proto';
import { isUuid } from '../platform/ids.js';
import type { PolicyLookup } from './ingest.js';

interface PolicyRowLike {
  id: string;
  policyKey: string;
  title: string;
  compiled: string;
}
export interface PolicyRowSource {
  findByKey(tenantId: string, policyKey: string, em?: EntityManager): Promise<PolicyRowLike | null>;
  find(tenantId: string, id: string, em?: EntityManager): Promise<PolicyRowLike | null>;
}

export function policyLookupFrom(source: PolicyRowSource): PolicyLookup {
  return async (em, tenantId, idOrKey) => {
    const row =
      (isUuid(idOrKey) ? await source.find(tenantId, idOrKey, em) : null) ??
      (await source.findByKey(tenantId, idOrKey, em));
    if (!row) return null;
    let document = null;
    try {
      const parsed = policyDocumentSchema.safeParse(JSON.parse(row.compiled));
      if (parsed.success) document = parsed.data;
    } catch {
      // Not JSON: keep the title, evaluate nothing from the document.
    }
    return { policyKey: row.policyKey, wireId: row.id, title: row.title, document };
  };
}
