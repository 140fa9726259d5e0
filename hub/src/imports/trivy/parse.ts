// Trivy JSON: an image/filesystem report (ArtifactName + Results[]) or a Kubernetes report
// (ClusterName + Resources[] or the older Vulnerabilities[] of {Namespace, Kind, Name, Results}).
// The scanned thing (image, or cluster/namespace/kind/name) is the "host"; each vulnerability is
// one package observation. Misconfigurations are not vulnerabilities and are skipped here.
import { z } from 'zod';
import { hubError } from '../../platform/errors.js';
import { cut, cveIds, emptyObservation, type HostBatch, type ScanObservation } from '../types.js';
import type { Severity } from '../../findings/index.js';

const vuln = z.looseObject({
  VulnerabilityID: z.string().min(1).max(256),
  PkgName: z.string().max(512).default(''),
  InstalledVersion: z.string().max(256).default(''),
  FixedVersion: z.string().max(1024).default(''),
  Severity: z.string().max(32).default('UNKNOWN'),
  Title: z.string().max(2048).default(''),
  Description: z.string().default(''),
  CVSS: z
    .record(
      z.string(),
      z.looseObject({
        V2Vector: z.string().optional(),
        V3Vector: z.string().optional(),
        V40Vector: z.string().optional(),
        V3Score: z.number().optional(),
      }),
    )
    .optional(),
});
const result = z.looseObject({
  Target: z.string().default(''),
  Vulnerabilities: z.array(z.unknown()).nullish(),
});
const resource = z.looseObject({
  Namespace: z.string().default(''),
  Kind: z.string().default(''),
  Name: z.string().default(''),
  Results: z.array(result).nullish(),
});
const report = z.looseObject({
  ArtifactName: z.string().optional(),
  ClusterName: z.string().optional(),
  CreatedAt: z.string().optional(),
  Results: z.array(result).nullish(),
  Resources: z.array(resource).nullish(),
  Vulnerabilities: z.array(resource).nullish(),
});

const SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
};

function observation(raw: unknown, target: string): ScanObservation | null {
  const p = vuln.safeParse(raw);
  if (!p.success) return null;
  const v = p.data;
  // Prefer NVD's vectors, then the vendor's: the same the severity source would use.
  const sources = Object.entries(v.CVSS ?? {}).sort(([a], [b]) =>
    a === 'nvd' ? -1 : b === 'nvd' ? 1 : a.localeCompare(b),
  );
  const pick = (k: 'V2Vector' | 'V3Vector' | 'V40Vector') => sources.map(([, s]) => s[k]).find((x) => !!x);
  const v31 = pick('V3Vector');
  const v40 = pick('V40Vector');
  const v2 = pick('V2Vector');
  const score = sources.map(([, s]) => s.V3Score).find((x) => x !== undefined) ?? null;
  return {
    ...emptyObservation(),
    packageName: v.PkgName || null,
    packageVersion: v.InstalledVersion || null,
    fixedVersion: v.FixedVersion || null,
    location: target || null,
    cves: cveIds([v.VulnerabilityID]),
    scannerId: `trivy:${v.VulnerabilityID}`,
    severity: SEVERITY[v.Severity.toUpperCase()] ?? 'info',
    cvssScore: score !== null && score >= 0 && score <= 10 ? score : null,
    cvss: { ...(v2 ? { v2 } : {}), ...(v31 ? { v31 } : {}), ...(v40 ? { v40 } : {}) },
    title: cut(v.Title || `${v.VulnerabilityID} in ${v.PkgName}`, 500),
    description: cut(v.Description, 16 * 1024),
    solution: v.FixedVersion ? `Upgrade ${v.PkgName} to ${v.FixedVersion}` : '',
    raw: JSON.stringify({
      id: v.VulnerabilityID,
      pkg: v.PkgName,
      installed: v.InstalledVersion,
      fixed: v.FixedVersion,
      target,
    }),
  };
}

function batch(name: string, results: z.output<typeof result>[], observedAt: Date | null): HostBatch {
  const observations = results.flatMap((r) =>
    (r.Vulnerabilities ?? [])
      .map((v) => observation(v, r.Target))
      .filter((o): o is ScanObservation => o !== null),
  );
  return {
    host: { ips: [], macs: [], hostnames: [cut(name, 255)], ports: [] },
    observations,
    observedAt,
    source: 'trivy',
  };
}

export function* parseTrivy(json: unknown): Generator<HostBatch> {
  const parsed = report.safeParse(json);
  if (!parsed.success)
    throw hubError(
      'IMPORT_PARSE_FAILED',
      `Trivy JSON: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const r = parsed.data;
  const at = r.CreatedAt ? new Date(r.CreatedAt) : null;
  const observedAt = at && !Number.isNaN(at.getTime()) ? at : null;
  if (r.Results) yield batch(r.ArtifactName || 'trivy-artifact', r.Results, observedAt);
  for (const res of [...(r.Resources ?? []), ...(r.Vulnerabilities ?? [])]) {
    const name = [r.ClusterName, res.Namespace, res.Kind, res.Name].filter(Boolean).join('/');
    yield batch(name || 'k8s-resource', res.Results ?? [], observedAt);
  }
}
