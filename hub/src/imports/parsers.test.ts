// Every parser on every real fixture ($WATCHPOST_FIXTURES/{nmap,openvas,nessus,trivy,sarif}) with
// counts taken independently from the raw text, and on the hand-made cases in */testdata.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readReport } from './source.js';
import type { HostBatch, ImportFormat } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures =
  process.env['WATCHPOST_FIXTURES'] ?? join(here, '..', '..', '..', '..', 'shared', 'fixtures');

async function collect(format: ImportFormat, path: string): Promise<HostBatch[]> {
  const out: HostBatch[] = [];
  for await (const b of readReport(format, path)) out.push(b);
  return out;
}
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** Expected (batches, observations) straight from the file text, not from the parser. */
const expected: Record<ImportFormat, (text: string) => [number, number]> = {
  nmap: (t) => [
    // <hosthint> (nmap ≥ 7.80) carries a status too and is not a host.
    count(t, /<host(?: [^>]*)?>\s*<status state="up"/g),
    (t.match(/<script id="vulners"[\s\S]*?<\/script>/g) ?? []).reduce(
      (n, s) => n + count(s, /<elem key="id">/g),
      0,
    ),
  ],
  openvas: (t) => [count(t, /<result id=/g), count(t, /<result id=/g)],
  nessus: (t) => [count(t, /<ReportHost /g), count(t, /<ReportItem [^>]*severity="[1-4]"/g)],
  trivy: (t) => {
    const j = JSON.parse(t) as Record<string, unknown>;
    const batches =
      (j['Results'] ? 1 : 0) + ((j['Resources'] ?? j['Vulnerabilities'] ?? []) as unknown[]).length;
    return [batches, count(t, /"VulnerabilityID"/g)];
  },
  sarif: (t) => {
    const runs = (JSON.parse(t) as { runs: { results?: unknown[] }[] }).runs;
    return [runs.length, runs.reduce((n, r) => n + (r.results?.length ?? 0), 0)];
  },
};

const FORMATS: ImportFormat[] = ['nmap', 'openvas', 'nessus', 'trivy', 'sarif'];

describe('scanner parsers on the real fixtures', () => {
  for (const format of FORMATS) {
    const dir = join(fixtures, format);
    if (!existsSync(dir)) {
      it(`${format}: skipped`, { skip: `fixtures not present at ${dir}` }, () => undefined);
      continue;
    }
    for (const file of readdirSync(dir)) {
      it(`${format}/${file}`, async () => {
        const path = join(dir, file);
        const batches = await collect(format, path);
        const [hosts, observations] = expected[format](readFileSync(path, 'utf8'));
        assert.equal(batches.length, hosts, 'host/result batches');
        assert.equal(
          batches.reduce((n, b) => n + b.observations.length, 0),
          observations,
          'observations',
        );
        for (const b of batches) {
          for (const o of b.observations) {
            assert.ok(o.scannerId.length > 0 && o.title.length > 0);
            for (const c of o.cves) assert.match(c, /^CVE-\d{4}-\d{4,}$/);
          }
        }
      });
    }
  }
});

describe('scanner parsers on hand-made reports', () => {
  it('nmap: up hosts only, open and closed ports, one observation per vulners entry', async () => {
    const [b, ...rest] = await collect('nmap', join(here, 'nmap/testdata/handmade-vulners.xml'));
    assert.equal(rest.length, 0, 'the down host is skipped');
    assert.ok(b);
    assert.deepEqual(b.host.ips, ['192.0.2.10']);
    assert.deepEqual(b.host.hostnames, ['dedup-host.example']);
    assert.deepEqual(
      b.host.ports.map((p) => `${p.protocol}/${p.port}/${p.state}`),
      ['tcp/22/open', 'tcp/80/closed'],
    );
    assert.deepEqual(
      b.observations.map((o) => o.cves[0] ?? o.scannerId),
      ['CVE-2023-38408', 'CVE-2021-41617', 'vulners:PACKETSTORM:173661'],
    );
    assert.equal(b.observations[0]?.severity, 'critical');
    assert.equal(b.observations[0]?.port, 22);
    assert.equal(b.observedAt?.toISOString(), new Date(1764100000 * 1000).toISOString());
  });

  it('openvas: CVE refs, v3.1 vector, port and report time; entities decoded once', async () => {
    const batches = await collect('openvas', join(here, 'openvas/testdata/handmade-report.xml'));
    assert.equal(batches.length, 2);
    const o = batches[0]?.observations[0];
    assert.deepEqual(o?.cves, ['CVE-2023-38408']);
    assert.equal(o?.scannerId, 'nvt:1.3.6.1.4.1.25623.1.0.104869');
    assert.equal(o?.title, 'OpenSSH < 9.3p2 ssh-agent RCE');
    assert.equal(o?.description, 'Installed version: 8.2p1 & Fixed version: 9.3p2');
    assert.equal(o?.cvss.v31, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    assert.equal(batches[1]?.observations[0]?.cvss.v31, 'CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H');
    assert.equal(batches[0]?.observedAt?.toISOString(), '2025-11-25T20:00:00.000Z');
    assert.deepEqual(batches[0]?.host.hostnames, ['dedup-host.example']);
  });

  it('nessus: informational items are not findings; port 0 is host-level', async () => {
    const [b] = await collect('nessus', join(here, 'nessus/testdata/handmade-scan.nessus'));
    assert.equal(b?.observations.length, 3);
    assert.deepEqual(
      b?.observations.map((o) => [o.scannerId, o.port]),
      [
        ['nessus:178772', 22],
        ['nessus:158900', 22],
        ['nessus:51192', null],
      ],
    );
    assert.equal(b?.observations[0]?.severity, 'critical');
    assert.equal(b?.observations[0]?.cvss.v31, 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  });

  it('trivy: packages, fixed versions, vendor ids without a CVE', async () => {
    const [b] = await collect('trivy', join(here, 'trivy/testdata/handmade-image.json'));
    assert.deepEqual(b?.host.hostnames, ['registry.example/app:1.0']);
    assert.deepEqual(
      b?.observations.map((o) => [o.scannerId, o.packageName, o.cves.length]),
      [
        ['trivy:CVE-2024-3094', 'xz-utils', 1],
        ['trivy:DLA-3999-1', 'libexample', 0],
      ],
    );
    assert.equal(b?.observations[0]?.fixedVersion, '5.6.1+really5.4.5-1');
  });

  it('sarif: tool name as source, security-severity, fingerprint as location', async () => {
    const [b] = await collect('sarif', join(here, 'sarif/testdata/handmade-run.sarif'));
    assert.equal(b?.source, 'sarif:examplescanner');
    assert.deepEqual(b?.host.hostnames, ['https://git.example/app']);
    assert.equal(b?.observations[0]?.severity, 'high');
    assert.equal(b?.observations[0]?.location, 'primaryLocationLineHash:abc123:1');
    assert.deepEqual(b?.observations[1]?.cves, ['CVE-2022-24785']);
  });
});
