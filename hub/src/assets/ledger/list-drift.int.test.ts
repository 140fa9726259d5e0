// GET /assets?drift=open (the overview's "open drift" link): assets of the caller's tenant with
// drift events still open; decided events and another tenant's events never select an asset.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { AssetListItem, Page } from '../api-types.js';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../index.js';
import { driftEntities, driftMigrations } from '../../drift/index.js';
import { testStores, type TestStore } from '../testing-stores.js';
import { serveRouters, type TestServer } from '../testing-http.js';

const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));

for (const factory of testStores({
  entities: [...assetsEntities, ...driftEntities],
  migrations: [...assetsMigrations, ...driftMigrations],
})) {
  describe(`asset list drift filter (${factory.dialect})`, () => {
    let store: TestStore;
    let http: TestServer;
    const tenant = randomUUID();
    const other = randomUUID();
    const ids: string[] = [];
    const event = (tenantId: string, assetId: string, status: string) =>
      store.dataSource.getRepository('DriftEvent').insert({
        id: randomUUID(),
        tenantId,
        assetId,
        kind: 'package',
        key: `pkg-${randomUUID()}`,
        keyHash: randomUUID().replace(/-/g, ''),
        change: 'modified',
        beforeJson: null,
        afterJson: null,
        diff: '',
        coalesced: 0,
        firstSeenAt: T0,
        lastSeenAt: T0,
        source: 'agent',
        status,
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
        findingId: null,
        linkedFindingId: null,
        linkedCheckId: null,
        createdAt: T0,
      });
    before(async () => {
      store = await factory.open();
      const assets = createAssetsModule({
        dataSource: store.dataSource,
        clock: () => T0,
        log: pino({ level: 'silent' }),
      });
      http = await serveRouters([assets.router]);
      // Documentation addresses (RFC 5737): data only, never contacted.
      for (const [t, ip] of [
        [tenant, '192.0.2.31'],
        [tenant, '192.0.2.32'],
        [tenant, '192.0.2.33'],
        [other, '192.0.2.34'],
      ] as const) {
        const ctx = {
          tenantId: t,
          agentId: randomUUID(),
          scanId: randomUUID(),
          zone: 'internal',
          receivedAt: T0,
        };
        const host = { status: 'up', addresses: [{ addr: ip, type: 'ipv4' }], hostnames: [], ports: [] };
        ids.push((await store.dataSource.transaction((em) => assets.applyDiscovery(em, ctx, host)))!.assetId);
      }
      await event(tenant, ids[0]!, 'open');
      await event(tenant, ids[0]!, 'open');
      await event(tenant, ids[1]!, 'accepted');
      // Another tenant's open event naming this tenant's asset id must not select it.
      await event(other, ids[2]!, 'open');
      await event(other, ids[3]!, 'open');
    });
    after(async () => {
      await http?.close();
      await store?.close();
    });

    it('lists only assets with open drift, once each, in the caller tenant', async () => {
      const page = (await http.get('/assets?drift=open', tenant)).body as Page<AssetListItem>;
      assert.equal(page.total, 1);
      assert.deepEqual(
        page.items.map((a) => a.id),
        [ids[0]],
      );
      const all = (await http.get('/assets', tenant)).body as Page<AssetListItem>;
      assert.equal(all.total, 3);
      const theirs = (await http.get('/assets?drift=open', other)).body as Page<AssetListItem>;
      assert.deepEqual(
        theirs.items.map((a) => a.id),
        [ids[3]],
      );
    });

    it('rejects an unknown drift value', async () => {
      assert.equal((await http.get('/assets?drift=closed', tenant)).status, 400);
    });
  });
}
