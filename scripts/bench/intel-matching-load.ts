// Realistic load for the matching / early-warning bench, synthesised FROM the real fixtures:
// - packages: the real dpkg status files (names, sources, versions as installed);
// - distro intel: the real Debian-tracker and OSV Debian verdicts (vunnel-debian-tracker.json,
//   osvdev-DSA-3029-1.json) replicated with rewritten ids onto the installed source packages of a
//   Debian 12 host, CVEs per source package Zipf-distributed (a few packages carry most CVEs, as
//   in the tracker); the replicated verdict keeps its state, its fixed version is placed relative
//   to the installed one so that a few % of packages have a pending fix (real fleets patch);
// - NVD: the real configurations of nvd/*.json re-pointed at the real nmap-service-probes CPEs;
// - services: real probe CPEs, each product run in a handful of versions taken from the real
//   bounds of that product's own records (so some are vulnerable, most are not).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { genericCompare } from '@watchpost/proto';
import type { AssetInventory, InventoryPackage } from '../../hub/src/intel/matching/index.js';
import { packagesFromDpkgStatus, recordsOf, vulnerability } from '../../hub/src/intel/matching/testing.js';
import type { DistroFix, IntelVulnerability, NvdConfiguration } from '../../hub/src/intel/store-api.js';
import { repoRoot } from '../../tests/e2e/lib/harness.js';

export const fixtures = process.env['WATCHPOST_FIXTURES'] ?? join(repoRoot, '..', 'shared', 'fixtures');
export const haveFixtures = (): boolean =>
  existsSync(join(fixtures, 'nvd')) &&
  existsSync(join(fixtures, 'cpe', 'nmap-service-probes.gz')) &&
  existsSync(join(fixtures, 'debian-tracker', 'vunnel-debian-tracker.json')) &&
  existsSync(join(fixtures, 'dpkg', 'status-this-machine'));

export const OS = { osId: 'debian', osVersion: '12', osCodename: 'bookworm' };
let seed = 42;
export const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

export interface Product {
  vendor: string;
  product: string;
  version: string | null;
}

/** Every installed package of the real dpkg status fixtures (one entry per package name). */
export function statusPackages(): InventoryPackage[] {
  const files = ['status-this-machine', 'status-osv-scalibr-valid'].map((f) => join(fixtures, 'dpkg', f));
  const seen = new Set<string>();
  return files
    .filter(existsSync)
    .flatMap((f) => packagesFromDpkgStatus(readFileSync(f, 'utf8')))
    .filter((p) => !seen.has(p.name) && !!seen.add(p.name));
}

export function probeProducts(): Product[] {
  const text = gunzipSync(readFileSync(join(fixtures, 'cpe', 'nmap-service-probes.gz'))).toString('utf8');
  const out = new Map<string, Product>();
  for (const m of text.matchAll(/cpe:\/a:([a-z0-9_.-]+):([a-z0-9_.-]+)(?::([0-9][a-z0-9_.-]*))?/g)) {
    out.set(`${m[1]}:${m[2]}`, { vendor: m[1] ?? '', product: m[2] ?? '', version: m[3] ?? null });
  }
  return [...out.values()];
}

export async function nvdTemplates(): Promise<NvdConfiguration[][]> {
  const dir = join(fixtures, 'nvd');
  const out: NvdConfiguration[][] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('schema'))) {
    for (const r of await recordsOf(join(dir, f)))
      if (r.configurations.length > 0) out.push(r.configurations);
  }
  return out;
}

/** The real Debian verdicts of the tracker and OSV DSA fixtures (every release, every state). */
export async function realDebianVerdicts(): Promise<DistroFix[]> {
  const files = [
    join(fixtures, 'debian-tracker', 'vunnel-debian-tracker.json'),
    join(fixtures, 'osv', 'osvdev-DSA-3029-1.json'),
  ].filter(existsSync);
  const out: DistroFix[] = [];
  for (const f of files)
    for (const r of await recordsOf(f))
      out.push(...r.distroFixes.filter((d) => d.ecosystem.startsWith('Debian')));
  return out;
}

