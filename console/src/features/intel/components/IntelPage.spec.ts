import { flushPromises, mount } from '@vue/test-utils';
import { ElLoading } from 'element-plus';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n } from '../../../i18n';
import IntelPage from './IntelPage.vue';

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

async function setup(url: string) {
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string) => {
      const path = new URL(input, 'http://console.test').pathname;
      if (path === '/api/v1/intel/status') return Promise.resolve(answer({ sources: [] }));
      return Promise.resolve(answer({ items: [], total: 0 }));
    }),
  );
  const scrolled: Element[] = [];
  vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: HTMLElement) {
    scrolled.push(this);
  });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/intel', name: 'intel', component: IntelPage }],
  });
  await router.push(url);
  const wrapper = mount(IntelPage, {
    global: { plugins: [i18n, router, ElLoading] },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, router, scrolled };
}

describe('IntelPage ?tab=warnings', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  test('the overview link brings the early warnings into view and marks them', async () => {
    const { wrapper, scrolled } = await setup('/intel?tab=warnings');
    const section = wrapper.get('[data-test="warnings-section"]');
    expect(section.classes()).toContain('intel__focus');
    expect(scrolled).toEqual([section.element]);
    wrapper.unmount();
  });

  test('without the tab the page stays at the top, unmarked', async () => {
    const { wrapper, scrolled } = await setup('/intel');
    expect(wrapper.get('[data-test="warnings-section"]').classes()).not.toContain('intel__focus');
    expect(scrolled).toEqual([]);
    wrapper.unmount();
  });
});
