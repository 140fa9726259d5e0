// NVD configuration evaluation against what is known of one asset (its platform: the CPEs of its
// services and packages). Three-valued: a criteria match needs a KNOWN version inside the bounds
// ("yes"); a product match whose version is unknown is "unknown" (needs verification, never a
// finding); anything else is "no". Nodes combine with AND/OR and may be negated; nested children
// (legacy 1.1 feeds) are evaluated the same way.
import { genericCompare } from '@watchpost/proto';
import type { ConfigNode, CpeMatch, NvdConfiguration } from '../store-api.js';
import { attributeMatches, CPE_ATTRIBUTES, isUnknownVersion, parseCpe, type Cpe } from './cpe.js';

export type Tri = 'yes' | 'no' | 'unknown';

export interface PlatformEntry {
  /** What the finding is about: `22/tcp` for a service, the package name for a package. */
  component: string;
  cpe: Cpe;
  /** 'high' for a CPE a scanner reported; 'medium' for one derived from a product name. */
  confidence: 'high' | 'medium';
}

export interface Platform {
  entries: readonly PlatformEntry[];
  /** Parts (`o`, `h`) whose list is complete: a platform criteria on another part is "unknown". */
  knownParts: ReadonlySet<string>;
}

export interface ConfigVerdict {
  verdict: Tri;
  /** Entries that satisfied (yes) or may satisfy (unknown) a vulnerable criteria of a configuration with that verdict. */
  components: Map<string, { entry: PlatformEntry; match: CpeMatch }>;
}

const parsed = new Map<string, Cpe | null>();
/** Criteria repeat across thousands of CVEs: parse each once (bounded cache). */
export function criteriaCpe(criteria: string): Cpe | null {
  let c = parsed.get(criteria);
  if (c === undefined) {
    try {
      c = parseCpe(criteria);
    } catch {
      c = null;
    }
    if (parsed.size > 200_000) parsed.clear();
    parsed.set(criteria, c);
  }
  return c;
}

function versionVerdict(m: CpeMatch, crit: Cpe, target: Cpe): Tri {
  const cv = crit.version;
  // NA criteria name a product that has no versions: only an NA target is that product.
  if (cv.kind === 'na')
    return target.version.kind === 'na' ? 'yes' : isUnknownVersion(target.version) ? 'unknown' : 'no';
  if (isUnknownVersion(target.version)) return 'unknown';
  const v = target.version.kind === 'value' ? target.version.value : '';
  if (cv.kind === 'value') {
    if (cv.pattern) return cv.pattern.test(v) ? 'yes' : 'no';
    if (genericCompare(v, cv.value) === 0) return 'yes';
    // NVD splits `9.3p1` into version 9.3 + update p1; scanners report it as one version.
    const up = crit.update;
    return up.kind === 'value' && !up.pattern && genericCompare(v, cv.value + up.value) === 0 ? 'yes' : 'no';
  }
  if (m.versionStartIncluding !== null && genericCompare(v, m.versionStartIncluding) < 0) return 'no';
  if (m.versionStartExcluding !== null && genericCompare(v, m.versionStartExcluding) <= 0) return 'no';
  if (m.versionEndIncluding !== null && genericCompare(v, m.versionEndIncluding) > 0) return 'no';
  if (m.versionEndExcluding !== null && genericCompare(v, m.versionEndExcluding) >= 0) return 'no';
  return 'yes';
}

/** One criteria against one platform entry. */
export function entryVerdict(m: CpeMatch, entry: PlatformEntry): Tri {
  const crit = criteriaCpe(m.criteria);
  if (!crit) return 'no';
  const t = entry.cpe;
  for (const attr of ['part', 'vendor', 'product'] as const) {
    if (!attributeMatches(crit[attr], t[attr])) return 'no';
  }
  // Qualifiers the target does not state (ANY) cannot contradict the criteria.
  for (const attr of CPE_ATTRIBUTES.slice(4)) {
    if (t[attr].kind !== 'any' && !attributeMatches(crit[attr], t[attr])) return 'no';
  }
  return versionVerdict(m, crit, t);
}

