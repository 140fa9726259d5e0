// CVE JSON 5.x record → VulnRecord: the CNA container plus every ADP container (CISA-ADP adds
// CVSS, CWE, SSVC and `cpes` with version ranges). Affected entries that name CPEs become NVD-style
// configurations (one OR node per entry) so CPE matching treats both sources alike.
import type { CpeMatch, CvssMetric, NvdConfiguration, SsvcDecision, VulnRecord } from '../../store-api.js';
import {
  cvssFrom,
  englishText,
  isoDate,
  isoInstant,
  obj,
  objs,
  references,
  requireId,
  str,
  strs,
  uniq,
  type Obj,
} from '../common.js';

const CVSS_KEYS = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0'] as const;

function metrics(container: Obj, source: string): CvssMetric[] {
  return objs(container.metrics).flatMap((m) =>
    CVSS_KEYS.flatMap((k) => {
      const metric = m[k] === undefined ? null : cvssFrom(obj(m[k]), source, null);
      return metric === null ? [] : [metric];
    }),
  );
}

function ssvc(containers: Obj[]): SsvcDecision | null {
  for (const c of containers) {
    for (const m of objs(c.metrics)) {
      const other = obj(m.other);
      if (other.type !== 'ssvc') continue;
      const opts = objs(obj(other.content).options);
      const pick = (k: string) => str(opts.find((o) => k in o)?.[k]);
      return {
        exploitation: pick('Exploitation'),
        automatable: pick('Automatable'),
        technicalImpact: pick('Technical Impact'),
      };
    }
  }
  return null;
}

/** `cpe:2.3:a:v:p:*:…` with the version field replaced. */
function withVersion(cpe: string, version: string): string {
  const parts = cpe.split(':');
  if (parts.length < 13) return cpe;
  parts[5] = version.replace(/:/g, '\\:');
  return parts.join(':');
}

function cpeConfigurations(containers: Obj[]): NvdConfiguration[] {
  const out: NvdConfiguration[] = [];
  for (const c of containers) {
    for (const a of objs(c.affected)) {
      const cpes = strs(a.cpes).filter((s) => s.startsWith('cpe:2.3:'));
      if (cpes.length === 0) continue;
      const matches: CpeMatch[] = [];
      for (const cpe of cpes) {
        for (const v of objs(a.versions)) {
          if (v.status !== 'affected') continue;
          const version = str(v.version);
          const lt = str(v.lessThan);
          const le = str(v.lessThanOrEqual);
          const ranged = lt !== null || le !== null;
          if (version === null && !ranged) continue;
          const start = version !== null && version !== '0' && version !== '*' ? version : null;
          matches.push({
            criteria: ranged ? withVersion(cpe, '*') : withVersion(cpe, version ?? '*'),
            vulnerable: true,
            versionStartIncluding: ranged ? start : null,
            versionStartExcluding: null,
            versionEndIncluding: le !== null && le !== '*' ? le : null,
            versionEndExcluding: lt !== null && lt !== '*' ? lt : null,
            matchCriteriaId: null,
          });
        }
      }
      if (matches.length > 0)
        out.push({
          operator: null,
          negate: false,
          nodes: [{ operator: 'OR', negate: false, cpeMatch: matches, children: [] }],
        });
    }
  }
  return out;
}

export function parseCve5Record(raw: unknown): VulnRecord {
  const rec = obj(raw);
  const meta = obj(rec.cveMetadata);
  const id = requireId(meta.cveId, 'CVE 5 record');
  const containers = obj(rec.containers);
  const cna = obj(containers.cna);
  const adps = objs(containers.adp);
  const all = [cna, ...adps];
  const sourceOf = (c: Obj) => str(obj(c.providerMetadata).shortName) ?? 'cna';
  const cwes = uniq(
    all.flatMap((c) =>
      objs(c.problemTypes).flatMap((p) =>
        objs(p.descriptions).flatMap((d) => {
          const v = str(d.cweId);
          return v !== null && /^CWE-\d+$/.test(v) ? [v] : [];
        }),
      ),
    ),
  );
  // CISA-ADP publishes KEV membership as an `other` metric of type `kev`.
  const kev = adps
    .flatMap((c) => objs(c.metrics))
    .map((m) => obj(m.other))
    .find((o) => o.type === 'kev');
  return {
    id,
    source: 'cve5',
    aliases: [],
    published: isoInstant(meta.datePublished),
    modified: isoInstant(meta.dateUpdated),
    status: str(meta.state),
    summary: str(cna.title),
    description: englishText(cna.descriptions) || englishText(cna.rejectedReasons),
    cvss: all.flatMap((c) => metrics(c, sourceOf(c))),
    cwes,
    references: uniqRefs(all.flatMap((c) => references(c.references))),
    configurations: cpeConfigurations(all),
    affected: [],
    distroFixes: [],
    kevHint: kev ? { dateAdded: isoDate(obj(kev.content).dateAdded), dueDate: null } : null,
    ssvc: ssvc(adps),
  };
}

function uniqRefs<T extends { url: string }>(refs: T[]): T[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(r.url) && (seen.add(r.url), true));
}
