// Package matching decisions: distro verdicts by source package, the backport trap, unfixed,
// not-affected, precedence of the Debian tracker, Ubuntu spellings, and language packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { hostEcosystems } from './distro.js';
import { IntelIndex } from './lookup.js';
import { matchPackages, type InventoryPackage } from './packages.js';
import { distroFix, packagesFromDpkgStatus, vulnerability } from './testing.js';

const ASSET = '00000000-0000-4000-8000-000000000001';
const bookworm = hostEcosystems({ osId: 'debian', osVersion: '12', osCodename: 'bookworm' });
const pkg = (
  name: string,
  version: string,
  sourceName: string | null = null,
  sourceVersion: string | null = null,
): InventoryPackage => ({
  name,
  version,
  arch: 'amd64',
  manager: 'dpkg',
  sourceName,
  sourceVersion,
});

test('host ecosystems from os-release', () => {
  assert.deepEqual(bookworm.all, ['Debian:12']);
  assert.deepEqual(hostEcosystems({ osId: 'debian', osVersion: null, osCodename: 'trixie' }).all, [
    'Debian:13',
  ]);
  assert.deepEqual(hostEcosystems({ osId: 'ubuntu', osVersion: '22.04', osCodename: 'jammy' }).all, [
    'Ubuntu:22.04',
    'Ubuntu:22.04:LTS',
    'Ubuntu:Pro:22.04:LTS',
  ]);
  assert.deepEqual(hostEcosystems({ osId: 'alpine', osVersion: '3.19.1', osCodename: null }).all, [
    'Alpine:v3.19',
  ]);
  assert.deepEqual(hostEcosystems({ osId: 'rocky', osVersion: '9.3', osCodename: null }).all, [
    'Rocky Linux:9',
  ]);
  assert.equal(hostEcosystems({ osId: 'plan9', osVersion: '4', osCodename: null }).primary, null);
});

test('binary resolved to source; installed < fixed is high, a backported fix is not reported', () => {
  const index = new IntelIndex([
    vulnerability('CVE-2099-0001', {
      distroFixes: [distroFix('CVE-2099-0001', 'Debian:12', 'openssl', 'fixed', '3.0.15-1~deb12u1')],
    }),
    // The upstream range would call 3.0.11 vulnerable; Debian backported the fix into -1~deb12u2.
    vulnerability('CVE-2099-0002', {
      distroFixes: [distroFix('CVE-2099-0002', 'Debian:12', 'openssl', 'fixed', '3.0.11-1~deb12u2')],
    }),
  ]);
  const matches = matchPackages(ASSET, [pkg('libssl3', '3.0.11-1~deb12u2', 'openssl')], bookworm, index);
  assert.deepEqual(
    matches.map((m) => [m.vulnId, m.component.name, m.installed, m.fixedIn, m.confidence, m.source]),
    [['CVE-2099-0001', 'libssl3', '3.0.11-1~deb12u2', '3.0.15-1~deb12u1', 'high', 'matcher:debian-tracker']],
  );
});

test('the source version decides for binNMUs (binary 1.0-1+b1 built from source 1.0-1)', () => {
  const index = new IntelIndex([
    vulnerability('CVE-2099-0003', {
      distroFixes: [distroFix('CVE-2099-0003', 'Debian:12', 'foo', 'fixed', '1.0-1+b1')],
    }),
  ]);
  // Compared by its binary version 1.0-1+b1 it would look fixed; its source 1.0-1 is not.
  assert.equal(matchPackages(ASSET, [pkg('libfoo1', '1.0-1+b1', 'foo', '1.0-1')], bookworm, index).length, 1);
});

test('unfixed is medium with a note; not-affected, undetermined and silence give nothing', () => {
  const index = new IntelIndex([
    vulnerability('CVE-2099-0010', {
      distroFixes: [distroFix('CVE-2099-0010', 'Debian:12', 'bash', 'unfixed')],
    }),
    vulnerability('CVE-2099-0011', {
      distroFixes: [distroFix('CVE-2099-0011', 'Debian:12', 'bash', 'not_affected')],
    }),
    vulnerability('CVE-2099-0012', {
      distroFixes: [distroFix('CVE-2099-0012', 'Debian:12', 'bash', 'undetermined')],
    }),
    vulnerability('CVE-2099-0013', {
      distroFixes: [distroFix('CVE-2099-0013', 'Debian:11', 'bash', 'unfixed')],
    }),
  ]);
  const m = matchPackages(ASSET, [pkg('bash', '5.2.15-2+b7')], bookworm, index);
  assert.deepEqual(
    m.map((x) => [x.vulnId, x.confidence, x.fixedIn]),
    [['CVE-2099-0010', 'medium', null]],
  );
  assert.match(m[0]?.note ?? '', /no fix/);
});

