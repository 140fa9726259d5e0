// Which agents a policy targets: the whole tenant, named agents, and/or agents whose asset carries
// one of the tags (assets ledger `tags`). A union: an agent matching any target gets the policy.
import { z } from 'zod';

export const assignmentSchema = z
  .object({
    tenant: z.boolean().default(false),
    agentIds: z.array(z.uuid()).max(10_000).default([]),
    tags: z.array(z.string().trim().min(1).max(64)).max(64).default([]),
  })
  .strict();
export type PolicyAssignment = z.infer<typeof assignmentSchema>;

export const EMPTY_ASSIGNMENT: PolicyAssignment = { tenant: false, agentIds: [], tags: [] };

export function parseAssignment(json: string): PolicyAssignment {
  const r = assignmentSchema.safeParse(JSON.parse(json));
  return r.success ? r.data : EMPTY_ASSIGNMENT;
}

export interface AgentTargetInfo {
  agentId: string;
  /** Tags of the agent's asset (lower-cased), empty when it has none. */
  tags: readonly string[];
}

export function targets(a: PolicyAssignment, agent: AgentTargetInfo): boolean {
  if (a.tenant || a.agentIds.includes(agent.agentId)) return true;
  return a.tags.some((t) => agent.tags.includes(t.toLowerCase()));
}
