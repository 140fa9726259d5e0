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
import { createAssetsModule } from './assets/index.js';
import type { HubConfig } from './config/index.js';
import { openStore } from './db/data-source.js';
import { createFindingsModule } from './findings/index.js';
import { startGateway, type Gateway } from './gateway/index.js';
import { createApp } from './http/app.js';
import type { HubModuleDeps } from './platform/module.js';
import { TasksService, tasksRouter } from './tasks/index.js';
import { createScansModule } from './scans/index.js';
import { loadOrCreateHubKey, TenancyService, TenantScopeStore } from './tenancy/index.js';

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
  const scans = createScansModule({
    ...deps,
    tasks,
    agents: agents.repo,
    findings: findings.service,
    ledger: (em, ctx, host) => assets.applyDiscovery(em, ctx, host),
    scopes: new TenantScopeStore(ds, clock),
  });

  const app = createApp({
    log,
    tenancy,
    routers: [agentsRouter(agents), tasksRouter(tasks), assets.router, findings.router, scans.router],
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
    applyInventory: (em, ctx, report) => assets.applyInventory(em, ctx, report),
    applyDiscovery: scans.applyDiscovery,
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
