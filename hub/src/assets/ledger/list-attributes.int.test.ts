// The asset list and detail carry the people-kept attributes (so the console edits them in place),
// and the list filters by whether an agent reports on the asset.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { AssetDetail, AssetListItem, Page } from '../api-types.js';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../index.js';
import { testStores, type TestStore } from '../testing-stores.js';
import { serveRouters, type TestServer } from '../testing-http.js';

const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));

for (const factory of testStores({ entities: assetsEntities, migrations: assetsMigrations })) {
  describe(`asset attributes in lists (${factory.dialect})`, () => {
    let store: TestStore;
    let http: TestServer;
    const tenant = randomUUID();
    const ids: string[] = [];
    before(async () => {
      store = await factory.open();
      const assets = createAssetsModule({
        dataSource: store.dataSource,
        clock: () => T0,
        log: pino({ level: 'silent' }),
      });
      http = await serveRouters([assets.router]);
      // Documentation addresses (RFC 5737): data only, never contacted.
      for (const ip of ['192.0.2.21', '192.0.2.22']) {
        const ctx = {
          tenantId: tenant,
          agentId: randomUUID(),
          scanId: randomUUID(),
          zone: 'internal',
          receivedAt: T0,
        };
        const host = { status: 'up', addresses: [{ addr: ip, type: 'ipv4' }], hostnames: [], ports: [] };
        ids.push((await store.dataSource.transaction((em) => assets.applyDiscovery(em, ctx, host)))!.assetId);
      }
    });
    after(async () => {
      await http?.close();
      await store?.close();
    });

    it('lists attributes as edited', async () => {
      const patch = {
        owner: { person: 'Li Wei' },
        cia: { confidentiality: 4 },
        zone: 'dmz',
        tags: ['pci', 'web'],
      };
      assert.equal((await http.send('PATCH', `/assets/${ids[0]}`, tenant, patch)).status, 200);
      const list = (await http.get('/assets?zone=dmz', tenant)).body as Page<AssetListItem>;
      assert.equal(list.total, 1);
      const a = list.items[0]?.attributes;
      assert.equal(a?.owner.person, 'Li Wei');
      assert.equal(a?.cia.confidentiality, 4);
      assert.equal(a?.cia.integrity, null);
      assert.equal(a?.zone, 'dmz');
      assert.deepEqual(a?.tags, ['pci', 'web']);
      const detail = (await http.get(`/assets/${ids[0]}`, tenant)).body as AssetDetail;
      assert.deepEqual(detail.attributes, a);
    });

    it('filters by agent presence', async () => {
      const without = (await http.get('/assets?agent=without', tenant)).body as Page<AssetListItem>;
      assert.equal(without.total, 2);
      const withAgent = (await http.get('/assets?agent=with', tenant)).body as Page<AssetListItem>;
      assert.equal(withAgent.total, 0);
      assert.equal((await http.get('/assets?agent=maybe', tenant)).status, 400);
    });
  });
}
