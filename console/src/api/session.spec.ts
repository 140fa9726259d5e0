import { beforeEach, describe, expect, test } from 'vitest';
import {
  currentTenant,
  hasPermission,
  selectTenant,
  sessionHeaders,
  setSession,
  type SessionInfo,
} from './session';

const info = (tenants: { id: string; name: string }[]): SessionInfo => ({
  user: { id: 'u1', email: 'e@x.test', displayName: 'e', role: 'expert', tenantId: null },
  tenants,
  csrfToken: 'csrf-123',
  permissions: ['read', 'scans:write'],
});

describe('session store', () => {
  beforeEach(() => {
    localStorage.clear();
    selectTenant(null);
    setSession(null);
  });

  test('defaults to the first tenant and remembers a switch', () => {
    setSession(
      info([
        { id: 't1', name: 'acme' },
        { id: 't2', name: 'globex' },
      ]),
    );
    expect(currentTenant.value?.name).toBe('acme');
    selectTenant('t2');
    expect(currentTenant.value?.name).toBe('globex');
    expect(localStorage.getItem('watchpost.tenant')).toBe('t2');
  });

  test('a remembered tenant the user lost access to falls back to an allowed one', () => {
    selectTenant('gone');
    setSession(info([{ id: 't1', name: 'acme' }]));
    expect(currentTenant.value?.id).toBe('t1');
  });

  test('unsafe methods carry the CSRF token; every call carries the tenant', () => {
    setSession(info([{ id: 't1', name: 'acme' }]));
    expect(sessionHeaders('GET')).toEqual({ 'X-Watchpost-Tenant': 't1' });
    expect(sessionHeaders('POST')).toEqual({ 'X-Watchpost-Tenant': 't1', 'X-CSRF-Token': 'csrf-123' });
  });

  test('permissions come from the hub', () => {
    setSession(info([{ id: 't1', name: 'acme' }]));
    expect(hasPermission('scans:write')).toBe(true);
    expect(hasPermission('platform:admin')).toBe(false);
  });
});
