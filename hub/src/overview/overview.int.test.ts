// GET /overview on both stores: every figure counts the caller's tenant only, each links to the
// filtered console list behind it, and an empty tenant answers zeros (not errors).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { watchpost } from '@watchpost/proto';
import { createAssetsModule } from '../assets/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { serveRouters, type TestServer } from '../assets/testing-http.js';
import { allEntities, allMigrations } from '../db/registry.js';
import { TenancyService } from '../tenancy/index.js';
import { testAgentRow } from '../testing/agent-row.js';
import type { Overview } from './api-types.js';
import { createOverviewModule } from './index.js';

const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
// Documentation addresses (RFC 5737): data only, never contacted.
const host = (ip: string, ports: number[]): watchpost.v1.IDiscoveredHost => ({
  status: 'up',
  addresses: [{ addr: ip, type: 'ipv4' }],
  hostnames: [],
  ports: ports.map((port) => ({ protocol: 'tcp', port, state: 'open', service: 'http' })),
});

for (const factory of testStores({ entities: allEntities(), migrations: allMigrations() })) {
  describe(`GET /overview (${factory.dialect})`, () => {
    let store: TestStore;
    let http: TestServer;
    let tenant = '';
    let other = '';
    let shadowAsset = '';

    before(async () => {
      store = await factory.open();
      const deps = { dataSource: store.dataSource, clock: () => T0, log: pino({ level: 'silent' }) };
      const assets = createAssetsModule(deps);
      const tenancy = new TenancyService(store.dataSource, () => T0);
      tenant = (await tenancy.createTenant('acme')).id;
      other = (await tenancy.createTenant('globex')).id;
      http = await serveRouters([createOverviewModule(deps).router, assets.router]);
      const discover = async (tenantId: string, ip: string, ports: number[], zone = 'internal') =>
        (await store.dataSource.transaction((em) =>
          assets.applyDiscovery(
            em,
            { tenantId, agentId: randomUUID(), scanId: randomUUID(), zone, receivedAt: T0 },
            host(ip, ports),
          ),
        ))!.assetId;
      shadowAsset = await discover(tenant, '192.0.2.10', [80, 443], 'dmz');
      await discover(tenant, '192.0.2.11', [22]);
      await discover(other, '198.51.100.1', [22, 80, 443, 8080]);

      const agents = store.dataSource.getRepository('Agent');
      await agents.save(testAgentRow(tenant, { online: true }));
      await agents.save(testAgentRow(tenant, { online: false }));
      await agents.save(testAgentRow(tenant, { online: false, revokedAt: T0 }));
      await agents.save(testAgentRow(other, { online: true }));

      const finding = (tenantId: string, priority: string | null, type: string, status = 'open') => ({
        id: randomUUID(),
        tenantId,
        assetId: shadowAsset,
        type,
        identityKey: randomUUID().replaceAll('-', ''),
        ruleId: 'CVE-2026-0001',
        component: 'nginx',
        port: null,
        protocol: null,
        title: 't',
        description: 'd',
        severity: 'high',
        severityRank: 3,
        cvssScore: null,
        riskScore: null,
        riskFactors: {},
        status,
        firstSeenAt: T0,
        lastSeenAt: T0,
        resolvedAt: null,
        recurrenceCount: 0,
        sourceCount: 1,
        priority,
      });
      const findings = [
        finding(tenant, 'P1', 'vulnerability'),
        finding(tenant, 'P1', 'vulnerability'),
        finding(tenant, 'P3', 'weak_credential', 'reopened'),
        finding(tenant, null, 'baseline'),
        finding(tenant, 'P2', 'vulnerability', 'resolved'),
        finding(other, 'P1', 'vulnerability'),
      ];
      await store.dataSource.getRepository('Finding').save(findings);

      const drift = (tenantId: string, status: string, createdAt: Date) => ({
        id: randomUUID(),
        tenantId,
        assetId: shadowAsset,
        kind: 'file',
        key: '/etc/passwd',
        keyHash: randomUUID().replaceAll('-', ''),
        change: 'modified',
        beforeJson: null,
        afterJson: null,
        diff: '',
        coalesced: 1,
        firstSeenAt: createdAt,
        lastSeenAt: createdAt,
        source: 'watch',
        status,
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
        findingId: null,
        linkedFindingId: null,
        linkedCheckId: null,
        createdAt,
      });
      await store.dataSource
        .getRepository('DriftEvent')
        .save([
          drift(tenant, 'open', T0),
          drift(tenant, 'accepted', new Date(T0.getTime() - 30 * 86_400_000)),
          drift(other, 'open', T0),
        ]);
      await store.dataSource.getRepository('EarlyWarning').save({
        id: randomUUID(),
        tenantId: tenant,
        vulnId: 'CVE-2026-0002',
        cve: 'CVE-2026-0002',
        assetId: shadowAsset,
        findingId: findings[0]?.id,
        component: 'openssl',
        importId: 'imp-1',
        createdAt: new Date(T0.getTime() - 86_400_000),
      });
    });
    after(async () => {
      await http?.close();
      await store?.close();
    });

    it('counts the tenant only, each figure with its link', async () => {
      const res = await http.get('/overview', tenant);
      assert.equal(res.status, 200);
      const o = res.body as Overview;
      assert.equal(o.assets.total.value, 2);
      assert.equal(o.assets.withAgent.value, 0);
      assert.equal(o.assets.withoutAgent.value, 2);
      assert.equal(o.assets.shadow.value, 2);
      assert.equal(o.assets.shadow.link, '/assets?shadow=true');
      assert.deepEqual(
        o.exposure.map((z) => [z.zone, z.assets, z.openPorts]),
        [
          ['dmz', 1, 2],
          ['internal', 1, 1],
        ],
      );
      assert.equal(o.exposure[0]?.link, '/assets?zone=dmz&tab=exposure');
      assert.equal(o.findings.open.value, 4);
      assert.deepEqual(
        o.findings.byPriority.map((b) => [b.key, b.count]),
        [
          ['P1', 2],
          ['P2', 0],
          ['P3', 1],
          ['P4', 0],
          ['unscored', 1],
        ],
      );
      assert.equal(o.findings.byPriority[0]?.link, '/findings?status=open&priority=P1');
      assert.equal(o.findings.byType.find((b) => b.key === 'vulnerability')?.count, 2);
      assert.equal(o.findings.byType.find((b) => b.key === 'weak_credential')?.count, 1);
      assert.equal(o.baseline.percent, null);
      assert.deepEqual([o.agents.online.value, o.agents.offline.value, o.agents.revoked.value], [1, 1, 1]);
      assert.equal(o.agents.online.link, '/agents?state=online');
      assert.equal(o.drift.open.value, 1);
      assert.equal(o.drift.last7d, 1);
      assert.equal(o.drift.recent.length, 2);
      assert.equal(o.drift.recent[0]?.createdAt, T0.toISOString());
      assert.equal(o.drift.recent[0]?.link, `/assets/${shadowAsset}?tab=timeline`);
      assert.equal(o.warnings.last30d.value, 1);
      assert.equal(o.warnings.recent[0]?.cve, 'CVE-2026-0002');
    });

    it('answers zeros for a tenant with nothing yet', async () => {
      const o = (await http.get('/overview', randomUUID())).body as Overview;
      assert.equal(o.assets.total.value, 0);
      assert.deepEqual(o.exposure, []);
      assert.equal(o.findings.open.value, 0);
      assert.equal(o.agents.online.value, 0);
      assert.deepEqual(o.drift.recent, []);
      assert.deepEqual(o.warnings.recent, []);
    });
  });
}
