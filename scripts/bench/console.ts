// Console benchmark. (1) Bundle sizes of the built console (console/dist): what the first page
// load fetches (index.html's script, modulepreloads and stylesheets) next to the baseline of every
// chunk the build emitted (what an eager, non-split build would ship up front), raw and gzip.
// (2) Time to the dashboard's charts rendered on localhost: a real hub + agent, Debian's Chromium
// logged in, from navigation to all six ECharts canvases painted, next to the baseline of the
// same navigation until the page heading shows (the cost of the charts themselves): navigating
// from about:blank in a fresh, logged-in browser context, and reloading. Then the findings-list section (console-findings.ts) unless
// BENCH_CONSOLE_FINDINGS=0. Prints figures; asserts nothing.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../../tests/e2e/lib/browser.js';
import {
  agentCli,
  createTenant,
  freePort,
  hubCli,
  repoRoot,
  startAgent,
  startHub,
  tempDir,
  waitFor,
} from '../../tests/e2e/lib/harness.js';

const dist = join(repoRoot, 'console', 'dist');
const ROUNDS = Number(process.env['BENCH_CONSOLE_ROUNDS'] ?? 7);

function sizes(files: string[]): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const buf = readFileSync(join(dist, f));
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
  }
  return { raw, gzip };
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function bundleSection(): void {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
  const all = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => `assets/${f}`);
  const first = sizes(initial);
  const everything = sizes(all);
  console.log('## Bundle sizes (console/dist)\n');
  console.log('| what | files | raw | gzip |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| initial load (index.html) | ${initial.length} | ${kib(first.raw)} | ${kib(first.gzip)} |`);
  console.log(`| baseline: every chunk | ${all.length} | ${kib(everything.raw)} | ${kib(everything.gzip)} |`);
  for (const page of [
    'OverviewPage',
    'AgentsPage',
    'AssetsPage',
    'AssetDetailPage',
    'ScansPage',
    'ScanDetailPage',
  ]) {
    const chunk = all.find((f) => f.startsWith(`assets/${page}-`) && f.endsWith('.js'));
    if (!chunk) continue;
    const s = sizes([chunk]);
    console.log(`| lazy chunk ${page} | 1 | ${kib(s.raw)} | ${kib(s.gzip)} |`);
  }
  const ratio = (first.gzip / everything.gzip) * 100;
  console.log(`\ninitial load = ${ratio.toFixed(1)} % of all chunks (gzip)\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** ms from navigation start until the heading shows, and until every chart canvas has pixels. */
async function timeDashboard(
  page: Page,
  url: string,
  reload: boolean,
): Promise<{ heading: number; charts: number }> {
  const t0 = performance.now();
  if (reload) await page.reload();
  else await page.goto(url);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const heading = performance.now() - t0;
  // (A string: the scripts' tsconfig has no DOM types.)
  await page.waitForFunction(
    `(() => { const cs = [...document.querySelectorAll('[data-chart] canvas')];
      return cs.length === 6 && cs.every((c) => c.width > 0 &&
        c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v !== 0)); })()`,
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return { heading, charts: performance.now() - t0 };
}

async function dashboardSection(): Promise<void> {
  const skip = browserSkipReason();
  console.log('## Time to the dashboard charts (localhost, Chromium)\n');
  if (skip) {
    console.log(`skipped: ${skip}\n`);
    return;
  }
  const dir = tempDir('wp-bench-console-');
  const hubOpts = { dataDir: join(dir.path, 'hub'), port: await freePort() };
  const hub = await startHub(hubOpts);
  const agentOpts = { dataDir: join(dir.path, 'agent') };
  let agent: Awaited<ReturnType<typeof startAgent>> | null = null;
  const browser = await launchBrowser();
  try {
    const acme = await createTenant(hubOpts, hub.url, 'acme');
    const pw = join(dir.path, 'pw');
    writeFileSync(pw, 'bench console passphrase');
    await hubCli(hubOpts, [
      'user',
      'create',
      'admin@acme.test',
      '--role',
      'tenant_admin',
      '--tenant',
      'acme',
      '--password-file',
      pw,
    ]);
    await agentCli(agentOpts, ['enroll', '--hub', hub.wsUrl, '--token', acme.enrollToken, '--json']);
    agent = startAgent(agentOpts);
    await waitFor('agent online', async () => {
      const { items } = await acme.api.get<{ items: { online: boolean; assetId: string | null }[] }>(
        '/api/v1/agents',
      );
      return items.some((a) => a.online && a.assetId) ? true : undefined;
    });
    const cold = { heading: [] as number[], charts: [] as number[] };
    const warm = { heading: [] as number[], charts: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(hub.url + '/login');
      await page.fill('input[name="email"]', 'admin@acme.test');
      await page.fill('input[name="password"]', 'bench console passphrase');
      await page.click('button[type="submit"]');
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto('about:blank');
      const c = await timeDashboard(page, hub.url + '/', false);
      cold.heading.push(c.heading);
      cold.charts.push(c.charts);
      const w = await timeDashboard(page, hub.url + '/', true);
      warm.heading.push(w.heading);
      warm.charts.push(w.charts);
      await context.close();
    }
    console.log(`median of ${ROUNDS} runs; the heading is the baseline (page without its charts)\n`);
    console.log('| load | heading shown (baseline) | 6 charts painted | charts cost |');
    console.log('| --- | --- | --- | --- |');
    for (const [name, r] of [
      ['navigate from about:blank (new context)', cold],
      ['reload', warm],
    ] as const) {
      const h = median(r.heading);
      const c = median(r.charts);
      console.log(`| ${name} | ${h.toFixed(0)} ms | ${c.toFixed(0)} ms | +${(c - h).toFixed(0)} ms |`);
    }
    console.log('');
  } finally {
    await browser.close();
    await agent?.kill();
    await hub.kill();
    dir.remove();
  }
}

if (!statSync(join(dist, 'index.html'), { throwIfNoEntry: false })) {
  console.log('console/dist is missing: run `npm run build -w console` first');
  process.exit(1);
}
bundleSection();
await dashboardSection();
if (process.env['BENCH_CONSOLE_FINDINGS'] !== '0') await import('./console-findings.js');
