// The policies, intel and findings pages in Debian's Chromium against a real hub and a real agent
// on 127.0.0.1: an expert writes a policy in the YAML editor (line-numbered errors first), assigns
// it, sees the agent apply it and its results per check; imports an intel feed file and watches
// the import finish; opens a finding from a hand-made Nessus report of 127.0.0.1 with its risk
// breakdown and evidence; views a page in zh-CN. Screenshots in test-artifacts/console-policies/;
// the browser console must stay free of errors.
import assert from 'node:assert/strict';
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
if (skip) console.log(`# skipping console policies e2e: ${skip}`);

const PASSWORD = 'e2e console passphrase';
const BAD_POLICY =
  'id: e2e-console\ntitle: E2E console policy\nversion: "1.0"\nchecks:\n  - id: c1\n    title: x\n';
// One check passes on any Linux host, one fails (its file never exists): a baseline finding.
const POLICY = `id: e2e-console
title: E2E console policy
version: "1.0"
checks:
  - id: passwd-exists
    title: /etc/passwd exists
    rationale: Every Linux host has an account database.
    remediation: Restore /etc/passwd from backup.
    rules:
      - { kind: file, path: /etc/passwd }
  - id: marker-exists
    title: The Watchpost e2e marker file exists
    rationale: It never exists, so this check fails.
    remediation: Create /nonexistent/watchpost-e2e-marker.
    rules:
      - { kind: file, path: /nonexistent/watchpost-e2e-marker }
`;
// A hand-made Nessus report of this machine: one critical OpenSSH finding with its CVE.
const NESSUS = `<?xml version="1.0" ?>
<NessusClientData_v2><Report name="e2e-console">
<ReportHost name="127.0.0.1"><HostProperties><tag name="host-ip">127.0.0.1</tag></HostProperties>
<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="4" pluginID="178772" pluginName="OpenSSH &lt; 9.3p2 Vulnerability" pluginFamily="Misc.">
<cve>CVE-2023-38408</cve>
<cvss3_base_score>9.8</cvss3_base_score>
<cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector>
<description>The version of OpenSSH is prior to 9.3p2.</description>
<solution>Upgrade to OpenSSH 9.3p2 or later.</solution>
<plugin_output>Installed version : 8.2p1</plugin_output>
</ReportItem>
</ReportHost></Report></NessusClientData_v2>
`;
// A hand-made CISA KEV catalog listing that CVE (with known ransomware use).
const KEV = JSON.stringify({
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2026.11.26',
  dateReleased: '2026-11-26T00:00:00.000Z',
  count: 1,
  vulnerabilities: [
    {
      cveID: 'CVE-2023-38408',
      vendorProject: 'OpenBSD',
      product: 'OpenSSH',
      vulnerabilityName: 'OpenSSH ssh-agent remote code execution',
      dateAdded: '2026-11-01',
      shortDescription: 'ssh-agent PKCS#11 remote code execution.',
      requiredAction: 'Apply updates.',
      dueDate: '2026-11-22',
      knownRansomwareCampaignUse: 'Known',
      notes: '',
    },
  ],
});

