// The only code touching the tenancy tables. Tenant-owned rows are always scoped by tenantId;
// the two lookups by secret hash (bearer auth, enrollment) are how a tenant is found at all.
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { dialectOfDataSource } from '../db/data-source.js';
import { instantParam, runSql } from '../db/raw.js';
import {
  ApiTokenEntity,
  EnrollmentTokenEntity,
  HubKeyEntity,
  TenantEntity,
  type ApiToken,
  type EnrollmentToken,
  type HubKey,
  type Tenant,
} from './entities.js';

export class TenancyRepository {
  constructor(private readonly ds: DataSource) {}

  /** For stores of tenant-level settings kept beside the tenancy tables (tenant scope). */
  get dataSource(): DataSource {
    return this.ds;
  }

  insertTenant(t: Tenant): Promise<Tenant> {
    return this.ds.getRepository(TenantEntity).save(t);
  }
  listTenants(): Promise<Tenant[]> {
    return this.ds.getRepository(TenantEntity).find({ order: { name: 'ASC' } });
  }
  findTenantByName(name: string): Promise<Tenant | null> {
    return this.ds.getRepository(TenantEntity).findOneBy({ name });
  }
  findTenantById(id: string): Promise<Tenant | null> {
    return this.ds.getRepository(TenantEntity).findOneBy({ id });
  }

  insertEnrollmentToken(t: EnrollmentToken): Promise<EnrollmentToken> {
    return this.ds.getRepository(EnrollmentTokenEntity).save(t);
  }
  listEnrollmentTokens(tenantId: string): Promise<EnrollmentToken[]> {
    return this.ds
      .getRepository(EnrollmentTokenEntity)
      .find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }
  async revokeEnrollmentToken(tenantId: string, id: string, now: Date): Promise<boolean> {
    const r = await this.ds
      .getRepository(EnrollmentTokenEntity)
      .update({ tenantId, id, revokedAt: IsNull() }, { revokedAt: now });
    if ((r.affected ?? 0) > 0) return true;
    return await this.ds.getRepository(EnrollmentTokenEntity).existsBy({ tenantId, id });
  }
  findEnrollmentTokenByHash(em: EntityManager, tokenHash: string): Promise<EnrollmentToken | null> {
    return em.getRepository(EnrollmentTokenEntity).findOneBy({ tokenHash });
  }
  /** Atomically takes one use; false when a concurrent enrollment took the last one. */
  async consumeEnrollmentUse(em: EntityManager, tenantId: string, id: string, now: Date): Promise<boolean> {
    const dialect = dialectOfDataSource(this.ds);
    const res = await runSql(
      em,
      dialect,
      `UPDATE enrollment_tokens SET uses_count = uses_count + 1,
         uses_left = CASE WHEN uses_left IS NULL THEN NULL ELSE uses_left - 1 END
       WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL AND expires_at > ?
         AND (uses_left IS NULL OR uses_left > 0)`,
      [id, tenantId, instantParam(dialect, now)],
    );
    return res === 1;
  }

  insertApiToken(t: ApiToken): Promise<ApiToken> {
    return this.ds.getRepository(ApiTokenEntity).save(t);
  }
  findApiTokenByHash(tokenHash: string): Promise<ApiToken | null> {
    return this.ds.getRepository(ApiTokenEntity).findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  findHubKey(id: string): Promise<HubKey | null> {
    return this.ds.getRepository(HubKeyEntity).findOneBy({ id });
  }
  /** Insert unless another node won the race; the caller re-reads either way. */
  async insertHubKeyIfAbsent(k: HubKey): Promise<void> {
    try {
      await this.ds.getRepository(HubKeyEntity).insert(k);
    } catch (err) {
      if (!(await this.findHubKey(k.id))) throw err;
    }
  }
}
