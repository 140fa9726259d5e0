import { describe, expect, it } from 'vitest';
import { apiQuery, createListState, emptyFilters, fromRouteQuery, toRouteQuery } from './query';

describe('asset list state', () => {
  it('reads filters from the URL, dropping what is malformed', () => {
    const f = fromRouteQuery({
      zone: 'dmz',
      shadow: 'maybe',
      agent: 'without',
      openPort: '70000',
      page: '3',
      size: '7',
    });
    expect(f).toMatchObject({
      zone: 'dmz',
      shadow: '',
      agent: 'without',
      openPort: '',
      page: 3,
      pageSize: 50,
    });
  });

  it('round-trips through the URL with only non-defaults', () => {
    const f = { ...emptyFilters(), tag: 'pci', page: 2, pageSize: 100 };
    expect(toRouteQuery(f)).toEqual({ tag: 'pci', page: '2', size: '100' });
    expect(fromRouteQuery(toRouteQuery(f) as Record<string, string>)).toEqual(f);
    expect(toRouteQuery(emptyFilters())).toEqual({});
  });

  it("understands the overview's open-drift link and passes it to the hub", () => {
    const f = fromRouteQuery({ drift: 'open' });
    expect(f.drift).toBe('open');
    expect(toRouteQuery(f)).toEqual({ drift: 'open' });
    expect(apiQuery(f).get('drift')).toBe('open');
    expect(fromRouteQuery({ drift: 'closed' }).drift).toBe('');
  });

  it('asks the hub for the page it shows', () => {
    const p = apiQuery({ ...emptyFilters(), q: 'web', shadow: 'true', page: 3, pageSize: 20 });
    expect(p.toString()).toBe('q=web&shadow=true&limit=20&offset=40');
  });

  it('goes back to page 1 when a filter or the page size changes, and clamps the page', () => {
    const list = createListState();
    list.total.value = 230;
    list.setPage(4);
    expect(list.state.page).toBe(4);
    list.setFilter('zone', 'internal');
    expect(list.state.page).toBe(1);
    list.setPage(99);
    expect(list.state.page).toBe(5);
    expect(list.pageCount.value).toBe(5);
    list.setPageSize(100);
    expect(list.state.page).toBe(1);
    expect(list.pageCount.value).toBe(3);
    list.setPageSize(33);
    expect(list.state.pageSize).toBe(100);
    list.setPage(2);
    list.setFilter('zone', 'internal'); // unchanged filter keeps the page
    expect(list.state.page).toBe(2);
  });
});
