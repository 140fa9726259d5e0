// Greenbone / OpenVAS XML report (GMP get_reports), streamed one <results>/<result> at a time.
// Each result is one NVT on one host:port; its CVE refs (GMP 8+ <refs>, older <cve> text) say
// which vulnerability it is. Results never carry a port list: the host's ports are the results'.
import { arr, attr, txt, xmlChunks } from '../xml/chunks.js';
import { cut, cveIds, emptyObservation, numberOrNull, severityOfScore, type HostBatch } from '../types.js';

type El = Record<string, unknown>;

function portOf(text: string): { port: number | null; protocol: string | null; service: string | null } {
  // "443/tcp", "general/tcp", "package", "" — only a number is a port.
  const m = /^(\d{1,5})\/(\w+)$/.exec(text.trim());
  if (m && Number(m[1]) <= 65_535)
    return { port: Number(m[1]), protocol: m[2]?.toLowerCase() ?? null, service: null };
  return { port: null, protocol: null, service: null };
}

function tagMap(tags: string): Map<string, string> {
  return new Map(
    tags.split('|').flatMap((kv) => {
      const i = kv.indexOf('=');
      return i > 0 ? [[kv.slice(0, i).trim(), kv.slice(i + 1).trim()] as [string, string]] : [];
    }),
  );
}

function vectors(nvt: El, tags: Map<string, string>): { v2?: string; v31?: string; v40?: string } {
  const out: { v2?: string; v31?: string; v40?: string } = {};
  const all = [
    ...arr(arr(nvt['severities'])[0]?.['severity']).map((s) => txt(s['value'])),
    tags.get('cvss_base_vector') ?? '',
  ];
  for (const v of all) {
    if (v.startsWith('CVSS:4.0/')) out.v40 ??= v;
    else if (v.startsWith('CVSS:3.1/') || v.startsWith('CVSS:3.0/')) out.v31 ??= v;
    else if (/^AV:[LAN]\/AC:/.test(v)) out.v2 ??= v;
  }
  return out;
}

export async function* parseOpenvas(input: AsyncIterable<string>): AsyncGenerator<HostBatch> {
  for await (const chunk of xmlChunks(input, {
    chunks: ['results/result'],
    context: ['scan_start', 'creation_time'],
  })) {
    const r = chunk.value;
    const hostEl = arr(r['host'])[0] ?? {};
    const ip = txt(hostEl).trim();
    const hostname = txt(hostEl['hostname']).trim();
    const nvt = arr(r['nvt'])[0] ?? {};
    const oid = attr(nvt, 'oid');
    if (!ip || !oid) continue;
    const tags = tagMap(txt(nvt['tags']));
    const refs = arr(arr(nvt['refs'])[0]?.['ref']);
    const cves = cveIds([
      ...refs.filter((x) => attr(x, 'type').toLowerCase() === 'cve').map((x) => attr(x, 'id')),
      txt(nvt['cve']),
    ]);
    const where = portOf(txt(r['port']));
    const score = numberOrNull(txt(r['severity'])) ?? numberOrNull(txt(nvt['cvss_base']));
    const qod = numberOrNull(txt(arr(r['qod'])[0]?.['value']));
    const title = txt(nvt['name']) || txt(r['name']) || oid;
    const at = chunk.context.get('scan_start') ?? chunk.context.get('creation_time');
    const observedAt = at ? new Date(at) : null;
    yield {
      host: {
        ips: [ip],
        hostnames: hostname ? [hostname] : [],
        macs: [],
        ports:
          where.port !== null && where.protocol
            ? [
                {
                  port: where.port,
                  protocol: where.protocol,
                  state: 'open',
                  service: '',
                  product: '',
                  version: '',
                },
              ]
            : [],
      },
      observations: [
        {
          ...emptyObservation(),
          ...where,
          cves,
          scannerId: `nvt:${oid}`,
          severity: severityOfScore(score),
          cvssScore: score !== null && score >= 0 && score <= 10 ? score : null,
          cvss: vectors(nvt, tags),
          title: cut(title, 500),
          description: cut(txt(r['description']) || tags.get('summary') || '', 16 * 1024),
          solution: cut(txt(nvt['solution']) || tags.get('solution') || '', 16 * 1024),
          raw: JSON.stringify({ oid, port: txt(r['port']), threat: txt(r['threat']), severity: score, qod }),
        },
      ],
      observedAt: observedAt && !Number.isNaN(observedAt.getTime()) ? observedAt : null,
      source: 'openvas',
    };
  }
}
