import * as z from 'zod/mini';
import { requestJson } from '../../api/http';
import { agentSchema } from '../../api/types';
import type { CreatedEnrollmentTokenView } from '../../../../hub/src/tenancy/api-types';

export type { CreatedEnrollmentTokenView } from '../../../../hub/src/tenancy/api-types';

/** GET /api/v1/agents item with what the agents page shows besides the basics. */
export const agentRowSchema = z.extend(agentSchema, {
  outbox: z.optional(
    z.object({
      messages: z.number(),
      bytes: z.number(),
      budgetBytes: z.number(),
      collectionPaused: z.boolean(),
    }),
  ),
  appliedPolicies: z.optional(
    z.array(z.object({ policyId: z.string(), version: z.number(), appliedAtMs: z.number() })),
  ),
});
export type AgentRowData = z.infer<typeof agentRowSchema>;

const agentRowListSchema = z.object({ items: z.array(agentRowSchema) });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const createdTokenSchema = z.custom<CreatedEnrollmentTokenView>(
  (v) => isRecord(v) && typeof v['token'] === 'string' && typeof v['installCommand'] === 'string',
);

export async function listAgents(signal?: AbortSignal): Promise<AgentRowData[]> {
  const list = await requestJson(
    '/api/v1/agents',
    agentRowListSchema,
    signal === undefined ? {} : { signal },
  );
  return list.items;
}

export function revokeAgent(id: string): Promise<AgentRowData> {
  return requestJson(`/api/v1/agents/${encodeURIComponent(id)}/revoke`, agentRowSchema, { method: 'POST' });
}

export function createEnrollmentToken(
  expires: string,
  uses: number | null,
): Promise<CreatedEnrollmentTokenView> {
  return requestJson('/api/v1/enrollment-tokens', createdTokenSchema, {
    method: 'POST',
    body: { expires, uses },
  });
}

export type AgentStateFilter = 'all' | 'online' | 'offline' | 'revoked';

export function agentState(a: AgentRowData): Exclude<AgentStateFilter, 'all'> {
  if (a.revoked) return 'revoked';
  return a.online ? 'online' : 'offline';
}
