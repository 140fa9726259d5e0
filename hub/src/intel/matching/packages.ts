// Distro-aware package matching. A distro package is judged ONLY by its distro's verdict for the
// SOURCE package in the host's release (Debian tracker, OSV distro ecosystems): distros backport
// fixes without changing the upstream version, so upstream ranges would flag fixed packages.
// installed < fixed → vulnerable (high); fixed and installed >= fixed, or not affected → nothing;
// no fix yet → vulnerable (medium, with a note); distro silent → nothing. Packages of language
// managers (npm, pip, …) are not distro builds: their OSV ranges decide.
import { versionComparator, type VersionComparator } from '@watchpost/proto';
import type { DistroFix, IntelSource } from '../store-api.js';
import { DISTRO_MANAGERS, languageEcosystem, type HostEcosystems } from './distro.js';
import type { IntelLookup, LookupKeys } from './lookup.js';
import { osvAffects } from './osv-range.js';

export interface InventoryPackage {
  name: string;
  version: string;
  arch: string;
  manager: string;
  /** Source package (dpkg `Source:`); null/empty when it equals the binary name. */
  sourceName: string | null;
  sourceVersion: string | null;
}

export type MatchConfidence = 'high' | 'medium' | 'low';
export type PackageMatchSource = 'matcher:debian-tracker' | 'matcher:osv';

export interface PackageMatch {
  assetId: string;
  vulnId: string;
  component: { name: string; arch: string };
  /** The version compared: the source version for distro packages when the inventory has it. */
  installed: string;
  fixedIn: string | null;
  confidence: Exclude<MatchConfidence, 'low'>;
  source: PackageMatchSource;
  ecosystem: string;
  sourcePackage: string;
  urgency: string | null;
  note: string | null;
}

/** Debian tracker first: it is per source package and per release, the most precise. */
const SOURCE_RANK: Record<IntelSource, number> = {
  'debian-tracker': 0,
  osv: 1,
  cve5: 2,
  nvd: 3,
  kev: 4,
  epss: 5,
};

export const sourcePackageOf = (p: InventoryPackage): string =>
  p.sourceName !== null && p.sourceName !== '' ? p.sourceName : p.name;
const installedOf = (p: InventoryPackage): string =>
  p.sourceVersion !== null && p.sourceVersion !== '' ? p.sourceVersion : p.version;

/** Keys a prefetching lookup must load for these packages. */
export function packageLookupKeys(packages: readonly InventoryPackage[], eco: HostEcosystems): LookupKeys {
  const distro = new Map<string, [string, string]>();
  const osv = new Map<string, [string, string]>();
  for (const p of packages) {
    if (DISTRO_MANAGERS.has(p.manager)) {
      const src = sourcePackageOf(p);
      for (const e of eco.all) distro.set(`${e}\u0000${src}`, [e, src]);
    } else {
      const lang = languageEcosystem(p.manager);
      if (lang) osv.set(`${lang}\u0000${p.name}`, [lang, p.name]);
    }
  }
  return { distro: [...distro.values()], osv: [...osv.values()], products: [] };
}

/** Of several sources' verdicts on one vulnerability, those of the most precise source. */
function decisiveVerdicts(all: DistroFix[]): DistroFix[] {
  let best = Number.POSITIVE_INFINITY;
  for (const f of all) best = Math.min(best, SOURCE_RANK[f.source]);
  return all.filter((f) => SOURCE_RANK[f.source] === best);
}

/** One verdict for a (source package, installed version), shared by all its binaries and hosts. */
type Judgement = Omit<PackageMatch, 'assetId' | 'component' | 'installed'>;

function judge(verdicts: DistroFix[], installed: string, cmp: VersionComparator): Judgement | null {
  if (verdicts.some((f) => f.state === 'not_affected')) return null;
  const first = verdicts[0];
  if (!first) return null;
  const base = {
    vulnId: first.vulnId,
    source:
      first.source === 'debian-tracker' ? ('matcher:debian-tracker' as const) : ('matcher:osv' as const),
    ecosystem: first.ecosystem,
    sourcePackage: first.sourcePackage,
    urgency: first.urgency,
  };
  let highest: string | null = null;
  for (const f of verdicts) {
    if (f.state === 'fixed' && f.fixedVersion && (highest === null || cmp(f.fixedVersion, highest) > 0))
      highest = f.fixedVersion;
  }
  if (highest !== null) {
    if (cmp(installed, highest) >= 0) return null;
    return { ...base, fixedIn: highest, confidence: 'high', note: null };
  }
  if (verdicts.some((f) => f.state === 'unfixed')) {
    return { ...base, fixedIn: null, confidence: 'medium', note: 'no fix available in this release yet' };
  }
  return null; // undetermined: the distro has not decided; nothing to claim
}

function distroJudgements(
  src: string,
  installed: string,
  eco: HostEcosystems,
  lookup: IntelLookup,
  cmp: VersionComparator,
): Judgement[] {
  // Per vulnerability, the first (most specific) ecosystem spelling with a verdict decides.
  const byVuln = new Map<string, DistroFix[]>();
  for (const e of eco.all) {
    const here = lookup.distroFixes(e, src);
    if (here.length === 0) continue;
    const decided = new Set(byVuln.keys());
    for (const f of here) {
      if (decided.has(f.vulnId)) continue;
      const list = byVuln.get(f.vulnId);
      if (list) list.push(f);
      else byVuln.set(f.vulnId, [f]);
    }
  }
  const out: Judgement[] = [];
  for (const list of byVuln.values()) {
    const j = judge(decisiveVerdicts(list), installed, cmp);
    if (j) out.push(j);
  }
  return out;
}

/**
 * Judgements keyed by (ecosystems, source package, installed version): a fleet runs the same
 * builds, so one verdict serves every binary of a source and every host with that version.
 */
export type JudgementCache = Map<string, readonly Judgement[]>;

/** Matches one asset's packages. Pure: all intel comes through `lookup`. */
export function matchPackages(
  assetId: string,
  packages: readonly InventoryPackage[],
  eco: HostEcosystems,
  lookup: IntelLookup,
  cache: JudgementCache = new Map(),
): PackageMatch[] {
  const out: PackageMatch[] = [];
  const cmp = versionComparator(eco.primary ?? 'generic');
  const ecoKey = eco.all.join(',');
  for (const p of packages) {
    if (DISTRO_MANAGERS.has(p.manager)) {
      if (!eco.primary) continue;
      const src = sourcePackageOf(p);
      const installed = installedOf(p);
      const key = `${ecoKey}\u0000${src}\u0000${installed}`;
      let judgements = cache.get(key);
      if (!judgements) {
        judgements = distroJudgements(src, installed, eco, lookup, cmp);
        cache.set(key, judgements);
      }
      for (const j of judgements)
        out.push({ ...j, assetId, component: { name: p.name, arch: p.arch }, installed });
    } else {
      const lang = languageEcosystem(p.manager);
      if (!lang) continue;
      for (const entry of lookup.osvAffected(lang, p.name)) {
        const v = osvAffects(entry, p.version);
        if (!v.affected) continue;
        out.push({
          assetId,
          vulnId: entry.vulnId,
          component: { name: p.name, arch: p.arch },
          installed: p.version,
          fixedIn: v.fixedIn,
          confidence: 'high',
          source: 'matcher:osv',
          ecosystem: lang,
          sourcePackage: p.name,
          urgency: null,
          note: null,
        });
      }
    }
  }
  return out;
}