const or = (a: Tri, b: Tri): Tri =>
  a === 'yes' || b === 'yes' ? 'yes' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no';
const and = (a: Tri, b: Tri): Tri =>
  a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
const not = (a: Tri): Tri => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'unknown');

type Hits = Map<string, { entry: PlatformEntry; match: CpeMatch; verdict: Tri }>;

const byProductCache = new WeakMap<Platform, Map<string, PlatformEntry[]>>();

/** The platform's entries that can match `crit`: by exact part:vendor:product, or all on wildcards. */
function candidatesFor(crit: Cpe | null, p: Platform): readonly PlatformEntry[] {
  if (!crit || crit.vendor.kind !== 'value' || crit.product.kind !== 'value' || crit.part.kind !== 'value')
    return p.entries;
  if (crit.vendor.pattern || crit.product.pattern) return p.entries;
  let index = byProductCache.get(p);
  if (!index) {
    index = new Map();
    for (const e of p.entries) {
      const k = `${e.cpe.part.kind === 'value' ? e.cpe.part.value : ''}:${e.cpe.vendor.kind === 'value' ? e.cpe.vendor.value : ''}:${e.cpe.product.kind === 'value' ? e.cpe.product.value : ''}`;
      const list = index.get(k);
      if (list) list.push(e);
      else index.set(k, [e]);
    }
    byProductCache.set(p, index);
  }
  return index.get(`${crit.part.value}:${crit.vendor.value}:${crit.product.value}`) ?? [];
}

function matchVerdict(m: CpeMatch, p: Platform, hits: Hits): Tri {
  let best: Tri = 'no';
  for (const e of candidatesFor(criteriaCpe(m.criteria), p)) {
    const v = entryVerdict(m, e);
    if (v === 'no') continue;
    if (m.vulnerable) {
      const prev = hits.get(e.component);
      if (!prev || (prev.verdict === 'unknown' && v === 'yes'))
        hits.set(e.component, { entry: e, match: m, verdict: v });
    }
    best = or(best, v);
    if (best === 'yes' && !m.vulnerable) break;
  }
  if (best === 'no' && !m.vulnerable) {
    // A "running on / with" platform we have no complete list for: we cannot say it is absent.
    const crit = criteriaCpe(m.criteria);
    const part = crit?.part.kind === 'value' ? crit.part.value : 'a';
    if (part !== 'a' && !p.knownParts.has(part)) return 'unknown';
  }
  return best;
}

function nodeVerdict(n: ConfigNode, p: Platform, hits: Hits): Tri {
  const isAnd = n.operator === 'AND';
  let acc: Tri = isAnd ? 'yes' : 'no';
  for (const m of n.cpeMatch)
    acc = isAnd ? and(acc, matchVerdict(m, p, hits)) : or(acc, matchVerdict(m, p, hits));
  for (const c of n.children)
    acc = isAnd ? and(acc, nodeVerdict(c, p, hits)) : or(acc, nodeVerdict(c, p, hits));
  return n.negate ? not(acc) : acc;
}

/** Evaluates all configurations of one vulnerability; the best verdict wins. */
export function evaluateConfigurations(configs: readonly NvdConfiguration[], p: Platform): ConfigVerdict {
  let verdict: Tri = 'no';
  const components = new Map<string, { entry: PlatformEntry; match: CpeMatch }>();
  for (const c of configs) {
    const hits: Hits = new Map();
    const isAnd = c.operator === 'AND';
    let acc: Tri = isAnd ? 'yes' : 'no';
    for (const n of c.nodes)
      acc = isAnd ? and(acc, nodeVerdict(n, p, hits)) : or(acc, nodeVerdict(n, p, hits));
    if (c.negate) acc = not(acc);
    if (acc === 'no') continue;
    if (acc === 'yes' && verdict !== 'yes') components.clear();
    if (acc === 'unknown' && verdict === 'yes') continue;
    verdict = or(verdict, acc);
    for (const [k, h] of hits) {
      if (acc === 'yes' && h.verdict !== 'yes') continue;
      if (!components.has(k)) components.set(k, { entry: h.entry, match: h.match });
    }
  }
  return { verdict, components };
}
