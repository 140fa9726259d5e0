// Users, login with back-off, sessions and the tenants a user may act in.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hubError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { hashSecret, hashesEqual } from '../tenancy/secrets.js';
import type { Tenant } from '../tenancy/entities.js';
import type { Session, User } from './entities.js';
import { LoginThrottle } from './throttle.js';
import {
  checkPasswordStrength,
  dummyHash,
  generatePassword,
  hashPassword,
  verifyPassword,
} from './password.js';
import { UsersRepository } from './repository.js';
import { CROSS_TENANT_ROLES, type Role } from './roles.js';

/** A session lives at most this long, and ends after this much idleness. */
export const SESSION_ABSOLUTE_MS = 7 * 86_400_000;
export const SESSION_IDLE_MS = 12 * 3_600_000;
const TOUCH_EVERY_MS = 60_000;
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  tenantId: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface TenantRef {
  id: string;
  name: string;
}

export interface LoginResult {
  /** Cookie secret: shown to the browser once, stored only as a hash. */
  sessionSecret: string;
  session: Session;
  user: User;
}

export function userView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    tenantId: u.tenantId,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
  };
}

export class UsersService {
  readonly repo: UsersRepository;
  private readonly throttle: LoginThrottle;

  constructor(
    ds: DataSource,
    private readonly clock: () => Date,
  ) {
    this.repo = new UsersRepository(ds);
    this.throttle = new LoginThrottle(clock);
  }

  async createUser(input: {
    email: string;
    role: Role;
    tenantId: string | null;
    password?: string | undefined;
    displayName?: string | undefined;
  }): Promise<{ user: UserView; password: string | null }> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL_RE.test(email)) throw hubError('VALIDATION_FAILED', `not an e-mail address: "${input.email}"`);
    const crossTenant = CROSS_TENANT_ROLES.has(input.role);
    if (crossTenant && input.tenantId !== null)
      throw hubError(
        'VALIDATION_FAILED',
        `role ${input.role} is not bound to a tenant (assign tenants instead)`,
      );
    if (!crossTenant && input.tenantId === null)
      throw hubError('VALIDATION_FAILED', `role ${input.role} needs a tenant`);
    if (await this.repo.findUserByEmail(email)) throw hubError('CONFLICT', `user ${email} exists`);
    const generated = input.password === undefined ? generatePassword() : null;
    const password = input.password ?? generated ?? '';
    const weak = checkPasswordStrength(password);
    if (weak) throw hubError('VALIDATION_FAILED', `password: ${weak}`);
    const now = this.clock();
    const user = await this.repo.insertUser({
      id: newId(),
      email,
      displayName: input.displayName ?? email.split('@')[0] ?? email,
      passwordHash: await hashPassword(password),
      role: input.role,
      tenantId: input.tenantId,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      passwordChangedAt: now,
      createdAt: now,
    });
    return { user: userView(user), password: generated };
  }

  async login(emailInput: string, password: string, ip: string): Promise<LoginResult> {
    const email = emailInput.trim().toLowerCase();
    this.throttle.checkIp(ip);
    const user = await this.repo.findUserByEmail(email);
    const now = this.clock();
    if (user?.lockedUntil && user.lockedUntil > now) {
      throw hubError('RATE_LIMITED', 'too many failed logins: try again later', {
        retryAfterS: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000),
      });
    }
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      this.throttle.recordFailure(ip);
      if (user && !ok) {
        const failures = user.failedLogins + 1;
        await this.repo.updateUser(user.id, {
          failedLogins: failures,
          lockedUntil: LoginThrottle.lockUntil(failures, now),
        });
      }
      throw hubError('UNAUTHENTICATED', 'wrong e-mail or password');
    }
    if (user.failedLogins > 0 || user.lockedUntil) {
      await this.repo.updateUser(user.id, { failedLogins: 0, lockedUntil: null });
    }
    const sessionSecret = `wps_${randomBytes(32).toString('base64url')}`;
    const session = await this.repo.insertSession({
      id: newId(),
      tokenHash: hashSecret(sessionSecret),
      userId: user.id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
    });
    return { sessionSecret, session, user };
  }

  /** The live session and user behind a cookie secret, or null (expired, unknown, disabled). */
  async resolveSession(secret: string): Promise<{ session: Session; user: User } | null> {
    if (!secret.startsWith('wps_') || secret.length > 128) return null;
    const hash = hashSecret(secret);
    const session = await this.repo.findSessionByHash(hash);
    if (!session || !hashesEqual(session.tokenHash, hash)) return null;
    const now = this.clock();
    if (session.expiresAt <= now) {
      await this.repo.deleteSession(session.id);
      return null;
    }
    const user = await this.repo.findUserById(session.userId);
    if (!user || user.disabled) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      const absoluteEnd = session.createdAt.getTime() + SESSION_ABSOLUTE_MS;
      const expiresAt = new Date(Math.min(absoluteEnd, now.getTime() + SESSION_IDLE_MS));
      await this.repo.touchSession(session.id, now, expiresAt);
      session.lastSeenAt = now;
      session.expiresAt = expiresAt;
    }
    return { session, user };
  }

  logout(sessionId: string): Promise<void> {
    return this.repo.deleteSession(sessionId);
  }

  async changePassword(userId: string, current: string, next: string, keepSessionId: string): Promise<void> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw hubError('NOT_FOUND', 'no such user');
    if (!(await verifyPassword(current, user.passwordHash)))
      throw hubError('UNAUTHENTICATED', 'current password is wrong');
    const weak = checkPasswordStrength(next);
    if (weak) throw hubError('VALIDATION_FAILED', `password: ${weak}`);
    await this.repo.updateUser(userId, {
      passwordHash: await hashPassword(next),
      passwordChangedAt: this.clock(),
    });
    // Other sessions (a stolen cookie, another browser) end with the old password.
    await this.repo.deleteSessionsOf(userId, keepSessionId);
  }

  /** Tenants the user may act in, by name. */
  async tenantsOf(user: User): Promise<TenantRef[]> {
    let tenants: Tenant[];
    if (user.role === 'platform_admin') tenants = await this.repo.allTenants();
    else if (user.role === 'expert') tenants = await this.repo.assignedTenants(user.id);
    else {
      const t = user.tenantId === null ? null : await this.repo.findTenant(user.tenantId);
      tenants = t ? [t] : [];
    }
    return tenants.map((t) => ({ id: t.id, name: t.name }));
  }

  async requireUserByEmail(email: string): Promise<User> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw hubError('NOT_FOUND', `no user ${email}`);
    return user;
  }
}
