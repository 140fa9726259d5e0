// Bench sections "matching" and "early-warning". The load is synthesised from the real fixtures
// (intel-matching-load.ts says how) in two shapes: "realistic" (a patched Debian 12 fleet: a few %
// of packages with a pending fix, NVD records spread over the real probe products, a new-CVE batch
// of which a small share touches installed software) and "stress" (every verdict pending or open,
// every new CVE on an installed package or probed product: the dense load of the first version).
// Matching runs the production code (IntelIndex + matchInventories) in memory; the baseline is a
// naive matcher (every entry against every record, no index) on a sample, extrapolated.
import {
  IntelIndex,
  matchInventories,
  type AssetInventory,
  type InventoryMatches,
  type InventoryPackage,
} from '../../hub/src/intel/matching/index.js';
import { evaluateConfigurations } from '../../hub/src/intel/matching/nvd-config.js';
import { hostPlatform } from '../../hub/src/intel/matching/platform.js';
import { vulnerability } from '../../hub/src/intel/matching/testing.js';
import type { IntelVulnerability } from '../../hub/src/intel/store-api.js';
import type { BenchSection } from './intel.js';
import {
  distroLoad,
  fixtures,
  fleetVersions,
  haveFixtures,
  nvdLoad,
  nvdTemplates,
  OS,
  pick,
  probeProducts,
  rand,
  realDebianVerdicts,
  REALISTIC,
  serviceInventories,
  statusPackages,
  templatePicker,
  repoint,
  type DistroShape,
} from './intel-matching-load.js';

// NVD records on the 1,109 probe products: ~18 per product (popular servers have more, most fewer).
const NVD_RECORDS = 20_000;
// Stress: the first version's density — 8 verdicts per source package, half pending, all open kept.
const STRESS: DistroShape = { pendingFix: 0.5, openKept: 1, zipf: false };
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
const fmt = (ms: number) => Math.round(ms).toLocaleString('en-US');
const shapes = (): Array<['realistic' | 'stress', DistroShape]> =>
  process.env['BENCH_SHAPE'] === 'realistic'
    ? [['realistic', REALISTIC]]
    : [
        ['realistic', REALISTIC],
        ['stress', STRESS],
      ];

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

const findingsOf = (ms: InventoryMatches[]) =>
  ms.reduce((a, m) => a + m.packages.length + m.cpes.filter((c) => c.confidence !== 'low').length, 0);

async function commonLoad() {
  const templates = await nvdTemplates();
  return {
    templates,
    products: probeProducts(),
    packages: statusPackages(),
    real: await realDebianVerdicts(),
  };
}

