// Turns matches into findings observations: identity = asset + vulnerability id + component
// (package name, or port/protocol for a service) — stable fields only; versions, confidence and
// the fix live in details and evidence, so a changed fix version updates the same finding.
import { findingIdentityKey, type Observation, type Severity } from '../../findings/index.js';
import type { IntelVulnerability } from '../store-api.js';
import type { PackageMatch } from './packages.js';
import type { CpeMatchResult } from './services.js';

export type MatchFindingSource = 'matcher:packages' | 'matcher:cpe' | 'intel:early-warning';

const CVE_RE = /^CVE-\d{4}-\d{4,}$/;
/** Findings keep high/medium as the findings vocabulary spells confidence. */
const CONFIDENCE = { high: 'firm', medium: 'tentative' } as const;
const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  none: 'info',
};

export function cveOf(
  vulnId: string,
  v: IntelVulnerability | undefined,
  aliases: readonly string[] = [],
): string | null {
  if (CVE_RE.test(vulnId)) return vulnId;
  return [...(v?.aliases ?? []), ...aliases].find((a) => CVE_RE.test(a)) ?? null;
}

function severityOf(
  v: IntelVulnerability | undefined,
  urgency: string | null,
): { severity: Severity; score: number | null } {
  const metric = v?.cvss4 ?? v?.cvss3 ?? v?.cvss[0] ?? null;
  if (metric) {
    const word = SEVERITY_WORDS[(metric.baseSeverity ?? '').toLowerCase()];
    const score = metric.baseScore;
    if (word) return { severity: word, score };
    if (score !== null) {
      const s: Severity =
        score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score > 0 ? 'low' : 'info';
      return { severity: s, score };
    }
  }
  const u = (urgency ?? '').replace(/\*+$/, '').toLowerCase();
  if (u === 'unimportant') return { severity: 'low', score: null };
  return { severity: SEVERITY_WORDS[u] ?? 'medium', score: null };
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function packageObservation(
  m: PackageMatch,
  v: IntelVulnerability | undefined,
  source: MatchFindingSource,
  observedAt: Date,
  aliases: readonly string[] = [],
): Observation {
  const { severity, score } = severityOf(v, m.urgency);
  const fix = m.fixedIn ? `fixed in ${m.fixedIn}` : 'no fix yet';
  return {
    assetId: m.assetId,
    type: 'vulnerability',
    component: m.component.name,
    ruleId: m.vulnId,
    title: clip(`${m.vulnId} in ${m.component.name} ${m.installed} (${fix})`, 500),
    description: clip(v?.description ?? '', 16 * 1024),
    severity,
    cvssScore: score,
    source,
    observedAt,
    cve: cveOf(m.vulnId, v, aliases),
    confidence: CONFIDENCE[m.confidence],
    fromIntel: source === 'intel:early-warning',
    details: {
      matcher: m.source,
      matchConfidence: m.confidence,
      package: m.component.name,
      arch: m.component.arch,
      sourcePackage: m.sourcePackage,
      installed: m.installed,
      fixedIn: m.fixedIn,
      ecosystem: m.ecosystem,
      note: m.note,
      ...(source === 'intel:early-warning' ? { fromIntel: true } : {}),
    },
  };
}

export function cpeObservation(
  m: CpeMatchResult,
  v: IntelVulnerability | undefined,
  source: MatchFindingSource,
  observedAt: Date,
): Observation {
  const { severity, score } = severityOf(v, null);
  const confidence = m.confidence === 'low' ? 'medium' : m.confidence;
  return {
    assetId: m.assetId,
    type: 'vulnerability',
    component: m.component,
    ruleId: m.vulnId,
    port: m.port,
    protocol: m.protocol,
    title: clip(`${m.vulnId} on ${m.component}: ${m.cpe}`, 500),
    description: clip(v?.description ?? '', 16 * 1024),
    severity,
    cvssScore: score,
    source,
    observedAt,
    cve: cveOf(m.vulnId, v),
    confidence: CONFIDENCE[confidence],
    fromIntel: source === 'intel:early-warning',
    details: {
      matcher: 'matcher:cpe',
      matchConfidence: m.confidence,
      cpe: m.cpe,
      criteria: m.criteria,
      version: m.version,
      note: m.note,
      ...(source === 'intel:early-warning' ? { fromIntel: true } : {}),
    },
  };
}

/** The finding identity a match lands on (as FindingsService computes it). */
export function identityOf(o: Observation): string {
  return findingIdentityKey({
    type: o.type,
    assetId: o.assetId,
    component: o.component,
    ruleId: o.ruleId,
    port: o.port ?? null,
    protocol: o.protocol ?? null,
  });
}
