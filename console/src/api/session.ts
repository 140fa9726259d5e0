/**
 * The console session: who is logged in, the tenants they may act in, the selected tenant and the
 * CSRF token the hub expects on every unsafe request. The session itself is an httpOnly cookie
 * the page never sees.
 */
import { computed, reactive, readonly } from 'vue';
import * as z from 'zod/mini';

export const roles = ['platform_admin', 'expert', 'tenant_admin', 'tenant_analyst', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const sessionSchema = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(roles),
    tenantId: z.nullable(z.string()),
  }),
  tenants: z.array(z.object({ id: z.string(), name: z.string() })),
  csrfToken: z.string(),
  permissions: z.array(z.string()),
});
export type SessionInfo = z.infer<typeof sessionSchema>;

const tenantKey = 'watchpost.tenant';

const state = reactive<{ info: SessionInfo | null; tenantId: string | null }>({
  info: null,
  tenantId: localStorage.getItem(tenantKey),
});

export const session = readonly(state);

export const currentTenant = computed(() => {
  const tenants = state.info?.tenants ?? [];
  return tenants.find((t) => t.id === state.tenantId) ?? tenants[0] ?? null;
});

export function setSession(info: SessionInfo | null): void {
  state.info = info;
  if (info && !info.tenants.some((t) => t.id === state.tenantId)) selectTenant(info.tenants[0]?.id ?? null);
}

export function selectTenant(id: string | null): void {
  state.tenantId = id;
  if (id === null) localStorage.removeItem(tenantKey);
  else localStorage.setItem(tenantKey, id);
}

export function hasPermission(permission: string): boolean {
  return state.info?.permissions.includes(permission) ?? false;
}

/** Headers every API call carries: the selected tenant, and the CSRF token for unsafe methods. */
export function sessionHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const tenant = currentTenant.value;
  if (tenant) headers['X-Watchpost-Tenant'] = tenant.id;
  if (method !== 'GET' && state.info) headers['X-CSRF-Token'] = state.info.csrfToken;
  return headers;
}
