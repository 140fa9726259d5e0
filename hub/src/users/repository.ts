// The only code touching users, user_tenants and sessions.
import { LessThan, type DataSource } from 'typeorm';
import { TenantEntity, type Tenant } from '../tenancy/entities.js';
import { SessionEntity, UserEntity, UserTenantEntity, type Session, type User } from './entities.js';

export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  insertUser(u: User): Promise<User> {
    return this.ds.getRepository(UserEntity).save(u);
  }
  findUserByEmail(email: string): Promise<User | null> {
    return this.ds.getRepository(UserEntity).findOneBy({ email });
  }
  findUserById(id: string): Promise<User | null> {
    return this.ds.getRepository(UserEntity).findOneBy({ id });
  }
  listUsers(tenantId?: string): Promise<User[]> {
    const repo = this.ds.getRepository(UserEntity);
    return tenantId === undefined
      ? repo.find({ order: { email: 'ASC' } })
      : repo.find({ where: { tenantId }, order: { email: 'ASC' } });
  }
  countUsers(): Promise<number> {
    return this.ds.getRepository(UserEntity).count();
  }
  async updateUser(id: string, patch: Partial<Omit<User, 'id'>>): Promise<void> {
    await this.ds.getRepository(UserEntity).update({ id }, patch);
  }

  async assignTenant(userId: string, tenantId: string): Promise<void> {
    const repo = this.ds.getRepository(UserTenantEntity);
    if (!(await repo.findOneBy({ userId, tenantId }))) await repo.insert({ userId, tenantId });
  }
  async unassignTenant(userId: string, tenantId: string): Promise<void> {
    await this.ds.getRepository(UserTenantEntity).delete({ userId, tenantId });
  }
  async assignedTenants(userId: string): Promise<Tenant[]> {
    const links = await this.ds.getRepository(UserTenantEntity).findBy({ userId });
    if (links.length === 0) return [];
    const tenants = await this.ds.getRepository(TenantEntity).find({ order: { name: 'ASC' } });
    const ids = new Set(links.map((l) => l.tenantId));
    return tenants.filter((t) => ids.has(t.id));
  }
  allTenants(): Promise<Tenant[]> {
    return this.ds.getRepository(TenantEntity).find({ order: { name: 'ASC' } });
  }
  findTenant(id: string): Promise<Tenant | null> {
    return this.ds.getRepository(TenantEntity).findOneBy({ id });
  }

  insertSession(s: Session): Promise<Session> {
    return this.ds.getRepository(SessionEntity).save(s);
  }
  findSessionByHash(tokenHash: string): Promise<Session | null> {
    return this.ds.getRepository(SessionEntity).findOneBy({ tokenHash });
  }
  async touchSession(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.ds.getRepository(SessionEntity).update({ id }, { lastSeenAt, expiresAt });
  }
  async deleteSession(id: string): Promise<void> {
    await this.ds.getRepository(SessionEntity).delete({ id });
  }
  async deleteSessionsOf(userId: string, exceptId?: string): Promise<void> {
    const sessions = await this.ds.getRepository(SessionEntity).findBy({ userId });
    const ids = sessions.filter((s) => s.id !== exceptId).map((s) => s.id);
    if (ids.length > 0) await this.ds.getRepository(SessionEntity).delete(ids);
  }
  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.ds.getRepository(SessionEntity).delete({ expiresAt: LessThan(now) });
  }
}
