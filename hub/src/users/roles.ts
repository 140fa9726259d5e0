// Roles and what each may do, in one table. Routes ask `requirePermission(ctx, 'scans:write')`;
// nothing else in the hub decides who may do what.
import { hubError } from '../platform/errors.js';

export const ROLES = ['platform_admin', 'expert', 'tenant_admin', 'tenant_analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose users are not bound to one tenant (they act in the tenant they select). */
export const CROSS_TENANT_ROLES: ReadonlySet<Role> = new Set(['platform_admin', 'expert']);

export const PERMISSIONS = [
  'read', // every GET of the tenant's data
  'assets:write', // ledger edits, CSV import
  'findings:write', // finding workflow, imports of scanner reports
  'scans:write', // create / cancel scans
  'policies:write', // baseline policies, assignment, drift decisions
  'agents:admin', // enrollment tokens, revoke, upgrade
  'intel:import', // shared intel feeds (all tenants see them)
  'intel:cross_tenant', // per-CVE view across tenants
  'users:admin', // users of the tenant
  'platform:admin', // tenants, users of every tenant, agent builds
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ANALYST: Permission[] = ['read', 'assets:write', 'findings:write', 'scans:write'];
const TENANT_ADMIN: Permission[] = [...ANALYST, 'policies:write', 'agents:admin', 'users:admin'];
const EXPERT: Permission[] = [...TENANT_ADMIN, 'intel:import', 'intel:cross_tenant'];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  platform_admin: new Set(PERMISSIONS),
  expert: new Set(EXPERT),
  tenant_admin: new Set(TENANT_ADMIN),
  tenant_analyst: new Set(ANALYST),
  viewer: new Set(['read']),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Throws FORBIDDEN unless the request's role grants `permission`. */
export function requirePermission(ctx: { state: { auth: { role: Role } } }, permission: Permission): void {
  if (!can(ctx.state.auth.role, permission)) {
    throw hubError('FORBIDDEN', `role ${ctx.state.auth.role} may not ${permission}`);
  }
}

/** The permission an API call needs when its route declares none: reads vs. writes. */
export function defaultPermission(method: string): Permission | null {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : null;
}
