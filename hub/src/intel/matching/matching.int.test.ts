// Matching and early warning against real databases (SQLite always, PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set): an asset carrying this machine's real dpkg status, Debian
// tracker records imported through the real intel importer, findings through FindingsService.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../../assets/index.js';
import { testStores, type TestStore } from '../../assets/testing-stores.js';
import { inventoryReport, sampleParts } from '../../assets/testing-reports.js';
import {
  createFindingsModule,
  findingsEntities,
  findingsMigrations,
  type FindingsService,
} from '../../findings/index.js';
import { IntelService, intelMigrations } from '../index.js';
import {
  createWarningsModule,
  warningsEntities,
  warningsMigrations,
  type EarlyWarningService,
} from '../warnings/index.js';
import { createMatchingModule, matchingEntities, matchingMigrations, type MatchingService } from './index.js';
import { packagesFromDpkgStatus } from './testing.js';

const silent = pino({ level: 'silent' });
const fixtures = process.env['WATCHPOST_FIXTURES'] ?? '/work/shared/fixtures';
const statusFile = ['/var/lib/dpkg/status', join(fixtures, 'dpkg', 'status-this-machine')].find((f) =>
  existsSync(f),
);
const tmp = mkdtempSync(join(tmpdir(), 'wp-matching-'));
const schema = {
  entities: [...assetsEntities, ...findingsEntities, ...matchingEntities, ...warningsEntities],
  migrations: [
    ...assetsMigrations,
    ...findingsMigrations,
    ...intelMigrations,
    ...matchingMigrations,
    ...warningsMigrations,
  ],
};