export const matchingSection: BenchSection = {
  name: 'matching',
  title: 'Matching 200k package / CPE entries against loaded intel — `scripts/bench/intel matching`',
  async run() {
    if (!haveFixtures()) return void console.log(`skipped: fixtures not present under ${fixtures}`);
    const { templates, products, packages, real } = await commonLoad();
    console.log(
      `fixtures: ${packages.length} real dpkg packages, ${real.length} real Debian verdicts, ${templates.length} real NVD configurations, ${products.length} real probe products\n`,
    );
    console.log('| shape | entries | matched | ms | naive (extrapolated) | × | peak RSS |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const [shape, distroShape] of shapes()) {
      global.gc?.();
      const { vulns: nvd, bounds } = nvdLoad(
        templates,
        products,
        shape === 'realistic' ? NVD_RECORDS : 50_000,
        '2098',
      );
      const sources = new Set(packages.map((p) => p.sourceName ?? p.name)).size;
      const distro = distroLoad(
        real,
        packages,
        shape === 'realistic' ? 30_000 : 8 * sources,
        '2097',
        distroShape,
      );
      const all = [...nvd, ...distro];
      const index = new IntelIndex(all);
      // Stress: the first version's spread (any real bound of any product, uniformly).
      const versionOf =
        shape === 'realistic'
          ? fleetVersions(bounds, [])
          : fleetVersions(new Map(), [...bounds.values()].flat(), 0);
      const hosts = Math.ceil(200_000 / packages.length);
      const pkgInvs: AssetInventory[] = Array.from({ length: hosts }, (_, i) => ({
        tenantId: 't',
        assetId: `p${i}`,
        os: OS,
        packages,
        services: [],
      }));
      const svcInvs = serviceInventories(40_000, 5, products, versionOf, 's');
      // Streamed: each asset's matches are counted as they come and dropped (what a writer does).
      const counted = { pkg: 0, hitPkgs: 0, cpe: 0, candidates: 0 };
      const [, pkgMs] = timed(() =>
        matchInventories(pkgInvs, index, (m) => {
          counted.pkg += m.packages.length;
          counted.hitPkgs += new Set(m.packages.map((p) => p.component.name)).size;
        }),
      );
      let peak = process.memoryUsage().rss;
      const [, cpeMs] = timed(() =>
        matchInventories(svcInvs, index, (m) => {
          for (const c of m.cpes) if (c.confidence === 'low') counted.candidates++;
          counted.cpe += m.cpes.length;
        }),
      );
      peak = Math.max(peak, process.memoryUsage().rss);
      const pkgFindings = counted.pkg;
      const hitPkgs = counted.hitPkgs;
      const cpeFindings = counted.cpe - counted.candidates;
      const candidates = counted.candidates;
      // Baseline: no index — every entry scans every record (sampled, extrapolated).
      const sampleP = packages.slice(0, 100);
      const [, naiveP] = timed(() => {
        for (const p of sampleP)
          for (const v of all)
            for (const f of v.distroFixes) if (f.sourcePackage === (p.sourceName ?? p.name)) void f;
      });
      const sampleS = svcInvs.slice(0, 3);
      const [, naiveS] = timed(() => {
        for (const inv of sampleS) {
          const { platform } = hostPlatform(inv);
          for (const v of nvd) evaluateConfigurations(v.configurations, platform);
        }
      });
      const entries = hosts * packages.length;
      const naivePkg = (naiveP / sampleP.length) * entries;
      const naiveCpe = (naiveS / (sampleS.length * 5)) * 200_000;
      console.log(
        `| ${shape} | ${entries.toLocaleString('en-US')} packages (${hosts} hosts) | ${pkgFindings.toLocaleString('en-US')} findings on ${((100 * hitPkgs) / entries).toFixed(1)} % of packages | ${fmt(pkgMs)} | ${fmt(naivePkg)} ms | ${Math.round(naivePkg / pkgMs)} | ${mb(peak)} |`,
      );
      console.log(
        `| ${shape} | 200,000 service CPEs (40,000 hosts) | ${cpeFindings.toLocaleString('en-US')} findings + ${candidates.toLocaleString('en-US')} candidates | ${fmt(cpeMs)} | ${fmt(naiveCpe)} ms | ${Math.round(naiveCpe / cpeMs)} | ${mb(peak)} |`,
      );
    }
  },
};

/** 1k new CVEs: distro verdicts and NVD records; `touching` of them on installed software. */
function freshBatch(
  load: Awaited<ReturnType<typeof commonLoad>>,
  touching: number,
  shape: DistroShape,
): IntelVulnerability[] {
  const { templates, products, packages, real } = load;
  const next = templatePicker(templates);
  const installedDistro = distroLoad(real, packages, Math.round(600 * touching), '2096', shape);
  // The rest of a batch names packages and products this fleet does not run (synthetic names).
  const others = distroLoad(
    real,
    Array.from(
      { length: 2000 },
      (_, i) => ({ ...packages[0], name: `other-src-${i}`, sourceName: null }) as InventoryPackage,
    ),
    600 - installedDistro.length,
    '2095',
    shape,
  );
  const nvd: IntelVulnerability[] = [];
  for (let i = 0; i < 400; i++) {
    const onFleet = rand() < touching;
    const p = onFleet ? pick(products) : { vendor: `vendor${i}`, product: `product${i}` };
    let k = 0;
    const other = () =>
      onFleet ? pick(products) : { vendor: `vendor${i}`, product: `other${k++}`, version: null };
    const configurations = repoint(next(), p.vendor, p.product, other);
    nvd.push(vulnerability(`CVE-2094-${String(i).padStart(6, '0')}`, { configurations }));
  }
  return [...installedDistro, ...others, ...nvd];
}

