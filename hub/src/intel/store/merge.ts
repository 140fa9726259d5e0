// Merges the per-source records of one id into the IntelVulnerability that matching and risk
// scoring read. Every source's record is kept whole in `records`; the merged fields prefer NVD,
// then CVE 5 (CNA + CISA-ADP), then OSV, then the Debian tracker.
import type {
  CvssMetric,
  EpssScore,
  IntelSource,
  IntelVulnerability,
  KevEntry,
  Reference,
  VulnRecord,
} from '../store-api.js';
import { preferredMetric } from './rows.js';

const ORDER: Record<IntelSource, number> = { nvd: 0, cve5: 1, osv: 2, 'debian-tracker': 3, kev: 4, epss: 5 };

const minOf = (xs: (string | null)[]) => xs.filter((x): x is string => x !== null).sort()[0] ?? null;
const maxOf = (xs: (string | null)[]) =>
  xs
    .filter((x): x is string => x !== null)
    .sort()
    .pop() ?? null;

export interface StoredRecord {
  record: VulnRecord;
  importId: string;
}

export function mergeVulnerability(
  id: string,
  stored: readonly StoredRecord[],
  kev: KevEntry | null,
  epss: EpssScore | null,
): IntelVulnerability {
  const sorted = [...stored].sort((a, b) => ORDER[a.record.source] - ORDER[b.record.source]);
  const records = sorted.map((s) => s.record);
  const cvss: CvssMetric[] = records
    .flatMap((r) => r.cvss)
    .sort((a, b) => (a.type === 'Primary' ? 0 : 1) - (b.type === 'Primary' ? 0 : 1));
  const refs = new Map<string, Reference>();
  for (const r of records) for (const ref of r.references) if (!refs.has(ref.url)) refs.set(ref.url, ref);
  const nvd = records.find((r) => r.source === 'nvd' && r.configurations.length > 0);
  const withConfig = nvd ?? records.find((r) => r.configurations.length > 0);
  return {
    id,
    aliases: [...new Set(records.flatMap((r) => [r.id, ...r.aliases]))].filter((a) => a !== id),
    published: minOf(records.map((r) => r.published)),
    modified: maxOf(records.map((r) => r.modified)),
    description: records.find((r) => r.description !== '')?.description ?? '',
    cvss,
    cvss3: preferredMetric(cvss, '3'),
    cvss4: preferredMetric(cvss, '4'),
    cwes: [...new Set(records.flatMap((r) => r.cwes))],
    references: [...refs.values()],
    kev,
    epss,
    configurations: withConfig?.configurations ?? [],
    affected: records.flatMap((r) => r.affected),
    distroFixes: records.flatMap((r) => r.distroFixes),
    ssvc: records.find((r) => r.ssvc !== null)?.ssvc ?? null,
    sources: sorted.map((s) => ({
      source: s.record.source,
      modified: s.record.modified,
      importId: s.importId,
    })),
    records,
  };
}
