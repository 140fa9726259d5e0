// An asset's CPE platform: its services' entries plus its operating system as NVD names it, so
// "running on" nodes can be decided (and are "no" for another OS rather than "unknown").
import { parseCpe } from './cpe.js';
import type { HostOs } from './distro.js';
import type { AssetInventory } from './inventory.js';
import type { Platform, PlatformEntry } from './nvd-config.js';
import { OS_COMPONENT, serviceEntries } from './services.js';

const OS_CPES: Readonly<Record<string, (v: string) => string>> = {
  debian: (v) => `cpe:2.3:o:debian:debian_linux:${v.split('.')[0] ?? v}:*:*:*:*:*:*:*`,
  ubuntu: (v) => `cpe:2.3:o:canonical:ubuntu_linux:${v}:*:*:*:*:*:*:*`,
  rhel: (v) => `cpe:2.3:o:redhat:enterprise_linux:${v.split('.')[0] ?? v}:*:*:*:*:*:*:*`,
  fedora: (v) => `cpe:2.3:o:fedoraproject:fedora:${v}:*:*:*:*:*:*:*`,
  alpine: (v) => `cpe:2.3:o:alpinelinux:alpine_linux:${v}:*:*:*:*:*:*:*`,
};

const osEntries = new Map<string, PlatformEntry | null>();

/** The host OS as an NVD platform entry (shared, never mutated: a fleet runs few OS versions). */
export function osEntry(os: HostOs): PlatformEntry | null {
  const id = (os.osId ?? '').toLowerCase();
  const v = (os.osVersion ?? '').trim();
  const key = `${id}\u0000${v}`;
  let entry = osEntries.get(key);
  if (entry !== undefined) return entry;
  const make = OS_CPES[id];
  entry =
    !make || !/^[0-9][0-9.]*$/.test(v)
      ? null
      : { component: OS_COMPONENT, cpe: parseCpe(make(v)), confidence: 'high' };
  if (osEntries.size < 1000) osEntries.set(key, entry);
  return entry;
}

/**
 * Platform entries of one service, independent of its port (component ''), keyed by what they are
 * derived from: a bulk run parses each distinct service CPE once instead of once per host.
 */
export type EntryCache = Map<string, readonly PlatformEntry[]>;
const MAX_CACHED = 100_000;

function entriesOf(s: AssetInventory['services'][number], cache: EntryCache | undefined): PlatformEntry[] {
  const component = `${s.port}/${s.protocol.toLowerCase()}`;
  if (!cache) return serviceEntries(s);
  const key = `${s.cpes.join('\u0001')}\u0000${s.product}\u0000${s.version}`;
  let shape = cache.get(key);
  if (!shape) {
    shape = serviceEntries({ ...s, port: 0, protocol: '' });
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, shape);
  }
  return shape.map((e) => ({ ...e, component }));
}

export function hostPlatform(
  inv: AssetInventory,
  cache?: EntryCache,
): { platform: Platform; banners: Map<string, string> } {
  const entries: PlatformEntry[] = [];
  const banners = new Map<string, string>();
  for (const s of inv.services) {
    for (const e of entriesOf(s, cache)) entries.push(e);
    banners.set(`${s.port}/${s.protocol.toLowerCase()}`, `${s.version} ${s.extraInfo}`.trim());
  }
  const os = osEntry(inv.os);
  // The OS is known from the agent's inventory: a criteria naming another OS is "no".
  if (os) entries.push(os);
  return { platform: { entries, knownParts: new Set(os ? ['o'] : []) }, banners };
}
