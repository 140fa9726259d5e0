// Ledger correlation benchmark: 100,000 discovered hosts seen by 50 scanning agents (each host by
// 2–3 agents, some with MAC and hostname, some address-only; 1 % of addresses reused by another
// MAC), correlated into one in-memory ledger index. Baseline in the same process: the same
// sightings put into a plain Map keyed by address (the least any ledger does). Prints time, the
// ratio and RSS; asserts only that the ledger found the right number of hosts.
import { applySighting, LedgerIndex, type Sighting } from '../../hub/src/assets/correlation.js';
import { progressBar } from './lib/progress.js';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 100_000);
const AGENTS = Number(process.env.BENCH_SCANNERS ?? 50);

// Deterministic PRNG so runs compare.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

const ip = (i: number) => `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`; // RFC 2544 bench range, data only
const mac = (i: number, gen = 0) =>
  [
    '52',
    '54',
    (gen & 255).toString(16).padStart(2, '0'),
    ((i >> 16) & 255).toString(16).padStart(2, '0'),
    ((i >> 8) & 255).toString(16).padStart(2, '0'),
    (i & 255).toString(16).padStart(2, '0'),
  ].join(':');

function sightings(): { list: Sighting[]; reused: number } {
  const list: Sighting[] = [];
  let reused = 0;
  for (let h = 0; h < HOSTS; h++) {
    const seenBy = 2 + (rand() < 0.5 ? 1 : 0);
    let macSeen = false;
    for (let k = 0; k < seenBy; k++) {
      const sameSegment = rand() < 0.6; // MAC only visible from the same L2 segment
      macSeen ||= sameSegment;
      const named = rand() < 0.5;
      list.push({
        zone: 'internal',
        macs: sameSegment ? [mac(h)] : [],
        ips: [ip(h)],
        hostnames: named ? [`host-${h}`] : [],
      });
    }
    if (rand() < 0.01) {
      // The address is later leased to another machine (DHCP): a second host — which the ledger
      // can only tell when it knows the first host's MAC (otherwise it is the same address, no
      // contradicting key, and correctly one asset).
      list.push({ zone: 'internal', macs: [mac(h, 1)], ips: [ip(h)], hostnames: [] });
      if (macSeen) reused++;
    }
  }
  return { list, reused };
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const { list, reused } = sightings();
console.log(
  `ledger correlation: ${HOSTS.toLocaleString('en-US')} hosts, ${AGENTS} scanning agents, ${list.length.toLocaleString('en-US')} sightings, ${reused} detectable DHCP reuses`,
);

global.gc?.();
const rssBefore = rssMb();
let t0 = performance.now();
const baseline = new Map<string, Sighting>();
for (const s of list) baseline.set(`${s.zone}|${s.ips[0] ?? ''}`, s);
const baselineMs = performance.now() - t0;

const index = new LedgerIndex();
let n = 0;
const bar = progressBar('correlate', list.length);
t0 = performance.now();
for (const s of list) {
  applySighting(index, s, n, () => `a${++n}`);
  if (n % 10_000 === 0) bar.tick(10_000);
}
const ledgerMs = performance.now() - t0;
bar.done();
const rssAfter = rssMb();

const expected = HOSTS + reused;
if (index.size !== expected) throw new Error(`ledger has ${index.size} assets, expected ${expected}`);
console.log('\n| step | ms | sightings/s |\n| --- | --- | --- |');
console.log(
  `| baseline: Map by zone+address | ${baselineMs.toFixed(0)} | ${Math.round(list.length / (baselineMs / 1000)).toLocaleString('en-US')} |`,
);
console.log(
  `| correlation (decide + apply) | ${ledgerMs.toFixed(0)} | ${Math.round(list.length / (ledgerMs / 1000)).toLocaleString('en-US')} |`,
);
console.log(
  `\nratio correlation / baseline: ${(ledgerMs / baselineMs).toFixed(1)}×; assets: ${index.size.toLocaleString('en-US')} (${HOSTS.toLocaleString('en-US')} hosts + ${reused} reused addresses)`,
);
console.log(
  `RSS: ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB after (Δ ${(rssAfter - rssBefore).toFixed(0)} MiB)`,
);
