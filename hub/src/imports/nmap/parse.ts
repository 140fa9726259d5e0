// nmap XML (-oX), streamed one <host> at a time. Open ports become the host's ports; the
// `vulners` NSE script's tables (id / cvss / type per entry) become one observation per CVE (or
// per vulners id when it is not a CVE), on the port the script ran against.
import { arr, attr, txt, xmlChunks } from '../xml/chunks.js';
import {
  cut,
  emptyObservation,
  numberOrNull,
  severityOfScore,
  type HostBatch,
  type ScanObservation,
  type ScanPort,
} from '../types.js';

type El = Record<string, unknown>;

/** Entries of the vulners script: `<table key="cpe"><table><elem key="id">…</elem>…</table></table>`. */
function vulnersEntries(script: El): { id: string; cvss: number | null; type: string; exploit: boolean }[] {
  const out: { id: string; cvss: number | null; type: string; exploit: boolean }[] = [];
  const walk = (table: El) => {
    const elems = new Map(arr(table['elem']).map((e) => [attr(e, 'key'), txt(e)]));
    const id = elems.get('id');
    if (id) {
      out.push({
        id,
        cvss: numberOrNull(elems.get('cvss')),
        type: elems.get('type') ?? '',
        exploit: elems.get('is_exploit') === 'true',
      });
    }
    for (const t of arr(table['table'])) walk(t);
  };
  walk(script);
  return out;
}

function observationsOf(
  script: El,
  where: { port: number | null; protocol: string | null; service: string | null },
): ScanObservation[] {
  if (attr(script, 'id') !== 'vulners') return [];
  return vulnersEntries(script).map((v) => {
    const isCve = /^CVE-\d{4}-\d{4,}$/i.test(v.id);
    return {
      ...emptyObservation(),
      ...where,
      cves: isCve ? [v.id.toUpperCase()] : [],
      scannerId: `vulners:${v.id}`,
      severity: severityOfScore(v.cvss),
      cvssScore: v.cvss !== null && v.cvss >= 0 && v.cvss <= 10 ? v.cvss : null,
      title: cut(`${v.id}${where.service ? ` on ${where.service}` : ''}`, 500),
      description: v.exploit ? 'vulners reports a public exploit' : '',
      raw: JSON.stringify({ script: 'vulners', ...v }),
    };
  });
}

export async function* parseNmap(input: AsyncIterable<string>): AsyncGenerator<HostBatch> {
  for await (const chunk of xmlChunks(input, { chunks: ['nmaprun/host'] })) {
    const h = chunk.value;
    const status = attr(arr(h['status'])[0], 'state');
    if (status !== '' && status !== 'up') continue;
    const addresses = arr(h['address']);
    const byType = (...types: string[]) =>
      addresses.filter((a) => types.includes(attr(a, 'addrtype'))).map((a) => attr(a, 'addr'));
    const hostnames = arr(arr(h['hostnames'])[0]?.['hostname'])
      .map((n) => attr(n, 'name'))
      .filter(Boolean);
    const ports: ScanPort[] = [];
    const observations: ScanObservation[] = [];
    for (const p of arr(arr(h['ports'])[0]?.['port'])) {
      const state = attr(arr(p['state'])[0], 'state');
      const svc = arr(p['service'])[0];
      const port: ScanPort = {
        protocol: attr(p, 'protocol') || 'tcp',
        port: Number(attr(p, 'portid')),
        state,
        service: attr(svc, 'name'),
        product: attr(svc, 'product'),
        version: attr(svc, 'version'),
      };
      if (!Number.isInteger(port.port) || port.port < 0 || port.port > 65_535) continue;
      ports.push(port);
      for (const s of arr(p['script'])) {
        observations.push(
          ...observationsOf(s, { port: port.port, protocol: port.protocol, service: port.service || null }),
        );
      }
    }
    for (const s of arr(arr(h['hostscript'])[0]?.['script'])) {
      observations.push(...observationsOf(s, { port: null, protocol: null, service: null }));
    }
    const start =
      numberOrNull(attr(h, 'starttime')) ?? numberOrNull(attr(chunk.ancestors.get('nmaprun'), 'start'));
    yield {
      host: { ips: byType('ipv4', 'ipv6'), macs: byType('mac'), hostnames, ports },
      observations,
      observedAt: start !== null && start > 0 ? new Date(start * 1000) : null,
      source: 'nmap',
    };
  }
}
