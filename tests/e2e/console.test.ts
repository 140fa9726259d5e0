// The console in Debian's Chromium against a real hub and a real agent on 127.0.0.1: log in, the
// agent appears, the language switches to zh-CN, a service scan of this machine's PostgreSQL and
// Redis ports runs to 100 % with live progress, the dashboard's charts draw real data, the asset
// shows its services, an enrollment token comes with its install command, a tenant user cannot
// reach another tenant's data by URL, and the browser console stays free of errors. A screenshot
// of each page is kept in test-artifacts/console/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser, openPage, type WatchedPage } from './lib/browser.js';
import {
  agentCli,
  createTenant,
  freePort,
  hubCli,
  startAgent,
  startHub,
  tempDir,
  waitFor,
  type Hub,
  type HubOptions,
  type RunningProcess,
  type Tenant,
} from './lib/harness.js';

const skip = browserSkipReason();
if (skip) console.log(`# skipping console e2e: ${skip}`);

const PASSWORD = 'e2e console passphrase';
/** This machine's PostgreSQL and Redis (scripts/test starts them), scanned on 127.0.0.1 only. */
const SERVICE_PORTS = '5432,6379';
const nmapMissing = (() => {
  try {
    execFileSync('nmap', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'nmap is not installed (scripts/test installs it)';
  }
})();
if (nmapMissing) console.log(`# skipping the console scan flow: ${nmapMissing}`);

describe('console in Chromium', { skip: skip ?? false }, () => {
  const dir = tempDir('wp-console-e2e-');
  let hubOpts: HubOptions;
  let hub: Hub;
  let agent: RunningProcess;
  let browser: Browser;
  let acme: Tenant;
  let agentId = '';
  let agentHost = '';

  before(async () => {
    hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
    hub = await startHub(hubOpts);
    acme = await createTenant(hubOpts, hub.url, 'acme');
    await createTenant(hubOpts, hub.url, 'globex');
    const pw = join(dir.path, 'pw');
    writeFileSync(pw, PASSWORD);
    for (const [email, role, tenant] of [
      ['admin@acme.test', 'tenant_admin', 'acme'],
      ['admin@globex.test', 'tenant_admin', 'globex'],
    ] as const) {
      await hubCli(hubOpts, [
        'user',
        'create',
        email,
        '--role',
        role,
        '--tenant',
        tenant,
        '--password-file',
        pw,
      ]);
    }
    const agentOpts = { dataDir: join(dir.path, 'agent') };
    const enrolled = await agentCli(agentOpts, [
      'enroll',
      '--hub',
      hub.wsUrl,
      '--token',
      acme.enrollToken,
      '--json',
    ]);
    agentId = (JSON.parse(enrolled.stdout) as { agentId: string }).agentId;
    agent = startAgent(agentOpts);
    const row = await waitFor('agent online', async () => {
      const { items } = await acme.api.get<{
        items: { id: string; online: boolean; hostname: string; assetId: string | null }[];
      }>('/api/v1/agents');
      return items.find((a) => a.id === agentId && a.online);
    });
    agentHost = row.hostname;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await agent?.kill();
    await hub?.kill();
    dir.remove();
  });

  async function logIn(email: string, locale = 'en-US'): Promise<WatchedPage> {
    const w = await openPage(browser, 'console', locale);
    await w.page.goto(hub.url + '/agents');
    await w.page.waitForURL(/\/login\?next=/);
    await w.page.fill('input[name="email"]', email);
    await w.page.fill('input[name="password"]', PASSWORD);
    await w.page.click('button[type="submit"]');
    await w.page.waitForURL((url) => url.pathname === '/agents');
    return w;
  }

  test('log in, see the real agent, switch to zh-CN, log out', async () => {
    const w = await openPage(browser, 'console');
    await w.page.goto(hub.url + '/');
    await w.page.waitForSelector('input[name="email"]');
    await w.screenshot('login');
    await w.page.close();

    const admin = await logIn('admin@acme.test');
    await admin.page.getByText(agentHost).first().waitFor();
    await admin.screenshot('agents');
    await admin.page.getByText('中文').click();
    await admin.page.getByRole('heading', { name: '探针' }).waitFor();
    assert.equal(await admin.page.locator('html').getAttribute('lang'), 'zh-CN');
    await admin.page.locator('.el-radio-button.is-active', { hasText: '中文' }).waitFor();
    await admin.screenshot('agents-zh-CN');
    await admin.page.getByText('退出登录').click();
    await admin.page.waitForURL(/\/login/);
    assert.deepEqual(admin.errors, []);
  });

  test("a tenant user cannot reach another tenant's agent by URL", async () => {
    const other = await logIn('admin@globex.test');
    await other.page.getByText('No agent enrolled yet', { exact: false }).waitFor();
    assert.equal(await other.page.getByText(agentHost).count(), 0);
    const status = await other.page.evaluate(
      async (id) => (await fetch(`/api/v1/agents/${id}`)).status,
      agentId,
    );
    assert.equal(status, 404);
    await other.screenshot('agents-other-tenant');
    // The 404 above was asked for by the test; anything else in the console is a defect.
    assert.deepEqual(
      other.errors.filter((e) => !e.includes('404')),
      [],
    );
  });
});

describe('console pages in Chromium: overview, agents, assets, scans', { skip: skip ?? false }, () => {
  const dir = tempDir('wp-console-pages-e2e-');
  let hubOpts: HubOptions;
  let hub: Hub;
  let agent: RunningProcess;
  let browser: Browser;
  let acme: Tenant;
  let agentId = '';
  let assetId = '';
  let admin: WatchedPage;

  before(async () => {
    hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
    hub = await startHub(hubOpts);
    acme = await createTenant(hubOpts, hub.url, 'acme');
    await createTenant(hubOpts, hub.url, 'globex');
    const pw = join(dir.path, 'pw');
    writeFileSync(pw, PASSWORD);
    for (const [email, tenant] of [
      ['admin@acme.test', 'acme'],
      ['admin@globex.test', 'globex'],
    ] as const) {
      await hubCli(hubOpts, [
        'user',
        'create',
        email,
        '--role',
        'tenant_admin',
        '--tenant',
        tenant,
        '--password-file',
        pw,
      ]);
    }
    const agentOpts = { dataDir: join(dir.path, 'agent') };
    const enrolled = await agentCli(agentOpts, [
      'enroll',
      '--hub',
      hub.wsUrl,
      '--token',
      acme.enrollToken,
      '--json',
    ]);
    agentId = (JSON.parse(enrolled.stdout) as { agentId: string }).agentId;
    agent = startAgent(agentOpts);
    assetId = await waitFor('agent online with its asset', async () => {
      const { items } = await acme.api.get<{
        items: { id: string; online: boolean; assetId: string | null }[];
      }>('/api/v1/agents');
      const a = items.find((i) => i.id === agentId);
      return a?.online && a.assetId ? a.assetId : undefined;
    });
    browser = await launchBrowser();
    admin = await logInAs(browser, hub.url, 'admin@acme.test');
  });

  after(async () => {
    await browser?.close();
    await agent?.kill();
    await hub?.kill();
    dir.remove();
  });

  test('a service scan of 127.0.0.1 runs to 100 % with live progress', { skip: nmapMissing }, async () => {
    const { page } = admin;
    await page.goto(hub.url + '/scans');
    await page.getByRole('button', { name: 'New scan' }).click();
    await page.fill('textarea[name="targets"]', '127.0.0.2');
    await page.getByText('127.0.0.2: outside scope').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Start scan' }).isDisabled(), true);
    await page.fill('textarea[name="targets"]', '127.0.0.1');
    await page.getByText('127.0.0.1: in scope').waitFor();
    await page.fill('input[name="ports"]', SERVICE_PORTS);
    await admin.screenshot('scan-create');
    await page.getByRole('button', { name: 'Start scan' }).click();
    await page.waitForURL(/\/scans\/[0-9a-f-]{36}$/);
    await page.locator('[data-test="scan-progress"]').getByText('100%').waitFor({ timeout: 180_000 });
    await page.locator('[data-test="scan-state"]', { hasText: 'done' }).waitFor({ timeout: 60_000 });
    const hosts = page.locator('[data-test="scan-hosts"]');
    await hosts.getByText('5432/tcp').waitFor();
    await hosts.getByText('6379/tcp').waitFor();
    await admin.screenshot('scan-detail');
    await page.goto(hub.url + '/scans');
    await page.getByText('127.0.0.1').first().waitFor();
    await admin.screenshot('scans');
  });

  test("the dashboard's charts draw real data and link to the lists", async () => {
    const { page } = admin;
    await page.goto(hub.url + '/');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    for (const chart of ['assets', 'exposure', 'priority', 'type', 'compliance', 'agents']) {
      await page.locator(`[data-chart="${chart}"] canvas`).waitFor();
    }
    // A drawn canvas has painted (non-transparent) pixels; an empty one is all zeros.
    // (A string: the e2e tsconfig has no DOM types.)
    const painted =
      await page.waitForFunction(`[...document.querySelectorAll('[data-chart] canvas')].every((c) => {
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      return data !== undefined && c.width > 0 && data.some((v, i) => i % 4 === 3 && v !== 0);
    })`);
    assert.ok(await painted.jsonValue());
    const overview = await acme.api.get<{
      agents: { online: { value: number } };
      assets: { total: { value: number } };
    }>('/api/v1/overview');
    assert.equal(overview.agents.online.value, 1);
    assert.ok(overview.assets.total.value >= 1);
    await admin.screenshot('overview');
    await page.getByText('中文').click();
    await page.getByRole('heading', { name: '总览' }).waitFor();
    await page.locator('[data-chart="agents"] h2', { hasText: '探针' }).waitFor();
    await admin.screenshot('overview-zh-CN');
    await page.getByText('English').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('.stat-tile', { hasText: 'Agents online' }).click();
    await page.waitForURL((u) => u.pathname === '/agents' && u.searchParams.get('state') === 'online');
  });

  test('agents: enrollment token with its install command', async () => {
    const { page } = admin;
    await page.goto(hub.url + '/agents');
    await page.getByRole('button', { name: 'Enroll agent' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const command = await page.locator('[data-test="install-command"]').textContent();
    assert.match(
      command ?? '',
      /^curl -fsSL http:\/\/127\.0\.0\.1:\d+\/install\.sh \| sudo sh -s -- --token \S+$/,
    );
    await admin.screenshot('agents-enroll');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
  });

  test('assets: the ledger, an inline edit, and the asset with its services', async () => {
    const { page } = admin;
    await page.goto(hub.url + '/assets');
    const row = page.locator('.el-table__row').first();
    await row.waitFor();
    await row.getByRole('button', { name: 'Owner' }).click();
    await row.getByRole('textbox', { name: 'Owner' }).fill('Li Wei');
    await row.getByRole('textbox', { name: 'Owner' }).press('Enter');
    await row.getByRole('button', { name: 'Owner' }).filter({ hasText: 'Li Wei' }).waitFor();
    const listed = await acme.api.get<{
      items: { id: string; attributes: { owner: { person: string | null } } }[];
    }>('/api/v1/assets?owner=li%20wei');
    assert.equal(listed.items.length, 1);
    await admin.screenshot('assets');
    await page.goto(hub.url + '/assets?tab=exposure');
    await admin.screenshot('assets-exposure');

    await page.goto(`${hub.url}/assets/${assetId}`);
    await page.locator('.el-descriptions').waitFor();
    if (!nmapMissing) {
      const services = page.locator('[data-test="services"]');
      await services.getByText('5432/tcp').waitFor();
      await services.getByText('6379/tcp').waitFor();
    }
    await admin.screenshot('asset-detail');
    await page.getByText('Packages', { exact: true }).click();
    await page.locator('.el-pagination').waitFor();
    await admin.screenshot('asset-packages');
    await page.getByText('Timeline & drift', { exact: true }).click();
    await page.getByText('Change timeline').waitFor();
    await admin.screenshot('asset-timeline');
    assert.deepEqual(admin.errors, []);
  });

  test("a tenant user cannot open another tenant's asset by URL", async () => {
    const other = await logInAs(browser, hub.url, 'admin@globex.test');
    await other.page.goto(`${hub.url}/assets/${assetId}`);
    await other.page.getByText('Asset not found').waitFor();
    const status = await other.page.evaluate(
      async (id) => (await fetch(`/api/v1/assets/${id}`)).status,
      assetId,
    );
    assert.equal(status, 404);
    await other.screenshot('asset-other-tenant');
    // The 404s above were asked for by the test; anything else in the console is a defect.
    assert.deepEqual(
      other.errors.filter((e) => !e.includes('404')),
      [],
    );
  });
});

async function logInAs(browser: Browser, hubUrl: string, email: string): Promise<WatchedPage> {
  const w = await openPage(browser, 'console', 'en-US');
  await w.page.goto(hubUrl + '/agents');
  await w.page.waitForURL(/\/login\?next=/);
  await w.page.fill('input[name="email"]', email);
  await w.page.fill('input[name="password"]', PASSWORD);
  await w.page.click('button[type="submit"]');
  await w.page.waitForURL((url) => url.pathname === '/agents');
  return w;
}
