// CPE matching of one asset: its platform entries come from discovered services (the CPEs a
// scanner reported, else the product banner translated to NVD's vendor:product) and from
// non-distro packages; every NVD configuration naming one of those products is evaluated.
// "yes" → a match (a finding); "unknown" → a needs-verification candidate, never a finding.
import { isHubError } from '../../platform/errors.js';
import { parseCpe, type Cpe } from './cpe.js';
import { entryKey, evaluateCached, newComplexCache, type ComplexCache } from './complex.js';
import type { CpeMatch } from '../store-api.js';
import type { IntelLookup, LookupKeys, ProductVulns } from './lookup.js';
import { entryVerdict, type Platform, type PlatformEntry } from './nvd-config.js';
import { productKeysForName, VENDOR_ALIASES } from './products.js';

export interface ServiceObservation {
  protocol: string;
  port: number;
  product: string;
  version: string;
  extraInfo: string;
  cpes: string[];
}

export interface CpeMatchResult {
  assetId: string;
  vulnId: string;
  component: string;
  port: number | null;
  protocol: string | null;
  cpe: string;
  criteria: string;
  version: string | null;
  confidence: 'high' | 'medium' | 'low';
  note: string | null;
}

/** The component name of the host's own OS entry (platform.ts). */
export const OS_COMPONENT = 'os';

const DISTRO_BUILD = /\b(debian|ubuntu|deb\d+u\d+|el\d|fedora|alpine|suse)\b/i;

const withVersion = (cpe: Cpe, version: string): Cpe =>
  version.trim() === ''
    ? cpe
    : { ...cpe, version: { kind: 'value', value: version.trim().toLowerCase(), pattern: null } };

function valueOf(v: Cpe['vendor']): string {
  return v.kind === 'value' ? v.value : '';
}

