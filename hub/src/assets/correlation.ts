// Asset identity correlation (pure): decides which ledger asset a sighting of a host belongs to.
// Sightings come from an agent's own inventory (machine id, hostname, MACs, IPs) and from scans
// run by other agents (IP, MAC when on the same L2 segment, hostnames, ports, OS guess).
//
// Merge rules, strongest first:
//   1. machine id (only agents report it) — one machine id is one asset, always.
//   2. MAC address (ignoring broadcast, all-zero and multicast MACs) — one MAC is one asset.
//   3. IP within the same network zone, confirmed by a hostname both sides know — weak match.
//   4. IP within the same zone with no hostname and no MAC on either side that could disagree —
//      weakest match (a scan that sees only an address).
// A strong key always beats a weak one. Two assets that a single sighting ties together by
// strong keys are merged into the older one (recorded as a merge). An IP seen with a MAC that
// differs from the MAC the ledger holds for that IP is DHCP reuse: a different host, so the
// address moves to the sighting's asset and the old asset loses it (recorded as a reassignment),
// never a merge.
export interface Sighting {
  zone: string;
  machineId?: string | undefined;
  macs: readonly string[];
  ips: readonly string[];
  hostnames: readonly string[];
}

export interface LedgerAsset {
  id: string;
  firstSeenAt: number;
  zone: string;
  machineId?: string | undefined;
  macs: readonly string[];
  ips: readonly string[];
  hostnames: readonly string[];
}

export type MatchKey = 'machine_id' | 'mac' | 'ip_hostname' | 'ip';

export interface Decision {
  /** The asset the sighting belongs to; undefined = create a new asset. */
  assetId: string | undefined;
  matchedBy: MatchKey | undefined;
  /** Assets to fold into assetId (their history is kept and points to assetId). */
  merge: string[];
  /** Addresses that move from another asset to this one (DHCP reuse). */
  reassign: { ip: string; fromAssetId: string }[];
  /** Human-readable reasons, for the asset history. */
  reasons: string[];
}

export function normaliseMac(mac: string): string | undefined {
  const hex = mac.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length !== 12) return undefined;
  if (/^0+$/.test(hex) || /^f+$/.test(hex)) return undefined;
  if (parseInt(hex.slice(0, 2), 16) & 1) return undefined; // multicast
  return hex.match(/../g)?.join(':');
}

