// The intel the matchers need, as synchronous lookups. Matching is pure and fast over an
// in-memory index; the index is filled either from whole vulnerability records (early warning:
// the records an import changed; the bench: everything loaded) or by prefetching, through the
// store's IntelReader, only the keys one asset's inventory asks for (matchAsset).
import type {
  AffectedPackage,
  DistroFix,
  IntelReader,
  IntelVulnerability,
  NvdConfiguration,
} from '../store-api.js';

export interface ProductVulns {
  vulnId: string;
  configurations: NvdConfiguration[];
}

export interface IntelLookup {
  distroFixes(ecosystem: string, sourcePackage: string): readonly DistroFix[];
  osvAffected(ecosystem: string, pkg: string): readonly AffectedPackage[];
  nvdByProduct(part: string, vendor: string, product: string): readonly ProductVulns[];
}

const key = (...parts: string[]): string => parts.join('\u0000');
const EMPTY: readonly never[] = Object.freeze([]);

function push<T>(map: Map<string, T[]>, k: string, v: T): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** Lower-case `part:vendor:product` keys of a configuration's cpeMatch criteria (nested too). */
export function configurationProducts(configs: readonly NvdConfiguration[]): Set<string> {
  const out = new Set<string>();
  const walk = (nodes: NvdConfiguration['nodes']): void => {
    for (const n of nodes) {
      for (const m of n.cpeMatch) {
        const p = m.criteria.split(/(?<!\\):/);
        if (p.length >= 5 && p[2] && p[3] && p[4]) out.add(`${p[2]}:${p[3]}:${p[4]}`.toLowerCase());
      }
      walk(n.children);
    }
  };
  for (const c of configs) walk(c.nodes);
  return out;
}

/** An in-memory index over whole vulnerability records. */
export class IntelIndex implements IntelLookup {
  private readonly fixes = new Map<string, DistroFix[]>();
  private readonly affected = new Map<string, AffectedPackage[]>();
  private readonly products = new Map<string, ProductVulns[]>();
  readonly vulns = new Map<string, IntelVulnerability>();

  constructor(records: Iterable<IntelVulnerability> = []) {
    for (const v of records) this.add(v);
  }

  add(v: IntelVulnerability): void {
    this.vulns.set(v.id, v);
    for (const f of v.distroFixes) push(this.fixes, key(f.ecosystem, f.sourcePackage), f);
    for (const a of v.affected) push(this.affected, key(a.ecosystem, a.package), a);
    if (v.configurations.length > 0) {
      const entry = { vulnId: v.id, configurations: v.configurations };
      for (const p of configurationProducts(v.configurations)) push(this.products, p, entry);
    }
  }

  /** `part:vendor:product` keys any configuration names (for bulk inventory queries). */
  productKeys(): string[] {
    return [...this.products.keys()];
  }

  /** `[ecosystem, sourcePackage]` pairs with distro verdicts. */
  distroKeys(): Array<[string, string]> {
    return [...this.fixes.keys()].map((k) => k.split('\u0000') as [string, string]);
  }

  distroFixes(ecosystem: string, sourcePackage: string): readonly DistroFix[] {
    return this.fixes.get(key(ecosystem, sourcePackage)) ?? EMPTY;
  }
  osvAffected(ecosystem: string, pkg: string): readonly AffectedPackage[] {
    return this.affected.get(key(ecosystem, pkg)) ?? EMPTY;
  }
  nvdByProduct(part: string, vendor: string, product: string): readonly ProductVulns[] {
    return this.products.get(`${part}:${vendor}:${product}`.toLowerCase()) ?? EMPTY;
  }
}

/** What an inventory needs looked up; collected by the matchers' `keysFor…` helpers. */
export interface LookupKeys {
  distro: Array<[string, string]>;
  osv: Array<[string, string]>;
  products: Array<[string, string, string]>;
}

/** Fetches exactly `keys` through the store reader into a lookup the pure matchers can use. */
export async function prefetchLookup(reader: IntelReader, keys: LookupKeys): Promise<IntelLookup> {
  const fixes = new Map<string, readonly DistroFix[]>();
  const affected = new Map<string, readonly AffectedPackage[]>();
  const products = new Map<string, readonly ProductVulns[]>();
  for (const [eco, pkg] of keys.distro) {
    const k = key(eco, pkg);
    if (!fixes.has(k)) fixes.set(k, await reader.distroFixes(eco, pkg));
  }
  for (const [eco, pkg] of keys.osv) {
    const k = key(eco, pkg);
    if (!affected.has(k)) affected.set(k, await reader.osvAffected(eco, pkg));
  }
  for (const [part, vendor, product] of keys.products) {
    const k = `${part}:${vendor}:${product}`.toLowerCase();
    if (!products.has(k)) products.set(k, await reader.nvdByProduct(part, vendor, product));
  }
  return {
    distroFixes: (e, p) => fixes.get(key(e, p)) ?? EMPTY,
    osvAffected: (e, p) => affected.get(key(e, p)) ?? EMPTY,
    nvdByProduct: (part, v, p) => products.get(`${part}:${v}:${p}`.toLowerCase()) ?? EMPTY,
  };
}
