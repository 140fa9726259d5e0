// Evaluation of "complex" NVD configurations (AND, negation, nesting, running-on platforms) for a
// bulk run. A configuration's criteria can only be satisfied by platform entries naming one of its
// part:vendor:product keys (nvd-config's candidatesFor), so its verdict depends on those entries
// and the platform's known parts alone. A fleet repeats the same (service CPE, OS) combinations,
// so the verdict is computed once per distinct combination and re-targeted at each host's entries.
import type { CpeMatch } from '../store-api.js';
import {
  criteriaCpe,
  evaluateConfigurations,
  type ConfigVerdict,
  type Platform,
  type PlatformEntry,
} from './nvd-config.js';
import { CPE_ATTRIBUTES } from './cpe.js';
import type { ProductVulns } from './lookup.js';

interface CachedVerdict {
  verdict: ConfigVerdict['verdict'];
  /** Index into the relevant entries, and the criteria that entry satisfied. */
  hits: Array<[number, CpeMatch]>;
}

export interface ComplexCache {
  /** part:vendor:product keys (as parsed) of a vulnerability's criteria; null when one is a wildcard. */
  keys: WeakMap<ProductVulns, ReadonlySet<string> | null>;
  verdicts: Map<string, CachedVerdict>;
}
export const newComplexCache = (): ComplexCache => ({ keys: new WeakMap(), verdicts: new Map() });
const MAX_CACHED = 200_000;

const valueOf = (a: PlatformEntry['cpe']['part']): string => (a.kind === 'value' ? a.value : '');
const productKeys = new WeakMap<PlatformEntry['cpe'], string>();
export function productKeyOf(e: PlatformEntry): string {
  let k = productKeys.get(e.cpe);
  if (k === undefined) {
    k = `${valueOf(e.cpe.part)}:${valueOf(e.cpe.vendor)}:${valueOf(e.cpe.product)}`;
    productKeys.set(e.cpe, k);
  }
  return k;
}
const keys = new WeakMap<PlatformEntry['cpe'], string>();
/** Every attribute of an entry's CPE: two entries with equal keys get equal verdicts. */
export function entryKey(e: PlatformEntry): string {
  // Parsed CPEs are shared by every host running that service (platform.ts): key each once.
  let k = keys.get(e.cpe);
  if (k === undefined) {
    k = CPE_ATTRIBUTES.map((a) => {
      const v = e.cpe[a];
      return v.kind === 'value' ? v.value : v.kind === 'any' ? '*' : '-';
    }).join(':');
    keys.set(e.cpe, k);
  }
  return k;
}

function keysOf(v: ProductVulns, cache: ComplexCache): ReadonlySet<string> | null {
  let keys = cache.keys.get(v);
  if (keys !== undefined) return keys;
  const out = new Set<string>();
  // Set from inside walk(); an object so the flow analysis sees it change.
  const seen = { wildcard: false };
  const walk = (nodes: ProductVulns['configurations'][number]['nodes']): void => {
    for (const n of nodes) {
      for (const m of n.cpeMatch) {
        const c = criteriaCpe(m.criteria);
        if (!c) continue; // unparsable criteria match nothing
        if (c.part.kind !== 'value' || c.vendor.kind !== 'value' || c.product.kind !== 'value')
          seen.wildcard = true;
        else if (c.vendor.pattern || c.product.pattern) seen.wildcard = true;
        else out.add(`${c.part.value}:${c.vendor.value}:${c.product.value}`);
      }
      walk(n.children);
    }
  };
  for (const c of v.configurations) walk(c.nodes);
  keys = seen.wildcard ? null : out;
  cache.keys.set(v, keys);
  return keys;
}

/** evaluateConfigurations(v, platform), memoised on the entries that can take part in it. */
export function evaluateCached(v: ProductVulns, platform: Platform, cache: ComplexCache): ConfigVerdict {
  const keys = keysOf(v, cache);
  if (keys === null) return evaluateConfigurations(v.configurations, platform);
  const relevant = platform.entries.filter((e) => keys.has(productKeyOf(e)));
  // Components are renamed by first appearance so hosts differing only in ports share a verdict.
  const names = new Map<string, string>();
  let key = `${v.vulnId}\u0000${[...platform.knownParts].sort().join(',')}`;
  for (const e of relevant) {
    let name = names.get(e.component);
    if (name === undefined) names.set(e.component, (name = String(names.size)));
    key += `\u0000${name}=${entryKey(e)}`;
  }
  let cached = cache.verdicts.get(key);
  if (!cached) {
    const sub = relevant.map((e) => ({ ...e, component: names.get(e.component) ?? '' }));
    const r = evaluateConfigurations(v.configurations, { entries: sub, knownParts: platform.knownParts });
    cached = {
      verdict: r.verdict,
      hits: [...r.components.values()].map((h) => [sub.indexOf(h.entry), h.match]),
    };
    if (cache.verdicts.size >= MAX_CACHED) cache.verdicts.clear();
    cache.verdicts.set(key, cached);
  }
  const components: ConfigVerdict['components'] = new Map();
  for (const [i, match] of cached.hits) {
    const entry = relevant[i] as PlatformEntry;
    components.set(entry.component, { entry, match });
  }
  return { verdict: cached.verdict, components };
}
