// The only code touching agents, agent_events and ingest_rejects through TypeORM entities. Every
// method is scoped by tenantId except findForAuthentication (the Hello names only an agent id;
// the tenant is what it resolves) and the node-presence sweeps, which span tenants by design.
import { In, IsNull, Like, Not, type DataSource, type EntityManager } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import { runSql } from '../db/raw.js';
import { AgentEntity, AgentEventEntity, type Agent, type AgentEventRow } from './entities.js';

export interface HeartbeatUpdate {
  lastSeenAt: Date;
  outboxMessages: string;
  outboxBytes: string;
  outboxBudgetBytes: string;
  collectionPaused: boolean;
  appliedPolicies: string;
}

export class AgentsRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.ds.manager).getRepository(AgentEntity);
  }

  /** The newest events of one agent whose code starts with `prefix` (e.g. UPGRADE_). */
  async eventsWithCodePrefix(
    tenantId: string,
    agentId: string,
    prefix: string,
    limit = 50,
  ): Promise<AgentEventRow[]> {
    // LIKE has no portable escape: `_` in the prefix matches any character, so filter exactly after.
    const rows = await this.ds.getRepository(AgentEventEntity).find({
      where: { tenantId, agentId, code: Like(`${prefix}%`) },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.filter((r) => r.code.startsWith(prefix));
  }

  insert(em: EntityManager, a: Agent): Promise<Agent> {
    return this.repo(em).save(a);
  }
  findForAuthentication(id: string): Promise<Agent | null> {
    return this.repo().findOneBy({ id });
  }
  find(tenantId: string, id: string, em?: EntityManager): Promise<Agent | null> {
    return this.repo(em).findOneBy({ tenantId, id });
  }
  list(tenantId: string): Promise<Agent[]> {
    return this.repo().find({ where: { tenantId }, order: { enrolledAt: 'ASC' } });
  }
  async revoke(tenantId: string, id: string, now: Date): Promise<boolean> {
    await this.repo().update({ tenantId, id, revokedAt: IsNull() }, { revokedAt: now });
    return this.repo().existsBy({ tenantId, id });
  }
  async markOnline(
    tenantId: string,
    id: string,
    node: string,
    now: Date,
    s: { hostname: string; version: string; appliedPolicies: string },
  ): Promise<void> {
    await this.repo().update({ tenantId, id }, { online: true, ownerNode: node, lastSeenAt: now, ...s });
  }
  /** Only if this node still owns it: a newer connection on another node may have taken over. */
  async markOffline(tenantId: string, id: string, node: string, now: Date): Promise<void> {
    await this.repo().update(
      { tenantId, id, ownerNode: node },
      { online: false, ownerNode: null, lastSeenAt: now },
    );
  }
  async markNodeOffline(node: string): Promise<void> {
    await this.repo().update({ ownerNode: node }, { online: false, ownerNode: null });
  }
  async heartbeat(tenantId: string, id: string, u: HeartbeatUpdate): Promise<void> {
    await this.repo().update({ tenantId, id }, u);
  }
  async revokedAmong(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.repo().find({
      select: { id: true },
      where: { id: In([...ids]), revokedAt: Not(IsNull()) },
    });
    return rows.map((r) => r.id);
  }
  /** Next per-agent hub seq for a SignedTask/SignedPolicyUpdate, inside the caller's transaction. */
  async nextHubSeq(em: EntityManager, tenantId: string, id: string): Promise<bigint> {
    const dialect = dialectOfDataSource(this.ds);
    await runSql(em, dialect, 'UPDATE agents SET hub_seq = hub_seq + 1 WHERE id = ? AND tenant_id = ?', [
      id,
      tenantId,
    ]);
    const row = await this.find(tenantId, id, em);
    if (!row) throw new Error(`agent ${id} vanished`);
    return BigInt(row.hubSeq);
  }
}
