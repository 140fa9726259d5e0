import { describe, expect, test } from 'vitest';
import { apiParams, defaultFilters, filtersFromQuery, queryFromFilters } from './query';

const asset = '0b0f6c2e-6a3b-4c1e-9d7a-2f1e4c5b6a70';

describe('findings filters ↔ query string', () => {
  test('an empty query is the defaults, and the defaults write an empty query', () => {
    expect(filtersFromQuery({})).toEqual(defaultFilters);
    expect(queryFromFilters(defaultFilters)).toEqual({});
  });

  test('round-trips every filter through the URL', () => {
    const f = {
      ...defaultFilters,
      type: ['vulnerability', 'baseline'] as const,
      priority: ['P1', 'P2'] as const,
      status: ['open'] as const,
      asset,
      cve: 'CVE-2024-3094',
      source: 'nessus',
      sort: 'risk' as const,
      page: 3,
      size: 100,
    };
    const q = queryFromFilters({ ...f, type: [...f.type], priority: [...f.priority], status: [...f.status] });
    expect(q).toEqual({
      type: 'vulnerability,baseline',
      priority: 'P1,P2',
      status: 'open',
      asset,
      cve: 'CVE-2024-3094',
      source: 'nessus',
      sort: 'risk',
      page: '3',
      size: '100',
    });
    expect(filtersFromQuery(q)).toEqual({
      ...f,
      type: [...f.type],
      priority: [...f.priority],
      status: [...f.status],
    });
  });

  test('accepts repeated params and drops unknown or malformed values instead of sending them', () => {
    const f = filtersFromQuery({
      type: ['vulnerability', 'nonsense,drift', null],
      priority: 'P9,P1,P1',
      status: 'closed',
      asset: 'not-a-uuid',
      cve: 'cve-2021-44228',
      source: 'Bad Source!',
      sort: 'random',
      page: '-2',
      size: '7',
    });
    expect(f).toEqual({
      ...defaultFilters,
      type: ['vulnerability', 'drift'],
      priority: ['P1'],
      cve: 'CVE-2021-44228',
    });
  });

  test('the hub query maps page/size to limit/offset and asset to assetId', () => {
    const p = apiParams({ ...defaultFilters, asset, page: 4, size: 25, type: ['exposure'] });
    expect(Object.fromEntries(p)).toEqual({
      type: 'exposure',
      assetId: asset,
      sort: 'severity',
      limit: '25',
      offset: '75',
    });
  });
});
