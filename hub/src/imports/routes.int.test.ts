// POST /imports, GET /imports/:id, GET /findings/:id (risk breakdown) and GET/PUT /risk/config
// over real HTTP on 127.0.0.1, on each store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bodyParser } from '@koa/bodyparser';
import { Router } from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import { assetsEntities, assetsMigrations, createAssetsModule } from '../assets/index.js';
import { testStores, type TestStore } from '../assets/testing-stores.js';
import {
  createFindingsModule,
  findingsEntities,
  findingsMigrations,
  type FindingDetail,
  type FindingsPage,
} from '../findings/index.js';
import { errorMiddleware } from '../http/errors.js';
import type { AuthState } from '../platform/module.js';
import { createRiskModule, riskMigrations } from '../risk/index.js';
import type { Role } from '../users/index.js';
import { createImportsModule, type ImportJob } from './index.js';
import { BILLION_LAUGHS } from './xml/testing-hostile.js';

const here = dirname(fileURLToPath(import.meta.url));
const NESSUS = readFileSync(join(here, 'nessus/testdata/handmade-scan.nessus'));
const TRIVY = JSON.parse(readFileSync(join(here, 'trivy/testdata/handmade-image.json'), 'utf8')) as unknown;
const schema = {
  entities: [...assetsEntities, ...findingsEntities],
  migrations: [...assetsMigrations, ...findingsMigrations, ...riskMigrations],
};

for (const factory of testStores(schema)) {
  describe(`imports and risk REST on ${factory.dialect}`, () => {
    let store: TestStore;
    let server: Server;
    let base: string;
    const tenant = randomUUID();

    before(async () => {
      store = await factory.open();
      const deps = { dataSource: store.dataSource, clock: () => new Date(), log: pino({ level: 'silent' }) };
      const assets = createAssetsModule(deps);
      const findings = createFindingsModule(deps);
      const risk = createRiskModule({ ...deps, findings: findings.service });
      const imports = createImportsModule({
        ...deps,
        findings: findings.service,
        risk: risk.service,
        ledger: (em, ctx, host) => assets.applyDiscovery(em, ctx, host),
      });
      // Mounted like the hub does (json body parser, /api/v1), with the role from a test header.
      const app = new Koa();
      app.silent = true;
      app.use(errorMiddleware(pino({ level: 'silent' })));
      app.use(bodyParser({ enableTypes: ['json'] }));
      const api = new Router<AuthState>({ prefix: '/api/v1' });
      api.use(async (ctx, next) => {
        const role = (ctx.get('x-test-role') || 'tenant_admin') as Role;
        ctx.state.auth = {
          tenantId: ctx.get('x-test-tenant'),
          tokenId: 'test',
          role,
          userId: null,
          sessionId: null,
        };
        await next();
      });
      for (const r of [findings.router, risk.router, imports.router]) api.use(r.routes(), r.allowedMethods());
      app.use(api.routes());
      server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    });

    async function call(
      method: string,
      path: string,
      body?: string | Buffer,
      headers: Record<string, string> = {},
    ) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'x-test-tenant': tenant, ...headers },
        body: body ?? null,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }
    async function finished(id: string, t = tenant): Promise<ImportJob> {
      for (let i = 0; i < 200; i++) {
        const r = await call('GET', `/imports/${id}`, undefined, { 'x-test-tenant': t });
        const job = r.body as unknown as ImportJob;
        if (job.state !== 'running') return job;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('import did not finish');
    }

    it('imports a raw XML upload in the background and reports its counts', async () => {
      const r = await call('POST', '/imports?format=nessus', NESSUS, { 'content-type': 'application/xml' });
      assert.equal(r.status, 202);
      const job = await finished(String(r.body['id']));
      assert.equal(job.state, 'succeeded');
      assert.equal(job.result?.new, 3);
      assert.equal(job.result?.raw, 3);
      const other = await call('GET', `/imports/${job.id}`, undefined, { 'x-test-tenant': randomUUID() });
      assert.equal(other.status, 404);
    });

    it('imports a JSON report sent as application/json', async () => {
      const r = await call('POST', '/imports?format=trivy', JSON.stringify(TRIVY), {
        'content-type': 'application/json',
      });
      assert.equal(r.status, 202);
      const job = await finished(String(r.body['id']));
      assert.equal(job.result?.new, 2);
    });

    it('reports hostile XML as a failed job and refuses unknown formats and analysts-only roles', async () => {
      const r = await call('POST', '/imports?format=nmap', BILLION_LAUGHS, {
        'content-type': 'application/xml',
      });
      const job = await finished(String(r.body['id']));
      assert.equal(job.state, 'failed');
      assert.equal(job.error?.code, 'IMPORT_XML_HOSTILE');
      assert.equal((await call('POST', '/imports?format=excel', 'x')).status, 400);
      const viewer = await call('POST', '/imports?format=nessus', NESSUS, { 'x-test-role': 'viewer' });
      assert.equal(viewer.status, 403);
    });

    it('shows every finding with its risk breakdown; filters by cve, source, priority', async () => {
      const list = (await call('GET', '/findings?cve=CVE-2023-38408&source=nessus'))
        .body as unknown as FindingsPage;
      assert.equal(list.total, 1);
      const detail = (await call('GET', `/findings/${list.items[0]?.id}`)).body as unknown as FindingDetail;
      assert.equal(detail.cve, 'CVE-2023-38408');
      assert.ok(['P1', 'P2', 'P3', 'P4'].includes(detail.priority ?? ''));
      for (const k of ['base', 'kev', 'epss', 'criticality', 'exposure', 'confidence'])
        assert.ok(k in detail.riskFactors, `breakdown has ${k}`);
      assert.equal(detail.riskFactors['score'], detail.riskScore);
    });

    it('GET/PUT /risk/config validates, stores and re-scores', async () => {
      const got = await call('GET', '/risk/config');
      assert.deepEqual((got.body['config'] as { slaDays: unknown }).slaDays, {
        P1: 7,
        P2: 30,
        P3: 90,
        P4: 180,
      });
      const bad = await call('PUT', '/risk/config', JSON.stringify({ bands: { P1: 10, P2: 20, P3: 30 } }), {
        'content-type': 'application/json',
      });
      assert.equal(bad.status, 400);
      const analyst = await call('PUT', '/risk/config', '{}', {
        'content-type': 'application/json',
        'x-test-role': 'tenant_analyst',
      });
      assert.equal(analyst.status, 403);
      const config = {
        bands: { P1: 1, P2: 0.5, P3: 0.1 },
        slaDays: { P1: 3, P2: 30, P3: 90, P4: 180 },
        kevOverride: true,
      };
      const put = await call('PUT', '/risk/config', JSON.stringify(config), {
        'content-type': 'application/json',
      });
      assert.equal(put.status, 200);
      assert.equal(put.body['rescored'], 5);
      const p1 = (await call('GET', '/findings?priority=P1&sort=risk')).body as unknown as FindingsPage;
      assert.equal(p1.total, 5);
      assert.deepEqual((await call('GET', '/risk/config')).body['config'], config);
    });
  });
}