const criteriaCount = (t: NvdConfiguration[]) =>
  t.reduce((a, c) => a + c.nodes.reduce((b, n) => b + n.cpeMatch.length, 0), 0);

/** Real templates; the few giant ones (hundreds of criteria, CPU-firmware style) at a 1% share as in NVD. */
export function templatePicker(templates: NvdConfiguration[][]): () => NvdConfiguration[] {
  const small = templates.filter((t) => criteriaCount(t) <= 100);
  const giant = templates.filter((t) => criteriaCount(t) > 100);
  return () => (giant.length > 0 && rand() < 0.01 ? pick(giant) : pick(small));
}

/**
 * A template with its applications re-pointed: the first vulnerable one at vendor:product, every
 * other application product at another real probe product (kept consistent within the record),
 * so the template's own products (httpd, firefox, …) are not repeated in every copy.
 */
export function repoint(
  configs: NvdConfiguration[],
  vendor: string,
  product: string,
  others: () => Product = () => ({ vendor, product, version: null }),
): NvdConfiguration[] {
  const first = configs
    .flatMap((c) => c.nodes.flatMap((n) => n.cpeMatch))
    .find((m) => m.vulnerable && m.criteria.startsWith('cpe:2.3:a:'));
  const firstKey = /^cpe:2\.3:a:([^:]+:[^:]+):/.exec(first?.criteria ?? '')?.[1];
  if (!firstKey) return configs;
  const to = new Map<string, string>([[firstKey, `${vendor}:${product}`]]);
  const swap = (c: string) => {
    const m = /^cpe:2\.3:a:([^:]+:[^:]+):/.exec(c);
    if (!m?.[1]) return c;
    let target = to.get(m[1]);
    if (target === undefined) {
      const o = others();
      to.set(m[1], (target = `${o.vendor}:${o.product}`));
    }
    return `cpe:2.3:a:${target}:${c.slice(m[0].length)}`;
  };
  return configs.map((c) => ({
    ...c,
    nodes: c.nodes.map((n) => ({
      ...n,
      cpeMatch: n.cpeMatch.map((m) => ({ ...m, criteria: swap(m.criteria) })),
    })),
  }));
}

function boundsOf(configs: NvdConfiguration[], vendor: string, product: string): string[] {
  const mine = `cpe:2.3:a:${vendor}:${product}:`;
  return configs.flatMap((c) =>
    c.nodes.flatMap((n) =>
      n.cpeMatch
        .filter((m) => m.criteria.startsWith(mine))
        .flatMap((m) => {
          const exact = m.criteria.slice(mine.length).split(':')[0] ?? '*';
          return [m.versionEndExcluding, m.versionEndIncluding, m.versionStartIncluding, exact].filter(
            (v): v is string => v !== null && v !== '*' && v !== '-',
          );
        }),
    ),
  );
}

/** `count` NVD records on the real probe products; the real bounds each product got, for versions. */
export function nvdLoad(
  templates: NvdConfiguration[][],
  products: Product[],
  count: number,
  idPrefix: string,
): { vulns: IntelVulnerability[]; bounds: Map<string, string[]> } {
  const next = templatePicker(templates);
  const vulns: IntelVulnerability[] = [];
  const bounds = new Map<string, string[]>();
  for (let i = 0; i < count; i++) {
    const p = pick(products);
    const configurations = repoint(next(), p.vendor, p.product, () => pick(products));
    vulns.push(vulnerability(`CVE-${idPrefix}-${String(i).padStart(6, '0')}`, { configurations }));
    const k = `${p.vendor}:${p.product}`;
    bounds.set(k, [...(bounds.get(k) ?? []), ...boundsOf(configurations, p.vendor, p.product)]);
  }
  return { vulns, bounds };
}

