// Console users, the tenants an expert works in, and login sessions. Passwords only as scrypt
// hashes; session ids only as SHA-256 hashes (the cookie holds the secret).
import { EntitySchema } from 'typeorm';
import type { Role } from './roles.js';

export interface User {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  /** The one tenant of tenant roles; null for platform admins and experts. */
  tenantId: string | null;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
}

export interface UserTenant {
  userId: string;
  tenantId: string;
}

export interface Session {
  id: string;
  /** sha256 of the cookie secret */
  tokenHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'varchar', primary: true },
    email: { type: 'varchar' },
    displayName: { type: 'varchar', name: 'display_name' },
    passwordHash: { type: 'varchar', name: 'password_hash' },
    role: { type: 'varchar' },
    tenantId: { type: 'varchar', name: 'tenant_id', nullable: true },
    disabled: { type: 'boolean' },
    failedLogins: { type: 'integer', name: 'failed_logins' },
    lockedUntil: { type: Date, name: 'locked_until', nullable: true },
    passwordChangedAt: { type: Date, name: 'password_changed_at' },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const UserTenantEntity = new EntitySchema<UserTenant>({
  name: 'UserTenant',
  tableName: 'user_tenants',
  columns: {
    userId: { type: 'varchar', primary: true, name: 'user_id' },
    tenantId: { type: 'varchar', primary: true, name: 'tenant_id' },
  },
});

export const SessionEntity = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    id: { type: 'varchar', primary: true },
    tokenHash: { type: 'varchar', name: 'token_hash' },
    userId: { type: 'varchar', name: 'user_id' },
    csrfToken: { type: 'varchar', name: 'csrf_token' },
    createdAt: { type: Date, name: 'created_at' },
    lastSeenAt: { type: Date, name: 'last_seen_at' },
    expiresAt: { type: Date, name: 'expires_at' },
  },
});
