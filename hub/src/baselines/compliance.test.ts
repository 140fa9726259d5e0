import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketStarts, complianceSeries, type RunPoint } from './compliance.js';

const day = (d: number, h = 12) => new Date(Date.UTC(2026, 10, d, h));
const run = (assetId: string, policyKey: string, at: Date, passed: number, failed: number): RunPoint => ({
  assetId,
  policyKey,
  startedAt: at,
  passed,
  failed,
});

describe('compliance over time', () => {
  test('the latest run per asset × policy counts in each day, carried forward', () => {
    const runs = [
      run('a1', 'p', day(1), 5, 5), // 50 %
      run('a1', 'p', day(1, 18), 8, 2), // later the same day: replaces the first
      run('a2', 'p', day(2), 0, 10),
      run('a1', 'p', day(3), 10, 0),
    ];
    const [tenant] = complianceSeries(runs, day(1, 0), day(3, 0), 'day', 'tenant');
    assert.deepEqual(
      tenant?.points.map((p) => [p.at.slice(0, 10), p.compliance, p.runs]),
      [
        ['2026-11-01', 80, 1],
        ['2026-11-02', 40, 2], // (8 + 0) / (10 + 10)
        ['2026-11-03', 50, 2], // (10 + 0) / 20
      ],
    );
  });

  test('runs before `from` carry in; grouping by asset and by policy', () => {
    const runs = [run('a1', 'p', day(1), 1, 1), run('a1', 'q', day(5), 3, 1), run('a2', 'q', day(5), 0, 0)];
    const byAsset = complianceSeries(runs, day(4, 0), day(5, 0), 'day', 'asset');
    assert.deepEqual(
      byAsset.map((s) => [s.key, s.points.map((p) => p.compliance)]),
      [
        ['a1', [50, 66.67]],
        ['a2', [null]], // nothing decidable: no percentage rather than 0 or 100
      ],
    );
    const byPolicy = complianceSeries(runs, day(4, 0), day(5, 0), 'day', 'policy');
    assert.deepEqual(
      byPolicy.map((s) => [s.key, s.points.length, s.points.at(-1)?.compliance]),
      [
        ['p', 2, 50],
        ['q', 1, 75],
      ],
    );
  });

  test('bucket starts are floored and bounded', () => {
    assert.equal(bucketStarts(day(1, 13), day(2, 1), 'day').length, 2);
    assert.equal(bucketStarts(day(1, 13), day(1, 13), 'hour')[0]?.toISOString(), '2026-11-01T13:00:00.000Z');
    assert.throws(() => bucketStarts(new Date(0), day(1), 'hour'), /buckets/);
  });
});