type Verdict = { status: 'resolved' | 'open'; fixed_version?: string };
/** A Debian tracker JSON document: source package → CVE → bookworm verdict. */
function trackerFile(name: string, entries: Array<[string, string, Verdict]>): string {
  const doc: Record<string, Record<string, unknown>> = {};
  for (const [pkg, cve, v] of entries) {
    doc[pkg] ??= {};
    doc[pkg][cve] = {
      description: `hand-made ${cve} in ${pkg}`,
      releases: { bookworm: { ...v, urgency: 'medium', repositories: {} } },
    };
  }
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** A hand-made NVD 2.0 page: one CVE per (id, criteria, versionEndExcluding). */
function nvdFile(name: string, cves: Array<[string, string, string]>): string {
  const vulnerabilities = cves.map(([id, criteria, end]) => ({
    cve: {
      id,
      published: '2099-01-01T00:00:00.000',
      lastModified: '2099-01-02T00:00:00.000',
      vulnStatus: 'Analyzed',
      descriptions: [{ lang: 'en', value: `hand-made ${id}` }],
      metrics: {
        cvssMetricV31: [
          {
            source: 'nvd@nist.gov',
            type: 'Primary',
            cvssData: {
              version: '3.1',
              vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
              baseScore: 9.8,
              baseSeverity: 'CRITICAL',
            },
          },
        ],
      },
      configurations: [
        {
          nodes: [
            {
              operator: 'OR',
              negate: false,
              cpeMatch: [
                { vulnerable: true, criteria, versionEndExcluding: end, matchCriteriaId: randomUUID() },
              ],
            },
          ],
        },
      ],
    },
  }));
  const file = join(tmp, name);
  writeFileSync(
    file,
    JSON.stringify({
      resultsPerPage: cves.length,
      startIndex: 0,
      totalResults: cves.length,
      format: 'NVD_CVE',
      version: '2.0',
      timestamp: '2099-01-02T00:00:00.000',
      vulnerabilities,
    }),
  );
  return file;
}

const packages = statusFile ? packagesFromDpkgStatus(readFileSync(statusFile, 'utf8')) : [];
const srcOf = (name: string) => packages.find((p) => p.name === name);

for (const factory of testStores(schema)) {
  describe(
    `matching on ${factory.dialect}`,
    { skip: statusFile ? false : 'no dpkg status file on this machine or in fixtures' },
    () => {
      let store: TestStore;
      let findings: FindingsService;
      let intel: IntelService;
      let matching: MatchingService;
      let warnings: EarlyWarningService;
      let tenantId: string;
      let assetId: string;
      let unsubscribe: () => void;
      const clock = () => new Date();

      before(async () => {
        store = await factory.open();
        const deps = { dataSource: store.dataSource, clock, log: silent };
        findings = createFindingsModule(deps).service;
        intel = new IntelService({ ...deps, uploadMaxBytes: 1 << 20 });
        matching = createMatchingModule({ ...deps, reader: intel.reader, findings }).service;
        warnings = createWarningsModule({ ...deps, reader: intel.reader, findings, matching }).service;
        unsubscribe = warnings.subscribe(intel.events);
        tenantId = randomUUID();
        const parts = sampleParts();
        parts.packages = packages.map((p) => ({
          ...p,
          sourceName: p.sourceName ?? '',
          sourceVersion: p.sourceVersion ?? '',
        }));
        const assets = createAssetsModule(deps);
        ({ assetId } = await store.dataSource.transaction((em) =>
          assets.applyInventory(
            em,
            { tenantId, agentId: randomUUID(), receivedAt: new Date() },
            inventoryReport(parts, ['host', 'packages']),
          ),
        ));
      });
      after(async () => {
        unsubscribe();
        await matching.stop();
        await store.close();
      });

      const open = async () =>
        (
          await findings.list(
            tenantId,
            { assetId, status: 'open,reopened', type: 'vulnerability' },
            { limit: 500, offset: 0 },
          )
        ).items;

      it('reports installed < fixed by source package, never a backported fix, unfixed as tentative', async () => {
        const ssl = srcOf('libssl3') ?? srcOf('openssl');
        const bash = srcOf('bash');
        assert.ok(ssl && bash, 'this machine has openssl and bash');
        const sslSource = ssl.sourceName ?? ssl.name;
        const sslVersion = ssl.sourceVersion ?? ssl.version;
        await intel.importFile(
          trackerFile('tracker-1.json', [
            [sslSource, 'CVE-2099-1001', { status: 'resolved', fixed_version: `${sslVersion}+fix1` }],
            // Fixed in exactly the installed (backported) version: must not be reported.
            [
              'bash',
              'CVE-2099-1002',
              { status: 'resolved', fixed_version: bash.sourceVersion ?? bash.version },
            ],
            ['bash', 'CVE-2099-1003', { status: 'open' }],
            ['bash', 'CVE-2099-1004', { status: 'resolved', fixed_version: '0' }],
            ['not-installed-anywhere', 'CVE-2099-1005', { status: 'open' }],
          ]),
          { format: 'debian-tracker' },
        );
        await warnings.idle();
        const r = await matching.matchAsset(tenantId, assetId);
        const items = await open();
        const byRule = (id: string) => items.filter((f) => f.ruleId === id);
        const sslBinaries = packages
          .filter((p) => (p.sourceName ?? p.name) === sslSource)
          .map((p) => p.name)
          .sort();
        assert.deepEqual(
          byRule('CVE-2099-1001')
            .map((f) => f.component)
            .sort(),
          sslBinaries,
        );
        assert.ok(byRule('CVE-2099-1001').every((f) => f.confidence === 'firm' && f.cve === 'CVE-2099-1001'));
        assert.equal(byRule('CVE-2099-1002').length, 0, 'backported fix not reported');
        assert.equal(byRule('CVE-2099-1004').length, 0, 'not affected');
        assert.deepEqual(
          byRule('CVE-2099-1003').map((f) => [f.component, f.confidence]),
          [['bash', 'tentative']],
        );
        assert.equal(r.packageMatches, sslBinaries.length + 1);
        // A second run changes nothing: same findings, nothing resolved.
        const again = await matching.matchAsset(tenantId, assetId);
        assert.equal(again.created, 0);
        assert.equal(again.resolved, 0);
      });

      it('early warning: a new record for an installed package raises a finding from intel without any rescan', async () => {
        const coreutils = srcOf('coreutils');
        assert.ok(coreutils);
        const before = await warnings.repo().list(tenantId, { limit: 50, offset: 0 });
        await intel.importFile(
          trackerFile('tracker-2.json', [
            [
              'coreutils',
              'CVE-2099-2001',
              { status: 'resolved', fixed_version: `${coreutils.version}+fix1` },
            ],
          ]),
          {
            format: 'debian-tracker',
          },
        );
        await warnings.idle();
        const list = await warnings.repo().list(tenantId, { limit: 50, offset: 0 });
        assert.equal(list.total, before.total + 1);
        assert.deepEqual(list.items.map((w) => [w.vulnId, w.assetId, w.component])[0], [
          'CVE-2099-2001',
          assetId,
          'coreutils',
        ]);
        const f = (await open()).find((x) => x.ruleId === 'CVE-2099-2001');
        assert.ok(f && f.fromIntel, 'the finding is marked from intel');
        const spread = await warnings.repo().spread({ vulnId: 'CVE-2099-2001', limit: 10, offset: 0 });
        assert.deepEqual(
          spread.items.map((s) => [s.vulnId, s.assets, s.tenants]),
          [['CVE-2099-2001', 1, 1]],
        );
        // Another tenant sees none of it.
        assert.equal((await warnings.repo().list(randomUUID(), { limit: 50, offset: 0 })).total, 0);
      });

      it('a published fix that the installed version already has resolves the finding', async () => {
        const coreutils = srcOf('coreutils');
        assert.ok(coreutils);
        const fixedAt = coreutils.sourceVersion ?? coreutils.version;
        await intel.importFile(
          trackerFile('tracker-3.json', [
            ['coreutils', 'CVE-2099-2001', { status: 'resolved', fixed_version: fixedAt }],
          ]),
          {
            format: 'debian-tracker',
          },
        );
        await warnings.idle();
        assert.equal((await open()).filter((x) => x.ruleId === 'CVE-2099-2001').length, 0);
      });

      it('services: a known version in range is a finding, an unknown version only a candidate', async () => {
        const assets = createAssetsModule({ dataSource: store.dataSource, clock, log: silent });
        const outcome = await store.dataSource.transaction((em) =>
          assets.applyDiscovery(
            em,
            {
              tenantId,
              agentId: randomUUID(),
              scanId: randomUUID(),
              zone: 'internal',
              receivedAt: new Date(),
            },
            {
              status: 'up',
              addresses: [{ addr: '127.0.0.9', type: 'ipv4' }],
              ports: [
                {
                  protocol: 'tcp',
                  port: 22,
                  state: 'open',
                  service: 'ssh',
                  product: 'OpenSSH',
                  version: '9.2p1',
                  cpes: ['cpe:/a:openbsd:openssh:9.2p1'],
                },
                {
                  protocol: 'tcp',
                  port: 6379,
                  state: 'open',
                  service: 'redis',
                  product: 'Redis key-value store',
                  version: '',
                  cpes: ['cpe:/a:redislabs:redis'],
                },
              ],
            },
          ),
        );
        assert.ok(outcome);
        const host = outcome.assetId;
        await intel.importFile(
          nvdFile('nvd-services.json', [
            ['CVE-2099-3001', 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', '9.3'],
            ['CVE-2099-3002', 'cpe:2.3:a:redis:redis:*:*:*:*:*:*:*:*', '7.2.0'],
            ['CVE-2099-3003', 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', '9.0'],
          ]),
          { format: 'nvd2' },
        );
        await warnings.idle();
        await matching.matchAsset(tenantId, host);
        const items = (
          await findings.list(
            tenantId,
            { assetId: host, status: 'open,reopened', type: 'vulnerability' },
            { limit: 50, offset: 0 },
          )
        ).items;
        assert.deepEqual(
          items.map((f) => [f.ruleId, f.component, f.port, f.protocol, f.confidence]),
          [['CVE-2099-3001', '22/tcp', 22, 'tcp', 'firm']],
        );
        const candidates = await matching.candidates(tenantId, { assetId: host, limit: 50, offset: 0 });
        assert.deepEqual(
          candidates.items.map((c) => [c.vulnId, c.component]),
          [['CVE-2099-3002', '6379/tcp']],
        );
        assert.equal((await matching.candidates(randomUUID(), { limit: 50, offset: 0 })).total, 0);
      });

      it('a foreign asset id is 404', async () => {
        await assert.rejects(matching.matchAsset(randomUUID(), assetId), /asset not found/);
      });
    },
  );
}
