// Parser golden tests: every real nmap XML file in the shared fixtures, plus hand-made cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { watchpost } from '@watchpost/proto';
import { fixture, testdata } from '../testing/paths.js';
import { boundOutput } from './parseHost.js';
import { SCAN_LIMITS, TRUNCATED_MARKER } from './spec.js';
import { NmapStreamParser, parseNmapXml, type NmapStreamEvent } from './stream.js';

type Host = watchpost.v1.IDiscoveredHost;

const hostsOf = (events: NmapStreamEvent[]): Host[] =>
  events.flatMap((e) => (e.type === 'host' ? [e.host] : []));
const runstatsOf = (events: NmapStreamEvent[]) =>
  events.flatMap((e) => (e.type === 'runstats' ? [e.stats] : []))[0];
const port = (h: Host | undefined, n: number, proto = 'tcp') =>
  h?.ports?.find((p) => p.port === n && p.protocol === proto);

function loadFixture(t: { skip: (m: string) => void }, name: string): NmapStreamEvent[] | undefined {
  const path = fixture(join('nmap', name));
  if (!path) {
    t.skip(`fixture nmap/${name} not found (set WATCHPOST_FIXTURES)`);
    return undefined;
  }
  return parseNmapXml(readFileSync(path, 'utf8'));
}

test('every shared nmap fixture parses; host count matches the <host> elements and runstats', (t) => {
  const dir = fixture('nmap');
  if (!dir) return t.skip('fixtures nmap/ not found (set WATCHPOST_FIXTURES)');
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  assert.ok(files.length >= 8, `found ${files.length} files`);
  for (const f of files) {
    const xml: string = readFileSync(join(dir, f), 'utf8');
    const events = parseNmapXml(xml);
    const hosts = hostsOf(events);
    assert.equal(hosts.length, (xml.match(/<host[\s>]/g) ?? []).length, f);
    const up = hosts.filter((h) => h.status === 'up').length;
    assert.equal(runstatsOf(events)?.hostsUp, up, f);
    const ports = (xml.match(/<port /g) ?? []).length;
    assert.equal(
      hosts.reduce((n, h) => n + (h.ports?.length ?? 0), 0),
      ports,
      f,
    );
    for (const h of hosts) assert.ok((h.addresses?.length ?? 0) >= 1, `${f}: every host has an address`);
  }
});

test('256-host file: 4 up, 252 down, MAC vendors, OS matches with CPEs, NSE output, progress', (t) => {
  const events = loadFixture(t, 'libnmap-full_sudo6.xml');
  if (!events) return;
  const hosts = hostsOf(events);
  assert.equal(hosts.length, 256);
  assert.equal(hosts.filter((h) => h.status === 'down').length, 252);
  assert.deepEqual(runstatsOf(events), {
    hostsUp: 4,
    hostsDown: 252,
    hostsTotal: 256,
    exit: 'success',
    errorMessage: '',
  });
  const up = hosts.filter((h) => h.status === 'up');
  assert.deepEqual(
    up.map((h) => h.addresses?.find((a) => a.type === 'mac')?.vendor ?? null),
    ['Sagemcom', 'Apple', 'Intel Corporate', null],
  );
  const router = up[0];
  assert.equal(router?.addresses?.find((a) => a.type === 'mac')?.addr, '6C:2E:85:19:AF:00');
  assert.deepEqual(router?.osMatches?.[0], {
    name: 'Linux 2.6.13 (embedded)',
    accuracy: 100,
    cpes: ['cpe:/o:linux:linux_kernel:2.6.13'],
    family: 'Linux',
    vendor: 'Linux',
    generation: '2.6.X',
    type: 'WAP',
  });
  assert.equal(port(router, 23)?.product, 'Sagem router telnetd');
  assert.equal(port(router, 992)?.tunnel, 'ssl');
  assert.deepEqual(
    port(router, 443)?.scripts?.map((s) => s.id),
    ['http-methods', 'http-title', 'ssl-cert', 'ssl-date', 'ssl-known-key', 'sslv2'],
  );
  assert.match(port(router, 443)?.scripts?.find((s) => s.id === 'ssl-cert')?.output ?? '', /Subject:/);
  assert.equal(up[2]?.osMatches?.length, 5);
  assert.equal(up[2]?.filteredPorts, 998);
  assert.deepEqual(
    events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.progress),
    [{ stage: 'NSE', percent: 98, etaMs: 1000 }],
  );
});

