// Compliance over time (pure): per bucket, the latest run of every asset × policy known at the
// bucket's end counts; compliance = Σpassed / Σ(passed + failed) of those runs, grouped by asset,
// policy or the whole tenant. not_applicable and error checks are left out, as in the run score.

export type ComplianceBy = 'asset' | 'policy' | 'tenant';
export const BUCKET_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;
export type BucketName = keyof typeof BUCKET_MS;
export const MAX_BUCKETS = 1000;

export interface RunPoint {
  assetId: string;
  policyKey: string;
  startedAt: Date;
  passed: number;
  failed: number;
}

export interface ComplianceSeries {
  /** asset id, policy key, or "tenant". */
  key: string;
  points: { at: string; passed: number; failed: number; compliance: number | null; runs: number }[];
}

/** Bucket starts from `from` (floored to the bucket) up to `to`; throws over MAX_BUCKETS. */
export function bucketStarts(from: Date, to: Date, bucket: BucketName): Date[] {
  const width = BUCKET_MS[bucket];
  const first = Math.floor(from.getTime() / width) * width;
  const count = Math.floor((to.getTime() - first) / width) + 1;
  if (count > MAX_BUCKETS) throw new RangeError(`over ${MAX_BUCKETS} buckets`);
  return Array.from({ length: Math.max(0, count) }, (_, i) => new Date(first + i * width));
}

const groupOf = (by: ComplianceBy, r: RunPoint): string =>
  by === 'asset' ? r.assetId : by === 'policy' ? r.policyKey : 'tenant';

/** `runs` may hold runs from before `from` (they carry into the first bucket). */
export function complianceSeries(
  runs: readonly RunPoint[],
  from: Date,
  to: Date,
  bucket: BucketName,
  by: ComplianceBy,
): ComplianceSeries[] {
  const sorted = [...runs].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const latest = new Map<string, RunPoint>();
  const series = new Map<string, ComplianceSeries>();
  const width = BUCKET_MS[bucket];
  let i = 0;
  for (const start of bucketStarts(from, to, bucket)) {
    const end = start.getTime() + width;
    for (; i < sorted.length && (sorted[i]?.startedAt.getTime() ?? end) < end; i += 1) {
      const r = sorted[i] as RunPoint;
      latest.set(`${r.assetId}\u0000${r.policyKey}`, r);
    }
    const sums = new Map<string, { passed: number; failed: number; runs: number }>();
    for (const r of latest.values()) {
      const k = groupOf(by, r);
      const s = sums.get(k) ?? { passed: 0, failed: 0, runs: 0 };
      s.passed += r.passed;
      s.failed += r.failed;
      s.runs += 1;
      sums.set(k, s);
    }
    for (const [k, s] of sums) {
      let line = series.get(k);
      if (!line) series.set(k, (line = { key: k, points: [] }));
      const decided = s.passed + s.failed;
      line.points.push({
        at: start.toISOString(),
        ...s,
        compliance: decided === 0 ? null : Math.round((s.passed / decided) * 10_000) / 100,
      });
    }
  }
  return [...series.values()].sort((a, b) => a.key.localeCompare(b.key));
}
