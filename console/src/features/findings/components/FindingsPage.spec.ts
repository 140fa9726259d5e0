import { flushPromises, mount } from '@vue/test-utils';
import { ElLoading } from 'element-plus';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n } from '../../../i18n';
import FindingsPage from './FindingsPage.vue';

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

async function setup(url: string) {
  const requested: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string) => {
      requested.push(new URL(input, 'http://console.test'));
      return Promise.resolve(answer({ items: [], total: 0 }));
    }),
  );
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/findings', name: 'findings', component: FindingsPage },
      { path: '/findings/:id', name: 'finding', component: { template: '<p>detail</p>' } },
    ],
  });
  await router.push(url);
  const wrapper = mount(FindingsPage, { global: { plugins: [i18n, router, ElLoading] } });
  await flushPromises();
  return { wrapper, router, requested };
}

describe('FindingsPage filters ↔ URL', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('the URL query drives the controls and the hub query', async () => {
    const { wrapper, requested } = await setup('/findings?type=vulnerability&priority=P1,P2&page=3&size=25');
    const last = requested.at(-1);
    expect(last?.pathname).toBe('/api/v1/findings');
    expect(Object.fromEntries(last?.searchParams ?? [])).toEqual({
      type: 'vulnerability',
      priority: 'P1,P2',
      sort: 'severity',
      limit: '25',
      offset: '50',
    });
    const checked = wrapper.findAll('.el-checkbox-button.is-checked').map((c) => c.text());
    expect(checked).toEqual(['Vulnerability', 'P1', 'P2']);
  });

  test('changing a control rewrites the URL (back to page 1) and reloads from the hub', async () => {
    const { wrapper, router, requested } = await setup('/findings?page=4');
    const risk = wrapper.findAll('[data-test="sort"] input').find((i) => i.attributes('value') === 'risk');
    await risk?.setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ sort: 'risk' });
    expect(requested.at(-1)?.searchParams.get('sort')).toBe('risk');
    expect(requested.at(-1)?.searchParams.get('offset')).toBe('0');

    const status = wrapper.find('[data-test="filter-status"] input[value="open"]');
    await status.setValue(true);
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ sort: 'risk', status: 'open' });

    // Free text applies on Enter, only when valid: a bad CVE never reaches the URL.
    const field = wrapper.find('[data-test="filter-cve"]');
    const cve = field.element.tagName === 'INPUT' ? field : field.find('input');
    await cve.setValue('CVE-nope');
    await cve.trigger('keyup', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.query['cve']).toBeUndefined();
    await cve.setValue('cve-2024-3094');
    await cve.trigger('keyup', { key: 'Enter' });
    await flushPromises();
    expect(router.currentRoute.value.query['cve']).toBe('CVE-2024-3094');
    expect(requested.at(-1)?.searchParams.get('cve')).toBe('CVE-2024-3094');
  });
});
