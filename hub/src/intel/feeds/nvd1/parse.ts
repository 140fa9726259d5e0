// Legacy NVD 1.1 JSON feed item (`CVE_Items[]`) → VulnRecord. Nodes nest through `children`.
import type { CvssMetric, NvdConfiguration, VulnRecord } from '../../store-api.js';
import {
  cvssFrom,
  englishText,
  isoInstant,
  obj,
  objs,
  requireId,
  str,
  strs,
  uniq,
  type Obj,
} from '../common.js';
import { nvd2Configurations } from '../nvd2/parse.js';

function metrics(impact: Obj): CvssMetric[] {
  const out: CvssMetric[] = [];
  const v3 = obj(impact.baseMetricV3);
  const m3 = cvssFrom(obj(v3.cvssV3), 'nvd@nist.gov', 'Primary');
  if (m3) out.push(m3);
  const v2 = obj(impact.baseMetricV2);
  const m2 = cvssFrom(obj(v2.cvssV2), 'nvd@nist.gov', 'Primary', v2.severity);
  if (m2) out.push(m2);
  return out;
}

export function parseNvd1Item(raw: unknown): VulnRecord {
  const item = obj(raw);
  const cve = obj(item.cve);
  const meta = obj(cve.CVE_data_meta);
  const id = requireId(meta.ID, 'NVD 1.1 item');
  const cwes = uniq(
    objs(obj(cve.problemtype).problemtype_data).flatMap((p) =>
      objs(p.description).flatMap((d) => {
        const v = str(d.value);
        return v !== null && /^CWE-\d+$/.test(v) ? [v] : [];
      }),
    ),
  );
  const configurations: NvdConfiguration[] = nvd2Configurations([{ nodes: obj(item.configurations).nodes }]);
  return {
    id,
    source: 'nvd',
    aliases: [],
    published: isoInstant(item.publishedDate),
    modified: isoInstant(item.lastModifiedDate),
    status: null,
    summary: null,
    description: englishText(obj(cve.description).description_data),
    cvss: metrics(obj(item.impact)),
    cwes,
    references: objs(obj(cve.references).reference_data).flatMap((r) => {
      const url = str(r.url);
      return url === null ? [] : [{ url, tags: strs(r.tags) }];
    }),
    configurations: configurations.filter((c) => c.nodes.length > 0),
    affected: [],
    distroFixes: [],
    kevHint: null,
    ssvc: null,
  };
}
