// NVD configuration evaluation: hand-made cases for every bound kind, nested AND/OR, negation,
// running-on platforms and the "no version" trap; then the real NVD records and cpematch data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCpe } from './cpe.js';
import { entryVerdict, evaluateConfigurations, type Platform, type PlatformEntry } from './nvd-config.js';
import { config, cpeMatch, node, recordsOf } from './testing.js';

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? '/work/shared/fixtures';
const entry = (cpe: string, component = '80/tcp'): PlatformEntry => ({
  component,
  cpe: parseCpe(cpe),
  confidence: 'high',
});
const platform = (cpes: string[], knownParts: string[] = []): Platform => ({
  entries: cpes.map((c, i) => entry(c, `${1000 + i}/tcp`)),
  knownParts: new Set(knownParts),
});
const verdictOf = (m: ReturnType<typeof cpeMatch>, target: string) => entryVerdict(m, entry(target));

test('every version bound kind, inclusive and exclusive', () => {
  const crit = 'cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*';
  const range = cpeMatch(crit, { versionStartIncluding: '2.4.0', versionEndExcluding: '2.4.50' });
  assert.equal(verdictOf(range, 'cpe:/a:apache:http_server:2.4.0'), 'yes');
  assert.equal(verdictOf(range, 'cpe:/a:apache:http_server:2.4.49'), 'yes');
  assert.equal(verdictOf(range, 'cpe:/a:apache:http_server:2.4.50'), 'no');
  assert.equal(verdictOf(range, 'cpe:/a:apache:http_server:2.2.34'), 'no');
  const excl = cpeMatch(crit, { versionStartExcluding: '2.4.0', versionEndIncluding: '2.4.50' });
  assert.equal(verdictOf(excl, 'cpe:/a:apache:http_server:2.4.0'), 'no');
  assert.equal(verdictOf(excl, 'cpe:/a:apache:http_server:2.4.50'), 'yes');
  assert.equal(verdictOf(excl, 'cpe:/a:apache:http_server:2.4.51'), 'no');
  const openssl = cpeMatch('cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*', {
    versionStartIncluding: '1.1.1',
    versionEndExcluding: '1.1.1u',
  });
  assert.equal(verdictOf(openssl, 'cpe:/a:openssl:openssl:1.1.1k'), 'yes');
  assert.equal(verdictOf(openssl, 'cpe:/a:openssl:openssl:1.1.1w'), 'no');
});

test('exact criteria versions, wildcards, and the version+update split', () => {
  assert.equal(
    verdictOf(
      cpeMatch('cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*'),
      'cpe:/a:apache:http_server:2.4.49',
    ),
    'yes',
  );
  assert.equal(
    verdictOf(
      cpeMatch('cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*'),
      'cpe:/a:apache:http_server:2.4.50',
    ),
    'no',
  );
  assert.equal(
    verdictOf(cpeMatch('cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*'), 'cpe:/a:openbsd:openssh:9.3p1'),
    'yes',
  );
  assert.equal(
    verdictOf(cpeMatch('cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*'), 'cpe:/a:openbsd:openssh:9.3p2'),
    'no',
  );
  assert.equal(
    verdictOf(cpeMatch('cpe:2.3:a:vendor:prod*:*:*:*:*:*:*:*:*'), 'cpe:/a:vendor:product:1'),
    'yes',
  );
  assert.equal(
    verdictOf(cpeMatch('cpe:2.3:a:other:product:*:*:*:*:*:*:*:*'), 'cpe:/a:vendor:product:1'),
    'no',
  );
});

test('the "no version" trap: unknown target versions never match, even against unbounded criteria', () => {
  const unbounded = cpeMatch('cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*');
  for (const t of [
    'cpe:/a:redis:redis',
    'cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*',
    'cpe:2.3:a:redis:redis:-:*:*:*:*:*:*:*',
  ]) {
    assert.equal(verdictOf(unbounded, t), 'unknown', t);
    const r = evaluateConfigurations([config([node('OR', [unbounded])])], platform([t]));
    assert.equal(r.verdict, 'unknown', t);
  }
  assert.equal(
    verdictOf(unbounded, 'cpe:/a:redis:redis:7.0.11'),
    'yes',
    'a known version: all versions are affected',
  );
  assert.equal(
    verdictOf(
      cpeMatch('cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*', { versionEndExcluding: '7.0.15' }),
      'cpe:/a:redis:redis',
    ),
    'unknown',
  );
});

test('AND of a vulnerable application and a running-on platform', () => {
  const cfg = config(
    [
      node('OR', [cpeMatch('cpe:2.3:a:vendor:app:*:*:*:*:*:*:*:*', { versionEndExcluding: '2.0' })]),
      node('OR', [cpeMatch('cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*', { vulnerable: false })]),
    ],
    'AND',
  );
  assert.equal(
    evaluateConfigurations(
      [cfg],
      platform(['cpe:/a:vendor:app:1.5', 'cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*']),
    ).verdict,
    'yes',
  );
  // The OS is known and is not Windows: no.
  assert.equal(
    evaluateConfigurations([cfg], platform(['cpe:/a:vendor:app:1.5', 'cpe:/o:debian:debian_linux:12'], ['o']))
      .verdict,
    'no',
  );
  // The OS is not known at all: cannot be ruled out, so only a candidate.
  assert.equal(evaluateConfigurations([cfg], platform(['cpe:/a:vendor:app:1.5'])).verdict, 'unknown');
  // The application is fixed: no, whatever the OS.
  assert.equal(evaluateConfigurations([cfg], platform(['cpe:/a:vendor:app:2.0'])).verdict, 'no');
  const r = evaluateConfigurations(
    [cfg],
    platform(['cpe:/a:vendor:app:1.5', 'cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*']),
  );
  assert.deepEqual(
    [...r.components.keys()],
    ['1000/tcp'],
    'only the vulnerable application is the component',
  );
});