test('no-open-port host: closed ports counted from extraports, nothing listed as open', (t) => {
  const events = loadFixture(t, 'nmap-ndiff-random-1.xml');
  if (!events) return;
  const hosts = hostsOf(events);
  assert.equal(hosts.length, 55);
  const silent = hosts.find((h) => h.hostnames?.includes('bzneg-467.example.com'));
  assert.ok(silent);
  assert.deepEqual(silent.ports, []);
  assert.equal(silent.filteredPorts, 1000);
  assert.equal(silent.closedPorts, 0);
  const nas = hosts.find((h) => h.hostnames?.includes('bthpafeg-852.example.com'));
  assert.equal(nas?.osMatches?.length, 10);
  assert.equal(nas?.osMatches?.[0]?.name, 'Buffalo TeraStation NAS device');
  assert.equal(nas?.osMatches?.[0]?.accuracy, 94);
  assert.deepEqual(
    [port(nas, 22)?.product, port(nas, 22)?.version, port(nas, 22)?.extraInfo],
    ['OpenSSH', '4.5', 'protocol 1.99'],
  );
  assert.equal(port(nas, 465)?.tunnel, 'ssl');
  assert.equal(port(nas, 465)?.product, 'Sendmail');
});

test('vulners script output and service CPEs survive (product is not taken from tunnel)', (t) => {
  const events = loadFixture(t, 'defectdojo-nmap_script_vulners.xml');
  if (!events) return;
  const [host] = hostsOf(events);
  const ssh = port(host, 5022);
  assert.deepEqual(
    [ssh?.service, ssh?.product, ssh?.version, ssh?.extraInfo, ssh?.cpes, ssh?.confidence, ssh?.method],
    ['ssh', 'OpenSSH', '7.4', 'protocol 2.0', ['cpe:/a:openbsd:openssh:7.4'], 10, 'probed'],
  );
  assert.equal(ssh?.scripts?.[0]?.id, 'vulners');
  assert.match(ssh?.scripts?.[0]?.output ?? '', /CVE-/);
});

test('big -sV file: ssl tunnels keep their product, long NSE output is kept under the bound', (t) => {
  const events = loadFixture(t, 'defectdojo-issue4406.xml');
  if (!events) return;
  const [host] = hostsOf(events);
  assert.equal(host?.ports?.length, 25);
  assert.equal(host?.closedPorts, 65510);
  const kubelet = port(host, 10250);
  assert.deepEqual(
    [kubelet?.product, kubelet?.tunnel, kubelet?.cpes],
    ['Golang net/http server', 'ssl', ['cpe:/a:protocol_labs:go-ipfs']],
  );
  assert.equal(port(host, 30367)?.version, '5.7.32');
  const vulners = port(host, 22)?.scripts?.find((s) => s.id === 'vulners')?.output ?? '';
  assert.ok(vulners.length > 4000 && Buffer.byteLength(vulners) <= SCAN_LIMITS.maxScriptOutputBytes);
});

test('every hostname, user-set and PTR, is kept', (t) => {
  const events = loadFixture(t, 'defectdojo-issue12411.xml');
  if (!events) return;
  const [first] = hostsOf(events);
  assert.deepEqual(first?.hostnames, ['google.com', 'par10s10-in-f238.1e100.net', 'lalala']);
  assert.equal(first?.statusReason, 'user-set');
});

test('old nmap OS format (osclass beside osmatch) and host scripts', (t) => {
  const events = loadFixture(t, 'nmap-ndiff-complex.xml');
  if (!events) return;
  const [host] = hostsOf(events);
  assert.deepEqual(
    host?.hostScripts?.map((s) => s.id),
    ['whois'],
  );
  assert.equal(host?.osMatches?.[0]?.family, 'Linux');
  assert.equal(port(host, 53, 'udp')?.product, 'ISC BIND');
  assert.equal(port(host, 53, 'udp')?.state, 'open');
});

