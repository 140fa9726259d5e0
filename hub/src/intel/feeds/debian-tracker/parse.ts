// Debian security tracker JSON (security-tracker.debian.org/tracker/data/json):
// { sourcePackage: { CVE: { description, releases: { codename: { status, fixed_version, urgency }}}}}.
// One VulnRecord per (CVE, source package): its DistroFix list has one entry per release.
import type { DistroFix, DistroFixState, VulnRecord } from '../../store-api.js';
import { obj, requireId, str, RecordError } from '../common.js';

/** Codename → release number, so tracker verdicts share OSV's `Debian:12` ecosystem spelling. */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = {
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

const PKG_RE = /^[a-z0-9][a-z0-9.+-]{0,127}$/;

function state(status: string | null, fixed: string | null): DistroFixState {
  if (status === 'resolved') return fixed === '0' ? 'not_affected' : 'fixed';
  if (status === 'open') return 'unfixed';
  return 'undetermined';
}

export function parseDebianEntry(sourcePackage: string, cveId: string, raw: unknown): VulnRecord {
  if (!PKG_RE.test(sourcePackage)) throw new RecordError(`Debian tracker: malformed package name`);
  const id = requireId(cveId, `Debian tracker ${sourcePackage}`);
  const entry = obj(raw);
  const releases = obj(entry.releases);
  const distroFixes: DistroFix[] = Object.entries(releases).map(([codename, r]) => {
    const rel = obj(r);
    const fixed = str(rel.fixed_version);
    const st = state(str(rel.status), fixed);
    return {
      vulnId: id,
      source: 'debian-tracker',
      ecosystem: `Debian:${DEBIAN_RELEASES[codename] ?? codename}`,
      release: codename,
      sourcePackage,
      state: st,
      fixedVersion: st === 'fixed' ? fixed : null,
      urgency: str(rel.urgency),
      aliases: [],
    };
  });
  return {
    id,
    source: 'debian-tracker',
    aliases: [],
    published: null,
    modified: null,
    status: null,
    summary: null,
    description: str(entry.description) ?? '',
    cvss: [],
    cwes: [],
    references: [],
    configurations: [],
    affected: [],
    distroFixes,
    kevHint: null,
    ssvc: null,
  };
}