test('the Debian tracker outranks an OSV verdict for the same vulnerability', () => {
  const index = new IntelIndex([
    vulnerability('CVE-2099-0020', {
      distroFixes: [
        distroFix('CVE-2099-0020', 'Debian:12', 'curl', 'fixed', '7.88.1-10+deb12u5', 'osv'),
        distroFix('CVE-2099-0020', 'Debian:12', 'curl', 'fixed', '7.88.1-10+deb12u1', 'debian-tracker'),
      ],
    }),
  ]);
  assert.equal(matchPackages(ASSET, [pkg('curl', '7.88.1-10+deb12u2')], bookworm, index).length, 0);
});

test('Ubuntu: the most specific spelling with a verdict decides', () => {
  const jammy = hostEcosystems({ osId: 'ubuntu', osVersion: '22.04', osCodename: 'jammy' });
  const index = new IntelIndex([
    vulnerability('UBUNTU-CVE-2099-0030', {
      distroFixes: [
        distroFix(
          'UBUNTU-CVE-2099-0030',
          'Ubuntu:22.04:LTS',
          'zlib',
          'fixed',
          '1:1.2.11.dfsg-2ubuntu9.2',
          'osv',
        ),
        distroFix(
          'UBUNTU-CVE-2099-0030',
          'Ubuntu:Pro:22.04:LTS',
          'zlib',
          'fixed',
          '1:1.2.11.dfsg-2ubuntu9.9',
          'osv',
        ),
      ],
    }),
  ]);
  const m = matchPackages(ASSET, [pkg('zlib1g', '1:1.2.11.dfsg-2ubuntu9.2', 'zlib')], jammy, index);
  assert.equal(m.length, 0, 'fixed per the LTS verdict; the Pro stream is not this host');
});

test('rpm and apk hosts compare with their own ordering', () => {
  const alpine = hostEcosystems({ osId: 'alpine', osVersion: '3.19.0', osCodename: null });
  const index = new IntelIndex([
    vulnerability('CVE-2099-0040', {
      distroFixes: [distroFix('CVE-2099-0040', 'Alpine:v3.19', 'openssl', 'fixed', '3.1.4-r1', 'osv')],
    }),
  ]);
  const apk = (version: string): InventoryPackage => ({
    ...pkg('libcrypto3', version, 'openssl'),
    manager: 'apk',
  });
  assert.equal(matchPackages(ASSET, [apk('3.1.4-r0')], alpine, index).length, 1);
  assert.equal(matchPackages(ASSET, [apk('3.1.4-r1')], alpine, index).length, 0);
  assert.equal(
    matchPackages(ASSET, [apk('3.1.4_rc1-r5')], alpine, index).length,
    1,
    '_rc sorts below the release',
  );
});

test('language packages (not distro builds) are judged by OSV ranges', () => {
  const index = new IntelIndex([
    vulnerability('GHSA-test-0001', {
      affected: [
        {
          vulnId: 'GHSA-test-0001',
          source: 'osv',
          ecosystem: 'npm',
          package: 'lodash',
          purl: null,
          versions: [],
          ranges: [{ type: 'SEMVER', repo: null, events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
        },
      ],
    }),
  ]);
  const npm = (version: string): InventoryPackage => ({ ...pkg('lodash', version), manager: 'npm' });
  assert.equal(matchPackages(ASSET, [npm('4.17.20')], bookworm, index)[0]?.fixedIn, '4.17.21');
  assert.equal(matchPackages(ASSET, [npm('4.17.21')], bookworm, index).length, 0);
});

test("this machine's real dpkg status: packages parse and resolve to source packages", (t) => {
  const file = '/var/lib/dpkg/status';
  if (!existsSync(file)) return t.skip('no /var/lib/dpkg/status on this machine');
  const packages = packagesFromDpkgStatus(readFileSync(file, 'utf8'));
  assert.ok(packages.length > 50);
  const withSource = packages.filter((p) => p.sourceName);
  assert.ok(withSource.length > 10);
  // Every package of one source gets the source's verdict: mark each source fixed at a version above all.
  const sources = new Set(packages.map((p) => p.sourceName ?? p.name));
  const index = new IntelIndex(
    [...sources].map((s, i) =>
      vulnerability(`CVE-2099-${String(1000 + i)}`, {
        distroFixes: [distroFix(`CVE-2099-${String(1000 + i)}`, 'Debian:12', s, 'fixed', '999:0')],
      }),
    ),
  );
  assert.equal(matchPackages(ASSET, packages, bookworm, index).length, packages.length);
});