export function normaliseHostname(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

const shortName = (name: string): string => normaliseHostname(name).split('.')[0] ?? '';

/** An index over the ledger of one tenant, so that a decision costs O(keys), not O(assets). */
export class LedgerIndex {
  private readonly assets = new Map<string, LedgerAsset>();
  private readonly byMachineId = new Map<string, string>();
  private readonly byMac = new Map<string, string>();
  private readonly byZoneIp = new Map<string, string>();

  constructor(assets: Iterable<LedgerAsset> = []) {
    for (const a of assets) this.put(a);
  }

  get(id: string): LedgerAsset | undefined {
    return this.assets.get(id);
  }

  get size(): number {
    return this.assets.size;
  }

  put(asset: LedgerAsset): void {
    this.remove(asset.id);
    this.assets.set(asset.id, asset);
    if (asset.machineId) this.byMachineId.set(asset.machineId, asset.id);
    for (const mac of asset.macs) {
      const m = normaliseMac(mac);
      if (m) this.byMac.set(m, asset.id);
    }
    for (const ip of asset.ips) this.byZoneIp.set(`${asset.zone}|${ip}`, asset.id);
  }

  remove(id: string): void {
    const old = this.assets.get(id);
    if (!old) return;
    this.assets.delete(id);
    const drop = (map: Map<string, string>, key: string | undefined) => {
      if (key !== undefined && map.get(key) === id) map.delete(key);
    };
    drop(this.byMachineId, old.machineId);
    for (const mac of old.macs) drop(this.byMac, normaliseMac(mac));
    for (const ip of old.ips) drop(this.byZoneIp, `${old.zone}|${ip}`);
  }

  byMachine(machineId: string): string | undefined {
    return this.byMachineId.get(machineId);
  }

  byMacAddress(mac: string): string | undefined {
    return this.byMac.get(mac);
  }

  byIp(zone: string, ip: string): string | undefined {
    return this.byZoneIp.get(`${zone}|${ip}`);
  }
}

export function decide(index: LedgerIndex, s: Sighting): Decision {
  const reasons: string[] = [];
  const macs = [...new Set(s.macs.map(normaliseMac).filter((m): m is string => m !== undefined))];
  const strong = new Map<string, MatchKey>();
  if (s.machineId) {
    const id = index.byMachine(s.machineId);
    if (id) {
      strong.set(id, 'machine_id');
      reasons.push(`machine id ${s.machineId} → ${id}`);
    }
  }
  for (const mac of macs) {
    const id = index.byMacAddress(mac);
    const holderMachine = id ? index.get(id)?.machineId : undefined;
    if (id && s.machineId && holderMachine && holderMachine !== s.machineId) {
      // Cloned VMs share MACs; two machine ids are two hosts, whatever the MAC says.
      reasons.push(`MAC ${mac} also on ${id} with another machine id: not a match`);
      continue;
    }
    if (id && !strong.has(id)) {
      strong.set(id, 'mac');
      reasons.push(`MAC ${mac} → ${id}`);
    }
  }

  // Weak candidates by IP in the zone, and DHCP reuse detection.
  const reassign: Decision['reassign'] = [];
  const weak = new Map<string, MatchKey>();
  const names = new Set(s.hostnames.map(shortName).filter(Boolean));
  for (const ip of s.ips) {
    const id = index.byIp(s.zone, ip);
    if (!id) continue;
    const holder = index.get(id);
    if (!holder) continue;
    const holderMacs = new Set(holder.macs.map(normaliseMac).filter(Boolean));
    const macConflict = macs.length > 0 && holderMacs.size > 0 && !macs.some((m) => holderMacs.has(m));
    const machineConflict =
      s.machineId !== undefined && holder.machineId !== undefined && holder.machineId !== s.machineId;
    if (macConflict || machineConflict) {
      reassign.push({ ip, fromAssetId: id });
      reasons.push(`${ip} held by ${id} with another ${macConflict ? 'MAC' : 'machine id'}: address reused`);
      continue;
    }
    if (strong.has(id)) continue;
    const holderNames = new Set(holder.hostnames.map(shortName).filter(Boolean));
    if ([...names].some((n) => holderNames.has(n))) {
      weak.set(id, 'ip_hostname');
      reasons.push(`${ip} + hostname in zone ${s.zone} → ${id}`);
    } else if ((names.size === 0 || holderNames.size === 0) && (macs.length === 0 || holderMacs.size === 0)) {
      if (!weak.has(id)) weak.set(id, 'ip');
      reasons.push(`${ip} in zone ${s.zone} → ${id} (address only)`);
    } else {
      reassign.push({ ip, fromAssetId: id });
      reasons.push(`${ip} held by ${id} under another hostname: address reused`);
    }
  }

  const oldestFirst = (ids: Iterable<string>) =>
    [...ids].sort(
      (a, b) => (index.get(a)?.firstSeenAt ?? 0) - (index.get(b)?.firstSeenAt ?? 0) || a.localeCompare(b),
    );

  if (strong.size > 0) {
    const [keep, ...merge] = oldestFirst(strong.keys());
    for (const m of merge) reasons.push(`merge ${m} into ${keep}: same host by strong keys`);
    return {
      assetId: keep,
      matchedBy: keep ? strong.get(keep) : undefined,
      merge,
      reassign: reassign.filter((r) => r.fromAssetId !== keep && !merge.includes(r.fromAssetId)),
      reasons,
    };
  }
  if (weak.size > 0) {
    // Weak keys never merge two assets: take the best-supported one.
    const ranked = oldestFirst(weak.keys()).sort(
      (a, b) => Number(weak.get(b) === 'ip_hostname') - Number(weak.get(a) === 'ip_hostname'),
    );
    const keep = ranked[0];
    return {
      assetId: keep,
      matchedBy: keep ? weak.get(keep) : undefined,
      merge: [],
      reassign: reassign.filter((r) => r.fromAssetId !== keep),
      reasons,
    };
  }
  reasons.push('no matching asset: new');
  return { assetId: undefined, matchedBy: undefined, merge: [], reassign, reasons };
}

/**
 * Applies a sighting to an in-memory ledger index the way the store applies it: creates, matches,
 * merges (union of keys; the older asset survives) and moves reused addresses. Returns the asset id
 * and the decision, so the caller can record history.
 */
export function applySighting(
  index: LedgerIndex,
  s: Sighting,
  now: number,
  newId: () => string,
): { assetId: string; decision: Decision } {
  const decision = decide(index, s);
  for (const r of decision.reassign) {
    const from = index.get(r.fromAssetId);
    if (from) index.put({ ...from, ips: from.ips.filter((ip) => ip !== r.ip) });
  }
  const assetId = decision.assetId ?? newId();
  const base: LedgerAsset = index.get(assetId) ?? {
    id: assetId,
    firstSeenAt: now,
    zone: s.zone,
    macs: [],
    ips: [],
    hostnames: [],
  };
  const merged = decision.merge.map((m) => index.get(m)).filter((a): a is LedgerAsset => a !== undefined);
  for (const m of decision.merge) index.remove(m);
  const union = (...lists: (readonly string[])[]) => [...new Set(lists.flat())];
  index.put({
    ...base,
    machineId: base.machineId ?? s.machineId ?? merged.find((m) => m.machineId)?.machineId,
    macs: union(base.macs, s.macs, ...merged.map((m) => m.macs)),
    ips: union(base.ips, s.ips, ...merged.map((m) => m.ips)),
    hostnames: union(base.hostnames, s.hostnames, ...merged.map((m) => m.hostnames)),
  });
  return { assetId, decision };
}
