// Builds an InventoryReport from collected sections: every known section gets a digest; a
// section identical to the last acknowledged report goes to unchanged_sections (no data),
// unless a full report is asked for.
import { toLong, type watchpost } from '@watchpost/proto';
import { SECTION_NAMES, type SectionName, type Sections } from '../collectors/index.js';
import { sectionDigest } from './digest.js';

export interface BuiltReport {
  report: watchpost.v1.IInventoryReport;
  digests: Record<string, string>;
  sent: SectionName[];
  unchanged: SectionName[];
  missing: SectionName[];
}

export function buildReport(
  sections: Sections,
  ackedDigests: Readonly<Record<string, string>>,
  full: boolean,
  nowMs: number,
): BuiltReport {
  const digests: Record<string, string> = {};
  const sent: SectionName[] = [];
  const unchanged: SectionName[] = [];
  const missing: SectionName[] = [];
  const report: watchpost.v1.IInventoryReport = { collectedAtMs: toLong(nowMs, false) };
  for (const name of SECTION_NAMES) {
    const value = sections[name];
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    const digest = sectionDigest(value);
    digests[name] = digest;
    if (!full && ackedDigests[name] === digest) {
      unchanged.push(name);
      continue;
    }
    sent.push(name);
    putSection(report, name, sections);
  }
  report.sections = sent;
  report.unchangedSections = unchanged;
  report.digests = digests;
  return { report, digests, sent, unchanged, missing };
}

function putSection(report: watchpost.v1.IInventoryReport, name: SectionName, s: Sections): void {
  switch (name) {
    case 'host':
      if (s.host)
        report.host = {
          ...s.host,
          memoryBytes: toLong(s.host.memoryBytes),
          bootTimeMs: toLong(s.host.bootTimeMs, false),
        };
      return;
    case 'interfaces':
      report.interfaces = s.interfaces ?? [];
      return;
    case 'processes':
      report.processes = (s.processes ?? []).map((p) => ({
        ...p,
        startedAtMs: toLong(p.startedAtMs, false),
      }));
      return;
    case 'services':
      report.services = s.services ?? [];
      return;
    case 'accounts':
      report.accounts = (s.accounts ?? []).map((a) => ({
        ...a,
        passwordChangedAtMs: toLong(a.passwordChangedAtMs, false),
      }));
      return;
    case 'groups':
      report.groups = s.groups ?? [];
      return;
    case 'listeners':
      report.listeners = s.listeners ?? [];
      return;
    case 'packages':
      report.packages = s.packages ?? [];
      return;
  }
}
