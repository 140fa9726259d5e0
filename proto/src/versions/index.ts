// Version ordering shared by the agent (baseline `package` rules) and the hub (vulnerability
// matching): one implementation, so both sides agree on "installed < fixed".
import { apkCompare } from './apk.js';
import { dpkgCompare } from './dpkg.js';
import { genericCompare } from './generic.js';
import { rpmCompare } from './rpm.js';

export { apkCompare } from './apk.js';
export { dpkgCompare, dpkgVerrevcmp, parseDpkgVersion, type DpkgVersion } from './dpkg.js';
export { genericCompare, genericSegments } from './generic.js';
export { parseRpmEvr, rpmCompare, rpmvercmp, type RpmEvr } from './rpm.js';

export type VersionScheme = 'dpkg' | 'rpm' | 'apk' | 'generic';

// OSV ecosystem names (the part before ':') and plain scheme names, lower-cased.
const SCHEMES: Record<string, VersionScheme> = {
  dpkg: 'dpkg',
  deb: 'dpkg',
  debian: 'dpkg',
  ubuntu: 'dpkg',
  rpm: 'rpm',
  'red hat': 'rpm',
  redhat: 'rpm',
  rhel: 'rpm',
  'rocky linux': 'rpm',
  rocky: 'rpm',
  almalinux: 'rpm',
  centos: 'rpm',
  fedora: 'rpm',
  suse: 'rpm',
  opensuse: 'rpm',
  mageia: 'rpm',
  openeuler: 'rpm',
  'photon os': 'rpm',
  'azure linux': 'rpm',
  mariner: 'rpm',
  'oracle linux': 'rpm',
  amazon: 'rpm',
  apk: 'apk',
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
};

/** The version scheme of an ecosystem such as 'Debian:12', 'Alpine:v3.19', 'Red Hat:9' or 'rpm'. */
export function versionScheme(ecosystem: string): VersionScheme {
  const base = ecosystem.split(':')[0]?.trim().toLowerCase() ?? '';
  return SCHEMES[base] ?? 'generic';
}

export type VersionComparator = (a: string, b: string) => -1 | 0 | 1;

/** The comparator of an ecosystem, resolved once (for loops over many versions). */
export function versionComparator(ecosystem: string): VersionComparator {
  const scheme = versionScheme(ecosystem);
  return scheme === 'dpkg'
    ? dpkgCompare
    : scheme === 'rpm'
      ? rpmCompare
      : scheme === 'apk'
        ? apkCompare
        : genericCompare;
}

/** Compares two versions under the ecosystem's rules: -1 when a < b, 0 when equal, 1 when a > b. */
export function compareVersions(ecosystem: string, a: string, b: string): -1 | 0 | 1 {
  switch (versionScheme(ecosystem)) {
    case 'dpkg':
      return dpkgCompare(a, b);
    case 'rpm':
      return rpmCompare(a, b);
    case 'apk':
      return apkCompare(a, b);
    default:
      return genericCompare(a, b);
  }
}