test('dionaea: MAC address, two hostnames, OS CPEs, many scripts per port', (t) => {
  const events = loadFixture(t, 'libnmap-dionaea_scan.xml');
  if (!events) return;
  const [host] = hostsOf(events);
  assert.deepEqual(host?.hostnames, ['dionaea', 'dionaea.libnmap-testing_testing_net']);
  assert.equal(host?.addresses?.find((a) => a.type === 'mac')?.addr, '02:42:AC:1C:01:03');
  assert.deepEqual(host?.osMatches?.[0]?.cpes, [
    'cpe:/o:linux:linux_kernel:4',
    'cpe:/o:linux:linux_kernel:5',
  ]);
  assert.equal(port(host, 80)?.scripts?.length, 9);
  assert.equal(port(host, 1883)?.service, 'mqtt');
});

test('libnmap 2 hosts: localhost and scanme, OS matches without CPEs', (t) => {
  const events = loadFixture(t, 'libnmap-2_hosts_version.xml');
  if (!events) return;
  const hosts = hostsOf(events);
  assert.deepEqual(
    hosts.map((h) => h.hostnames),
    [['localhost'], ['scanme.nmap.org']],
  );
  assert.equal(hosts[0]?.addresses?.[0]?.addr, '127.0.0.1');
  assert.equal(hosts[1]?.osMatches?.length, 10);
  assert.equal(port(hosts[1], 25)?.reason, 'admin-prohibited');
});

test('hand-made IPv6 host: every DiscoveredHost field', () => {
  const events = parseNmapXml(readFileSync(testdata('handmade-nmap-ipv6-mixed.xml'), 'utf8'));
  const hosts = hostsOf(events);
  assert.equal(hosts.length, 2, 'the <hosthint> is not a host');
  const [h, down] = hosts;
  assert.deepEqual(h, {
    status: 'up',
    statusReason: 'nd-response',
    addresses: [
      { addr: '2001:db8::5', type: 'ipv6', vendor: '' },
      { addr: '02:00:5E:10:00:01', type: 'mac', vendor: 'IETF & IANA' },
    ],
    hostnames: ['db.example.test', 'db-1.example.test'],
    osMatches: [
      {
        name: 'Linux 5.0 - 5.14',
        accuracy: 98,
        cpes: ['cpe:/o:linux:linux_kernel:5'],
        family: 'Linux',
        vendor: 'Linux',
        generation: '5.X',
        type: 'general purpose',
      },
      {
        name: 'MikroTik RouterOS 7.2 - 7.5 (Linux 5.6.3)',
        accuracy: 91,
        cpes: ['cpe:/o:mikrotik:routeros:7', 'cpe:/o:linux:linux_kernel:5.6.3'],
        family: 'RouterOS',
        vendor: 'MikroTik',
        generation: '7.X',
        type: 'router',
      },
    ],
    ports: [
      {
        protocol: 'tcp',
        port: 443,
        state: 'open',
        reason: 'syn-ack',
        service: 'https',
        product: 'nginx',
        version: '1.24.0',
        extraInfo: 'Ubuntu',
        tunnel: 'ssl',
        cpes: ['cpe:/a:igor_sysoev:nginx:1.24.0', 'cpe:/o:linux:linux_kernel'],
        scripts: [
          { id: 'http-title', output: 'Say "hi" <admin> \u263A' },
          { id: 'ssl-cert', output: 'Subject: commonName=db.example.test' },
        ],
        confidence: 10,
        method: 'probed',
        osType: 'Linux',
        deviceType: '',
        hostname: '',
      },
      {
        protocol: 'tcp',
        port: 5432,
        state: 'open',
        reason: 'syn-ack',
        service: 'postgresql',
        product: 'PostgreSQL DB',
        version: '9.6.0 or later',
        extraInfo: '',
        tunnel: '',
        cpes: ['cpe:/a:postgresql:postgresql'],
        scripts: [],
        confidence: 10,
        method: 'probed',
        osType: '',
        deviceType: 'storage-misc',
        hostname: 'db',
      },
      {
        protocol: 'tcp',
        port: 6000,
        state: 'closed',
        reason: 'reset',
        service: 'X11',
        product: '',
        version: '',
        extraInfo: '',
        tunnel: '',
        cpes: [],
        scripts: [],
        confidence: 3,
        method: 'table',
        osType: '',
        deviceType: '',
        hostname: '',
      },
      {
        protocol: 'udp',
        port: 53,
        state: 'open|filtered',
        reason: 'no-response',
        service: 'domain',
        product: '',
        version: '',
        extraInfo: '',
        tunnel: '',
        cpes: [],
        scripts: [],
        confidence: 3,
        method: 'table',
        osType: '',
        deviceType: '',
        hostname: '',
      },
    ],
    hostScripts: [{ id: 'address-info', output: 'IPv6 EUI-64: MAC address: 02:00:5e:10:00:01' }],
    weakCredentials: [],
    closedPorts: 990,
    filteredPorts: 7,
  });
  assert.equal(down?.status, 'down');
  assert.deepEqual(
    events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.progress),
    [
      { stage: 'Ping Scan', percent: 12, etaMs: 21_000 },
      { stage: 'SYN Stealth Scan', percent: 55, etaMs: 9_000 },
    ],
  );
  assert.deepEqual(runstatsOf(events), {
    hostsUp: 1,
    hostsDown: 1,
    hostsTotal: 2,
    exit: 'success',
    errorMessage: '',
  });
});

