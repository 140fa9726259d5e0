// What every scanner parser yields: hosts with the observations made on them, normalised so the
// pipeline never looks at a scanner's own shape again.
import type { Severity } from '../findings/index.js';

export const IMPORT_FORMATS = ['nmap', 'openvas', 'nessus', 'trivy', 'sarif'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ScanPort {
  protocol: string;
  port: number;
  state: string;
  service: string;
  product: string;
  version: string;
}

/** Something scanned: a network host (ips/macs/hostnames) or a named artifact (image, repository). */
export interface ScanHost {
  ips: string[];
  hostnames: string[];
  macs: string[];
  ports: ScanPort[];
}

export interface CvssVectors {
  v2?: string;
  v31?: string;
  v40?: string;
}

export interface ScanObservation {
  /** Network location; null for host-level and package findings. */
  port: number | null;
  protocol: string | null;
  service: string | null;
  /** Package findings (Trivy, SCA rules in SARIF). */
  packageName: string | null;
  packageVersion: string | null;
  fixedVersion: string | null;
  /** SARIF: a stable location key (fingerprint or artifact uri). */
  location: string | null;
  cves: string[];
  /** The scanner's own id: nessus plugin id, NVT OID, SARIF rule id, Trivy VulnerabilityID. */
  scannerId: string;
  severity: Severity;
  cvssScore: number | null;
  cvss: CvssVectors;
  title: string;
  description: string;
  solution: string;
  raw: string;
}

export interface HostBatch {
  host: ScanHost;
  observations: ScanObservation[];
  /** When the scanner looked (from the report); the import time when the report does not say. */
  observedAt: Date | null;
  /** The tool that produced it, for SARIF (tool name); otherwise the format. */
  source: string;
}

export const CVE_RE = /^CVE-\d{4}-\d{4,}$/;
const CVE_GLOBAL = /CVE-\d{4}-\d{4,}/g;

/** Unique CVE ids found in the strings, upper-cased, in first-seen order. */
export function cveIds(values: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of values) for (const m of (v ?? '').toUpperCase().matchAll(CVE_GLOBAL)) out.add(m[0]);
  return [...out];
}

/** CVSS base score → qualitative severity (FIRST's bands). */
export function severityOfScore(score: number | null): Severity {
  if (score === null || Number.isNaN(score)) return 'info';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

export function emptyObservation(): Omit<ScanObservation, 'scannerId' | 'title'> {
  return {
    port: null,
    protocol: null,
    service: null,
    packageName: null,
    packageVersion: null,
    fixedVersion: null,
    location: null,
    cves: [],
    severity: 'info',
    cvssScore: null,
    cvss: {},
    description: '',
    solution: '',
    raw: '',
  };
}

export const cut = (s: string, max: number): string => (s.length <= max ? s : s.slice(0, max));
export function numberOrNull(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}
