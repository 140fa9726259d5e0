// The agent WebSocket endpoint (/agent/v1) on the hub's HTTP(S) server.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { CloseCode } from '@watchpost/proto';
import type { AgentsService } from '../agents/index.js';
import type { HubConfig } from '../config/index.js';
import type { PoliciesModule } from '../policies/index.js';
import type { TasksService } from '../tasks/index.js';
import type { HubIdentity, TenancyService } from '../tenancy/index.js';
import { AgentConnection } from './connection.js';
import type { GatewayContext } from './context.js';
import type { ApplyDiscovery } from '../scans/index.js';
import type { ApplyInventory } from './ingest.js';
import type { ApplyBaseline } from '../baselines/index.js';
import type { ApplyDrift } from '../drift/index.js';
import { SessionRegistry } from './sessions.js';

export const AGENT_WS_PATH = '/agent/v1';

export interface GatewayDeps {
  server: HttpServer;
  ds: DataSource;
  log: Logger;
  clock: () => Date;
  config: HubConfig;
  tenancy: TenancyService;
  agents: AgentsService;
  tasks: TasksService;
  identity: HubIdentity;
  applyInventory: ApplyInventory;
  applyDiscovery: ApplyDiscovery;
  applyBaseline?: ApplyBaseline;
  applyDrift?: ApplyDrift;
  policies?: PoliciesModule;
}

export interface Gateway {
  sessions: SessionRegistry;
  /** Commits in-flight batches, closes every agent socket with 1001. */
  close(): Promise<void>;
}

export function startGateway(deps: GatewayDeps): Gateway {
  const log = deps.log.child({ domain: 'gateway' });
  const sessions = new SessionRegistry();
  const ctx: GatewayContext = {
    ds: deps.ds,
    tenancy: deps.tenancy,
    agents: deps.agents.repo,
    identity: deps.identity,
    clock: deps.clock,
    log,
    config: deps.config,
    tasks: deps.tasks,
    ...(deps.policies ? { policies: deps.policies.delivery } : {}),
    ingest: {
      ds: deps.ds,
      tasks: deps.tasks.repo,
      applyInventory: deps.applyInventory,
      applyDiscovery: deps.applyDiscovery,
      applyBaseline: deps.applyBaseline,
      applyDrift: deps.applyDrift,
      clock: deps.clock,
    },
    sessions,
  };
  const wss = new WebSocketServer({
    server: deps.server,
    path: AGENT_WS_PATH,
    maxPayload: deps.config.limits.maxFrameBytes,
    perMessageDeflate: false,
  });
  wss.on('connection', (ws, req) => {
    new AgentConnection(ws, ctx, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? 0}`);
  });
  wss.on('error', (err) => log.error({ err }, 'websocket server error'));

  const closeRevoked = (agentId: string) =>
    sessions.get(agentId)?.closeWith(CloseCode.AGENT_REVOKED, 'agent revoked');
  deps.agents.onRevoked(closeRevoked);
  deps.tasks.onCreated((_tenantId, agentId) => sessions.get(agentId)?.deliverTasks());
  // Policy changes (here, on another node, or by the CLI) reach the tenant's live connections.
  const stopPolicyDelivery = deps.policies?.startDelivery(deps.config.revocationCheckMs, (tenantId) => {
    for (const s of sessions.all()) if (s.tenantId === tenantId) s.deliverTasks();
  });

  // Revocations made elsewhere (CLI, another node) reach live connections within a few seconds.
  const sweep = setInterval(() => {
    const ids = sessions.agentIds();
    if (ids.length === 0) return;
    deps.agents.repo
      .revokedAmong(ids)
      .then((revoked) => revoked.forEach(closeRevoked))
      .catch((err: unknown) => log.error({ err }, 'revocation sweep failed'));
  }, deps.config.revocationCheckMs);
  sweep.unref();

  return {
    sessions,
    async close() {
      clearInterval(sweep);
      stopPolicyDelivery?.();
      await Promise.all(sessions.all().map((s) => s.shutdown()));
      for (const c of wss.clients) c.close(CloseCode.GOING_AWAY, 'hub shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
