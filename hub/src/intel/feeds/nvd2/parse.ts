// NVD CVE API 2.0 `cve` object → VulnRecord. Same shape in API pages, yearly 2.0 feeds and the
// one-record-per-file mirrors (fkie-cad/nvd-json-data-feeds).
import type { ConfigNode, CpeMatch, CvssMetric, NvdConfiguration, VulnRecord } from '../../store-api.js';
import {
  bool,
  cvssFrom,
  englishText,
  isoDate,
  isoInstant,
  obj,
  objs,
  references,
  requireId,
  str,
  uniq,
  type Obj,
} from '../common.js';

const METRIC_KEYS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;

export function nvdCpeMatch(m: Obj): CpeMatch | null {
  const criteria = str(m.criteria) ?? str(m.cpe23Uri);
  if (criteria === null) return null;
  return {
    criteria,
    vulnerable: bool(m.vulnerable, true),
    versionStartIncluding: str(m.versionStartIncluding),
    versionStartExcluding: str(m.versionStartExcluding),
    versionEndIncluding: str(m.versionEndIncluding),
    versionEndExcluding: str(m.versionEndExcluding),
    matchCriteriaId: str(m.matchCriteriaId),
  };
}

const operator = (v: unknown): 'AND' | 'OR' => (v === 'AND' ? 'AND' : 'OR');

function node(n: Obj): ConfigNode {
  return {
    operator: operator(n.operator),
    negate: bool(n.negate, false),
    cpeMatch: objs(n.cpeMatch ?? n.cpe_match).flatMap((m) => nvdCpeMatch(m) ?? []),
    children: objs(n.children).map(node),
  };
}

export function nvd2Configurations(v: unknown): NvdConfiguration[] {
  return objs(v).map((c) => ({
    operator: c.operator === 'AND' || c.operator === 'OR' ? c.operator : null,
    negate: bool(c.negate, false),
    nodes: objs(c.nodes).map(node),
  }));
}

function metrics(m: Obj): CvssMetric[] {
  return METRIC_KEYS.flatMap((key) =>
    objs(m[key]).flatMap((entry) => {
      const type = entry.type === 'Primary' || entry.type === 'Secondary' ? entry.type : null;
      const metric = cvssFrom(obj(entry.cvssData), str(entry.source) ?? 'nvd', type, entry.baseSeverity);
      return metric === null ? [] : [metric];
    }),
  );
}

export function parseNvd2Cve(raw: unknown): VulnRecord {
  const cve = obj(raw);
  const id = requireId(cve.id, 'NVD 2.0 cve');
  const cwes = uniq(
    objs(cve.weaknesses).flatMap((w) =>
      objs(w.description).flatMap((d) => {
        const v = str(d.value);
        return v !== null && /^CWE-\d+$/.test(v) ? [v] : [];
      }),
    ),
  );
  const kevAdded = isoDate(cve.cisaExploitAdd);
  return {
    id,
    source: 'nvd',
    aliases: [],
    published: isoInstant(cve.published),
    modified: isoInstant(cve.lastModified),
    status: str(cve.vulnStatus),
    summary: null,
    description: englishText(cve.descriptions),
    cvss: metrics(obj(cve.metrics)),
    cwes,
    references: references(cve.references),
    configurations: nvd2Configurations(cve.configurations),
    affected: [],
    distroFixes: [],
    kevHint: kevAdded === null ? null : { dateAdded: kevAdded, dueDate: isoDate(cve.cisaActionDue) },
    ssvc: null,
  };
}
