// The memoised evaluation of complex configurations must give exactly what evaluateConfigurations
// gives on the whole host, for every host, while computing each distinct combination once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCached, newComplexCache } from './complex.js';
import { parseCpe } from './cpe.js';
import type { ProductVulns } from './lookup.js';
import { evaluateConfigurations, type Platform, type PlatformEntry } from './nvd-config.js';
import { config, cpeMatch, node, recordsOf } from './testing.js';

const fixtures = process.env['WATCHPOST_FIXTURES'] ?? '/work/shared/fixtures';
const entry = (cpe: string, component: string): PlatformEntry => ({
  component,
  cpe: parseCpe(cpe),
  confidence: 'high',
});
const host = (services: Array<[string, string]>, os: string | null): Platform => ({
  entries: [...services.map(([c, port]) => entry(c, port)), ...(os ? [entry(os, 'os')] : [])],
  knownParts: new Set(os ? ['o'] : []),
});
const plain = (r: ReturnType<typeof evaluateConfigurations>) => ({
  verdict: r.verdict,
  components: [...r.components].map(([k, v]) => [k, v.entry, v.match.criteria]),
});

// httpd < 2.4.50 running on Debian 11 (AND with a platform node), plus a negated OR.
const httpdOnDebian: ProductVulns = {
  vulnId: 'CVE-HANDMADE-1',
  configurations: [
    config(
      [
        node('OR', [
          cpeMatch('cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*', { versionEndExcluding: '2.4.50' }),
        ]),
        node('OR', [cpeMatch('cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*', { vulnerable: false })]),
      ],
      'AND',
    ),
  ],
};

const hosts: Platform[] = [
  host([['cpe:/a:apache:http_server:2.4.49', '80/tcp']], 'cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*'),
  host(
    [['cpe:/a:apache:http_server:2.4.49', '8080/tcp']],
    'cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*',
  ),
  host([['cpe:/a:apache:http_server:2.4.49', '443/tcp']], 'cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*'),
  host([['cpe:/a:apache:http_server:2.4.49', '80/tcp']], null),
  host([['cpe:/a:apache:http_server:2.4.51', '80/tcp']], 'cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*'),
  host(
    [
      ['cpe:/a:apache:http_server:2.4.49', '80/tcp'],
      ['cpe:/a:apache:http_server:2.4.10', '81/tcp'],
      ['cpe:/a:nginx:nginx:1.20.0', '82/tcp'],
    ],
    'cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*',
  ),
];

test('memoised verdicts equal whole-host evaluation, ports re-targeted per host', () => {
  const cache = newComplexCache();
  for (const h of hosts) {
    assert.deepEqual(
      plain(evaluateCached(httpdOnDebian, h, cache)),
      plain(evaluateConfigurations(httpdOnDebian.configurations, h)),
    );
  }
  const first = evaluateCached(httpdOnDebian, hosts[1] as Platform, cache);
  assert.equal(first.verdict, 'yes');
  assert.deepEqual([...first.components.keys()], ['8080/tcp']);
  assert.equal(evaluateCached(httpdOnDebian, hosts[2] as Platform, cache).verdict, 'no');
  assert.equal(evaluateCached(httpdOnDebian, hosts[3] as Platform, cache).verdict, 'unknown');
  // Hosts 0 and 1 differ only in the port: one cached verdict serves both.
  const keys = [...cache.verdicts.keys()];
  assert.equal(keys.length, 5);
});

test('a wildcard criteria is evaluated on the whole host, not memoised', () => {
  const wild: ProductVulns = {
    vulnId: 'CVE-HANDMADE-2',
    configurations: [config([node('OR', [cpeMatch('cpe:2.3:a:*:http_server:*:*:*:*:*:*:*:*')])])],
  };
  const cache = newComplexCache();
  for (const h of hosts)
    assert.deepEqual(
      plain(evaluateCached(wild, h, cache)),
      plain(evaluateConfigurations(wild.configurations, h)),
    );
  assert.equal(cache.verdicts.size, 0);
});

test('real NVD configurations: memoised equals whole-host on hosts built from their criteria', async (t) => {
  const dir = join(fixtures, 'nvd');
  if (!existsSync(dir)) return t.skip(`fixtures not present under ${fixtures}`);
  const files = [
    'fkie-CVE-2021-41773-apache-httpd-kev.json',
    'api2-osvdev-CVE-2023-4863.json',
    'fkie-CVE-2023-2650-openssl.json',
  ];
  const cache = newComplexCache();
  let checked = 0;
  for (const f of files.filter((n) => existsSync(join(dir, n)))) {
    for (const r of await recordsOf(join(dir, f))) {
      const v: ProductVulns = { vulnId: r.id, configurations: r.configurations };
      const criteria = r.configurations.flatMap((c) =>
        c.nodes.flatMap((n) => n.cpeMatch.map((m) => m.criteria)),
      );
      // Hosts carrying each criteria's product at a few versions, on Debian 11 / 12 / unknown OS.
      for (const version of ['1.0', '2.4.49', '1.1.1k', '3.0.8', '116.0.5845.187']) {
        for (const os of [
          'cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*',
          'cpe:2.3:o:debian:debian_linux:12.0:*:*:*:*:*:*:*',
          null,
        ]) {
          const services = criteria
            .filter((c) => c.startsWith('cpe:2.3:a:'))
            .slice(0, 3)
            .map((c, i): [string, string] => [
              `${c.split(':').slice(0, 5).join(':')}:${version}:*:*:*:*:*:*:*`,
              `${100 + i}/tcp`,
            ]);
          const h = host(services, os);
          assert.deepEqual(
            plain(evaluateCached(v, h, cache)),
            plain(evaluateConfigurations(v.configurations, h)),
            `${r.id} ${version} ${os}`,
          );
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 0);
});
