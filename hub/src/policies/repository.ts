// The only code touching `policies`. Every method is tenant-scoped except changedSince (the
// cross-node delivery sweep spans tenants by design). Reads of agents/assets/agent_events are
// read-only joins for targeting and deployment status.
import { In, IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import { sqlFor } from '../db/raw.js';
import type { AgentTargetInfo } from './assignment.js';
import { PolicyEntity, type PolicyRow } from './entities.js';

export interface AgentPolicyState extends AgentTargetInfo {
  hostname: string;
  online: boolean;
  /** agents.applied_policies as reported in the last Hello/Heartbeat. */
  applied: { policyId: string; version: number; appliedAtMs: number }[];
}

export interface PolicyRejection {
  agentId: string;
  code: string;
  message: string;
  createdAt: Date;
}

const REJECTION_CODES = ['POLICY_INVALID', 'POLICY_SIGNATURE_INVALID'];

function parseJsonList(text: unknown): unknown[] {
  if (typeof text !== 'string') return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

export class PoliciesRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.ds.manager).getRepository(PolicyEntity);
  }

  insert(row: PolicyRow, em?: EntityManager): Promise<PolicyRow> {
    return this.repo(em).save(row);
  }
  async update(tenantId: string, id: string, patch: Partial<PolicyRow>, em?: EntityManager): Promise<void> {
    await this.repo(em).update({ tenantId, id }, patch);
  }
  /** A live (not deleted) policy. */
  find(tenantId: string, id: string, em?: EntityManager): Promise<PolicyRow | null> {
    return this.repo(em).findOneBy({ tenantId, id, deletedAt: IsNull() });
  }
  findByKey(tenantId: string, policyKey: string, em?: EntityManager): Promise<PolicyRow | null> {
    return this.repo(em).findOneBy({ tenantId, policyKey, deletedAt: IsNull() });
  }
  async page(tenantId: string, limit: number, offset: number): Promise<[PolicyRow[], number]> {
    return this.repo().findAndCount({
      where: { tenantId, deletedAt: IsNull() },
      order: { builtin: 'DESC', policyKey: 'ASC' },
      take: limit,
      skip: offset,
    });
  }
  /** Live policies without their (possibly large) yaml/compiled text: what delivery plans with. */
  liveHeads(
    tenantId: string,
    em?: EntityManager,
  ): Promise<Pick<PolicyRow, 'id' | 'revision' | 'assignment' | 'updatedAt'>[]> {
    return this.repo(em).find({
      select: { id: true, revision: true, assignment: true, updatedAt: true },
      where: { tenantId, deletedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
  }
  builtins(tenantId: string, em?: EntityManager): Promise<PolicyRow[]> {
    return this.repo(em).findBy({ tenantId, builtin: true, deletedAt: IsNull() });
  }
  /** Including deleted ones: an agent may still run a policy deleted while it was away. */
  byIds(tenantId: string, ids: readonly string[], em?: EntityManager): Promise<PolicyRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo(em).findBy({ tenantId, id: In([...ids]) });
  }
  async changedSince(since: Date): Promise<string[]> {
    const rows = await this.repo().find({
      select: { tenantId: true },
      where: { updatedAt: MoreThan(since) },
    });
    return [...new Set(rows.map((r) => r.tenantId))];
  }

  /** Non-revoked agents of the tenant (or one of them) with their asset's tags and applied list. */
  async agentStates(tenantId: string, agentId?: string, em?: EntityManager): Promise<AgentPolicyState[]> {
    const dialect = dialectOfDataSource(this.ds);
    const one = agentId === undefined ? '' : ' AND ag.id = ?';
    const rows = await (em ?? this.ds.manager).query<Record<string, unknown>[]>(
      sqlFor(
        dialect,
        `SELECT ag.id AS id, ag.hostname AS hostname, ag.online AS online,
                ag.applied_policies AS applied, a.tags AS tags
           FROM agents ag LEFT JOIN assets a ON a.id = ag.asset_id AND a.tenant_id = ag.tenant_id
          WHERE ag.tenant_id = ? AND ag.revoked_at IS NULL${one}
          ORDER BY ag.enrolled_at`,
      ),
      agentId === undefined ? [tenantId] : [tenantId, agentId],
    );
    return rows.map((r) => ({
      agentId: String(r['id']),
      hostname: typeof r['hostname'] === 'string' ? r['hostname'] : '',
      online: r['online'] === true || r['online'] === 1,
      tags: parseJsonList(r['tags']).map((t) => String(t).toLowerCase()),
      applied: parseJsonList(r['applied']).flatMap((p) => {
        const o = p as Record<string, unknown>;
        return typeof o['policyId'] === 'string'
          ? [
              {
                policyId: o['policyId'],
                version: Number(o['version'] ?? 0),
                appliedAtMs: Number(o['appliedAtMs'] ?? 0),
              },
            ]
          : [];
      }),
    }));
  }

  /** POLICY_INVALID / POLICY_SIGNATURE_INVALID events about this policy, newest first. */
  async rejections(
    tenantId: string,
    policyId: string,
    since: Date,
    agentId?: string,
  ): Promise<PolicyRejection[]> {
    const dialect = dialectOfDataSource(this.ds);
    const sinceParam =
      dialect === 'postgres' ? since : since.toISOString().replace('T', ' ').replace('Z', '');
    const one = agentId === undefined ? '' : ' AND agent_id = ?';
    const rows = await this.ds.query<Record<string, unknown>[]>(
      sqlFor(
        dialect,
        `SELECT agent_id, code, message, created_at FROM agent_events
          WHERE tenant_id = ? AND ref = ? AND code IN (?, ?) AND created_at >= ?${one}
          ORDER BY created_at DESC LIMIT 10000`,
      ),
      [tenantId, policyId, ...REJECTION_CODES, sinceParam, ...(agentId === undefined ? [] : [agentId])],
    );
    return rows.map((r) => ({
      agentId: String(r['agent_id']),
      code: String(r['code']),
      message: typeof r['message'] === 'string' ? r['message'] : '',
      createdAt: r['created_at'] instanceof Date ? r['created_at'] : new Date(`${String(r['created_at'])}Z`),
    }));
  }
}
