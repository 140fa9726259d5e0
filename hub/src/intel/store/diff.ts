// What changed between two versions of a record, in the terms operators care about: scores, KEV
// status, affected ranges, distro verdicts. Summaries stay small: they are stored per change.
import type { EpssScore, FieldChange, KevEntry, VulnRecord } from '../store-api.js';

/** EPSS moves a little every day; only a move of at least this much is recorded as a change. */
export const EPSS_CHANGE_THRESHOLD = 0.1;

const json = (v: unknown) => JSON.stringify(v);
const clip = (s: string | null) => (s === null ? null : s.length > 300 ? `${s.slice(0, 297)}...` : s);

const cvssSummary = (r: VulnRecord) =>
  r.cvss.map((m) => ({ version: m.version, score: m.baseScore, source: m.source }));
const affectedSummary = (r: VulnRecord) =>
  r.affected.map((a) => ({
    ecosystem: a.ecosystem,
    package: a.package,
    ranges: a.ranges.map((x) => x.events),
  }));
const fixesSummary = (r: VulnRecord) =>
  r.distroFixes.map((f) => ({
    ecosystem: f.ecosystem,
    package: f.sourcePackage,
    state: f.state,
    fixed: f.fixedVersion,
  }));
const configSummary = (r: VulnRecord) => ({
  configurations: r.configurations.length,
  cpeMatches: r.configurations.reduce((n, c) => n + c.nodes.reduce((m, x) => m + x.cpeMatch.length, 0), 0),
});

export function diffVuln(before: VulnRecord, after: VulnRecord): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (field: FieldChange['field'], b: unknown, a: unknown) => {
    if (json(b) !== json(a)) out.push({ field, before: b, after: a });
  };
  push('cvss', cvssSummary(before), cvssSummary(after));
  push('kev', before.kevHint, after.kevHint);
  push('affected', affectedSummary(before), affectedSummary(after));
  push('distro_fixes', fixesSummary(before), fixesSummary(after));
  if (json(before.configurations) !== json(after.configurations))
    out.push({ field: 'configurations', before: configSummary(before), after: configSummary(after) });
  push('status', before.status, after.status);
  if (before.description !== after.description)
    out.push({ field: 'description', before: clip(before.description), after: clip(after.description) });
  if (json(before.references) !== json(after.references))
    out.push({ field: 'references', before: before.references.length, after: after.references.length });
  if (out.length === 0) out.push({ field: 'other', before: before.modified, after: after.modified });
  return out;
}

const kevSummary = (k: KevEntry | null) =>
  k === null
    ? null
    : {
        dateAdded: k.dateAdded,
        dueDate: k.dueDate,
        knownRansomwareCampaignUse: k.knownRansomwareCampaignUse,
      };

export function diffKev(before: KevEntry | null, after: KevEntry): FieldChange[] {
  const b = kevSummary(before);
  const a = kevSummary(after);
  return json(b) === json(a)
    ? [{ field: 'other', before: null, after: null }]
    : [{ field: 'kev', before: b, after: a }];
}

/** Null when the move is below the threshold (no change recorded, the row is still updated). */
export function diffEpss(before: EpssScore, after: EpssScore): FieldChange[] | null {
  if (Math.abs(after.score - before.score) < EPSS_CHANGE_THRESHOLD) return null;
  return [
    {
      field: 'epss',
      before: { score: before.score, percentile: before.percentile, date: before.date },
      after: { score: after.score, percentile: after.percentile, date: after.date },
    },
  ];
}
