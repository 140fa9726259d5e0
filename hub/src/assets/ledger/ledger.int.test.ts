// The multi-source ledger against real databases (SQLite always, PostgreSQL when
// WATCHPOST_TEST_DATABASE_URL is set): an agent's inventory and other agents' scans of the same
// host are one asset; a reused address is another host; ports open, change and close on the
// timeline; loopback scans are the scanning agent's own host; tenants never mix.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { watchpost } from '@watchpost/proto';
import { assetsEntities, assetsMigrations, createAssetsModule, type AssetsModule } from '../index.js';
import { testStores, type TestStore } from '../testing-stores.js';
import { inventoryReport, sampleParts } from '../testing-reports.js';
import { LedgerStore } from './store.js';
import { dialectOfDataSource } from '../../db/data-source.js';

// Documentation addresses (RFC 5737): data only, never contacted.
const IP = '192.0.2.10';
const MAC = '52:54:00:12:34:56';
const OTHER_MAC = '52:54:00:ab:cd:ef';
const T = (h: number) => new Date(Date.UTC(2026, 10, 25, h, 0, 0));

function host(
  addresses: [string, string][],
  ports: Partial<watchpost.v1.IDiscoveredPort>[] = [],
): watchpost.v1.IDiscoveredHost {
  return {
    status: 'up',
    addresses: addresses.map(([addr, type]) => ({ addr, type })),
    hostnames: [],
    ports: ports.map((p) => ({ protocol: 'tcp', state: 'open', ...p })),
  };
}

for (const factory of testStores({ entities: assetsEntities, migrations: assetsMigrations })) {
  describe(`asset ledger (${factory.dialect})`, () => {
    let store: TestStore;
    let assets: AssetsModule;
    const tenant = randomUUID();
    const agentA = randomUUID();
    const scanner = randomUUID();
    before(async () => {
      store = await factory.open();
      assets = createAssetsModule({
        dataSource: store.dataSource,
        clock: () => T(0),
        log: pino({ level: 'silent' }),
      });
    });
    after(() => store.close());

    const tx = <R>(work: (em: import('typeorm').EntityManager) => Promise<R>) =>
      store.dataSource.transaction(work);
    const scan = (
      h: watchpost.v1.IDiscoveredHost,
      at: number,
      extra: Partial<{ tenantId: string; covered: string[] }> = {},
    ) =>
      tx((em) =>
        assets.applyDiscovery(
          em,
          {
            tenantId: extra.tenantId ?? tenant,
            agentId: scanner,
            scanId: randomUUID(),
            zone: 'internal',
            receivedAt: T(at),
            covers: extra.covered ? (key: string) => extra.covered?.includes(key) === true : undefined,
          },
          h,
        ),
      );
    const events = (assetId: string, tenantId = tenant) =>
      tx((em) => new LedgerStore(em, dialectOfDataSource(store.dataSource)).events(tenantId, assetId));
    const assetCount = async (tenantId = tenant) =>
      Number(
        (
          (await store.dataSource.query(
            store.dialect === 'postgres'
              ? 'SELECT COUNT(*) AS n FROM assets WHERE tenant_id = $1 AND merged_into_id IS NULL'
              : 'SELECT COUNT(*) AS n FROM assets WHERE tenant_id = ? AND merged_into_id IS NULL',
            [tenantId],
          )) as { n: number }[]
        )[0]?.n,
      );

    it('an agent and two scanners reporting the same host make one asset', async () => {
      const parts = sampleParts();
      parts.interfaces = [{ name: 'eth0', mac: MAC, ipv4: [`${IP}/24`], ipv6: [], up: true, mtu: 1500 }];
      const own = await tx((em) =>
        assets.applyInventory(
          em,
          { tenantId: tenant, agentId: agentA, receivedAt: T(1) },
          inventoryReport(parts, ['host', 'interfaces']),
        ),
      );
      const withMac = await scan(
        host(
          [
            [IP, 'ipv4'],
            [MAC, 'mac'],
          ],
          [{ port: 22, service: 'ssh', product: 'OpenSSH', version: '9.2p1' }],
        ),
        2,
      );
      const addressOnly = await scan(
        host([[IP, 'ipv4']], [{ port: 22, service: 'ssh', product: 'OpenSSH', version: '9.3p1' }]),
        3,
      );
      assert.equal(withMac?.assetId, own.assetId);
      assert.equal(withMac?.created, false);
      assert.equal(addressOnly?.assetId, own.assetId);
      assert.equal(await assetCount(), 1);
      const kinds = (await events(own.assetId)).map((e) => e.kind);
      assert.deepEqual(kinds.sort(), ['port_opened', 'service_changed']);
    });

    it('a covered port no longer open is closed on the timeline', async () => {
      const out = await scan(
        host([
          [IP, 'ipv4'],
          [MAC, 'mac'],
        ]),
        4,
        { covered: ['tcp/22'] },
      );
      assert.ok(out);
      assert.ok((await events(out.assetId)).some((e) => e.kind === 'port_closed'));
    });

    it('the same address with another MAC is DHCP reuse: a second (shadow) asset', async () => {
      const out = await scan(
        host(
          [
            [IP, 'ipv4'],
            [OTHER_MAC, 'mac'],
          ],
          [{ port: 80, service: 'http' }],
        ),
        5,
      );
      assert.ok(out?.created);
      assert.equal(await assetCount(), 2);
      const rows = (await store.dataSource.query(
        store.dialect === 'postgres'
          ? 'SELECT agent_id, source FROM assets WHERE id = $1'
          : 'SELECT agent_id, source FROM assets WHERE id = ?',
        [out.assetId],
      )) as { agent_id: string | null; source: string }[];
      assert.deepEqual(rows[0], { agent_id: null, source: 'scan' });
      const first = (await tx((em) =>
        assets.applyDiscovery(
          em,
          { tenantId: tenant, agentId: scanner, scanId: randomUUID(), zone: 'internal', receivedAt: T(6) },
          host([[MAC, 'mac']]),
        ),
      ))!;
      assert.ok(
        (await events(first.assetId)).some((e) => e.kind === 'address_reused'),
        'the old holder lost the address',
      );
    });

    it('a loopback scan is the scanning agent’s own host', async () => {
      const parts = sampleParts();
      const mine = await tx((em) =>
        assets.applyInventory(
          em,
          { tenantId: tenant, agentId: scanner, receivedAt: T(7) },
          inventoryReport(parts, ['host']),
        ),
      );
      const out = await scan(
        host([['127.0.0.1', 'ipv4']], [{ port: 5432, service: 'postgresql', product: 'PostgreSQL DB' }]),
        8,
      );
      assert.equal(out?.assetId, mine.assetId);
    });

    it('hosts down are ignored, and tenants never mix', async () => {
      assert.equal(await scan({ status: 'down', addresses: [{ addr: IP, type: 'ipv4' }] }, 9), undefined);
      const other = randomUUID();
      const out = await scan(
        host([
          [IP, 'ipv4'],
          [MAC, 'mac'],
        ]),
        10,
        { tenantId: other },
      );
      assert.ok(out?.created, 'another tenant gets its own asset for the same host keys');
      assert.equal(await assetCount(other), 1);
    });
  });
}
