// Per targeted agent: has it applied the current revision (Hello/Heartbeat applied list), refused
// it (AgentEvent POLICY_INVALID / POLICY_SIGNATURE_INVALID with ref = policy id, after the
// revision was made), does it still run an older one, or has nothing arrived yet.
import type { DeploymentState, PolicyDeploymentAgentView, PolicyDeploymentView } from './api-types.js';
import { parseAssignment, targets } from './assignment.js';
import type { PolicyRow } from './entities.js';
import type { PoliciesRepository } from './repository.js';

export async function deploymentOf(repo: PoliciesRepository, p: PolicyRow): Promise<PolicyDeploymentView> {
  const assignment = parseAssignment(p.assignment);
  const agents = (await repo.agentStates(p.tenantId)).filter((a) => targets(assignment, a));
  const rejections = new Map<string, { code: string; message: string }>();
  for (const r of await repo.rejections(p.tenantId, p.id, p.updatedAt)) {
    if (!rejections.has(r.agentId)) rejections.set(r.agentId, r);
  }
  const counts: Record<DeploymentState, number> = { pending: 0, applied: 0, rejected: 0, outdated: 0 };
  const views = agents.map((a): PolicyDeploymentAgentView => {
    const applied = a.applied.find((x) => x.policyId === p.id);
    const rejected = rejections.get(a.agentId);
    let state: DeploymentState = 'pending';
    if (applied && applied.version >= p.revision) state = 'applied';
    else if (rejected) state = 'rejected';
    else if (applied) state = 'outdated';
    counts[state]++;
    return {
      agentId: a.agentId,
      hostname: a.hostname,
      online: a.online,
      state,
      appliedRevision: applied?.version ?? null,
      appliedAt: applied && applied.appliedAtMs > 0 ? new Date(applied.appliedAtMs).toISOString() : null,
      reason: state === 'rejected' ? (rejected?.message ?? null) : null,
      reasonCode: state === 'rejected' ? (rejected?.code ?? null) : null,
    };
  });
  return { policyId: p.id, revision: p.revision, counts, agents: views };
}
