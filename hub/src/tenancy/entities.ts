import { EntitySchema } from 'typeorm';
import { TenantScopeEntity } from './scope.js';

export interface Tenant {
  id: string;
  name: string;
  /** IANA zone; scan windows without their own zone are read in it. */
  timezone: string;
  createdAt: Date;
}

export interface EnrollmentToken {
  id: string;
  tenantId: string;
  tokenHash: string;
  expiresAt: Date;
  /** null = unlimited */
  usesLeft: number | null;
  usesCount: number;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface ApiToken {
  id: string;
  tenantId: string;
  name: string;
  tokenHash: string;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface HubKey {
  id: string;
  privateKeyPem: string;
  publicKeyRaw: string;
  createdAt: Date;
}

export const TenantEntity = new EntitySchema<Tenant>({
  name: 'Tenant',
  tableName: 'tenants',
  columns: {
    id: { type: 'varchar', primary: true },
    name: { type: 'varchar' },
    timezone: { type: 'varchar', default: 'UTC' },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const EnrollmentTokenEntity = new EntitySchema<EnrollmentToken>({
  name: 'EnrollmentToken',
  tableName: 'enrollment_tokens',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    tokenHash: { type: 'varchar', name: 'token_hash' },
    expiresAt: { type: Date, name: 'expires_at' },
    usesLeft: { type: 'integer', name: 'uses_left', nullable: true },
    usesCount: { type: 'integer', name: 'uses_count' },
    revokedAt: { type: Date, name: 'revoked_at', nullable: true },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const ApiTokenEntity = new EntitySchema<ApiToken>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  columns: {
    id: { type: 'varchar', primary: true },
    tenantId: { type: 'varchar', name: 'tenant_id' },
    name: { type: 'varchar' },
    tokenHash: { type: 'varchar', name: 'token_hash' },
    revokedAt: { type: Date, name: 'revoked_at', nullable: true },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const HubKeyEntity = new EntitySchema<HubKey>({
  name: 'HubKey',
  tableName: 'hub_keys',
  columns: {
    id: { type: 'varchar', primary: true },
    privateKeyPem: { type: 'text', name: 'private_key_pem' },
    publicKeyRaw: { type: 'varchar', name: 'public_key_raw' },
    createdAt: { type: Date, name: 'created_at' },
  },
});

export const tenancyEntities = [
  TenantEntity,
  EnrollmentTokenEntity,
  ApiTokenEntity,
  HubKeyEntity,
  TenantScopeEntity,
];
