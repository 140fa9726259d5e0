import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n, setLocale } from '../../../i18n';
import LoginPage from './LoginPage.vue';

function setup() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: LoginPage },
      { path: '/:any(.*)*', component: { template: '<p>home</p>' } },
    ],
  });
  return { router };
}

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('LoginPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('signs in and goes to the page asked for, never to another origin', async () => {
    const fetchMock = vi.fn(() =>
      Promise.resolve(
        answer(200, {
          user: { id: 'u', email: 'a@b.test', displayName: 'a', role: 'tenant_admin', tenantId: 't' },
          tenants: [{ id: 't', name: 'acme' }],
          csrfToken: 'c',
          permissions: ['read'],
        }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const { router } = setup();
    await router.push('/login?next=//evil.example/x');
    const wrapper = mount(LoginPage, { global: { plugins: [i18n, router] } });
    await wrapper.find('input[name="email"]').setValue('a@b.test');
    await wrapper.find('input[name="password"]').setValue('secret secret');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledOnce();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/auth/login');
    expect(JSON.parse(String(init.body))).toEqual({ email: 'a@b.test', password: 'secret secret' });
    expect(router.currentRoute.value.fullPath).toBe('/');
  });

  test('shows a translated message for wrong credentials and for a lock-out', async () => {
    setLocale('zh-CN');
    vi.stubGlobal(
      'fetch',
      vi
        .fn()
        .mockResolvedValueOnce(answer(401, { code: 'UNAUTHENTICATED', message: 'wrong e-mail or password' }))
        .mockResolvedValueOnce(answer(429, { code: 'RATE_LIMITED', message: 'too many' })),
    );
    const { router } = setup();
    await router.push('/login');
    const wrapper = mount(LoginPage, { global: { plugins: [i18n, router] } });
    await wrapper.find('input[name="email"]').setValue('a@b.test');
    await wrapper.find('input[name="password"]').setValue('nope nope nope');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('邮箱或密码错误');
    await wrapper.find('input[name="password"]').setValue('nope nope nope');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('失败次数过多');
    setLocale('en');
  });
});
