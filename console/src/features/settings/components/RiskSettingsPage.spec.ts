import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { setSession } from '../../../api/session';
import { i18n } from '../../../i18n';
import { navigation } from '../../../layout/navigation';
import RiskSettingsPage from './RiskSettingsPage.vue';

const config = {
  bands: { P1: 70, P2: 50, P3: 30 },
  slaDays: { P1: 7, P2: 30, P3: 90, P4: 180 },
  kevOverride: true,
};

async function setup(permissions: string[]) {
  setSession({
    user: { id: 'u1', email: 'a@example.test', displayName: 'A', role: 'tenant_admin', tenantId: 't1' },
    tenants: [{ id: 't1', name: 'acme' }],
    csrfToken: 'csrf',
    permissions,
  });
  const puts: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((_input: string, init?: RequestInit) => {
      if (init?.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as typeof config;
        puts.push(body);
        return Promise.resolve(new Response(JSON.stringify({ config: body, rescored: 12 }), { status: 200 }));
      }
      return Promise.resolve(new Response(JSON.stringify({ config }), { status: 200 }));
    }),
  );
  const wrapper = mount(RiskSettingsPage, { global: { plugins: [i18n] } });
  await flushPromises();
  return { wrapper, puts };
}

describe('RiskSettingsPage', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    setSession(null);
  });

  test('the menu offers the page only with policies:write', () => {
    expect(navigation.find((n) => n.path === '/settings/risk')?.permission).toBe('policies:write');
  });

  test('shows the tenant policy, blocks decreasing-order mistakes, saves and reports the re-score', async () => {
    const { wrapper, puts } = await setup(['policies:write']);
    const p2 = wrapper.get('[data-test="band-P2"] input');
    expect((p2.element as HTMLInputElement).value).toBe('50');
    await p2.setValue('80');
    await p2.trigger('blur');
    await flushPromises();
    expect(wrapper.find('[data-test="bands-invalid"]').exists()).toBe(true);
    expect(wrapper.get('[data-test="risk-save"]').attributes('disabled')).toBeDefined();
    await p2.setValue('55');
    await p2.trigger('blur');
    const sla = wrapper.get('[data-test="sla-P1"] input');
    await sla.setValue('3');
    await sla.trigger('blur');
    await flushPromises();
    await wrapper.get('[data-test="risk-save"]').trigger('click');
    await flushPromises();
    expect(puts).toEqual([
      { ...config, bands: { P1: 70, P2: 55, P3: 30 }, slaDays: { ...config.slaDays, P1: 3 } },
    ]);
    expect(wrapper.text()).toContain('12 open findings re-scored');
    wrapper.unmount();
  });

  test('read-only without policies:write', async () => {
    const { wrapper } = await setup([]);
    expect(wrapper.find('[data-test="risk-save"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Read-only');
    wrapper.unmount();
  });
});
