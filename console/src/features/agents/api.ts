import { requestJson } from '../../api/http';
import { type Agent, agentListSchema } from '../../api/types';

export async function listAgents(token: string, signal?: AbortSignal): Promise<Agent[]> {
  const list = await requestJson(
    '/api/v1/agents',
    agentListSchema,
    signal === undefined ? { token } : { token, signal },
  );
  return list.items;
}
