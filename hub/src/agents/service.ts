import type { DataSource } from 'typeorm';
import { hubError } from '../platform/errors.js';
import type { Agent } from './entities.js';
import { AgentsRepository } from './repository.js';

export interface AgentView {
  id: string;
  tenantId: string;
  hostname: string;
  version: string;
  online: boolean;
  lastSeenAt: string | null;
  lastSeq: number;
  assetId: string | null;
  revoked: boolean;
  revokedAt: string | null;
  enrolledAt: string;
  outbox: { messages: number; bytes: number; budgetBytes: number; collectionPaused: boolean };
  appliedPolicies: unknown;
}

export function agentView(a: Agent): AgentView {
  return {
    id: a.id,
    tenantId: a.tenantId,
    hostname: a.hostname,
    version: a.version,
    online: a.online,
    lastSeenAt: a.lastSeenAt?.toISOString() ?? null,
    lastSeq: Number(a.lastSeq),
    assetId: a.assetId,
    revoked: a.revokedAt !== null,
    revokedAt: a.revokedAt?.toISOString() ?? null,
    enrolledAt: a.enrolledAt.toISOString(),
    outbox: {
      messages: Number(a.outboxMessages),
      bytes: Number(a.outboxBytes),
      budgetBytes: Number(a.outboxBudgetBytes),
      collectionPaused: a.collectionPaused,
    },
    appliedPolicies: JSON.parse(a.appliedPolicies) as unknown,
  };
}

export type RevocationListener = (agentId: string) => void;

export class AgentsService {
  readonly repo: AgentsRepository;
  private readonly listeners = new Set<RevocationListener>();

  constructor(
    ds: DataSource,
    private readonly clock: () => Date,
  ) {
    this.repo = new AgentsRepository(ds);
  }

  /** The gateway listens so a revoked agent's live connection is closed at once on this node. */
  onRevoked(l: RevocationListener): void {
    this.listeners.add(l);
  }

  async list(tenantId: string): Promise<AgentView[]> {
    return (await this.repo.list(tenantId)).map(agentView);
  }

  async get(tenantId: string, id: string): Promise<Agent> {
    const a = await this.repo.find(tenantId, id);
    if (!a) throw hubError('NOT_FOUND', `no agent ${id}`);
    return a;
  }

  async revoke(tenantId: string, id: string): Promise<Agent> {
    if (!(await this.repo.revoke(tenantId, id, this.clock()))) throw hubError('NOT_FOUND', `no agent ${id}`);
    for (const l of this.listeners) l(id);
    return this.get(tenantId, id);
  }
}
