// `serve`: migrations, hub identity, domain modules, koa + agent WebSocket on one HTTP(S) port.
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { agentsRouter, AgentsService } from './agents/index.js';
import { BuildsService, buildsApiRouter, buildsPublicRouter } from './builds/index.js';
import { createAssetsModule } from './assets/index.js';
import type { HubConfig } from './config/index.js';
import { openStore } from './db/data-source.js';
import { createFindingsModule } from './findings/index.js';
import { createIntelModule } from './intel/index.js';
import { createMatchingModule } from './intel/matching/index.js';
import { createWarningsModule } from './intel/warnings/index.js';
import { createImportsModule } from './imports/index.js';
import { createRiskModule } from './risk/index.js';
import { startGateway, type Gateway } from './gateway/index.js';
import { createApp } from './http/app.js';
import type { HubModuleDeps } from './platform/module.js';
import { TasksService, tasksRouter } from './tasks/index.js';
import { createScansModule } from './scans/index.js';
import { createPoliciesModule } from './policies/index.js';
import { createBaselinesModule, policyLookupFrom } from './baselines/index.js';
import { createDriftModule } from './drift/index.js';
import { loadOrCreateHubKey, TenancyService, tenancyRouter, TenantScopeStore } from './tenancy/index.js';
import { createOverviewModule } from './overview/index.js';
import { UsersService, usersRouter } from './users/index.js';

/** How often due scan runs, cron schedules and scan windows are checked. */
const SCAN_SCHEDULER_INTERVAL_MS = 15_000;

export interface RunningHub {
  url: string;
  wsUrl: string;
  server: Server;
  gateway: Gateway;
  dataSource: DataSource;
  stop(): Promise<void>;
}

export async function startServer(config: HubConfig, log: Logger): Promise<RunningHub> {
  const clock = () => new Date();
  const ds = await openStore(config, true);
  const tenancy = new TenancyService(ds, clock);
  const identity = await loadOrCreateHubKey(tenancy.repo, clock());
  const agents = new AgentsService(ds, clock);
  await agents.repo.markNodeOffline(config.nodeId);
  const tasks = new TasksService(ds, agents.repo, clock, config.taskExpiryS, identity);
  const deps: HubModuleDeps = { dataSource: ds, clock, log };
  const assets = createAssetsModule(deps);
  const findings = createFindingsModule(deps);
  const intel = createIntelModule({ ...deps, uploadMaxBytes: config.intelUploadMaxBytes });
  await intel.service.recoverInterrupted();
  const intelDeps = { ...deps, reader: intel.service.reader, findings: findings.service };
  const matching = createMatchingModule(intelDeps);
  const warnings = createWarningsModule({ ...intelDeps, matching: matching.service });
  const stopWarnings = warnings.service.subscribe(intel.service.events);
  // Ports seen by a scan or a scanner import changed: re-match that asset once the ingest commits.
  const ledger: typeof assets.applyDiscovery = async (em, ctx, host) => {
    const outcome = await assets.applyDiscovery(em, ctx, host);
    if (outcome && (outcome.created || outcome.events.length > 0))
      matching.service.schedule(ctx.tenantId, outcome.assetId);
    return outcome;
  };
  const risk = createRiskModule({ ...deps, findings: findings.service, intel: intel.service.reader });
  const imports = createImportsModule({
    ...deps,
    findings: findings.service,
    risk: risk.service,
    ledger,
  });
  const scopes = new TenantScopeStore(ds, clock);
  const scans = createScansModule({
    ...deps,
    tasks,
    agents: agents.repo,
    findings: findings.service,
    ledger,
    scopes,
  });
  const policies = createPoliciesModule({ ...deps, agents: agents.repo, identity });
  await policies.syncBuiltins((await tenancy.repo.listTenants()).map((t) => t.id));
  const drift = createDriftModule({ ...deps, agents: agents.repo, findings: findings.service });
  const baselines = createBaselinesModule({
    ...deps,
    tasks,
    agents: agents.repo,
    findings: findings.service,
    policies: policyLookupFrom(policies.service.repo),
    linkDrift: drift.linkDrift,
    driftLinks: drift.driftLinks,
  });

  const users = new UsersService(ds, clock);
  const builds = new BuildsService(ds, config.dataDir, identity, clock);
  const app = createApp({
    log,
    tenancy,
    users,
    publicRouters: [buildsPublicRouter({ builds, hubPublicKeyRaw: identity.publicKeyRaw, clock })],
    routers: [
      // Before agentsRouter: /agents/versions would otherwise match /agents/:id.
      buildsApiRouter({ builds, ds, tasks, agents: agents.repo }),
      agentsRouter(agents),
      tasksRouter(tasks),
      assets.router,
      findings.router,
      risk.router,
      imports.router,
      scans.router,
      intel.router,
      matching.router,
      warnings.router,
      policies.router,
      baselines.router,
      drift.router,
      usersRouter(users),
      tenancyRouter(tenancy, scopes),
      createOverviewModule(deps).router,
    ],
    bodyLimitBytes: config.bodyLimitBytes,
    consoleDir: config.consoleDir,
  });
  const { tlsCertFile, tlsKeyFile } = config;
  const tls = tlsCertFile !== undefined && tlsKeyFile !== undefined;
  const handle = app.callback();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => void handle(req, res);
  const server: Server = tls
    ? createHttpsServer({ cert: readFileSync(tlsCertFile), key: readFileSync(tlsKeyFile) }, onRequest)
    : createHttpServer(onRequest);
  const gateway = startGateway({
    server,
    ds,
    log,
    clock,
    config,
    tenancy,
    agents,
    tasks,
    identity,
    applyInventory: async (em, ctx, report) => {
      const applied = await assets.applyInventory(em, ctx, report);
      // New packages or os facts: re-match the asset once the ingest commits.
      if ((applied.writes.packages ?? 0) > 0 || (applied.writes.host ?? 0) > 0)
        matching.service.schedule(ctx.tenantId, applied.assetId);
      return applied;
    },
    applyDiscovery: scans.applyDiscovery,
    applyBaseline: baselines.applyBaseline,
    applyDrift: drift.applyDrift,
    policies,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${addr.port}`;
  const wsUrl = `${tls ? 'wss' : 'ws'}://${host}:${addr.port}/agent/v1`;
  log.info({ url, nodeId: config.nodeId, tls }, 'hub listening');
  const stopScheduler = scans.startScheduler(SCAN_SCHEDULER_INTERVAL_MS);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('hub stopping');
      await stopScheduler();
      await intel.service.drain();
      stopWarnings();
      await matching.service.stop();
      await gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await agents.repo.markNodeOffline(config.nodeId);
      await ds.destroy();
    })());
  return { url, wsUrl, server, gateway, dataSource: ds, stop };
}
