// VulnRecord → the rows it is stored as (record, aliases, affected, CPE products, distro fixes).
import { createHash } from 'node:crypto';
import type { CvssMetric, NvdConfiguration, VulnRecord } from '../store-api.js';

export const contentHash = (value: unknown): string => hashText(JSON.stringify(value));
export const hashText = (text: string): string => createHash('sha256').update(text).digest('hex');

export const VULN_COLUMNS = [
  'source',
  'record_key',
  'vuln_id',
  'published',
  'modified',
  'cvss3_score',
  'cvss4_score',
  'content_hash',
  'doc',
  'configs',
  'import_id',
] as const;
export const ALIAS_COLUMNS = ['source', 'record_key', 'vuln_id', 'alias'] as const;
export const AFFECTED_COLUMNS = [
  'source',
  'record_key',
  'vuln_id',
  'ordinal',
  'ecosystem',
  'package',
  'doc',
] as const;
export const CPE_COLUMNS = ['source', 'record_key', 'vuln_id', 'part', 'vendor', 'product'] as const;
export const FIX_COLUMNS = [
  'source',
  'record_key',
  'vuln_id',
  'ordinal',
  'ecosystem',
  'source_package',
  'release',
  'state',
  'fixed_version',
  'urgency',
  'aliases',
] as const;

/** NVD Primary first, then anything else of that major version. */
export function preferredMetric(cvss: readonly CvssMetric[], major: '3' | '4'): CvssMetric | null {
  const of = cvss.filter((m) => m.version.startsWith(major));
  return of.find((m) => m.type === 'Primary') ?? of[0] ?? null;
}

/** CPE 2.3 fields with `\:` escapes honoured. */
export function cpeFields(cpe: string): string[] {
  return cpe.split(/(?<!\\):/);
}

function cpeProducts(configs: readonly NvdConfiguration[]): [string, string, string][] {
  const seen = new Map<string, [string, string, string]>();
  const visit = (nodes: NvdConfiguration['nodes']) => {
    for (const n of nodes) {
      for (const m of n.cpeMatch) {
        const f = cpeFields(m.criteria);
        const [part, vendor, product] = [f[2], f[3], f[4]];
        if (part && vendor && product && vendor !== '*' && product !== '*')
          seen.set(`${part}:${vendor}:${product}`, [part, vendor.slice(0, 128), product.slice(0, 128)]);
      }
      visit(n.children);
    }
  };
  for (const c of configs) visit(c.nodes);
  return [...seen.values()];
}

export interface RecordRows {
  vuln: unknown[];
  aliases: unknown[][];
  affected: unknown[][];
  cpes: unknown[][];
  fixes: unknown[][];
}

/** `doc` is JSON.stringify(r), computed once by the caller (it is also what the hash covers). */
export function recordRows(
  key: string,
  r: VulnRecord,
  doc: string,
  hash: string,
  importId: string,
): RecordRows {
  const base = [r.source, key, r.id];
  return {
    vuln: [
      ...base,
      r.published,
      r.modified,
      preferredMetric(r.cvss, '3')?.baseScore ?? null,
      preferredMetric(r.cvss, '4')?.baseScore ?? null,
      hash,
      doc,
      JSON.stringify(r.configurations),
      importId,
    ],
    aliases: r.aliases.filter((a) => a !== r.id && a.length <= 128).map((a) => [...base, a]),
    affected: r.affected.map((a, i) => [
      ...base,
      i,
      a.ecosystem.slice(0, 128),
      a.package.slice(0, 256),
      JSON.stringify(a),
    ]),
    cpes: cpeProducts(r.configurations).map((p) => [...base, ...p]),
    fixes: r.distroFixes.map((f, i) => [
      ...base,
      i,
      f.ecosystem.slice(0, 128),
      f.sourcePackage.slice(0, 256),
      f.release?.slice(0, 32) ?? null,
      f.state,
      f.fixedVersion?.slice(0, 256) ?? null,
      f.urgency?.slice(0, 32) ?? null,
      JSON.stringify(f.aliases ?? []),
    ]),
  };
}
