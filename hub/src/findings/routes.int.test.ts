// GET /findings and /findings/:id over real HTTP on 127.0.0.1, on each store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../assets/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { serveRouters, type TestServer } from '../assets/testing-http.js';
import { inventoryReport, sampleParts } from '../assets/testing-reports.js';
import {
  createFindingsModule,
  findingsEntities,
  findingsMigrations,
  type FindingDetail,
  type FindingsPage,
} from './index.js';

const at = (hour: number) => new Date(Date.UTC(2026, 10, 25, hour, 0, 0));
const schema = {
  entities: [...assetsEntities, ...findingsEntities],
  migrations: [...assetsMigrations, ...findingsMigrations],
};

for (const factory of testStores(schema)) {
  describe(`findings REST on ${factory.dialect}`, () => {
    let store: TestStore;
    let http: TestServer;
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    let assetId: string;
    let sshFinding: string;

    before(async () => {
      store = await factory.open();
      const deps = { dataSource: store.dataSource, clock: () => at(23), log: pino({ level: 'silent' }) };
      const assets = createAssetsModule(deps);
      const findings = createFindingsModule(deps);
      assetId = (
        await store.dataSource.transaction((em) =>
          assets.applyInventory(
            em,
            { tenantId: tenantA, agentId: randomUUID(), receivedAt: at(0) },
            inventoryReport(sampleParts(), ['host']),
          ),
        )
      ).assetId;
      const base = {
        assetId,
        source: 'agent:inventory',
        observedAt: at(1),
        type: 'vulnerability' as const,
        component: 'openssl',
      };
      await findings.service.upsert(null, tenantA, {
        ...base,
        ruleId: 'CVE-2024-0001',
        title: 'low one',
        severity: 'low',
      });
      await findings.service.upsert(null, tenantA, {
        ...base,
        ruleId: 'CVE-2024-0002',
        title: 'critical one',
        severity: 'critical',
        cvssScore: 9.8,
      });
      sshFinding = (
        await findings.service.upsert(null, tenantA, {
          ...base,
          type: 'weak_credential',
          component: 'sshd',
          ruleId: 'default-credentials',
          port: 22,
          protocol: 'tcp',
          title: 'Default credentials accepted',
          severity: 'high',
          source: 'nmap',
          rawExcerpt: '22/tcp open ssh\n| ssh-brute: Accounts: root:root - Valid credentials',
          details: { account: 'root' },
        })
      ).findingId;
      http = await serveRouters([findings.router]);
    });
    after(async () => {
      await http?.close();
      await store?.close();
    });

    it('lists findings most severe first, with filters and paging', async () => {
      const res = await http.get('/findings', tenantA);
      assert.equal(res.status, 200);
      const page = res.body as FindingsPage;
      assert.equal(page.total, 3);
      assert.deepEqual(
        page.items.map((f) => f.severity),
        ['critical', 'high', 'low'],
      );
      const creds = (await http.get('/findings?type=weak_credential&status=open', tenantA))
        .body as FindingsPage;
      assert.deepEqual(
        creds.items.map((f) => [f.id, f.port, f.protocol]),
        [[sshFinding, 22, 'tcp']],
      );
      const sev = (await http.get('/findings?severity=critical,low', tenantA)).body as FindingsPage;
      assert.equal(sev.total, 2);
      const byAsset = (await http.get(`/findings?assetId=${assetId}&limit=1&offset=1`, tenantA))
        .body as FindingsPage;
      assert.deepEqual([byAsset.total, byAsset.items.map((f) => f.severity)], [3, ['high']]);
    });

    it('rejects bad filters with 400 VALIDATION_FAILED', async () => {
      for (const query of [
        'type=nope',
        'status=closed',
        'severity=urgent',
        'assetId=123',
        'limit=501',
        'offset=-3',
      ]) {
        const res = await http.get(`/findings?${query}`, tenantA);
        assert.deepEqual(
          [res.status, (res.body as { code: string }).code],
          [400, 'VALIDATION_FAILED'],
          query,
        );
      }
    });

    it('returns one finding with its evidences', async () => {
      const res = await http.get(`/findings/${sshFinding}`, tenantA);
      assert.equal(res.status, 200);
      const f = res.body as FindingDetail;
      assert.equal(f.title, 'Default credentials accepted');
      assert.equal(f.evidenceCount, 1);
      assert.equal(f.evidences[0]?.source, 'nmap');
      assert.match(f.evidences[0]?.rawExcerpt ?? '', /Valid credentials/);
      assert.deepEqual(f.evidences[0]?.details, { account: 'root' });
    });

    it('hides other tenants’ findings: empty list, 404 by id', async () => {
      assert.equal(((await http.get('/findings', tenantB)).body as FindingsPage).total, 0);
      for (const id of [sshFinding, randomUUID(), 'nope']) {
        const res = await http.get(`/findings/${id}`, id === sshFinding ? tenantB : tenantA);
        assert.deepEqual([res.status, (res.body as { code: string }).code], [404, 'NOT_FOUND'], id);
      }
    });
  });
}