/**
 * A fleet mostly runs current builds: per product, 90 % of services run the newest version its real
 * bounds name, the rest one older version drawn from those bounds (an unpatched straggler).
 */
export function fleetVersions(
  bounds: Map<string, string[]>,
  fallback: string[],
  current = 0.9,
): (p: Product) => string {
  const pools = new Map<string, { newest: string; old: string }>();
  return (p) => {
    const k = `${p.vendor}:${p.product}`;
    let pool = pools.get(k);
    if (!pool) {
      const own = bounds.get(k) ?? [];
      const from = own.length > 0 ? own : fallback;
      const newest =
        p.version ?? from.reduce((a, b) => (genericCompare(a, b) >= 0 ? a : b), from[0] ?? '1.0');
      pool = { newest, old: p.version ?? pick(from) };
      pools.set(k, pool);
    }
    return rand() < current ? pool.newest : pool.old;
  };
}

export interface DistroShape {
  /** Share of replicated `fixed` verdicts whose fix the host has not installed yet. */
  pendingFix: number;
  /** Share of replicated `unfixed` verdicts kept open (the rest are marked not affected, as most are). */
  openKept: number;
  /** Zipf spread of CVEs over source packages (real); false: the same count for every source. */
  zipf: boolean;
}
export const REALISTIC: DistroShape = { pendingFix: 0.002, openKept: 0.05, zipf: true };

/**
 * `count` distro vulnerabilities: real Debian verdicts replicated round-robin, re-pointed at the
 * installed source packages of `packages` (Zipf: the k-th source gets ∝ 1/k of the CVEs).
 */
export function distroLoad(
  real: DistroFix[],
  packages: InventoryPackage[],
  count: number,
  idPrefix: string,
  shape: DistroShape,
): IntelVulnerability[] {
  const sources = new Map<string, string>();
  for (const p of packages) sources.set(p.sourceName ?? p.name, p.sourceVersion ?? p.version);
  const list = [...sources].sort(() => rand() - 0.5);
  const weights = list.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((a, w) => (cumulative.push((a + w) / total), a + w), 0);
  const sourceAt = (x: number, i: number) =>
    shape.zipf ? (list[cumulative.findIndex((c) => c >= x)] ?? list[0]) : list[i % list.length];
  const out: IntelVulnerability[] = [];
  for (let i = 0; i < count; i++) {
    const tpl = real[i % real.length] as DistroFix;
    const [src, installed] = sourceAt(rand(), i) as [string, string];
    const id = `CVE-${idPrefix}-${String(i).padStart(6, '0')}`;
    let state = tpl.state;
    let fixedVersion: string | null = null;
    if (state === 'fixed')
      fixedVersion = rand() < shape.pendingFix ? `${installed}+deb12u9` : `${installed}~old`;
    else if (state === 'unfixed' && rand() >= shape.openKept) state = 'not_affected';
    const fix: DistroFix = {
      ...tpl,
      vulnId: id,
      ecosystem: 'Debian:12',
      release: 'bookworm',
      sourcePackage: src,
      state,
      fixedVersion,
    };
    out.push(vulnerability(id, { distroFixes: [fix] }));
  }
  return out;
}

/** Services: `perHost` real probe CPEs per host with fleet versions. */
export function serviceInventories(
  hosts: number,
  perHost: number,
  products: Product[],
  versionOf: (p: Product) => string,
  prefix: string,
): AssetInventory[] {
  return Array.from({ length: hosts }, (_, i) => ({
    tenantId: `t${i % 50}`,
    assetId: `${prefix}${i}`,
    os: OS,
    packages: [],
    services: Array.from({ length: perHost }, (_, k) => {
      const p = pick(products);
      const cpes = [`cpe:/a:${p.vendor}:${p.product}:${versionOf(p)}`];
      return { protocol: 'tcp', port: 1000 + k, product: '', version: '', extraInfo: '', cpes };
    }),
  }));
}
