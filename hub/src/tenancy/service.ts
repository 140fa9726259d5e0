// Tenants, enrollment tokens and API tokens. Secrets are shown once, at creation; only their
// SHA-256 hash is stored.
import type { DataSource, EntityManager } from 'typeorm';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { EnrollmentToken, Tenant } from './entities.js';
import { TenancyRepository } from './repository.js';
import { DEFAULT_TENANT_TIMEZONE } from './timezone.js';
import {
  enrollmentRefusal,
  generateSecret,
  hashesEqual,
  hashSecret,
  type EnrollmentRefusal,
} from './secrets.js';

export interface CreatedEnrollmentToken {
  id: string;
  token: string;
  tenantId: string;
  expiresAt: string;
  usesLeft: number | null;
}

export interface EnrollmentTokenView {
  id: string;
  tenantId: string;
  expiresAt: string;
  usesLeft: number | null;
  usesCount: number;
  revoked: boolean;
  createdAt: string;
}

export type EnrollmentCheck =
  { ok: true; tenantId: string; tokenId: string } | { ok: false; refusal: EnrollmentRefusal };

const TENANT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class TenancyService {
  readonly repo: TenancyRepository;

  constructor(
    ds: DataSource,
    private readonly clock: () => Date,
  ) {
    this.repo = new TenancyRepository(ds);
  }

  async createTenant(name: string): Promise<Tenant> {
    if (!TENANT_NAME_RE.test(name)) {
      throw hubError('VALIDATION_FAILED', `invalid tenant name "${name}" (letters, digits, . _ -; max 100)`);
    }
    if (await this.repo.findTenantByName(name)) throw hubError('CONFLICT', `tenant "${name}" already exists`);
    return this.repo.insertTenant({
      id: newId(),
      name,
      timezone: DEFAULT_TENANT_TIMEZONE,
      createdAt: this.clock(),
    });
  }

  listTenants(): Promise<Tenant[]> {
    return this.repo.listTenants();
  }

  async requireTenant(name: string): Promise<Tenant> {
    const t = await this.repo.findTenantByName(name);
    if (!t) throw hubError('TENANT_NOT_FOUND', `no tenant named "${name}"`);
    return t;
  }

  async createEnrollmentToken(
    tenantId: string,
    expiresInMs: number,
    uses: number | null,
  ): Promise<CreatedEnrollmentToken> {
    if (uses !== null && (!Number.isInteger(uses) || uses < 1)) {
      throw hubError('VALIDATION_FAILED', '--uses must be a positive integer');
    }
    const token = generateSecret('enrollment');
    const now = this.clock();
    const row = await this.repo.insertEnrollmentToken({
      id: newId(),
      tenantId,
      tokenHash: hashSecret(token),
      expiresAt: new Date(now.getTime() + expiresInMs),
      usesLeft: uses,
      usesCount: 0,
      revokedAt: null,
      createdAt: now,
    });
    return { id: row.id, token, tenantId, expiresAt: row.expiresAt.toISOString(), usesLeft: row.usesLeft };
  }

  async listEnrollmentTokens(tenantId: string): Promise<EnrollmentTokenView[]> {
    return (await this.repo.listEnrollmentTokens(tenantId)).map(viewToken);
  }

  async revokeEnrollmentToken(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.revokeEnrollmentToken(tenantId, id, this.clock()))) {
      throw hubError('NOT_FOUND', `no enrollment token ${id} in this tenant`);
    }
  }

  /**
   * Checks an enrollment token and takes one use, inside the caller's transaction (the agent row
   * is created in the same one). `tenant` is the name or id the agent asked for, when given.
   */
  async consumeEnrollment(em: EntityManager, secret: string, tenant: string): Promise<EnrollmentCheck> {
    const now = this.clock();
    const hash = hashSecret(secret);
    const row = await this.repo.findEnrollmentTokenByHash(em, hash);
    const refusal = enrollmentRefusal(row && hashesEqual(row.tokenHash, hash) ? row : null, now);
    if (refusal || !row) return { ok: false, refusal: refusal ?? 'UNKNOWN' };
    if (tenant !== '') {
      const t = await em.getRepository('Tenant').findOneBy({ id: row.tenantId });
      const name = (t as Tenant | null)?.name;
      if (tenant !== row.tenantId && tenant !== name) return { ok: false, refusal: 'WRONG_TENANT' };
    }
    if (!(await this.repo.consumeEnrollmentUse(em, row.tenantId, row.id, now))) {
      return { ok: false, refusal: 'USED_UP' };
    }
    return { ok: true, tenantId: row.tenantId, tokenId: row.id };
  }

  async createApiToken(
    tenantId: string,
    name: string,
  ): Promise<{ id: string; token: string; tenantId: string }> {
    const token = generateSecret('api');
    const row = await this.repo.insertApiToken({
      id: newId(),
      tenantId,
      name,
      tokenHash: hashSecret(token),
      revokedAt: null,
      createdAt: this.clock(),
    });
    return { id: row.id, token, tenantId };
  }

  /** Bearer auth: the tenant a `wpa_` token belongs to, or null. */
  async authenticateApiToken(secret: string): Promise<{ tenantId: string; tokenId: string } | null> {
    if (!secret.startsWith('wpa_')) return null;
    const hash = hashSecret(secret);
    const row = await this.repo.findApiTokenByHash(hash);
    if (!row || !hashesEqual(row.tokenHash, hash)) return null;
    return { tenantId: row.tenantId, tokenId: row.id };
  }
}

function viewToken(t: EnrollmentToken): EnrollmentTokenView {
  return {
    id: t.id,
    tenantId: t.tenantId,
    expiresAt: t.expiresAt.toISOString(),
    usesLeft: t.usesLeft,
    usesCount: t.usesCount,
    revoked: t.revokedAt !== null,
    createdAt: t.createdAt.toISOString(),
  };
}
