// Every intel fixture in $WATCHPOST_FIXTURES (nvd, cve5, osv, debian-tracker, kev, epss) through
// the real readers: record counts and field checks against the files' actual content. JSON
// Schemas and the NVD .meta / DSA list text shipped beside the feeds are not feeds: refused.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isHubError } from '../../platform/errors.js';
import type { VulnRecord } from '../store-api.js';
import { openFeed, type FeedItem } from './index.js';

const root = process.env['WATCHPOST_FIXTURES'] ?? '/work/shared/fixtures';
const present = existsSync(join(root, 'nvd'));
if (!present) console.log(`# skipping intel fixture tests: ${root} not found (set WATCHPOST_FIXTURES)`);

const NOT_FEEDS = new Set([
  'nvd/schema-cve_api_json_2.0.schema',
  'nvd/feed2-nvdcve-2.0-2022.meta',
  'osv/osv-schema.json',
  'kev/known_exploited_vulnerabilities_schema.json',
  'debian-tracker/vunnel-DSA-list',
]);

async function items(rel: string): Promise<{ format: string; all: FeedItem[] }> {
  const feed = await openFeed(join(root, rel));
  const all: FeedItem[] = [];
  for await (const it of feed.items) all.push(it);
  return { format: feed.format, all };
}
const vulns = (all: FeedItem[]): VulnRecord[] => all.flatMap((i) => (i.kind === 'vuln' ? [i.record] : []));

