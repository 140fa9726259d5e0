/**
 * The asset ledger's list state: filters and page, kept in the URL (so the dashboard links to a
 * filtered list and a reload keeps it) and turned into the hub's query parameters.
 */
import { computed, reactive } from 'vue';
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

export const PAGE_SIZES = [20, 50, 100, 200] as const;

export interface AssetListFilters {
  q: string;
  zone: string;
  owner: string;
  tag: string;
  /** '' = any. */
  shadow: '' | 'true' | 'false';
  agent: '' | 'with' | 'without';
  /** 'open': assets with drift events awaiting a decision (the overview's "open drift" link). */
  drift: '' | 'open';
  openPort: string;
  page: number;
  pageSize: number;
}

export const emptyFilters = (): AssetListFilters => ({
  q: '',
  zone: '',
  owner: '',
  tag: '',
  shadow: '',
  agent: '',
  drift: '',
  openPort: '',
  page: 1,
  pageSize: 50,
});

const one = (v: LocationQuery[string] | undefined): string =>
  (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const positive = (v: string, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
};

export function fromRouteQuery(q: LocationQuery): AssetListFilters {
  const shadow = one(q['shadow']);
  const agent = one(q['agent']);
  const size = positive(one(q['size']), 50);
  const port = one(q['openPort']);
  return {
    q: one(q['q']),
    zone: one(q['zone']),
    owner: one(q['owner']),
    tag: one(q['tag']),
    shadow: shadow === 'true' || shadow === 'false' ? shadow : '',
    agent: agent === 'with' || agent === 'without' ? agent : '',
    drift: one(q['drift']) === 'open' ? 'open' : '',
    openPort: /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535 ? port : '',
    page: positive(one(q['page']), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

/** Only what differs from the defaults goes into the URL. */
export function toRouteQuery(f: AssetListFilters): LocationQueryRaw {
  const out: LocationQueryRaw = {};
  for (const key of ['q', 'zone', 'owner', 'tag', 'shadow', 'agent', 'drift', 'openPort'] as const) {
    if (f[key] !== '') out[key] = f[key];
  }
  if (f.page !== 1) out['page'] = String(f.page);
  if (f.pageSize !== 50) out['size'] = String(f.pageSize);
  return out;
}

/** The hub's GET /assets parameters (server-side filter and pagination). */
export function apiQuery(f: AssetListFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of ['q', 'zone', 'owner', 'tag', 'shadow', 'agent', 'drift', 'openPort'] as const) {
    if (f[key] !== '') p.set(key, f[key]);
  }
  p.set('limit', String(f.pageSize));
  p.set('offset', String((f.page - 1) * f.pageSize));
  return p;
}

/**
 * A list's reactive state: changing a filter goes back to page 1 (the old page may not exist in
 * the new result); the page is clamped to what `total` allows.
 */
export function createListState(initial: AssetListFilters = emptyFilters()) {
  const state = reactive<AssetListFilters>({ ...initial });
  const total = reactive({ value: 0 });
  return {
    state,
    total,
    pageCount: computed(() => Math.max(1, Math.ceil(total.value / state.pageSize))),
    setFilter<K extends Exclude<keyof AssetListFilters, 'page' | 'pageSize'>>(
      key: K,
      value: AssetListFilters[K],
    ) {
      if (state[key] === value) return;
      state[key] = value;
      state.page = 1;
    },
    setPage(page: number) {
      const last = Math.max(1, Math.ceil(total.value / state.pageSize));
      state.page = Math.min(Math.max(1, Math.floor(page)), last);
    },
    setPageSize(size: number) {
      if (!(PAGE_SIZES as readonly number[]).includes(size)) return;
      state.pageSize = size;
      state.page = 1;
    },
    replace(next: AssetListFilters) {
      Object.assign(state, next);
    },
    reset() {
      Object.assign(state, emptyFilters());
    },
  };
}
export type ListState = ReturnType<typeof createListState>;
