// Feed readers on hand-made files (every format), format detection, OSV archives built here,
// and broken input: a syntax error mid-file is INTEL_FEED_INVALID with a byte position.
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { describe, test } from 'node:test';
import tarStream from 'tar-stream';
import yazl from 'yazl';
import { isHubError } from '../../platform/errors.js';
import type { FeedFormat, VulnRecord } from '../store-api.js';
import { detectFormat, openFeed, type FeedItem } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = (name: string) => join(here, 'testdata', name);
const tmp = mkdtempSync(join(tmpdir(), 'wp-intel-feeds-'));

async function readAll(
  file: string,
  format?: FeedFormat,
): Promise<{ format: FeedFormat; items: FeedItem[] }> {
  const feed = await openFeed(file, format);
  const items: FeedItem[] = [];
  for await (const it of feed.items) items.push(it);
  return { format: feed.format, items };
}
const vulns = (items: FeedItem[]): VulnRecord[] =>
  items.flatMap((i) => (i.kind === 'vuln' ? [i.record] : []));

describe('intel feed readers (hand-made files)', () => {
  test('NVD 2.0 page: metrics, CWE, KEV hint, AND/OR configuration with bounds, UTC dates', async () => {
    const { format, items } = await readAll(data('handmade-nvd2-page.json'));
    assert.equal(format, 'nvd2');
    const [a, b] = vulns(items);
    assert.ok(a && b);
    assert.equal(a.id, 'CVE-2099-0001');
    assert.equal(a.published, '2099-01-02T03:04:05.678Z');
    assert.equal(a.description, 'Buffer overflow in exampled before 2.4.1 on Example OS.');
    assert.deepEqual(
      a.cvss.map((m) => [m.version, m.baseScore, m.type]),
      [
        ['4.0', 9.3, 'Secondary'],
        ['3.1', 9.8, 'Primary'],
      ],
    );
    assert.deepEqual(a.cwes, ['CWE-787']);
    assert.deepEqual(a.kevHint, { dateAdded: '2099-01-10', dueDate: '2099-01-31' });
    const conf = a.configurations[0];
    assert.equal(conf?.operator, 'AND');
    assert.equal(conf?.nodes.length, 2);
    const m = conf?.nodes[0]?.cpeMatch[0];
    assert.equal(m?.versionStartIncluding, '2.0');
    assert.equal(m?.versionEndExcluding, '2.4.1');
    assert.equal(m?.versionEndIncluding, null);
    assert.equal(conf?.nodes[1]?.cpeMatch[0]?.vulnerable, false);
    assert.equal(b.cvss.length, 0);
  });

  test('legacy NVD 1.1: nested children nodes, v3 + v2 metrics', async () => {
    const { format, items } = await readAll(data('handmade-nvd1.json'));
    assert.equal(format, 'nvd1');
    const [r] = vulns(items);
    assert.equal(r?.id, 'CVE-2098-0100');
    assert.deepEqual(
      r?.cvss.map((m) => m.version),
      ['3.1', '2.0'],
    );
    const top = r?.configurations[0]?.nodes[0];
    assert.equal(top?.operator, 'AND');
    assert.equal(top?.children.length, 2);
    assert.equal(top?.children[0]?.cpeMatch[0]?.versionEndIncluding, '1.9');
    assert.equal(r?.modified, '2098-06-01T11:00:00.000Z');
  });

  test('CVE 5: CNA + CISA-ADP metrics, SSVC, KEV, ADP cpes as configurations', async () => {
    const { format, items } = await readAll(data('handmade-cve5.json'));
    assert.equal(format, 'cve5');
    const [r] = vulns(items);
    assert.equal(r?.id, 'CVE-2097-0005');
    assert.deepEqual(r?.ssvc, { exploitation: 'active', automatable: 'yes', technicalImpact: 'partial' });
    assert.deepEqual(r?.kevHint, { dateAdded: '2097-01-03', dueDate: null });
    assert.equal(r?.cvss[0]?.source, 'ExampleCNA');
    const matches = r?.configurations[0]?.nodes[0]?.cpeMatch ?? [];
    assert.equal(matches.length, 2);
    assert.equal(matches[0]?.versionStartIncluding, '1.0');
    assert.equal(matches[0]?.versionEndExcluding, '1.5');
    assert.equal(matches[1]?.criteria, 'cpe:2.3:a:example:server:2.0.1:*:*:*:*:*:*:*');
    assert.equal(r?.references.length, 2, 'duplicate URLs across containers are merged');
  });

  test('OSV array: distro verdicts (fixed / unfixed), SEMVER last_affected, upper-cased CVE aliases', async () => {
    const { format, items } = await readAll(data('handmade-osv-array.json'));
    assert.equal(format, 'osv');
    const [dsa, ghsa] = vulns(items);
    assert.deepEqual(dsa?.aliases, ['CVE-2096-0007']);
    assert.deepEqual(
      dsa?.distroFixes.map((f) => [f.ecosystem, f.sourcePackage, f.state, f.fixedVersion]),
      [
        ['Debian:12', 'exampled', 'fixed', '1:2.4.1-1+deb12u1'],
        ['Debian:11', 'exampled', 'unfixed', null],
      ],
    );
    assert.equal(ghsa?.distroFixes.length, 0, 'PyPI is not a distro');
    assert.deepEqual(ghsa?.affected[0]?.ranges[0], {
      type: 'SEMVER',
      repo: null,
      events: [{ introduced: '1.0.0' }, { last_affected: '1.2.3' }],
    });
    assert.equal(ghsa?.cvss[0]?.baseScore, null, 'OSV carries vectors only');
    assert.deepEqual(ghsa?.cwes, ['CWE-502']);
  });

  test('Debian tracker: one record per (CVE, package), release numbers, not-affected and unfixed', async () => {
    const { format, items } = await readAll(data('handmade-debian-tracker.json'));
    assert.equal(format, 'debian-tracker');
    assert.deepEqual(
      items.map((i) => (i.kind === 'vuln' ? i.key : i.kind)),
      ['CVE-2096-0007|exampled', 'CVE-2096-0009|otherpkg', 'CVE-2096-0010|otherpkg'],
    );
    const fixes = vulns(items)[0]?.distroFixes ?? [];
    assert.deepEqual(
      fixes.map((f) => [f.ecosystem, f.release, f.state, f.fixedVersion, f.urgency]),
      [
        ['Debian:12', 'bookworm', 'fixed', '1:2.4.1-1+deb12u1', 'medium'],
        ['Debian:11', 'bullseye', 'unfixed', null, 'low'],
        ['Debian:sid', 'sid', 'not_affected', null, 'unimportant'],
      ],
    );
    assert.equal(vulns(items)[1]?.distroFixes[0]?.state, 'undetermined');
  });

  test('KEV: entries, and a record without a usable id counted as invalid with its position', async () => {
    const { format, items } = await readAll(data('handmade-kev.json'));
    assert.equal(format, 'kev');
    const kev = items.find((i) => i.kind === 'kev');
    assert.equal(kev?.kind === 'kev' && kev.entry.knownRansomwareCampaignUse, 'Known');
    const bad = items.find((i) => i.kind === 'invalid');
    assert.match(bad?.kind === 'invalid' ? bad.position : '', /handmade-kev\.json record #2$/);
  });

  test('EPSS CSV: model version and score date from the first line; out-of-range rows invalid', async () => {
    const { format, items } = await readAll(data('handmade-epss.csv'));
    assert.equal(format, 'epss');
    const scores = items.flatMap((i) => (i.kind === 'epss' ? [i.score] : []));
    assert.deepEqual(scores[0], {
      cve: 'CVE-2099-0001',
      score: 0.94512,
      percentile: 0.99876,
      date: '2099-01-15',
      modelVersion: 'v2099.01.01',
    });
    assert.equal(scores.length, 2);
    assert.equal(items.filter((i) => i.kind === 'invalid').length, 1);
  });

  test('EPSS without its #model_version line is refused', async () => {
    const f = join(tmp, 'no-header.csv');
    writeFileSync(f, 'cve,epss,percentile\nCVE-2099-0001,0.1,0.2\n');
    await assert.rejects(readAll(f), (e: unknown) => isHubError(e) && e.code === 'INTEL_FEED_INVALID');
  });

  test('OSV zip and tar.gz archives built here: every .json member read, broken members counted', async () => {
    const records = JSON.parse(readFileSync(data('handmade-osv-array.json'), 'utf8')) as unknown[];
    const zipFile = join(tmp, 'osv.zip');
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(JSON.stringify(records[0])), 'DSA-9999-1.json');
    zip.addBuffer(Buffer.from(JSON.stringify(records[1])), 'nested/GHSA-xxxx-yyyy-zzzz.json');
    zip.addBuffer(Buffer.from('{"id": "BROKEN-1", '), 'BROKEN-1.json');
    zip.addBuffer(Buffer.from('not json, not read'), 'README.txt');
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(zipFile));
    const z = await readAll(zipFile);
    assert.equal(z.format, 'osv-zip');
    assert.deepEqual(
      vulns(z.items).map((r) => r.id),
      ['DSA-9999-1', 'GHSA-xxxx-yyyy-zzzz'],
    );
    const bad = z.items.filter((i) => i.kind === 'invalid');
    assert.equal(bad.length, 1);
    assert.match(bad[0]?.kind === 'invalid' ? bad[0].position : '', /osv\.zip!BROKEN-1\.json$/);

    const tarFile = join(tmp, 'osv.tar.gz');
    const pack = tarStream.pack();
    pack.entry({ name: 'osv/DSA-9999-1.json' }, JSON.stringify(records[0]));
    pack.entry({ name: 'osv/all.json' }, JSON.stringify(records));
    pack.finalize();
    await pipeline(pack, createGzip(), createWriteStream(tarFile));
    const t = await readAll(tarFile);
    assert.equal(t.format, 'osv-tar');
    assert.deepEqual(
      vulns(t.items).map((r) => r.id),
      ['DSA-9999-1', 'DSA-9999-1', 'GHSA-xxxx-yyyy-zzzz'],
    );
  });

  test('malformed JSON in the middle: records before it are yielded, then INTEL_FEED_INVALID with a byte offset', async () => {
    const page = readFileSync(data('handmade-nvd2-page.json'), 'utf8');
    const cut = page.indexOf('{\n      "cve": {\n        "id": "CVE-2099-0002"');
    const f = join(tmp, 'broken.json');
    writeFileSync(f, `${page.slice(0, cut)}{ "cve": { "id": "CVE-2099-0003", ]]] }`);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const it of (await openFeed(f)).items) if (it.kind === 'vuln') seen.push(it.record.id);
      })(),
      (e: unknown) =>
        isHubError(e) &&
        e.code === 'INTEL_FEED_INVALID' &&
        /broken\.json: invalid JSON near byte \d+ \(\d+ records read before it\)/.test(e.message),
    );
    // The whole file fits one read chunk, so the error may overtake the record before it.
    assert.ok(seen.every((id) => id === 'CVE-2099-0001'));
  });

  test('format detection and the explicit override', async () => {
    assert.equal(detectFormat(Buffer.from('{"$schema": "x", "definitions": {}}')), null);
    assert.equal(detectFormat(Buffer.from('hello')), null);
    assert.equal(detectFormat(Buffer.from('[{"id": "GHSA-1", "modified": "2020-01-01T00:00:00Z"}]')), 'osv');
    assert.equal(detectFormat(Buffer.from('{"id": "CVE-1-2", "sourceIdentifier": "x"}')), 'nvd2');
    const f = join(tmp, 'bare.json');
    writeFileSync(
      f,
      JSON.stringify({ id: 'GHSA-abcd-efgh-ijkl', modified: '2020-01-01T00:00:00Z', affected: [] }),
    );
    assert.equal((await readAll(f, 'osv')).items.length, 1);
    const unknown = join(tmp, 'unknown.txt');
    writeFileSync(unknown, 'plain text');
    await assert.rejects(
      readAll(unknown),
      (e: unknown) => isHubError(e) && e.code === 'INTEL_FORMAT_UNKNOWN',
    );
  });
});