test('nested children (legacy 1.1), OR of ANDs, and negation', () => {
  const nested = config([
    node(
      'OR',
      [],
      [
        node('AND', [
          cpeMatch('cpe:2.3:a:v:a:1.0:*:*:*:*:*:*:*'),
          cpeMatch('cpe:2.3:a:v:b:*:*:*:*:*:*:*:*', { vulnerable: false }),
        ]),
        node('AND', [cpeMatch('cpe:2.3:a:v:c:3.0:*:*:*:*:*:*:*')]),
      ],
    ),
  ]);
  assert.equal(evaluateConfigurations([nested], platform(['cpe:/a:v:a:1.0', 'cpe:/a:v:b:9'])).verdict, 'yes');
  assert.equal(
    evaluateConfigurations([nested], platform(['cpe:/a:v:a:1.0'])).verdict,
    'no',
    'an application platform we lack is absent',
  );
  assert.equal(evaluateConfigurations([nested], platform(['cpe:/a:v:c:3.0'])).verdict, 'yes');
  const negated = config([
    node(
      'AND',
      [],
      [
        node('OR', [cpeMatch('cpe:2.3:a:v:a:*:*:*:*:*:*:*:*')]),
        node('OR', [cpeMatch('cpe:2.3:a:v:guard:*:*:*:*:*:*:*:*', { vulnerable: false })], [], true),
      ],
    ),
  ]);
  assert.equal(evaluateConfigurations([negated], platform(['cpe:/a:v:a:1'])).verdict, 'yes');
  assert.equal(
    evaluateConfigurations([negated], platform(['cpe:/a:v:a:1', 'cpe:/a:v:guard:2'])).verdict,
    'no',
  );
});

test('real NVD records: OpenSSH, Apache httpd, OpenSSL, Redis', async (t) => {
  const dir = join(fixtures, 'nvd');
  if (!existsSync(dir)) return t.skip(`no fixtures at ${dir}`);
  const cases: Array<[string, string, 'yes' | 'no' | 'unknown']> = [
    ['fkie-CVE-2023-38408-openssh.json', 'cpe:/a:openbsd:openssh:9.2p1', 'yes'],
    ['fkie-CVE-2023-38408-openssh.json', 'cpe:/a:openbsd:openssh:9.3p1', 'yes'],
    ['fkie-CVE-2023-38408-openssh.json', 'cpe:/a:openbsd:openssh:9.3p2', 'no'],
    ['fkie-CVE-2023-38408-openssh.json', 'cpe:/a:openbsd:openssh', 'unknown'],
    ['fkie-CVE-2021-41773-apache-httpd-kev.json', 'cpe:/a:apache:http_server:2.4.49', 'yes'],
    ['fkie-CVE-2021-41773-apache-httpd-kev.json', 'cpe:/a:apache:http_server:2.4.50', 'no'],
    ['fkie-CVE-2023-2650-openssl.json', 'cpe:/a:openssl:openssl:3.0.8', 'yes'],
    ['fkie-CVE-2023-2650-openssl.json', 'cpe:/a:openssl:openssl:3.0.9', 'no'],
    ['fkie-CVE-2023-2650-openssl.json', 'cpe:/a:openssl:openssl:1.1.1t', 'yes'],
    ['fkie-CVE-2023-2650-openssl.json', 'cpe:/a:openssl:openssl:1.1.1u', 'no'],
    ['fkie-CVE-2023-45145-redis.json', 'cpe:/a:redis:redis:7.0.11', 'yes'],
    ['fkie-CVE-2023-45145-redis.json', 'cpe:/a:redis:redis:7.2.2', 'no'],
  ];
  for (const [file, target, want] of cases) {
    const [rec] = await recordsOf(join(dir, file));
    assert.ok(rec && rec.configurations.length > 0, file);
    assert.equal(
      evaluateConfigurations(rec.configurations, platform([target])).verdict,
      want,
      `${file} ${target}`,
    );
  }
});

test('real NVD cpematch data: every concrete cpeName NVD lists matches its criteria', (t) => {
  const file = join(fixtures, 'cpe', 'nvd-cpematch-api2-CVE-2022-32223.json');
  if (!existsSync(file)) return t.skip(`no fixture ${file}`);
  interface MatchString extends Record<string, unknown> {
    criteria: string;
    matches?: { cpeName: string }[];
  }
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { matchStrings: { matchString: MatchString }[] };
  let checked = 0;
  for (const { matchString: ms } of doc.matchStrings) {
    const m = cpeMatch(ms.criteria, {
      versionStartIncluding: (ms['versionStartIncluding'] as string | undefined) ?? null,
      versionStartExcluding: (ms['versionStartExcluding'] as string | undefined) ?? null,
      versionEndIncluding: (ms['versionEndIncluding'] as string | undefined) ?? null,
      versionEndExcluding: (ms['versionEndExcluding'] as string | undefined) ?? null,
    });
    for (const { cpeName } of ms.matches ?? []) {
      assert.equal(entryVerdict(m, entry(cpeName)), 'yes', `${ms.criteria} ← ${cpeName}`);
      checked++;
    }
  }
  assert.ok(checked > 50, `checked ${checked}`);
});
