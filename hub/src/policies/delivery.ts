// What an agent should run versus what it reports (Hello/Heartbeat applied list): every policy
// targeting it at its current revision, and a signed removal for every policy it still runs that
// no longer targets it (unassigned or deleted). Each update gets the agent's next persisted hub
// seq — the same sequence tasks use.
import type { DataSource } from 'typeorm';
import type { HubIdentity } from '../tenancy/index.js';
import type { AgentsRepository } from '../agents/index.js';
import type { watchpost } from '@watchpost/proto';
import { parseAssignment, targets } from './assignment.js';
import type { PolicyRow } from './entities.js';
import type { PoliciesRepository } from './repository.js';
import { signPolicyUpdate } from './signing.js';

export interface PolicyDelivery {
  policyId: string;
  version: number;
  removed: boolean;
  hubSeq: bigint;
  signed: watchpost.v1.ISignedPolicyUpdate;
}

interface Planned {
  policy: PolicyRow;
  removed: boolean;
}

export class PolicyDeliverer {
  constructor(
    private readonly deps: {
      ds: DataSource;
      repo: PoliciesRepository;
      agents: AgentsRepository;
      identity: HubIdentity;
      clock: () => Date;
    },
  ) {}

  /**
   * Signs what the agent is missing. `sent` (policy id → revision) is what this connection already
   * sent, so one connection sends each revision once; a new connection re-plans from the agent's
   * own report. A revision whose document the agent rejected is not re-sent until the policy changes.
   */
  async prepare(
    tenantId: string,
    agentId: string,
    sent: ReadonlyMap<string, number>,
  ): Promise<PolicyDelivery[]> {
    const { repo } = this.deps;
    return this.deps.ds.transaction(async (em) => {
      const [agent] = await repo.agentStates(tenantId, agentId, em);
      if (!agent) return [];
      const applied = new Map(agent.applied.map((a) => [a.policyId, a.version]));
      const wanted: string[] = [];
      const desired = new Set<string>();
      for (const p of await repo.liveHeads(tenantId, em)) {
        if (!targets(parseAssignment(p.assignment), agent)) continue;
        desired.add(p.id);
        if (applied.get(p.id) === p.revision || sent.get(p.id) === p.revision) continue;
        // The agent found this revision's document invalid: re-sending would only repeat that. A
        // signature refusal does not stop it: it may come from a frame injected on the path, and
        // the genuine update must still arrive (at most once per connection, see `sent`).
        const refused = await repo.rejections(tenantId, p.id, p.updatedAt, agentId);
        if (refused.some((r) => r.code === 'POLICY_INVALID')) continue;
        wanted.push(p.id);
      }
      const stale = [...applied.keys()].filter((id) => !desired.has(id));
      // Full rows (with the compiled document) only for what is actually sent.
      const plan: Planned[] = [];
      for (const p of await repo.byIds(tenantId, [...wanted, ...stale], em)) {
        if (desired.has(p.id)) {
          if (p.deletedAt === null) plan.push({ policy: p, removed: false });
        } else if (p.revision > (applied.get(p.id) ?? 0) && sent.get(p.id) !== p.revision) {
          plan.push({ policy: p, removed: true });
        }
      }
      const now = this.deps.clock();
      const out: PolicyDelivery[] = [];
      for (const { policy, removed } of plan) {
        const hubSeq = await this.deps.agents.nextHubSeq(em, tenantId, agentId);
        const signed = signPolicyUpdate(this.deps.identity.privateKey, {
          policyId: policy.id,
          version: policy.revision,
          agentId,
          issuedAt: now,
          document: policy.compiled,
          removed,
        });
        out.push({ policyId: policy.id, version: policy.revision, removed, hubSeq, signed });
      }
      return out;
    });
  }
}
