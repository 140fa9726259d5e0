import { flushPromises, mount } from '@vue/test-utils';
import { ElLoading, ElMessageBox } from 'element-plus';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setSession } from '../../../api/session';
import { i18n } from '../../../i18n';
import PoliciesPage from './PoliciesPage.vue';

const policy = (id: string, builtin: boolean) => ({
  id,
  policyKey: builtin ? 'cis-debian' : 'site-web',
  title: builtin ? 'CIS Debian' : 'Site web',
  version: '1',
  source: builtin ? 'builtin' : 'yaml',
  builtin,
  revision: 1,
  checks: 3,
  assignment: { tenant: false, agentIds: [], tags: [] },
  updatedAt: '2026-11-25T12:00:00.000Z',
});

function answer(body: unknown, status = 200): Response {
  return status === 204
    ? new Response(null, { status })
    : new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

async function setup(permissions: string[]) {
  setSession({
    user: { id: 'u1', email: 'a@example.test', displayName: 'A', role: 'tenant_admin', tenantId: 't1' },
    tenants: [{ id: 't1', name: 'acme' }],
    csrfToken: 'csrf',
    permissions,
  });
  const calls: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const path = new URL(input, 'http://console.test').pathname;
      calls.push({ method, path, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
      if (method === 'DELETE') return Promise.resolve(answer(null, 204));
      if (method === 'POST') return Promise.resolve(answer({ ...policy('p3', false), yaml: '' }, 201));
      return Promise.resolve(answer({ items: [policy('p1', true), policy('p2', false)], total: 2 }));
    }),
  );
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/policies', name: 'policies', component: PoliciesPage },
      { path: '/policies/new', name: 'policy-new', component: { template: '<p>new</p>' } },
      { path: '/policies/:id', name: 'policy', component: { template: '<p>detail</p>' } },
    ],
  });
  await router.push('/policies');
  const wrapper = mount(PoliciesPage, { global: { plugins: [i18n, router, ElLoading] } });
  await flushPromises();
  return { wrapper, router, calls };
}

describe('PoliciesPage copy and delete', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    setSession(null);
  });

  test('built-ins cannot be deleted; a user without policies:write sees no actions', async () => {
    const { wrapper } = await setup(['policies:write']);
    const del = wrapper.findAll('[data-test="policy-delete"]');
    expect(del.map((b) => b.attributes('disabled') !== undefined)).toEqual([true, false]);
    wrapper.unmount();
    const ro = await setup([]);
    expect(ro.wrapper.findAll('[data-test="policy-copy"]')).toHaveLength(0);
    ro.wrapper.unmount();
  });

  test('delete asks, then sends DELETE and reloads the list', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never);
    const { wrapper, calls } = await setup(['policies:write']);
    await wrapper.findAll('[data-test="policy-delete"]')[1]?.trigger('click');
    await flushPromises();
    expect(confirm).toHaveBeenCalledOnce();
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([
      { method: 'DELETE', path: '/api/v1/policies/p2', body: undefined },
    ]);
    expect(calls.at(-1)?.method).toBe('GET');
    wrapper.unmount();
  });

  test('copy posts the new document id and opens the copy', async () => {
    vi.spyOn(ElMessageBox, 'prompt').mockResolvedValue({
      value: ' cis-debian-site ',
      action: 'confirm',
    } as never);
    const { wrapper, router, calls } = await setup(['policies:write']);
    await wrapper.findAll('[data-test="policy-copy"]')[0]?.trigger('click');
    await flushPromises();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', path: '/api/v1/policies/p1/copy', body: { id: 'cis-debian-site' } },
    ]);
    expect(router.currentRoute.value.path).toBe('/policies/p3');
    wrapper.unmount();
  });
});
