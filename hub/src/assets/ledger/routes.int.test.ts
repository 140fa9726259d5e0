// The ledger's routes over HTTP on both stores: services, timeline, attribute edits with history,
// the exposure surface (internet-facing first), validation and tenant scoping.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { watchpost } from '@watchpost/proto';
import { assetsEntities, assetsMigrations, createAssetsModule, type AssetsModule } from '../index.js';
import { testStores, type TestStore } from '../testing-stores.js';
import { serveRouters, type TestServer } from '../testing-http.js';

const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
// Documentation addresses (RFC 5737): data only, never contacted.
const hostAt = (
  ip: string,
  mac: string,
  ports: number[],
  service = { service: 'http', product: 'nginx', version: '1.22.1' },
): watchpost.v1.IDiscoveredHost => ({
  status: 'up',
  addresses: [
    { addr: ip, type: 'ipv4' },
    { addr: mac, type: 'mac' },
  ],
  hostnames: [],
  ports: ports.map((port) => ({
    protocol: 'tcp',
    port,
    state: 'open',
    ...service,
  })),
});

for (const factory of testStores({ entities: assetsEntities, migrations: assetsMigrations })) {
  describe(`ledger routes (${factory.dialect})`, () => {
    let store: TestStore;
    let assets: AssetsModule;
    let http: TestServer;
    const tenant = randomUUID();
    let web = '';
    let db = '';
    before(async () => {
      store = await factory.open();
      assets = createAssetsModule({
        dataSource: store.dataSource,
        clock: () => T0,
        log: pino({ level: 'silent' }),
      });
      http = await serveRouters([assets.router]);
      const ctx = {
        tenantId: tenant,
        agentId: randomUUID(),
        scanId: randomUUID(),
        zone: 'internal',
        receivedAt: T0,
      };
      web = (await store.dataSource.transaction((em) =>
        assets.applyDiscovery(em, ctx, hostAt('192.0.2.80', '52:54:00:00:00:80', [443, 80])),
      ))!.assetId;
      db = (await store.dataSource.transaction((em) =>
        assets.applyDiscovery(
          em,
          ctx,
          hostAt('192.0.2.81', '52:54:00:00:00:81', [5432], {
            service: 'postgresql',
            product: 'PostgreSQL DB',
            version: '15.19',
          }),
        ),
      ))!.assetId;
    });
    after(async () => {
      await http.close();
      await store.close();
    });

    it('lists an asset’s open services in port order', async () => {
      const res = await http.get(`/assets/${web}/services`, tenant);
      assert.equal(res.status, 200);
      const body = res.body as { items: { port: number; product: string; state: string }[]; total: number };
      assert.deepEqual(
        body.items.map((p) => [p.port, p.product, p.state]),
        [
          [80, 'nginx', 'open'],
          [443, 'nginx', 'open'],
        ],
      );
    });

    it('edits attributes, marks the asset registered, and keeps the history', async () => {
      const patch = {
        owner: { person: '张伟', team: 'Web Ops', contact: 'web-ops@example.com' },
        businessSystem: 'Shop',
        cia: { confidentiality: 4, integrity: 4, availability: 5 },
        zone: 'internet-facing',
        tags: ['pci', 'frontend', 'pci'],
      };
      const res = await http.send('PATCH', `/assets/${web}`, tenant, patch);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const attrs = res.body as {
        owner: { person: string };
        zone: string;
        tags: string[];
        shadow: boolean;
        cia: { availability: number };
      };
      assert.equal(attrs.owner.person, '张伟');
      assert.equal(attrs.zone, 'internet-facing');
      assert.deepEqual(attrs.tags, ['frontend', 'pci']);
      assert.equal(attrs.cia.availability, 5);
      assert.equal(attrs.shadow, false, 'a person registered it: no longer shadow');
      const timeline = (await http.get(`/assets/${web}/timeline`, tenant)).body as {
        items: { kind: string; detail: { field?: string } }[];
      };
      const changed = timeline.items.filter((e) => e.kind === 'attribute_changed').map((e) => e.detail.field);
      assert.ok(
        changed.includes('zone') && changed.includes('owner_person') && changed.includes('tags'),
        JSON.stringify(changed),
      );
      assert.ok(timeline.items.some((e) => e.kind === 'port_opened'));
    });

    it('filters the asset list by zone, shadow, open port, product and tag', async () => {
      const ids = async (query: string) =>
        ((await http.get(`/assets?${query}`, tenant)).body as { items: { id: string }[] }).items
          .map((a) => a.id)
          .sort();
      assert.deepEqual(await ids('zone=internet-facing'), [web]);
      assert.deepEqual(await ids('shadow=true'), [db], 'the registered web asset is no longer shadow');
      assert.deepEqual(await ids('shadow=false'), [web]);
      assert.deepEqual(await ids('openPort=5432'), [db]);
      assert.deepEqual(await ids('product=NGINX'), [web]);
      assert.deepEqual(await ids('tag=PCI'), [web]);
      assert.deepEqual(await ids('owner=web%20ops'), [web]);
      assert.equal((await http.get('/assets?openPort=70000', tenant)).status, 400);
    });

    it('rejects bad attribute values with a clear error', async () => {
      for (const bad of [
        { cia: { integrity: 9 } },
        { zone: 'Not A Zone!' },
        { unknown: 1 },
        { tags: Array(40).fill('x') },
      ]) {
        const res = await http.send('PATCH', `/assets/${web}`, tenant, bad);
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal((res.body as { code: string }).code, 'VALIDATION_FAILED');
      }
    });

    it('shows the exposure surface internet-facing first', async () => {
      const res = await http.get('/exposure', tenant);
      assert.equal(res.status, 200);
      const body = res.body as {
        zones: {
          zone: string;
          assetCount: number;
          openPorts: number;
          ports: { assetId: string; port: number }[];
        }[];
      };
      assert.deepEqual(
        body.zones.map((z) => [z.zone, z.assetCount, z.openPorts]),
        [
          ['internet-facing', 1, 2],
          ['internal', 1, 1],
        ],
      );
      assert.equal(body.zones[1]?.ports[0]?.assetId, db);
    });

    it('imports attributes from CSV by id or address, all or nothing', async () => {
      const good = [
        'ip,owner_team,cia_confidentiality,tags,zone',
        '192.0.2.81,DBA,5,db;prod,internal',
        `"192.0.2.80","Web, Platform",3,,`,
      ].join('\n');
      const ok = await http.send('POST', '/assets/import', tenant, { csv: good });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { updated: 2 });
      const byTeam = (await http.get('/assets?owner=dba', tenant)).body as { items: { id: string }[] };
      assert.deepEqual(
        byTeam.items.map((a) => a.id),
        [db],
      );
      const timeline = (await http.get(`/assets/${db}/timeline`, tenant)).body as {
        items: { kind: string; source: string }[];
      };
      assert.ok(timeline.items.some((e) => e.kind === 'attribute_changed' && e.source.startsWith('csv:')));

      const bad = ['id,cia_integrity', `${db},4`, `${db},9`, 'not-an-id,1'].join('\n');
      const res = await http.send('POST', '/assets/import', tenant, { csv: bad });
      assert.equal(res.status, 400);
      const details = res.body as { code: string; message: string };
      assert.equal(details.code, 'VALIDATION_FAILED');
      assert.match(details.message, /2 invalid row/);
      const after = (await http.get('/assets?owner=dba', tenant)).body as { items: unknown[] };
      assert.equal(after.items.length, 1, 'nothing of the bad file was applied');
      const unknownHost = await http.send('POST', '/assets/import', tenant, {
        csv: 'ip,location\n192.0.2.99,HQ',
      });
      assert.equal(unknownHost.status, 400);
      const unknownColumn = await http.send('POST', '/assets/import', tenant, {
        csv: 'ip,password\n192.0.2.80,x',
      });
      assert.equal(unknownColumn.status, 400);
    });

    it('answers 404 for another tenant’s asset and shows it nothing', async () => {
      const other = randomUUID();
      for (const path of [`/assets/${web}/services`, `/assets/${web}/timeline`]) {
        assert.equal((await http.get(path, other)).status, 404);
      }
      assert.equal((await http.send('PATCH', `/assets/${web}`, other, { location: 'x' })).status, 404);
      assert.deepEqual((await http.get('/exposure', other)).body, { zones: [], truncated: false });
    });

    it('lists who saw a shadow asset: both scanning agents, with zone and shadow', async () => {
      const own = randomUUID();
      const [a, b] = [randomUUID(), randomUUID()];
      const see = (agentId: string, ports: number[]) =>
        store.dataSource.transaction((em) =>
          assets.applyDiscovery(
            em,
            { tenantId: own, agentId, scanId: randomUUID(), zone: 'dmz', receivedAt: T0 },
            hostAt('192.0.2.90', '52:54:00:00:00:90', ports),
          ),
        );
      const first = await see(a, [22]);
      const second = await see(b, []);
      assert.equal(second?.assetId, first?.assetId, 'one host, one asset');
      const res = await http.get('/assets?shadow=true', own);
      assert.equal(res.status, 200);
      const items = (res.body as { items: { id: string; seenBy: string[]; shadow: boolean; zone: string }[] })
        .items;
      assert.deepEqual(
        items.map((i) => [i.id, i.seenBy, i.shadow, i.zone]),
        [[first?.assetId, [a, b].sort(), true, 'dmz']],
      );
    });

    it('splits keys off an asset onto a new registered asset, with history on both', async () => {
      const own = randomUUID();
      const ctx = {
        tenantId: own,
        agentId: randomUUID(),
        scanId: randomUUID(),
        zone: 'internal',
        receivedAt: T0,
      };
      const host = hostAt('192.0.2.70', '52:54:00:00:00:70', [22]);
      const old = (await store.dataSource.transaction((em) => assets.applyDiscovery(em, ctx, host)))!.assetId;

      const split = await http.send('POST', `/assets/${old}/split`, own, { macs: ['52-54-00-00-00-70'] });
      assert.equal(split.status, 201, JSON.stringify(split.body));
      const id = (split.body as { id: string }).id;
      assert.notEqual(id, old);

      const kinds = async (asset: string) =>
        (
          (await http.get(`/assets/${asset}/timeline`, own)).body as {
            items: { kind: string; detail: object }[];
          }
        ).items;
      assert.ok((await kinds(old)).some((e) => e.kind === 'split' && (e.detail as { to: string }).to === id));
      assert.ok(
        (await kinds(id)).some(
          (e) => e.kind === 'split_from' && (e.detail as { assetId: string }).assetId === old,
        ),
      );
      const list = (await http.get('/assets', own)).body as { items: { id: string; shadow: boolean }[] };
      assert.equal(list.items.find((i) => i.id === id)?.shadow, false, 'a person made it: registered');
      assert.deepEqual(
        ((await http.get(`/assets/${old}/services`, own)).body as { items: { port: number }[] }).items.map(
          (p) => p.port,
        ),
        [22],
        'ports stay on the old asset',
      );
      // The MAC now belongs to the new asset: a sighting of that MAC alone lands there.
      const macOnly = { status: 'up', addresses: [{ addr: '52:54:00:00:00:70', type: 'mac' }], ports: [] };
      const again = await store.dataSource.transaction((em) => assets.applyDiscovery(em, ctx, macOnly));
      assert.equal(again?.assetId, id);

      const notHeld = await http.send('POST', `/assets/${old}/split`, own, { ips: ['192.0.2.71'] });
      assert.equal(notHeld.status, 400);
      assert.equal((notHeld.body as { code: string }).code, 'VALIDATION_FAILED');
      assert.equal((await http.send('POST', `/assets/${old}/split`, own, {})).status, 400);
      assert.equal(
        (await http.send('POST', `/assets/${old}/split`, randomUUID(), { ips: ['192.0.2.70'] })).status,
        404,
      );
    });
  });
}