describe('intel readers on the real fixture files', { skip: !present }, () => {
  const dirs = ['nvd', 'cve5', 'osv', 'debian-tracker', 'kev', 'epss'];
  const files = present ? dirs.flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`)) : [];

  test('every fixture file is read (or, for schemas/meta/text, refused as not a feed)', async () => {
    const expected: Record<string, [string, number]> = {
      'nvd/api2-osvdev-test-13cves.json': ['nvd2', 13],
      'nvd/feed2-nvdcve-2.0-2022-trimmed.json': ['nvd2', 3],
      'debian-tracker/vunnel-debian-tracker.json': ['debian-tracker', 7],
      'kev/known_exploited_vulnerabilities.json': ['kev', 1404],
      'epss/epss_scores-2026-09-29-first100rows.csv': ['epss', 100],
    };
    assert.ok(files.length >= 30, `found ${files.length} files`);
    for (const rel of files) {
      if (NOT_FEEDS.has(rel)) {
        await assert.rejects(
          items(rel),
          (e: unknown) => isHubError(e) && e.code === 'INTEL_FORMAT_UNKNOWN',
          rel,
        );
        continue;
      }
      const { format, all } = await items(rel);
      assert.equal(all.filter((i) => i.kind === 'invalid').length, 0, `${rel}: no invalid records`);
      const [fmt, count] = expected[rel] ?? [rel.split('/')[0] === 'nvd' ? 'nvd2' : rel.split('/')[0], 1];
      assert.equal(format, fmt, rel);
      assert.equal(all.length, count, rel);
    }
  });

  test('NVD: yearly feed ids, KEV fields of CVE-2021-41773, OpenSSL ranges of CVE-2023-2650', async () => {
    assert.deepEqual(
      vulns((await items('nvd/feed2-nvdcve-2.0-2022-trimmed.json')).all).map((r) => r.id),
      ['CVE-2022-0001', 'CVE-2022-0002', 'CVE-2022-0004'],
    );
    const [httpd] = vulns((await items('nvd/fkie-CVE-2021-41773-apache-httpd-kev.json')).all);
    assert.deepEqual(httpd?.kevHint, { dateAdded: '2021-11-03', dueDate: '2021-11-17' });
    assert.equal(httpd?.cvss.find((m) => m.version === '3.1')?.baseScore, 7.5);
    const [ossl] = vulns((await items('nvd/fkie-CVE-2023-2650-openssl.json')).all);
    const matches = ossl?.configurations.flatMap((c) => c.nodes.flatMap((n) => n.cpeMatch)) ?? [];
    assert.deepEqual(
      matches
        .filter((m) => m.criteria.includes(':openssl:openssl:'))
        .map((m) => [m.versionStartIncluding, m.versionEndExcluding]),
      [
        ['1.0.2', '1.0.2zh'],
        ['1.1.1', '1.1.1u'],
        ['3.0.0', '3.0.9'],
        ['3.1.0', '3.1.1'],
      ],
    );
    assert.ok(matches.some((m) => m.criteria === 'cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*'));
    const ids = vulns((await items('nvd/api2-osvdev-test-13cves.json')).all).map((r) => r.id);
    assert.ok(ids.includes('CVE-2024-31497') && ids.includes('CVE-2018-14618'));
  });

  test('CVE 5: CISA-ADP SSVC of regreSSHion, ADP CPE ranges of the PostgreSQL record', async () => {
    const [ssh] = vulns((await items('cve5/vulnrichment-CVE-2024-6387.json')).all);
    assert.deepEqual(ssh?.ssvc, { exploitation: 'poc', automatable: 'no', technicalImpact: 'total' });
    const [pg] = vulns((await items('cve5/vulnrichment-CVE-2024-7348.json')).all);
    const ends = pg?.configurations.flatMap((c) =>
      c.nodes.flatMap((n) => n.cpeMatch.map((m) => m.versionEndExcluding)),
    );
    assert.deepEqual(ends, ['12.20', '13.16', '14.13', '15.8', '16.4']);
    assert.equal(pg?.modified, '2024-08-22T18:03:18.699Z');
  });

  test('OSV: Alpine fixed versions, the DSA alias, Ubuntu unfixed verdicts', async () => {
    const [alpine] = vulns((await items('osv/dependencytrack-osv-CVE-2016-10012.json')).all);
    const v310 = alpine?.distroFixes.find((f) => f.ecosystem === 'Alpine:v3.10');
    assert.deepEqual(
      [v310?.sourcePackage, v310?.state, v310?.fixedVersion],
      ['openssh', 'fixed', '7.4_p1-r0'],
    );
    const [dsa] = vulns((await items('osv/osvdev-DSA-3029-1.json')).all);
    assert.deepEqual(dsa?.aliases, ['CVE-2014-3616']);
    assert.equal(dsa?.distroFixes[0]?.fixedVersion, '1.2.1-2.2+wheezy3');
    const [ubuntu] = vulns((await items('osv/dependencytrack-osv-UBUNTU-CVE-2025-6297.json')).all);
    const trusty = ubuntu?.distroFixes.find((f) => f.ecosystem === 'Ubuntu:Pro:14.04:LTS');
    assert.equal(trusty?.state, 'unfixed');
    assert.deepEqual(ubuntu?.aliases, ['CVE-2025-6297']);
  });

  test('Debian tracker, KEV and EPSS field checks', async () => {
    const deb = vulns((await items('debian-tracker/vunnel-debian-tracker.json')).all);
    const chromium = deb.find((r) => r.id === 'CVE-2022-0456');
    assert.deepEqual(
      chromium?.distroFixes.map((f) => [f.ecosystem, f.state, f.fixedVersion]),
      [
        ['Debian:12', 'fixed', '98.0.4758.80-1'],
        ['Debian:11', 'fixed', '98.0.4758.80-1~deb11u1'],
        ['Debian:10', 'unfixed', null],
        ['Debian:sid', 'fixed', '98.0.4758.80-1'],
        ['Debian:9', 'unfixed', null],
      ],
    );
    const proto = deb.find((r) => r.id === 'CVE-2007-2383');
    assert.ok(proto?.distroFixes.every((f) => f.state === 'not_affected'));
    const kev = (await items('kev/known_exploited_vulnerabilities.json')).all.flatMap((i) =>
      i.kind === 'kev' ? [i.entry] : [],
    );
    assert.equal(kev.filter((k) => k.knownRansomwareCampaignUse === 'Known').length, 293);
    const httpd = kev.find((k) => k.cve === 'CVE-2021-41773');
    assert.deepEqual([httpd?.dateAdded, httpd?.dueDate], ['2021-11-03', '2021-11-17']);
    const epss = (await items('epss/epss_scores-2026-09-29-first100rows.csv')).all.flatMap((i) =>
      i.kind === 'epss' ? [i.score] : [],
    );
    assert.deepEqual(epss[1], {
      cve: 'CVE-1999-0002',
      score: 0.27858,
      percentile: 0.98037,
      date: '2026-09-29',
      modelVersion: 'v2026.06.15',
    });
    assert.equal(epss.at(-1)?.cve, 'CVE-1999-0101');
  });
});
