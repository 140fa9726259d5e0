// Nessus `.nessus` v2, streamed one <Report>/<ReportHost> at a time. Host properties give the
// addresses and scan time; each ReportItem is one plugin on one port.
import { arr, attr, txt, xmlChunks } from '../xml/chunks.js';
import {
  cut,
  cveIds,
  emptyObservation,
  numberOrNull,
  severityOfScore,
  type HostBatch,
  type ScanObservation,
  type ScanPort,
} from '../types.js';
import type { Severity } from '../../findings/index.js';

const NESSUS_SEVERITY: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function item(i: Record<string, unknown>): ScanObservation {
  const port = Number(attr(i, 'port'));
  const protocol = attr(i, 'protocol').toLowerCase() || null;
  const onPort = Number.isInteger(port) && port > 0 && port <= 65_535;
  const v3 = txt(i['cvss3_vector']);
  const v4 = txt(i['cvss4_vector']);
  const v2 = txt(i['cvss_vector']).replace(/^CVSS2#/, '');
  const score =
    numberOrNull(txt(i['cvss4_base_score'])) ??
    numberOrNull(txt(i['cvss3_base_score'])) ??
    numberOrNull(txt(i['cvss_base_score']));
  const sev = Number(attr(i, 'severity'));
  const pluginId = attr(i, 'pluginID');
  return {
    ...emptyObservation(),
    port: onPort ? port : null,
    protocol: onPort ? protocol : null,
    service: attr(i, 'svc_name') || null,
    cves: cveIds(arr(i['cve']).map((c) => txt(c))),
    scannerId: `nessus:${pluginId}`,
    severity: NESSUS_SEVERITY[sev] ?? severityOfScore(score),
    cvssScore: score !== null && score >= 0 && score <= 10 ? score : null,
    cvss: {
      ...(v2 ? { v2 } : {}),
      ...(v3 ? { v31: v3.startsWith('CVSS:') ? v3 : `CVSS:3.0/${v3}` } : {}),
      ...(v4 ? { v40: v4.startsWith('CVSS:') ? v4 : `CVSS:4.0/${v4}` } : {}),
    },
    title: cut(attr(i, 'pluginName') || txt(i['plugin_name']) || pluginId, 500),
    description: cut(txt(i['description']) || txt(i['synopsis']), 16 * 1024),
    solution: cut(txt(i['solution']), 16 * 1024),
    raw: cut(
      JSON.stringify({
        pluginID: pluginId,
        port: attr(i, 'port'),
        severity: sev,
        output: txt(i['plugin_output']),
      }),
      8 * 1024,
    ),
  };
}

export async function* parseNessus(input: AsyncIterable<string>): AsyncGenerator<HostBatch> {
  for await (const chunk of xmlChunks(input, { chunks: ['Report/ReportHost'] })) {
    const h = chunk.value;
    const props = new Map(
      arr(arr(h['HostProperties'])[0]?.['tag']).map((t) => [attr(t, 'name'), txt(t)] as [string, string]),
    );
    const name = attr(h, 'name');
    const ip = props.get('host-ip') ?? (IPV4.test(name) ? name : '');
    const hostnames = [props.get('host-fqdn'), props.get('netbios-name'), IPV4.test(name) ? '' : name]
      .filter((x): x is string => !!x)
      .filter((x, k, all) => all.indexOf(x) === k);
    const macs = (props.get('mac-address') ?? '')
      .split(/\s+/)
      .filter((m) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(m));
    const items = arr(h['ReportItem']).map(item);
    const ports = new Map<string, ScanPort>();
    for (const o of items) {
      if (o.port === null || !o.protocol) continue;
      ports.set(`${o.protocol}/${o.port}`, {
        protocol: o.protocol,
        port: o.port,
        state: 'open',
        service: o.service ?? '',
        product: '',
        version: '',
      });
    }
    const ts = numberOrNull(props.get('HOST_START_TIMESTAMP'));
    const start =
      ts !== null
        ? new Date(ts * 1000)
        : props.get('HOST_START')
          ? new Date(props.get('HOST_START') ?? '')
          : null;
    yield {
      host: { ips: ip ? [ip] : [], hostnames, macs, ports: [...ports.values()] },
      // Informational plugins (severity 0: port lists, OS guesses) are inventory, not findings.
      observations: items.filter((o) => o.severity !== 'info'),
      observedAt: start && !Number.isNaN(start.getTime()) ? start : null,
      source: 'nessus',
    };
  }
}