describe('console policies, intel and findings in Chromium', { skip: skip ?? false }, () => {
  const dir = tempDir('wp-console-policies-e2e-');
  let hubOpts: HubOptions;
  let hub: Hub;
  let agent: RunningProcess;
  let browser: Browser;
  let acme: Tenant;
  let agentHost = '';
  let agentAssetId = '';
  let apiToken = '';
  const savedHb = process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'];

  before(async () => {
    // Heartbeats carry the applied policy list; a short interval keeps the test quick.
    process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'] = '1';
    hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
    hub = await startHub(hubOpts);
    acme = await createTenant(hubOpts, hub.url, 'acme');
    apiToken = (await hubCli<{ token: string }>(hubOpts, ['apitoken', 'create', '--tenant', 'acme'])).token;
    const pw = join(dir.path, 'pw');
    writeFileSync(pw, PASSWORD);
    await hubCli(hubOpts, [
      'user',
      'create',
      'expert@mssp.test',
      '--role',
      'expert',
      '--tenant',
      'acme',
      '--password-file',
      pw,
    ]);
    const agentOpts = { dataDir: join(dir.path, 'agent') };
    const enrolled = await agentCli(agentOpts, [
      'enroll',
      '--hub',
      hub.wsUrl,
      '--token',
      acme.enrollToken,
      '--json',
    ]);
    const agentId = (JSON.parse(enrolled.stdout) as { agentId: string }).agentId;
    agent = startAgent(agentOpts);
    const row = await waitFor('agent online', async () => {
      const { items } = await acme.api.get<{ items: { id: string; online: boolean; hostname: string }[] }>(
        '/api/v1/agents',
      );
      return items.find((a) => a.id === agentId && a.online);
    });
    agentHost = row.hostname;
    agentAssetId = await waitFor('agent asset', async () => {
      const a = await acme.api.get<{ assetId: string | null }>(`/api/v1/agents/${agentId}`);
      return a.assetId ?? undefined;
    });
    browser = await launchBrowser();
  });

  after(async () => {
    if (savedHb === undefined) delete process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'];
    else process.env['WATCHPOST_HEARTBEAT_INTERVAL_S'] = savedHb;
    await browser?.close();
    await agent?.kill();
    await hub?.kill();
    dir.remove();
  });

  async function logIn(path: string, locale = 'en-US'): Promise<WatchedPage> {
    const w = await openPage(browser, 'console-policies', locale);
    await w.page.goto(hub.url + path);
    await w.page.waitForURL(/\/login\?next=/);
    await w.page.fill('input[name="email"]', 'expert@mssp.test');
    await w.page.fill('input[name="password"]', PASSWORD);
    await w.page.click('button[type="submit"]');
    await w.page.waitForURL((url) => url.pathname === path);
    return w;
  }

  test('write a policy with validation errors, assign it, see it applied and its results per check', async () => {
    const w = await logIn('/policies');
    const { page } = w;
    await page.locator('[data-test="policies-table"] .el-table__row').first().waitFor();
    await w.screenshot('policies-library');

    await page.click('[data-test="policy-new"]');
    await page.waitForURL(/\/policies\/new$/);
    await page.fill('[data-test="yaml-editor"]', BAD_POLICY);
    await page.click('[data-test="policy-validate"]');
    await page.locator('[data-test="validation-errors"] li').first().waitFor();
    const marked = await page
      .locator('.yaml-editor__num--error')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
    assert.ok(
      marked.length > 0 && marked.every((l) => l >= 1 && l <= 6),
      `error lines ${JSON.stringify(marked)}`,
    );
    await w.screenshot('policy-editor-errors');

    await page.fill('[data-test="yaml-editor"]', POLICY);
    await page.click('[data-test="policy-save"]');
    await page.waitForURL(/\/policies\/[0-9a-f-]{36}$/);
    assert.equal(await page.locator('.yaml-editor__num--error').count(), 0);

    await page.click('[data-tab="assignment"]');
    await page.locator('[data-test="assign-tenant"]').click();
    await page.click('[data-test="assign-save"]');
    await page.getByText('Assignment saved', { exact: false }).waitFor();

    await page.click('[data-tab="deployment"]');
    await page.getByText(agentHost).first().waitFor();
    await page.locator('[data-test="deployment"] [data-state="applied"]').waitFor({ timeout: 60_000 });
    await w.screenshot('policy-deployment');
    await page.click('[data-test="evaluate-now"]');
    await page.getByText('Requested from 1 agent', { exact: true }).waitFor();

    // Results arrive asynchronously: re-open the tab until the run is there.
    await waitFor('baseline results', async () => {
      await page.click('[data-tab="deployment"]');
      await page.click('[data-tab="results"]');
      await page.locator('[data-test="results"]').waitFor();
      await page.waitForTimeout(500);
      return (await page.locator('[data-check-status]').count()) >= 2 ? true : undefined;
    });
    const statuses = await page
      .locator('[data-check-status]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-check-status')));
    assert.deepEqual(statuses.sort(), ['fail', 'pass']);
    await page.getByText('Create /nonexistent/watchpost-e2e-marker.').waitFor();
    await w.screenshot('policy-results');

    // The failing check links to its baseline finding.
    await page.click('[data-test="check-finding"]');
    await page.waitForURL(/\/findings\/[0-9a-f-]{36}$/);
    await page.locator('[data-test="evidence"] .el-table__row').first().waitFor();
    await w.screenshot('finding-baseline');
    assert.deepEqual(w.errors, []);
  });

  test('import an intel feed file and watch it finish; early warnings and the cross-tenant view', async () => {
    const w = await logIn('/intel');
    const { page } = w;
    await page.locator('[data-test="feed-status"]').waitFor();
    const file = join(dir.path, 'kev.json');
    writeFileSync(file, KEV);
    await page.setInputFiles('[data-test="intel-file"]', file);
    await page.locator('[data-test="import-progress"][data-state="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByText('1 new, 0 updated, 0 failed').first().waitFor();
    await page.locator('[data-test="feed-status"] .el-table__row', { hasText: 'kev' }).waitFor();
    await page.locator('[data-test="cross-tenant"]').waitFor();
    await w.screenshot('intel');
    assert.deepEqual(w.errors, []);
  });

  test('open a scanner finding: filters in the URL, risk breakdown, evidence, remediation; zh-CN', async () => {
    const res = await fetch(`${hub.url}/api/v1/imports?format=nessus&assetId=${agentAssetId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/octet-stream' },
      body: NESSUS,
    });
    assert.equal(res.status, 202, await res.clone().text());
    const job = (await res.json()) as { id: string };
    const done = await waitFor('nessus import', async () => {
      const j = await acme.api.get<{ state: string }>(`/api/v1/imports/${job.id}`);
      return j.state === 'running' ? undefined : j;
    });
    assert.equal(done.state, 'succeeded', JSON.stringify(done));
    const vulns = await acme.api.get<{ total: number }>('/api/v1/findings?type=vulnerability');
    assert.equal(vulns.total, 1);

    const w = await logIn('/findings');
    const { page } = w;
    await page.locator('[data-test="findings-table"] .el-table__row').first().waitFor();
    await page.locator('[data-test="filter-type"] .el-checkbox-button', { hasText: 'Vulnerability' }).click();
    await page.waitForURL((u) => u.searchParams.get('type') === 'vulnerability');
    await page.locator('[data-test="sort"] .el-radio-button', { hasText: 'Risk score' }).click();
    await page.waitForURL(
      (u) => u.searchParams.get('sort') === 'risk' && u.searchParams.get('type') === 'vulnerability',
    );
    const row = page.locator('[data-test="findings-table"] .el-table__row', { hasText: 'OpenSSH' });
    await row.waitFor();
    assert.equal(await page.locator('[data-test="findings-table"] .el-table__row').count(), 1);
    await w.screenshot('findings-list');

    await row.getByRole('link').click();
    await page.waitForURL(/\/findings\/[0-9a-f-]{36}$/);
    const breakdown = page.locator('[data-test="risk-breakdown"]');
    await breakdown.locator('tr[data-factor="base"]').waitFor();
    assert.match(await breakdown.locator('tr[data-factor="kev"]').innerText(), /\+25/);
    await page
      .locator('[data-test="evidence"] .el-table__row', { hasText: 'Installed version : 8.2p1' })
      .waitFor();
    await page.locator('[data-test="remediation"]', { hasText: 'Upgrade to OpenSSH 9.3p2' }).waitFor();
    await w.screenshot('finding-detail');
    assert.deepEqual(w.errors, []);

    // The same page in zh-CN (browser language), filters kept from the URL.
    const zh = await logIn('/findings', 'zh-CN');
    await zh.page.goto(`${hub.url}/findings?type=vulnerability&sort=risk`);
    await zh.page.getByRole('heading', { name: '发现' }).waitFor();
    await zh.page.locator('.el-checkbox-button.is-checked', { hasText: '漏洞' }).waitFor();
    await zh.page.locator('[data-test="findings-table"] .el-table__row', { hasText: 'OpenSSH' }).waitFor();
    await zh.screenshot('findings-zh-CN');
    assert.deepEqual(zh.errors, []);
  });
});
