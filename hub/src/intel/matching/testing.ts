// Helpers for tests and the bench: hand-made intel records, and real feed files read through the
// feed parsers into IntelVulnerability shapes (each record kept whole, no cross-source merge).
import { openFeed } from '../feeds/index.js';
import type {
  ConfigNode,
  CpeMatch,
  DistroFix,
  IntelVulnerability,
  NvdConfiguration,
  VulnRecord,
} from '../store-api.js';

export function cpeMatch(criteria: string, bounds: Partial<CpeMatch> = {}): CpeMatch {
  return {
    criteria,
    vulnerable: true,
    versionStartIncluding: null,
    versionStartExcluding: null,
    versionEndIncluding: null,
    versionEndExcluding: null,
    matchCriteriaId: null,
    ...bounds,
  };
}

export function node(
  operator: 'AND' | 'OR',
  cpeMatches: CpeMatch[],
  children: ConfigNode[] = [],
  negate = false,
): ConfigNode {
  return { operator, negate, cpeMatch: cpeMatches, children };
}

export function config(nodes: ConfigNode[], operator: 'AND' | 'OR' | null = null): NvdConfiguration {
  return { operator, negate: false, nodes };
}

export function vulnerability(id: string, parts: Partial<IntelVulnerability> = {}): IntelVulnerability {
  return {
    id,
    aliases: [],
    published: null,
    modified: null,
    description: '',
    cvss: [],
    cvss3: null,
    cvss4: null,
    cwes: [],
    references: [],
    kev: null,
    epss: null,
    configurations: [],
    affected: [],
    distroFixes: [],
    ssvc: null,
    sources: [],
    records: [],
    ...parts,
  };
}

export function distroFix(
  vulnId: string,
  ecosystem: string,
  sourcePackage: string,
  state: DistroFix['state'],
  fixedVersion: string | null = null,
  source: DistroFix['source'] = 'debian-tracker',
): DistroFix {
  return { vulnId, source, ecosystem, release: null, sourcePackage, state, fixedVersion, urgency: null };
}

/** One IntelVulnerability per record (no merge across sources): enough for matching. */
export function vulnFromRecord(r: VulnRecord): IntelVulnerability {
  return vulnerability(r.id, {
    aliases: r.aliases,
    published: r.published,
    modified: r.modified,
    description: r.description,
    cvss: r.cvss,
    cvss3: r.cvss.find((m) => m.version === '3.1' || m.version === '3.0') ?? null,
    cvss4: r.cvss.find((m) => m.version === '4.0') ?? null,
    cwes: r.cwes,
    references: r.references,
    configurations: r.configurations,
    affected: r.affected,
    distroFixes: r.distroFixes,
    ssvc: r.ssvc,
    records: [r],
  });
}

/** Reads a real feed file through the feed parsers. */
export async function recordsOf(file: string): Promise<VulnRecord[]> {
  const feed = await openFeed(file);
  const out: VulnRecord[] = [];
  for await (const item of feed.items) if (item.kind === 'vuln') out.push(item.record);
  return out;
}

/** A dpkg status database as inventory packages (installed entries only). For tests and the bench. */
export function packagesFromDpkgStatus(text: string): import('./packages.js').InventoryPackage[] {
  const out: import('./packages.js').InventoryPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string | null => {
      const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(stanza);
      return m?.[1]?.trim() ?? null;
    };
    const name = field('Package');
    const version = field('Version');
    const status = field('Status');
    if (!name || !version || (status !== null && !status.endsWith(' installed'))) continue;
    const source = /^(\S+)(?:\s+\((\S+)\))?$/.exec(field('Source') ?? '');
    out.push({
      name,
      version,
      arch: field('Architecture') ?? '',
      manager: 'dpkg',
      sourceName: source?.[1] ?? null,
      sourceVersion: source?.[2] ?? null,
    });
  }
  return out;
}
