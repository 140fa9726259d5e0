// The findings service against real databases: SQLite always, PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set. Assets come from the real asset ledger.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { isHubError } from '../platform/errors.js';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../assets/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { inventoryReport, sampleParts } from '../assets/testing-reports.js';
import {
  createFindingsModule,
  findingIdentityKey,
  findingsEntities,
  findingsMigrations,
  type FindingsService,
  type Observation,
} from './index.js';

const silent = pino({ level: 'silent' });
const at = (hour: number) => new Date(Date.UTC(2026, 10, 25, hour, 0, 0));
const schema = {
  entities: [...assetsEntities, ...findingsEntities],
  migrations: [...assetsMigrations, ...findingsMigrations],
};

const isCode = (code: string) => (err: unknown) => isHubError(err) && err.code === code;

for (const factory of testStores(schema)) {
  describe(`findings on ${factory.dialect}`, () => {
    let store: TestStore;
    let service: FindingsService;

    /** A tenant with one real asset (made by applying an inventory report). */
    async function tenantWithAsset(): Promise<{ tenantId: string; assetId: string }> {
      const tenantId = randomUUID();
      const assets = createAssetsModule({ dataSource: store.dataSource, clock: () => at(0), log: silent });
      const { assetId } = await store.dataSource.transaction((em) =>
        assets.applyInventory(
          em,
          { tenantId, agentId: randomUUID(), receivedAt: at(0) },
          inventoryReport(sampleParts(), ['host']),
        ),
      );
      return { tenantId, assetId };
    }

    const vuln = (assetId: string, over: Partial<Observation> = {}): Observation => ({
      assetId,
      type: 'vulnerability',
      component: 'openssl',
      ruleId: 'CVE-2024-5535',
      title: 'OpenSSL SSL_select_next_proto buffer overread',
      severity: 'medium',
      cvssScore: 5.9,
      source: 'agent:inventory',
      observedAt: at(1),
      details: { installed: '3.0.13-1~deb12u1', fixed: '3.0.14-1~deb12u1' },
      ...over,
    });

    before(async () => {
      store = await factory.open();
      service = createFindingsModule({
        dataSource: store.dataSource,
        clock: () => at(23),
        log: silent,
      }).service;
    });
    after(async () => {
      await store?.close();
    });

    it('creates a finding with its evidence, then updates it from a later observation', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      const first = await service.upsert(null, tenantId, {
        ...vuln(assetId),
        rawExcerpt: 'x'.repeat(10_000),
      });
      assert.equal(first.outcome, 'created');
      assert.equal(
        first.identityKey,
        findingIdentityKey({ type: 'vulnerability', assetId, component: 'openssl', ruleId: 'CVE-2024-5535' }),
      );
      const second = await service.upsert(
        null,
        tenantId,
        vuln(assetId, { observedAt: at(2), severity: 'high', cvssScore: 7.5 }),
      );
      assert.deepEqual([second.outcome, second.findingId], ['updated', first.findingId]);
      // Late evidence from before the latest one: recorded, but does not rewrite the finding.
      await service.upsert(
        null,
        tenantId,
        vuln(assetId, { observedAt: at(0), severity: 'low', source: 'nessus' }),
      );

      const f = await service.get(tenantId, first.findingId);
      assert.equal(f.status, 'open');
      assert.equal(f.severity, 'high');
      assert.equal(f.cvssScore, 7.5);
      assert.equal(f.firstSeenAt, at(0).toISOString());
      assert.equal(f.lastSeenAt, at(2).toISOString());
      assert.equal(f.sourceCount, 2);
      assert.equal(f.evidenceCount, 3);
      assert.deepEqual(
        f.evidences.map((e) => [e.source, e.observedAt]),
        [
          ['agent:inventory', at(2).toISOString()],
          ['agent:inventory', at(1).toISOString()],
          ['nessus', at(0).toISOString()],
        ],
      );
      const truncated = f.evidences[1]?.rawExcerpt ?? '';
      assert.ok(
        Buffer.byteLength(truncated) <= 8192 && truncated.includes('[truncated'),
        'excerpt bounded with a marker',
      );
      assert.deepEqual(f.evidences[0]?.details, { installed: '3.0.13-1~deb12u1', fixed: '3.0.14-1~deb12u1' });
    });

    it('is idempotent for the same (source, observedAt)', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      const a = await service.upsert(null, tenantId, vuln(assetId));
      const b = await service.upsert(null, tenantId, vuln(assetId, { severity: 'critical' }));
      assert.equal(b.outcome, 'duplicate');
      const f = await service.get(tenantId, a.findingId);
      assert.equal(f.evidenceCount, 1);
      assert.equal(f.severity, 'medium');
    });

    it('resolves what a complete check did not see, and reopens on recurrence', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      const keep = await service.upsert(null, tenantId, vuln(assetId));
      const gone = await service.upsert(null, tenantId, vuln(assetId, { ruleId: 'CVE-2023-0001' }));
      const otherSource = await service.upsert(
        null,
        tenantId,
        vuln(assetId, { ruleId: 'CVE-2023-0002', source: 'nessus' }),
      );
      const otherType = await service.upsert(null, tenantId, {
        ...vuln(assetId),
        type: 'exposure',
        component: 'sshd',
        ruleId: 'open-port',
        port: 22,
        protocol: 'tcp',
      });
      const seenLater = await service.upsert(
        null,
        tenantId,
        vuln(assetId, { ruleId: 'CVE-2023-0003', observedAt: at(5) }),
      );

      const { resolvedIds } = await service.resolveNotSeen(null, tenantId, {
        assetId,
        type: 'vulnerability',
        source: 'agent:inventory',
        seenIdentityKeys: [keep.identityKey],
        checkedAt: at(3),
      });
      assert.deepEqual(resolvedIds, [gone.findingId]);
      const resolved = await service.get(tenantId, gone.findingId);
      assert.equal(resolved.status, 'resolved');
      assert.equal(resolved.resolvedAt, at(3).toISOString());
      for (const id of [keep.findingId, otherSource.findingId, otherType.findingId, seenLater.findingId]) {
        assert.equal((await service.get(tenantId, id)).status, 'open', id);
      }

      // Evidence observed before the resolution does not reopen; a new observation does.
      const late = await service.upsert(
        null,
        tenantId,
        vuln(assetId, { ruleId: 'CVE-2023-0001', observedAt: at(2) }),
      );
      assert.equal(late.outcome, 'updated');
      assert.equal((await service.get(tenantId, gone.findingId)).status, 'resolved');
      const back = await service.upsert(
        null,
        tenantId,
        vuln(assetId, { ruleId: 'CVE-2023-0001', observedAt: at(4) }),
      );
      assert.deepEqual([back.outcome, back.findingId], ['reopened', gone.findingId]);
      const reopened = await service.get(tenantId, gone.findingId);
      assert.equal(reopened.status, 'reopened');
      assert.equal(reopened.recurrenceCount, 1);
      assert.equal(reopened.resolvedAt, null);
    });

    it('lists by severity then recency, with filters and pagination', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      const sev = ['low', 'critical', 'medium', 'critical', 'info', 'high'] as const;
      for (const [i, severity] of sev.entries()) {
        await service.upsert(
          null,
          tenantId,
          vuln(assetId, { ruleId: `CVE-2025-${1000 + i}`, severity, observedAt: at(i + 1) }),
        );
      }
      await service.upsert(null, tenantId, {
        ...vuln(assetId),
        type: 'weak_credential',
        component: 'ssh',
        ruleId: 'default-password',
        port: 22,
        protocol: 'tcp',
        severity: 'high',
      });

      const all = await service.list(tenantId, {}, {});
      assert.equal(all.total, 7);
      assert.deepEqual(
        all.items.map((f) => f.severity),
        ['critical', 'critical', 'high', 'high', 'medium', 'low', 'info'],
      );
      assert.deepEqual(
        all.items.slice(0, 2).map((f) => f.ruleId),
        ['CVE-2025-1003', 'CVE-2025-1001'],
        'newer first within a severity',
      );

      const page = await service.list(tenantId, {}, { limit: 2, offset: 2 });
      assert.equal(page.total, 7);
      assert.deepEqual(
        page.items.map((f) => f.id),
        all.items.slice(2, 4).map((f) => f.id),
      );

      assert.equal((await service.list(tenantId, { type: ['weak_credential'] }, {})).total, 1);
      assert.equal((await service.list(tenantId, { severity: ['critical', 'high'] }, {})).total, 4);
      assert.equal((await service.list(tenantId, { status: ['resolved'] }, {})).total, 0);
      assert.equal((await service.list(tenantId, { assetId }, {})).total, 7);
      assert.equal((await service.list(tenantId, { assetId: randomUUID() }, {})).total, 0);
      await assert.rejects(service.list(tenantId, { severity: ['urgent'] }, {}), isCode('VALIDATION_FAILED'));
      await assert.rejects(service.list(tenantId, {}, { limit: 501 }), isCode('VALIDATION_FAILED'));
    });

    it('scopes by tenant: no listing, no read, no writing onto another tenant’s asset', async () => {
      const a = await tenantWithAsset();
      const b = await tenantWithAsset();
      const f = await service.upsert(null, a.tenantId, vuln(a.assetId));
      assert.equal((await service.list(b.tenantId, {}, {})).total, 0);
      await assert.rejects(service.get(b.tenantId, f.findingId), isCode('NOT_FOUND'));
      await assert.rejects(service.upsert(null, b.tenantId, vuln(a.assetId)), isCode('NOT_FOUND'));
      const r = await service.resolveNotSeen(null, b.tenantId, {
        assetId: a.assetId,
        type: 'vulnerability',
        source: 'agent:inventory',
        seenIdentityKeys: [],
        checkedAt: at(20),
      });
      assert.deepEqual(r.resolvedIds, []);
      assert.equal((await service.get(a.tenantId, f.findingId)).status, 'open');
    });

    it('filters by evidence source: once per finding, in order, scoped by tenant', async () => {
      const a = await tenantWithAsset();
      const b = await tenantWithAsset();
      const one = await service.upsert(null, a.tenantId, vuln(a.assetId, { severity: 'high' }));
      // Two observations from nmap of one finding, and one finding only the agent reported.
      await service.upsert(null, a.tenantId, vuln(a.assetId, { source: 'nmap', observedAt: at(2) }));
      await service.upsert(null, a.tenantId, vuln(a.assetId, { source: 'nmap', observedAt: at(3) }));
      const two = await service.upsert(
        null,
        a.tenantId,
        vuln(a.assetId, { ruleId: 'CVE-2025-2000', severity: 'critical', source: 'nmap' }),
      );
      await service.upsert(null, a.tenantId, vuln(a.assetId, { ruleId: 'CVE-2025-2001' }));
      await service.upsert(null, b.tenantId, vuln(b.assetId, { source: 'nmap' }));
      const nmap = await service.list(a.tenantId, { source: 'nmap' }, {});
      assert.equal(nmap.total, 2);
      assert.deepEqual(
        nmap.items.map((f) => f.id),
        [two.findingId, one.findingId],
      );
      assert.equal((await service.list(a.tenantId, { source: 'nmap', severity: ['critical'] }, {})).total, 1);
      assert.equal((await service.list(a.tenantId, { source: 'trivy' }, {})).total, 0);
      assert.equal((await service.list(b.tenantId, { source: 'nmap' }, {})).total, 1);
    });

    it('merges concurrent first observations of one finding into one row', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 5].map((h, i) =>
          service.upsert(
            null,
            tenantId,
            vuln(assetId, { observedAt: at(h), source: i === 5 ? 'nessus' : 'agent:inventory' }),
          ),
        ),
      );
      assert.equal(new Set(results.map((r) => r.findingId)).size, 1);
      assert.equal(results.filter((r) => r.outcome === 'created').length, 1);
      const f = await service.get(tenantId, results[0]?.findingId ?? '');
      assert.deepEqual([f.evidenceCount, f.sourceCount, f.lastSeenAt], [6, 2, at(5).toISOString()]);
    });

    it('writes inside the caller’s transaction and rolls back with it', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      await assert.rejects(
        store.dataSource.transaction(async (em) => {
          await service.upsert(em, tenantId, vuln(assetId));
          throw new Error('caller failed');
        }),
        /caller failed/,
      );
      assert.equal((await service.list(tenantId, {}, {})).total, 0);
    });

    it('refuses unbounded or malformed observations with a clear error', async () => {
      const { tenantId, assetId } = await tenantWithAsset();
      const bad: [Partial<Observation>, RegExp][] = [
        [{ title: 'x'.repeat(501) }, /title/],
        [{ source: 'Nmap Scanner' }, /source/],
        [{ cvssScore: 11 }, /cvssScore/],
        [{ port: 70000 }, /port/],
        [{ details: { blob: 'x'.repeat(70_000) } }, /details/],
        [{ assetId: 'not-a-uuid' }, /assetId/],
      ];
      for (const [over, message] of bad) {
        await assert.rejects(
          service.upsert(null, tenantId, vuln(assetId, over)),
          (err) => isCode('VALIDATION_FAILED')(err) && message.test((err as Error).message),
        );
      }
      await assert.rejects(service.upsert(null, tenantId, vuln(randomUUID())), isCode('NOT_FOUND'));
      assert.equal((await service.list(tenantId, {}, {})).total, 0);
    });
  });
}
