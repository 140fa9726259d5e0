// Pure mapping from a parsed observation to the findings it becomes, and from a parsed host to
// the ledger's discovered-host shape. Identity uses stable fields only: the CVE (or the scanner's
// own id when there is none), and the port/protocol, package name or SARIF location.
import type { watchpost } from '@watchpost/proto';
import type { Observation } from '../findings/index.js';
import type { ScannerRiskHints } from '../risk/index.js';
import type { ImportFormat, ScanHost, ScanObservation } from './types.js';

/** How far a format's observations are trusted (risk/ weighs it). */
const CONFIDENCE: Record<ImportFormat, 'confirmed' | 'firm' | 'tentative'> = {
  // vulners matches the service's CPE against a database: a version guess, not a check.
  nmap: 'tentative',
  openvas: 'firm',
  nessus: 'firm',
  trivy: 'firm',
  sarif: 'firm',
};

export function componentOf(o: ScanObservation): string {
  if (o.port !== null && o.protocol) return `${o.protocol}/${o.port}`;
  if (o.packageName) return `pkg:${o.packageName}`;
  if (o.location) return `loc:${o.location}`;
  return 'host';
}

/** One finding per CVE the observation names (so other scanners' reports of it land on it). */
export function findingsOf(
  o: ScanObservation,
  ctx: { assetId: string; source: string; observedAt: Date; format: ImportFormat; importId: string },
): Observation[] {
  const ids = o.cves.length > 0 ? o.cves : [o.scannerId];
  const scanner: ScannerRiskHints = {
    ...(o.cvss.v31 ? { v31: o.cvss.v31 } : {}),
    ...(o.cvss.v40 ? { v40: o.cvss.v40 } : {}),
    score: o.cvssScore,
  };
  return ids.map((ruleId) => ({
    assetId: ctx.assetId,
    type: 'vulnerability',
    component: componentOf(o).slice(0, 512),
    ruleId: ruleId.slice(0, 256),
    port: o.port,
    protocol: o.protocol,
    title: o.cves.length > 1 ? `${ruleId}: ${o.title}`.slice(0, 500) : o.title,
    description: o.description,
    severity: o.severity,
    cvssScore: o.cvssScore,
    riskFactors: { scanner },
    source: ctx.source,
    observedAt: ctx.observedAt,
    rawExcerpt: o.raw,
    details: {
      importId: ctx.importId,
      scannerId: o.scannerId.slice(0, 512),
      cves: o.cves.slice(0, 200),
      solution: o.solution.slice(0, 4096),
      ...(o.packageName
        ? { package: o.packageName, installed: o.packageVersion, fixed: o.fixedVersion }
        : {}),
      ...(o.location ? { location: o.location } : {}),
      ...(o.service ? { service: o.service } : {}),
    },
    cve: /^CVE-\d{4}-\d{4,}$/.test(ruleId) ? ruleId : null,
    confidence: CONFIDENCE[ctx.format],
  }));
}

const isLoopback = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';

/** Loopback-only hosts identify no machine by themselves (the ledger treats them as "the scanner"). */
export function onlyLoopback(h: ScanHost): boolean {
  return h.macs.length === 0 && h.ips.length > 0 && h.ips.every(isLoopback);
}

export function hostKey(h: ScanHost): string {
  return JSON.stringify([
    [...h.ips].sort(),
    [...h.macs].map((m) => m.toLowerCase()).sort(),
    [...h.hostnames].sort(),
  ]);
}

export function discoveredHost(h: ScanHost): watchpost.v1.IDiscoveredHost {
  return {
    status: 'up',
    addresses: [
      ...h.ips.map((addr) => ({ addr, type: addr.includes(':') ? 'ipv6' : 'ipv4' })),
      ...h.macs.map((addr) => ({ addr, type: 'mac' })),
    ],
    hostnames: h.hostnames.filter((n) => n.length > 0),
    ports: h.ports.map((p) => ({
      port: p.port,
      protocol: p.protocol,
      state: p.state,
      service: p.service,
      product: p.product,
      version: p.version,
    })),
  };
}