export const earlyWarningSection: BenchSection = {
  name: 'early-warning',
  title: 'Early warning: 1k new CVEs against 10k stored inventories — `scripts/bench/intel early-warning`',
  async run() {
    if (!haveFixtures()) return void console.log(`skipped: fixtures not present under ${fixtures}`);
    const load = await commonLoad();
    const { products, packages, templates } = load;
    const { bounds } = nvdLoad(templates, products, 20_000, '2093');
    const versionOf = fleetVersions(bounds, [...bounds.values()].flat());
    // 10k stored inventories: every host has the real package list and 5 real-probe services.
    const inventories = serviceInventories(10_000, 5, products, versionOf, 'a').map((inv) => ({
      ...inv,
      packages,
    }));
    // What the stores' indexes give: packages by source package, services by vendor:product.
    const bySource = new Map<string, InventoryPackage[]>();
    for (const p of packages)
      bySource.set(p.sourceName ?? p.name, [...(bySource.get(p.sourceName ?? p.name) ?? []), p]);
    const byProduct = new Map<string, AssetInventory[]>();
    for (const inv of inventories)
      for (const s of inv.services) {
        const k = /cpe:\/a:([^:]+:[^:]+)/.exec(s.cpes[0] ?? '')?.[1] ?? '';
        byProduct.set(k, [...(byProduct.get(k) ?? []), inv]);
      }
    console.log(
      `inventories: 10,000 hosts × ${packages.length} real dpkg packages + 5 real-probe services (store indexes built outside the timing); new intel: 1,000 CVEs (600 Debian verdicts replicated from the real ones, 400 NVD records from the real configurations)\n`,
    );
    console.log(
      '| shape | new CVEs on installed software | assets matched | new findings | ms | naive (extrapolated) | × | RSS |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [shape, distroShape] of shapes()) {
      const touching = shape === 'realistic' ? 0.1 : 1;
      const fresh = freshBatch(load, touching, distroShape);
      global.gc?.();
      const [result, ms] = timed(() => {
        const index = new IntelIndex(fresh);
        // The bulk read: only packages built from a touched source package, only services naming a touched product.
        const pkgs = [...new Set(index.distroKeys().map(([, s]) => s))].flatMap((s) => bySource.get(s) ?? []);
        const affected = new Map<string, AssetInventory>();
        if (pkgs.length > 0)
          for (const inv of inventories) affected.set(inv.assetId, { ...inv, packages: pkgs, services: [] });
        for (const key of index.productKeys()) {
          for (const inv of byProduct.get(key.slice(2)) ?? []) {
            const have = affected.get(inv.assetId);
            affected.set(inv.assetId, { ...inv, packages: have?.packages ?? [], services: inv.services });
          }
        }
        return matchInventories([...affected.values()], index);
      });
      // Baseline: the per-asset loop the design forbids — every asset against every new CVE, no index.
      const sample = inventories.slice(0, 3);
      const [, naiveMs] = timed(() => {
        for (const inv of sample) {
          const { platform } = hostPlatform(inv);
          for (const v of fresh) {
            if (v.configurations.length > 0) evaluateConfigurations(v.configurations, platform);
            for (const f of v.distroFixes)
              for (const p of inv.packages) if ((p.sourceName ?? p.name) === f.sourcePackage) void p;
          }
        }
      });
      const naive = (naiveMs / sample.length) * inventories.length;
      const touched = fresh.filter(
        (v) =>
          v.distroFixes.some((f) => bySource.has(f.sourcePackage)) ||
          v.configurations.some((c) =>
            c.nodes.some((n) =>
              n.cpeMatch.some((m) => byProduct.has(m.criteria.split(':').slice(3, 5).join(':'))),
            ),
          ),
      ).length;
      console.log(
        `| ${shape} | ${touched} | ${result.length.toLocaleString('en-US')} | ${findingsOf(result).toLocaleString('en-US')} | ${fmt(ms)} | ${fmt(naive)} ms | ${Math.round(naive / ms)} | ${mb(process.memoryUsage().rss)} |`,
      );
    }
  },
};
