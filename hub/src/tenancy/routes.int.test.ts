// GET /tenant/scope and POST /enrollment-tokens over HTTP: the default scope, a token that the
// enrollment check accepts, its install one-liner, and bad input refused with nothing stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import { serveRouters, type TestServer } from '../assets/testing-http.js';
import { allEntities, allMigrations } from '../db/registry.js';
import { TenancyService, TenantScopeStore, tenancyRouter } from './index.js';
import type { CreatedEnrollmentTokenView, TenantScopeView } from './api-types.js';

const T0 = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));

for (const factory of testStores({ entities: allEntities(), migrations: allMigrations() })) {
  describe(`tenancy routes (${factory.dialect})`, () => {
    let store: TestStore;
    let http: TestServer;
    let tenancy: TenancyService;
    let tenant = '';
    before(async () => {
      store = await factory.open();
      tenancy = new TenancyService(store.dataSource, () => T0);
      tenant = (await tenancy.createTenant('acme')).id;
      http = await serveRouters([tenancyRouter(tenancy, new TenantScopeStore(store.dataSource, () => T0))]);
    });
    after(async () => {
      await http?.close();
      await store?.close();
    });

    it('reads the default scope', async () => {
      const res = await http.get('/tenant/scope', tenant);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body as TenantScopeView, { cidrs: ['127.0.0.1/32'], timezone: 'UTC' });
    });

    it('creates an enrollment token with its install command', async () => {
      const res = await http.send('POST', '/enrollment-tokens', tenant, { expires: '2h', uses: 3 });
      assert.equal(res.status, 201);
      const t = res.body as CreatedEnrollmentTokenView;
      assert.equal(t.tenantId, tenant);
      assert.equal(t.usesLeft, 3);
      assert.equal(t.expiresAt, new Date(T0.getTime() + 2 * 3_600_000).toISOString());
      assert.match(
        t.installCommand,
        /^curl -fsSL http:\/\/127\.0\.0\.1:\d+\/install\.sh \| sudo sh -s -- --token /,
      );
      assert.ok(t.installCommand.endsWith(t.token));
      const listed = await tenancy.listEnrollmentTokens(tenant);
      assert.deepEqual(
        listed.map((x) => x.id),
        [t.id],
      );
    });

    it('refuses a bad body and stores nothing', async () => {
      for (const body of [{ expires: 'soon' }, { uses: 0 }, { extra: true }]) {
        const res = await http.send('POST', '/enrollment-tokens', tenant, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal((res.body as { code: string }).code, 'VALIDATION_FAILED');
      }
      assert.equal((await tenancy.listEnrollmentTokens(tenant)).length, 1);
    });
  });
}