/** Platform entries of one service: reported CPEs (high) plus alias/banner translations (medium). */
export function serviceEntries(s: ServiceObservation): PlatformEntry[] {
  const component = `${s.port}/${s.protocol.toLowerCase()}`;
  const out: PlatformEntry[] = [];
  const seen = new Set<string>();
  const add = (cpe: Cpe, confidence: 'high' | 'medium') => {
    const k = `${valueOf(cpe.part)}:${valueOf(cpe.vendor)}:${valueOf(cpe.product)}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ component, cpe, confidence });
  };
  for (const text of s.cpes) {
    let cpe: Cpe;
    try {
      cpe = parseCpe(text);
    } catch (err) {
      if (isHubError(err)) continue; // a scanner's malformed CPE names nothing
      throw err;
    }
    if (cpe.part.kind !== 'value' || cpe.part.value !== 'a') continue;
    // nmap's CPE often lacks the version its banner shows.
    if (cpe.version.kind !== 'value') cpe = withVersion(cpe, s.version);
    add(cpe, 'high');
    for (const alias of VENDOR_ALIASES[`${valueOf(cpe.vendor)}:${valueOf(cpe.product)}`] ?? []) {
      const [vendor = '', product = ''] = alias.split(':');
      add(
        {
          ...cpe,
          vendor: { kind: 'value', value: vendor, pattern: null },
          product: { kind: 'value', value: product, pattern: null },
        },
        'medium',
      );
    }
  }
  for (const alias of productKeysForName(s.product)) {
    add(withVersion(parseCpe(`cpe:2.3:a:${alias}:*:*:*:*:*:*:*:*`), s.version), 'medium');
  }
  return out;
}

export function productKeys(entries: readonly PlatformEntry[]): LookupKeys['products'] {
  const keys = new Map<string, [string, string, string]>();
  for (const e of entries) {
    const k: [string, string, string] = [valueOf(e.cpe.part), valueOf(e.cpe.vendor), valueOf(e.cpe.product)];
    keys.set(k.join(':'), k);
  }
  return [...keys.values()];
}

/** Matches one asset's platform against the configurations of every vulnerability naming its products. */
/** A hit of one vulnerable criteria on one entry, before it becomes a match or a candidate. */
interface EntryHit {
  vulnId: string;
  verdict: 'yes' | 'unknown';
  match: CpeMatch;
}

/**
 * Reused across the inventories of one bulk run. Most NVD configurations are "simple" (OR of
 * vulnerable application criteria, no platform, no negation): their verdict depends on one entry
 * alone, so it is computed once per distinct CPE (a fleet runs few versions of each product).
 */
interface EntryIntel {
  hits: EntryHit[];
  complex: ProductVulns[];
}

export interface CpeCache {
  simple: WeakMap<ProductVulns, boolean>;
  byEntry: Map<string, EntryIntel>;
  complex: ComplexCache;
}
export const newCpeCache = (): CpeCache => ({
  simple: new WeakMap(),
  byEntry: new Map(),
  complex: newComplexCache(),
});
const MAX_CACHED_ENTRIES = 500_000;

function isSimple(v: ProductVulns, cache: CpeCache): boolean {
  let s = cache.simple.get(v);
  if (s === undefined) {
    s = v.configurations.every(
      (c) =>
        !c.negate &&
        (c.operator !== 'AND' || c.nodes.length <= 1) &&
        c.nodes.every(
          (n) =>
            !n.negate &&
            n.children.length === 0 &&
            (n.operator === 'OR' || n.cpeMatch.length <= 1) &&
            n.cpeMatch.every((m) => m.vulnerable),
        ),
    );
    cache.simple.set(v, s);
  }
  return s;
}

/**
 * Every simple vulnerability of the entry's product that its CPE satisfies (or may), and the
 * complex ones naming the product (decided per host): computed once per distinct CPE.
 */
function entryIntel(e: PlatformEntry, lookup: IntelLookup, cache: CpeCache): EntryIntel {
  const key = entryKey(e);
  let found = cache.byEntry.get(key);
  if (found) return found;
  const hits: EntryHit[] = [];
  const complex: ProductVulns[] = [];
  for (const v of lookup.nvdByProduct(valueOf(e.cpe.part), valueOf(e.cpe.vendor), valueOf(e.cpe.product))) {
    if (!isSimple(v, cache)) {
      complex.push(v);
      continue;
    }
    let best: { verdict: 'yes' | 'unknown'; match: CpeMatch } | null = null;
    for (const c of v.configurations) {
      for (const n of c.nodes) {
        for (const m of n.cpeMatch) {
          const r = entryVerdict(m, e);
          if (r === 'yes') best = { verdict: 'yes', match: m };
          else if (r === 'unknown' && best === null) best = { verdict: 'unknown', match: m };
          if (best?.verdict === 'yes') break;
        }
        if (best?.verdict === 'yes') break;
      }
      if (best?.verdict === 'yes') break;
    }
    if (best) hits.push({ vulnId: v.vulnId, ...best });
  }
  found = { hits, complex };
  if (cache.byEntry.size >= MAX_CACHED_ENTRIES) cache.byEntry.clear();
  cache.byEntry.set(key, found);
  return found;
}

function describe(entry: PlatformEntry, banners: ReadonlyMap<string, string>) {
  const [port, protocol] = entry.component.includes('/') ? entry.component.split('/') : [null, null];
  const version = entry.cpe.version.kind === 'value' ? entry.cpe.version.value : null;
  let confidence: 'high' | 'medium' = entry.confidence;
  let note: string | null = null;
  const banner = banners.get(entry.component) ?? '';
  if (confidence === 'high' && DISTRO_BUILD.test(banner)) {
    // A distro build may carry a backported fix the upstream version does not show.
    confidence = 'medium';
    note = `distro build (${banner.slice(0, 60)}): a backported fix is possible`;
  }
  const cpe = `cpe:2.3:${valueOf(entry.cpe.part)}:${valueOf(entry.cpe.vendor)}:${valueOf(entry.cpe.product)}:${version ?? '*'}`;
  return {
    port: port === null ? null : Number(port),
    protocol: protocol ?? null,
    version,
    confidence,
    note,
    cpe,
  };
}

/** Matches one asset's platform against the configurations of every vulnerability naming its products. */
export function matchCpes(
  assetId: string,
  platform: Platform,
  lookup: IntelLookup,
  banners: ReadonlyMap<string, string> = new Map(),
  cache: CpeCache = newCpeCache(),
): CpeMatchResult[] {
  // The host OS entry only decides "running on" nodes: OS vulnerabilities are the distro's call.
  const own = platform.entries.filter((e) => e.component !== OS_COMPONENT);
  const found = new Map<
    string,
    { vulnId: string; entry: PlatformEntry; match: CpeMatch; verdict: 'yes' | 'unknown' }
  >();
  const record = (vulnId: string, entry: PlatformEntry, match: CpeMatch, verdict: 'yes' | 'unknown') => {
    const k = `${vulnId}\u0000${entry.component}`;
    const prev = found.get(k);
    const better =
      !prev ||
      (prev.verdict === 'unknown' && verdict === 'yes') ||
      (prev.verdict === verdict && prev.entry.confidence === 'medium' && entry.confidence === 'high');
    if (better) found.set(k, { vulnId, entry, match, verdict });
  };
  const intel = own.map((e) => entryIntel(e, lookup, cache));
  const complex = new Map<string, ProductVulns>();
  for (const x of intel) for (const v of x.complex) complex.set(v.vulnId, v);
  // Configurations with AND, negation, nesting or platforms: decided on the whole host (memoised
  // on the host entries that can take part, see complex.ts).
  const touched = new Set<string>();
  for (const v of complex.values()) {
    const r = evaluateCached(v, platform, cache.complex);
    if (r.verdict === 'no') continue;
    for (const { entry, match } of r.components.values()) {
      if (entry.component === OS_COMPONENT) continue;
      record(v.vulnId, entry, match, r.verdict);
      touched.add(entry.component);
    }
  }
  const out: CpeMatchResult[] = [];
  // What a result takes from its entry is computed once per entry, not once per vulnerability.
  const described = new Map<PlatformEntry, ReturnType<typeof describe>>();
  const emit = (vulnId: string, entry: PlatformEntry, match: CpeMatch, verdict: 'yes' | 'unknown') => {
    let d = described.get(entry);
    if (!d) described.set(entry, (d = describe(entry, banners)));
    const yes = verdict === 'yes';
    out.push({
      assetId,
      vulnId,
      component: entry.component,
      port: d.port,
      protocol: d.protocol,
      cpe: d.cpe,
      criteria: match.criteria,
      version: d.version,
      confidence: yes ? d.confidence : 'low',
      note: yes ? d.note : 'version unknown or platform unverified',
    });
  };
  // A component with one entry and no complex hit needs no de-duplication: its hits go straight
  // out (the common case, and the hot loop of a fleet run); the others through record().
  const entriesPer = new Map<string, number>();
  for (const e of own) entriesPer.set(e.component, (entriesPer.get(e.component) ?? 0) + 1);
  own.forEach((e, i) => {
    const alone = entriesPer.get(e.component) === 1 && !touched.has(e.component);
    for (const h of intel[i]?.hits ?? []) (alone ? emit : record)(h.vulnId, e, h.match, h.verdict);
  });
  for (const r of found.values()) emit(r.vulnId, r.entry, r.match, r.verdict);
  return out;
}
