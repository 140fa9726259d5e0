// nmap XML (-oX) → DiscoveredHost, pure. Fed one <host>…</host> fragment at a time by the stream
// splitter (stream.ts), so no DOCTYPE ever reaches the XML parser; entity expansion from a DOCTYPE
// is off as well (fast-xml-parser keeps only the XML and HTML named entities).
import type { watchpost } from '@watchpost/proto';
import { XMLParser } from 'fast-xml-parser';
import { SCAN_LIMITS, TRUNCATED_MARKER } from './spec.js';

type Node = Record<string, unknown>;

const ARRAYS = new Set([
  'host',
  'address',
  'hostname',
  'port',
  'cpe',
  'osmatch',
  'osclass',
  'script',
  'extraports',
  'elem',
  'table',
]);

export const nmapXmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  // The XML/HTML named and numeric entities (&quot; in script output) are decoded. Fragments carry
  // no DOCTYPE, so no declared entity exists to expand; billion-laughs input stays literal text
  // (tested with testdata/handmade-nmap-billion-laughs.xml).
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

function node(x: unknown): Node {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Node) : {};
}
function list(x: unknown): Node[] {
  return Array.isArray(x) ? x.map(node) : x === undefined ? [] : [node(x)];
}
function attr(n: Node, name: string): string {
  const v = n[`@_${name}`];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
function uint(n: Node, name: string): number {
  const v = Number(attr(n, name));
  return Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0;
}
function texts(x: unknown): string[] {
  return (Array.isArray(x) ? x : x === undefined ? [] : [x])
    .map((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : attrText(node(v))))
    .filter((v) => v !== '');
}
function attrText(n: Node): string {
  const t = n['#text'];
  return typeof t === 'string' ? t : '';
}

/** Cuts `text` to the byte budget (UTF-8), marking the cut. */
export function boundOutput(text: string, maxBytes: number = SCAN_LIMITS.maxScriptOutputBytes): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(TRUNCATED_MARKER, 'utf8');
  // toString drops a trailing partial character as U+FFFD; strip it so the output stays clean.
  const head = Buffer.from(text, 'utf8')
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return head + TRUNCATED_MARKER;
}

function scripts(x: unknown): watchpost.v1.IScriptOutput[] {
  return list(x)
    .slice(0, SCAN_LIMITS.maxScriptsPerPort)
    .map((s) => ({ id: attr(s, 'id'), output: boundOutput(attr(s, 'output')) }));
}

function port(p: Node): watchpost.v1.IDiscoveredPort {
  const state = node(p['state']);
  const service = node(p['service']);
  return {
    protocol: attr(p, 'protocol'),
    port: uint(p, 'portid'),
    state: attr(state, 'state'),
    reason: attr(state, 'reason'),
    service: attr(service, 'name'),
    product: attr(service, 'product'),
    version: attr(service, 'version'),
    extraInfo: attr(service, 'extrainfo'),
    tunnel: attr(service, 'tunnel'),
    cpes: texts(service['cpe']),
    scripts: scripts(p['script']),
    confidence: uint(service, 'conf'),
    method: attr(service, 'method'),
    osType: attr(service, 'ostype'),
    deviceType: attr(service, 'devicetype'),
    hostname: attr(service, 'hostname'),
  };
}

function osMatches(os: Node): watchpost.v1.IOsMatch[] {
  // nmap < 5 put <osclass> beside <osmatch>; newer versions nest them. Use the nested ones first.
  const siblingClasses = list(os['osclass']);
  return list(os['osmatch']).map((m) => {
    const classes = list(m['osclass']);
    const first = classes[0] ?? siblingClasses[0] ?? {};
    return {
      name: attr(m, 'name'),
      accuracy: Math.min(100, uint(m, 'accuracy')),
      cpes: classes.flatMap((c) => texts(c['cpe'])),
      family: attr(first, 'osfamily'),
      vendor: attr(first, 'vendor'),
      generation: attr(first, 'osgen'),
      type: attr(first, 'type'),
    };
  });
}

/** One parsed <host> element (an object from nmapXmlParser) → DiscoveredHost. */
export function toDiscoveredHost(host: Node): watchpost.v1.IDiscoveredHost {
  const status = node(host['status']);
  const portsNode = node(host['ports']);
  let closedPorts = 0;
  let filteredPorts = 0;
  for (const extra of list(portsNode['extraports'])) {
    const state = attr(extra, 'state');
    // "closed|filtered" and "open|filtered" count as filtered: nmap could not tell them apart.
    if (state.includes('filtered')) filteredPorts += uint(extra, 'count');
    else if (state === 'closed') closedPorts += uint(extra, 'count');
  }
  return {
    status: attr(status, 'state'),
    statusReason: attr(status, 'reason'),
    addresses: list(host['address']).map((a) => ({
      addr: attr(a, 'addr'),
      type: attr(a, 'addrtype'),
      vendor: attr(a, 'vendor'),
    })),
    hostnames: [...new Set(list(node(host['hostnames'])['hostname']).map((h) => attr(h, 'name')))].filter(
      (h) => h !== '',
    ),
    osMatches: osMatches(node(host['os'])),
    ports: list(portsNode['port']).slice(0, SCAN_LIMITS.maxPortsPerHost).map(port),
    hostScripts: scripts(node(host['hostscript'])['script']),
    weakCredentials: [],
    closedPorts,
    filteredPorts,
  };
}

/** Parses one `<host …>…</host>` fragment. */
export function parseHostFragment(xml: string): watchpost.v1.IDiscoveredHost {
  const doc = node(nmapXmlParser.parse(xml));
  const host = list(doc['host'])[0];
  if (!host) throw new Error('fragment holds no <host> element');
  return toDiscoveredHost(host);
}