test('billion laughs: DOCTYPE entities are never expanded', () => {
  const xml = readFileSync(testdata('handmade-nmap-billion-laughs.xml'), 'utf8');
  const [host] = hostsOf(parseNmapXml(xml));
  assert.deepEqual(host?.hostnames, ['&lol9;', '&plain;']);
  assert.equal(port(host, 80)?.product, '&lol9;');
  assert.equal(port(host, 80)?.scripts?.[0]?.output, '&lol9;&');
});

test('streaming: hosts come out as each </host> arrives, whatever the chunk boundaries', (t) => {
  const xml = readFileSync(testdata('handmade-nmap-ipv6-mixed.xml'), 'utf8');
  const whole = parseNmapXml(xml);
  for (const size of [1, 7, 64, 1000]) {
    const parser = new NmapStreamParser();
    const events: NmapStreamEvent[] = [];
    for (let i = 0; i < xml.length; i += size) events.push(...parser.push(xml.slice(i, i + size)));
    assert.deepEqual(events, whole, `chunk size ${size}`);
  }
  // The first host is emitted as soon as its closing tag is in, before the rest of the stream.
  const parser = new NmapStreamParser();
  const cut = xml.indexOf('</host>') + '</host>'.length;
  assert.deepEqual(
    parser.push(xml.slice(0, cut)).map((e) => e.type),
    ['progress', 'progress', 'host'],
  );
  const big = fixture('nmap/libnmap-full_sudo6.xml');
  if (!big) return t.skip('fixture nmap/libnmap-full_sudo6.xml not found');
  const text = readFileSync(big, 'utf8');
  const chunked = new NmapStreamParser();
  const out: NmapStreamEvent[] = [];
  for (let i = 0; i < text.length; i += 333) out.push(...chunked.push(text.slice(i, i + 333)));
  assert.deepEqual(out, parseNmapXml(text));
});

test('script output is bounded to 8 KiB in UTF-8 with a marker', () => {
  assert.equal(boundOutput('short'), 'short');
  const long = '\u00e9'.repeat(10_000);
  const cut = boundOutput(long);
  assert.ok(Buffer.byteLength(cut) <= SCAN_LIMITS.maxScriptOutputBytes);
  assert.ok(cut.endsWith(TRUNCATED_MARKER));
  assert.ok(!cut.includes('\uFFFD'));
  const xml = `<host><status state="up" reason="x"/><address addr="127.0.0.1" addrtype="ipv4"/><hostscript><script id="big" output="${'A'.repeat(20_000)}"/></hostscript></host>`;
  const [host] = hostsOf(parseNmapXml(xml));
  assert.equal(Buffer.byteLength(host?.hostScripts?.[0]?.output ?? ''), SCAN_LIMITS.maxScriptOutputBytes);
});
